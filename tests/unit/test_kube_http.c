/* test_kube_http.c — retries, backoff, Retry-After and errors of the API client,
 * against a tiny scripted HTTP server on 127.0.0.1 run in a thread. */
#include "unit.h"
#include "installer/kube/kube_http.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <pthread.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "script_server.h"

#define OK_JSON "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 11\r\nConnection: close\r\n\r\n{\"kind\":1}\n"
#define E503 "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define E429_RA1 "HTTP/1.1 429 Too Many Requests\r\nRetry-After: 1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define E404 "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}"

static kube_conn conn_for(struct server *s, char *url, size_t n)
{
    snprintf(url, n, "http://127.0.0.1:%d/", s->port);
    kube_conn c = {.server = url, .backoff_base_ms = 10, .backoff_cap_ms = 50, .timeout_ms = 3000};
    return c;
}

static void retries_5xx_then_succeeds(void **state)
{
    const char *script[] = {E503, "DROP", E503, OK_JSON};
    struct server s;
    pthread_t t;
    start(&s, script, 4, &t);
    char url[64];
    kube_conn conn = conn_for(&s, url, sizeof url);
    conn.token = "abc";
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    assert_non_null(c);
    kube_response r;
    assert_int_equal(kube_request(c, "GET", "/api/v1/namespaces", NULL, NULL, 0, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 4);
    assert_string_equal(r.body.buf, "{\"kind\":1}\n");
    assert_non_null(strstr(s.last_request, "GET /api/v1/namespaces HTTP/1.1"));
    assert_non_null(strstr(s.last_request, "Authorization: Bearer abc"));
    assert_int_equal(kube_client_stats(c).retries, 3);
    kube_response_release(&r);
    kube_client_free(c);
    stop(&s, t);
    cap_err_clear(&err);
}

static void honours_retry_after(void **state)
{
    const char *script[] = {E429_RA1, OK_JSON};
    struct server s;
    pthread_t t;
    start(&s, script, 2, &t);
    char url[64];
    kube_conn conn = conn_for(&s, url, sizeof url);
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    kube_response r;
    assert_int_equal(kube_request(c, "PATCH", "/x", "application/apply-patch+yaml", "a: 1\n", 5, &r, &err), 0);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
    assert_true(secs >= 0.95); /* waited the second Retry-After asked for, not the 50 ms cap */
    assert_int_equal(r.status, 200);
    assert_non_null(strstr(s.last_request, "Content-Type: application/apply-patch+yaml"));
    assert_non_null(strstr(s.last_request, "\r\n\r\na: 1\n"));
    kube_response_release(&r);
    kube_client_free(c);
    stop(&s, t);
}

static void client_errors_are_not_retried(void **state)
{
    const char *script[] = {E404};
    struct server s;
    pthread_t t;
    start(&s, script, 1, &t);
    char url[64];
    kube_conn conn = conn_for(&s, url, sizeof url);
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    kube_response r;
    assert_int_equal(kube_request(c, "GET", "/missing", NULL, NULL, 0, &r, &err), 0);
    assert_int_equal(r.status, 404);
    assert_int_equal(r.attempts, 1);
    kube_response_release(&r);
    kube_client_free(c);
    stop(&s, t);
}

static void persistent_5xx_is_returned_after_max_attempts(void **state)
{
    const char *script[] = {E503, E503, E503};
    struct server s;
    pthread_t t;
    start(&s, script, 3, &t);
    char url[64];
    kube_conn conn = conn_for(&s, url, sizeof url);
    conn.max_attempts = 3;
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    kube_response r;
    assert_int_equal(kube_request(c, "GET", "/x", NULL, NULL, 0, &r, &err), 0);
    assert_int_equal(r.status, 503);
    assert_int_equal(r.attempts, 3);
    kube_response_release(&r);
    kube_client_free(c);
    stop(&s, t);
}

static void unreachable_server_is_one_clear_error(void **state)
{
    char url[64];
    snprintf(url, sizeof url, "https://127.0.0.1:%d", dead_port());
    kube_conn conn = {.server = url, .max_attempts = 3, .backoff_base_ms = 5, .backoff_cap_ms = 10};
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    kube_response r;
    assert_int_equal(kube_request(c, "GET", "/version", NULL, NULL, 0, &r, &err), -1);
    assert_non_null(strstr(err.msg, "cannot reach the API server https://127.0.0.1:"));
    assert_int_equal(kube_client_stats(c).requests, 3);
    kube_response_release(&r);
    kube_client_free(c);
    cap_err_clear(&err);
}

static void bad_server_url_is_rejected(void **state)
{
    cap_err err = CAP_ERR_INIT;
    kube_conn conn = {.server = "ftp://x"};
    assert_null(kube_client_new(&conn, &err));
    assert_non_null(strstr(err.msg, "is not an http(s) URL"));
    cap_err_clear(&err);
    kube_conn none = {0};
    assert_null(kube_client_new(&none, &err));
    cap_err_clear(&err);
}

static void token_file_is_read_per_request(void **state)
{
    const char *script[] = {OK_JSON};
    struct server s;
    pthread_t t;
    start(&s, script, 1, &t);
    char url[64], path[] = "/tmp/capstan-token-XXXXXX";
    int fd = mkstemp(path);
    assert_true(write(fd, "tok123\n", 7) == 7);
    close(fd);
    kube_conn conn = conn_for(&s, url, sizeof url);
    conn.token_file = path;
    cap_err err = CAP_ERR_INIT;
    kube_client *c = kube_client_new(&conn, &err);
    kube_response r;
    assert_int_equal(kube_request(c, "GET", "/x", NULL, NULL, 0, &r, &err), 0);
    assert_non_null(strstr(s.last_request, "Authorization: Bearer tok123\r\n"));
    kube_response_release(&r);
    kube_client_free(c);
    stop(&s, t);
    unlink(path);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(retries_5xx_then_succeeds),
    cmocka_unit_test(honours_retry_after),
    cmocka_unit_test(client_errors_are_not_retried),
    cmocka_unit_test(persistent_5xx_is_returned_after_max_attempts),
    cmocka_unit_test(unreachable_server_is_one_clear_error),
    cmocka_unit_test(bad_server_url_is_rejected),
    cmocka_unit_test(token_file_is_read_per_request),
};

UNIT_MAIN(tests)
