/* test_kube_ratelimit.c — the throttle behind helm's --qps and --burst-limit: the
 * token bucket's arithmetic at given times (no clock, no sleep), and the API client
 * taking a token per request with an injected clock whose sleep only moves it on. */
#include "unit.h"
#include "installer/kube/kube_http.h"
#include "installer/kube/kube_ratelimit.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "script_server.h"

#define S 1000000000ull
#define MS 1000000ull

static void defaults_as_helm(void **state)
{
    (void)state;
    kube_ratelimit rl;
    kube_ratelimit_init(&rl, 0, 0); /* helm's defaults: client-go's 5 qps, helm's burst 100 */
    assert_true(rl.qps == 5.0);
    assert_true(rl.burst == 100);
    for (int i = 0; i < 100; i++) /* a full bucket: 100 requests at once */
        assert_int_equal(kube_ratelimit_reserve(&rl, 7 * S), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, 7 * S), 200 * MS); /* the 101st: 1/5 s */
    assert_int_equal(kube_ratelimit_reserve(&rl, 7 * S), 400 * MS); /* then in line */
    kube_ratelimit_init(&rl, -1, 0); /* a negative qps: no throttle */
    for (int i = 0; i < 1000; i++)
        assert_int_equal(kube_ratelimit_reserve(&rl, 0), 0);
}

static void refills_at_qps_up_to_burst(void **state)
{
    (void)state;
    kube_ratelimit rl;
    kube_ratelimit_init(&rl, 2, 3);
    uint64_t t = 1000 * S;
    for (int i = 0; i < 3; i++)
        assert_int_equal(kube_ratelimit_reserve(&rl, t), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, t), 500 * MS);      /* tokens -1 */
    assert_int_equal(kube_ratelimit_reserve(&rl, t + 250 * MS), 750 * MS); /* -1 + 0.5 - 1 */
    /* a long pause refills the bucket, but never past burst */
    t += 3600 * S;
    for (int i = 0; i < 3; i++)
        assert_int_equal(kube_ratelimit_reserve(&rl, t), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, t), 500 * MS);
    /* half a second later one token has come back: taken at once */
    kube_ratelimit_init(&rl, 2, 1);
    assert_int_equal(kube_ratelimit_reserve(&rl, t), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, t + 500 * MS), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, t + 600 * MS), 400 * MS);
    /* fractional rates (--qps 0.5) */
    kube_ratelimit_init(&rl, 0.5, 1);
    assert_int_equal(kube_ratelimit_reserve(&rl, 0), 0);
    assert_int_equal(kube_ratelimit_reserve(&rl, 0), 2 * S);
}

struct fake_clock {
    uint64_t now;
    uint64_t slept[8];
    int nslept;
};

static uint64_t fake_now(void *ctx) { return ((struct fake_clock *)ctx)->now; }

static void fake_sleep(void *ctx, uint64_t ns)
{
    struct fake_clock *fc = ctx;
    if (fc->nslept < 8)
        fc->slept[fc->nslept++] = ns;
    fc->now += ns; /* time passes only in the test's clock */
}

#define OK_JSON "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"

static void client_takes_a_token_per_request(void **state)
{
    (void)state;
    const char *script[] = {OK_JSON, OK_JSON, OK_JSON, OK_JSON};
    struct server s;
    pthread_t t;
    start(&s, script, 4, &t);
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/", s.port);
    struct fake_clock fc = {.now = 5 * S};
    kube_conn conn = {.server = url, .timeout_ms = 3000, .qps = 4, .burst = 2,
                      .now_ns = fake_now, .sleep_ns = fake_sleep, .clock_ctx = &fc};
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    assert_non_null(c);
    for (int i = 0; i < 4; i++) {
        kube_response r;
        assert_int_equal(kube_request(c, "GET", "/api", NULL, NULL, 0, &r, &err), 0);
        assert_int_equal(r.status, 200);
        kube_response_release(&r);
    }
    /* two from the bucket, then one every quarter of a second */
    assert_int_equal(fc.nslept, 2);
    assert_int_equal(fc.slept[0], 250 * MS);
    assert_int_equal(fc.slept[1], 250 * MS);
    assert_int_equal(kube_client_stats(c).throttled_ns, 500 * MS);
    kube_client_free(c);
    stop(&s, t);
    cap_err_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(defaults_as_helm),
        cmocka_unit_test(refills_at_qps_up_to_burst),
        cmocka_unit_test(client_takes_a_token_per_request),
    };
    (void)dead_port; /* script_server.h's, not needed here */
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
