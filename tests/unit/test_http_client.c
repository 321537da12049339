/* test_http_client.c — the general HTTP client against a scripted server on
 * 127.0.0.1: retries, credentials and helm's pass-credentials rule, redirects,
 * status errors, downloads that leave nothing behind, headers. */
#include "unit.h"
#include "installer/net/http_client.h"
#include "script_server.h"

#include <stdio.h>
#include <sys/stat.h>

#define OK_BODY "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nX-Thing:  v1 \r\nContent-Length: 5\r\nConnection: close\r\n\r\nhello"
#define E503 "HTTP/1.1 503 Service Unavailable\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
#define E404 "HTTP/1.1 404 Not Found\r\nContent-Length: 2\r\nConnection: close\r\n\r\nno"

static http_opts fast(void)
{
    http_opts o = {0};
    o.backoff_base_ms = 5;
    o.backoff_cap_ms = 20;
    o.timeout_ms = 3000;
    return o;
}

static void retries_then_succeeds(void **state)
{
    (void)state;
    const char *script[] = {E503, "DROP", OK_BODY};
    struct server s;
    pthread_t t;
    start(&s, script, 3, &t);
    char url[80];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/index.yaml", s.port);
    http_opts o = fast();
    cap_err err = CAP_ERR_INIT;
    http_client *c = http_client_new(&o, &err);
    http_response r = HTTP_RESPONSE_INIT;
    assert_int_equal(http_get(c, url, &r, &err), 0);
    assert_int_equal(r.status, 200);
    assert_int_equal(r.attempts, 3);
    assert_string_equal(sb_str(&r.body), "hello");
    char *h = http_response_header(&r, "x-thing");
    assert_string_equal(h, "v1");
    free(h);
    assert_null(http_response_header(&r, "X-None"));
    assert_int_equal(http_client_stats(c).retries, 2);
    http_response_release(&r);
    http_client_free(c);
    stop(&s, t);
}

static void status_errors_name_the_url(void **state)
{
    (void)state;
    const char *script[] = {E404};
    struct server s;
    pthread_t t;
    start(&s, script, 1, &t);
    char url[80];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/x.tgz", s.port);
    http_opts o = fast();
    cap_err err = CAP_ERR_INIT;
    http_client *c = http_client_new(&o, &err);
    http_response r = HTTP_RESPONSE_INIT;
    assert_int_equal(http_get(c, url, &r, &err), -1);
    char want[128];
    snprintf(want, sizeof want, "failed to fetch %s : 404 Not Found", url);
    assert_string_equal(err.msg, want);
    assert_int_equal(r.attempts, 1);   /* a 404 is not retried */
    cap_err_clear(&err);
    http_response_release(&r);
    http_client_free(c);
    stop(&s, t);
}

static void credentials_follow_helms_rule(void **state)
{
    (void)state;
    const char *script[] = {OK_BODY, OK_BODY, OK_BODY};
    struct server s;
    pthread_t t;
    start(&s, script, 3, &t);
    char url[80], repo[80], other[80];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/a.tgz", s.port);
    snprintf(repo, sizeof repo, "http://127.0.0.1:%d/charts", s.port);
    snprintf(other, sizeof other, "http://127.0.0.1:%d/charts", s.port + 1);
    cap_err err = CAP_ERR_INIT;
    http_response r = HTTP_RESPONSE_INIT;
    /* the repository's own origin: basic auth sent */
    http_opts o = fast();
    o.username = "alice";
    o.password = "s3cret";
    o.auth_url = repo;
    http_client *c = http_client_new(&o, &err);
    assert_int_equal(http_get(c, url, &r, &err), 0);
    assert_non_null(strstr(s.requests[0], "Authorization: Basic YWxpY2U6czNjcmV0\r\n"));
    http_response_release(&r);
    http_client_free(c);
    /* another origin: not sent ... */
    o.auth_url = other;
    c = http_client_new(&o, &err);
    assert_int_equal(http_get(c, url, &r, &err), 0);
    assert_null(strstr(s.requests[1], "Authorization:"));
    http_response_release(&r);
    http_client_free(c);
    /* ... unless pass_credentials */
    o.pass_credentials = true;
    c = http_client_new(&o, &err);
    assert_int_equal(http_get(c, url, &r, &err), 0);
    assert_non_null(strstr(s.requests[2], "Authorization: Basic "));
    http_response_release(&r);
    http_client_free(c);
    stop(&s, t);
}

static void redirects_do_not_carry_credentials_elsewhere(void **state)
{
    (void)state;
    const char *script2[] = {OK_BODY};
    struct server s2;
    pthread_t t2;
    start(&s2, script2, 1, &t2);
    char redirect[256];
    snprintf(redirect, sizeof redirect,
             "HTTP/1.1 302 Found\r\nLocation: http://127.0.0.1:%d/moved.tgz\r\nContent-Length: 0\r\nConnection: close\r\n\r\n",
             s2.port);
    const char *script1[] = {redirect};
    struct server s1;
    pthread_t t1;
    start(&s1, script1, 1, &t1);
    char url[80];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/a.tgz", s1.port);
    http_opts o = fast();
    o.username = "alice";
    o.password = "s3cret";
    cap_err err = CAP_ERR_INIT;
    http_client *c = http_client_new(&o, &err);
    http_response r = HTTP_RESPONSE_INIT;
    assert_int_equal(http_get(c, url, &r, &err), 0);
    assert_string_equal(sb_str(&r.body), "hello");
    assert_non_null(strstr(r.effective_url, "/moved.tgz"));
    assert_non_null(strstr(s1.requests[0], "Authorization: Basic "));
    assert_null(strstr(s2.requests[0], "Authorization:"));
    http_response_release(&r);
    http_client_free(c);
    stop(&s1, t1);
    stop(&s2, t2);
}

static void downloads_are_whole_or_absent(void **state)
{
    (void)state;
    const char *script[] = {OK_BODY, E404};
    struct server s;
    pthread_t t;
    start(&s, script, 2, &t);
    char dir[] = "/tmp/capstan-http-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char url[80], path[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/a.tgz", s.port);
    snprintf(path, sizeof path, "%s/a.tgz", dir);
    http_opts o = fast();
    cap_err err = CAP_ERR_INIT;
    http_client *c = http_client_new(&o, &err);
    http_response r = HTTP_RESPONSE_INIT;
    char hex[65] = {0};
    assert_int_equal(http_download(c, url, path, hex, &r, &err), 0);
    /* sha256("hello") */
    assert_string_equal(hex, "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824");
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    assert_int_equal(st.st_size, 5);
    http_response_release(&r);
    unlink(path);
    assert_int_equal(http_download(c, url, path, hex, &r, &err), -1);
    assert_non_null(strstr(err.msg, "404 Not Found"));
    cap_err_clear(&err);
    http_response_release(&r);
    assert_int_equal(rmdir(dir), 0);   /* empty: no partial file left */
    http_client_free(c);
    stop(&s, t);
}

static void unreachable_is_one_clear_error(void **state)
{
    (void)state;
    char url[80];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/index.yaml", dead_port());
    http_opts o = fast();
    o.max_attempts = 2;
    cap_err err = CAP_ERR_INIT;
    http_client *c = http_client_new(&o, &err);
    http_response r = HTTP_RESPONSE_INIT;
    assert_int_equal(http_get(c, url, &r, &err), -1);
    char want[100];
    snprintf(want, sizeof want, "cannot reach %s: ", url);
    assert_non_null(strstr(err.msg, want));
    assert_int_equal(http_client_stats(c).requests, 2);
    cap_err_clear(&err);
    http_response_release(&r);
    http_client_free(c);
    /* a certificate without its key is refused up front */
    o.cert_file = "/x.crt";
    assert_null(http_client_new(&o, &err));
    assert_non_null(err.msg);
    cap_err_clear(&err);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(retries_then_succeeds),
    cmocka_unit_test(status_errors_name_the_url),
    cmocka_unit_test(credentials_follow_helms_rule),
    cmocka_unit_test(redirects_do_not_carry_credentials_elsewhere),
    cmocka_unit_test(downloads_are_whole_or_absent),
    cmocka_unit_test(unreachable_is_one_clear_error),
};

UNIT_MAIN(tests)
