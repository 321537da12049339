/* net_retry.h — the retry policy shared by the HTTP clients (kube_http for the
 * API server, http_client for repositories and registries): which failures
 * are retried, exponential backoff with full jitter, Retry-After. */
#ifndef CAPSTAN_NET_RETRY_H
#define CAPSTAN_NET_RETRY_H

#include <stdbool.h>
#include <stddef.h>

/* 429, 500, 502, 503, 504 */
bool netr_retryable_status(long status);
/* refused, dropped, half-read or timed-out connections (a CURLcode) */
bool netr_retryable_curl(int curl_code);
/* A seed for netr_backoff_ms's xorshift state (never 0). */
unsigned long long netr_seed(const void *salt);
/* Full jitter: a random wait in [0, min(cap, base * 2^attempt)], but never
 * less than retry_after_ms (itself capped at 30 s). */
long netr_backoff_ms(unsigned long long *rng, int attempt, long base_ms, long cap_ms, long retry_after_ms);
void netr_sleep_ms(long ms);
/* A "Retry-After: SECONDS" header line: the wait in ms, or -1 for other lines. */
long netr_retry_after(const char *line, size_t len);

#endif
