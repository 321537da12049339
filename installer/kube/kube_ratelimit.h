/* kube_ratelimit.h — client-go's client-side throttle, for helm's --qps and
 * --burst-limit (HELM_QPS, HELM_BURST_LIMIT): a token bucket (golang.org/x/time/rate,
 * as flowcontrol.NewTokenBucketRateLimiter uses it) that each request to the API
 * server takes a token from, waiting when the bucket is empty.
 *
 * The bucket holds at most burst tokens and starts full; it refills at qps tokens a
 * second. Defaults as helm gives client-go's rest.Config: qps 0 means 5, burst 0
 * means 100, and a negative qps turns the throttle off. The arithmetic takes the time as an
 * argument (no clock inside), so that it can be tested without sleeping; one
 * kube_ratelimit belongs to one kube_client (no global state). */
#ifndef CAPSTAN_KUBE_RATELIMIT_H
#define CAPSTAN_KUBE_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#define KUBE_DEFAULT_QPS 5.0    /* client-go's DefaultQPS, which helm keeps */
#define KUBE_DEFAULT_BURST 100  /* helm's defaultBurstLimit (client-go's own is 10) */

typedef struct kube_ratelimit {
    double qps;          /* tokens a second; 0: no throttle */
    double burst;        /* the bucket's size */
    double tokens;       /* in the bucket at last_ns (negative: promised to waiting requests) */
    uint64_t last_ns;    /* when tokens was counted */
    bool started;        /* the first request fills the bucket at its time */
} kube_ratelimit;

/* With helm's defaults for 0 values (see above). */
void kube_ratelimit_init(kube_ratelimit *rl, double qps, int burst);
/* One request at time now_ns (a monotonic clock): takes a token and returns how
 * many nanoseconds the request must wait before it is sent (0: at once). */
uint64_t kube_ratelimit_reserve(kube_ratelimit *rl, uint64_t now_ns);

#endif
