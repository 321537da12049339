/* net_retry.c — see net_retry.h. */
#include "installer/net/net_retry.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

bool netr_retryable_status(long s) { return s == 429 || s == 500 || s == 502 || s == 503 || s == 504; }

bool netr_retryable_curl(int rc)
{
    switch (rc) {
    case CURLE_COULDNT_CONNECT:
    case CURLE_SEND_ERROR:
    case CURLE_RECV_ERROR:
    case CURLE_GOT_NOTHING:
    case CURLE_PARTIAL_FILE:
    case CURLE_OPERATION_TIMEDOUT:
        return true;
    default:
        return false;
    }
}

unsigned long long netr_seed(const void *salt)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    unsigned long long r = ((unsigned long long)ts.tv_nsec << 20) ^ (unsigned long long)getpid() ^
                           (unsigned long long)(uintptr_t)salt;
    return r ? r : 88172645463325252ULL;
}

long netr_backoff_ms(unsigned long long *rng, int attempt, long base_ms, long cap_ms, long retry_after_ms)
{
    long ceiling = base_ms;
    for (int i = 0; i < attempt && ceiling < cap_ms; i++)
        ceiling *= 2;
    if (ceiling > cap_ms)
        ceiling = cap_ms;
    unsigned long long x = *rng;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    *rng = x;
    long wait = (long)(x % (unsigned long long)(ceiling + 1));
    if (retry_after_ms > wait)
        wait = retry_after_ms > 30000 ? 30000 : retry_after_ms;
    return wait;
}

void netr_sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

long netr_retry_after(const char *p, size_t len)
{
    static const char name[] = "retry-after:";
    if (len <= sizeof name - 1 || strncasecmp(p, name, sizeof name - 1) != 0)
        return -1;
    char buf[32];
    size_t vl = len - (sizeof name - 1);
    if (vl >= sizeof buf)
        vl = sizeof buf - 1;
    memcpy(buf, p + sizeof name - 1, vl);
    buf[vl] = '\0';
    char *end;
    long secs = strtol(buf, &end, 10);
    return end != buf && secs >= 0 ? secs * 1000 : -1;
}
