/* kube_ratelimit.c — the token bucket of kube_ratelimit.h, as x/time/rate's
 * Limiter.Wait computes it (advance, take one token, wait for the debt). */
#include "installer/kube/kube_ratelimit.h"

void kube_ratelimit_init(kube_ratelimit *rl, double qps, int burst)
{
    if (qps == 0)
        qps = KUBE_DEFAULT_QPS;
    if (burst <= 0)
        burst = KUBE_DEFAULT_BURST;
    rl->qps = qps > 0 ? qps : 0;
    rl->burst = burst;
    rl->tokens = burst;
    rl->last_ns = 0;
    rl->started = false;
}

uint64_t kube_ratelimit_reserve(kube_ratelimit *rl, uint64_t now_ns)
{
    if (rl->qps <= 0)
        return 0;
    if (!rl->started) {
        rl->started = true;
        rl->last_ns = now_ns;
    }
    if (now_ns > rl->last_ns) { /* the tokens made since last time, up to a full bucket */
        rl->tokens += (double)(now_ns - rl->last_ns) / 1e9 * rl->qps;
        if (rl->tokens > rl->burst)
            rl->tokens = rl->burst;
        rl->last_ns = now_ns;
    }
    rl->tokens -= 1;
    if (rl->tokens >= 0)
        return 0;
    return (uint64_t)(-rl->tokens / rl->qps * 1e9 + 0.5);
}
