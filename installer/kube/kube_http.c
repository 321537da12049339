/* kube_http.c — see kube_http.h. */
#include "installer/kube/kube_http.h"
#include "installer/kube/kube_ratelimit.h"
#include "installer/net/net_retry.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

struct kube_client {
    CURL *curl;
    char *server;
    strbuf ca, cert, key;
    char *ca_file, *token, *token_file, *username, *password, *tls_server_name;
    char *as_user, *as_groups;
    bool insecure;
    long timeout_ms;
    int max_attempts;
    long backoff_base_ms, backoff_cap_ms;
    unsigned long long rng;   /* xorshift state for jitter, per client */
    kube_stats stats;
    kube_ratelimit throttle;  /* --qps, --burst-limit */
    uint64_t (*now_ns)(void *ctx);
    void (*sleep_ns)(void *ctx, uint64_t ns);
    void *clock_ctx;
    /* per request */
    long retry_after_ms;
};

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

kube_client *kube_client_new(const kube_conn *conn, cap_err *err)
{
    if (!conn->server || !*conn->server) {
        cap_err_set(err, "no API server address");
        return NULL;
    }
    if (strncmp(conn->server, "https://", 8) != 0 && strncmp(conn->server, "http://", 7) != 0) {
        cap_err_set(err, "API server address \"%s\" is not an http(s) URL", conn->server);
        return NULL;
    }
    /* curl_easy_init() runs curl_global_init() itself the first time. */
    kube_client *c = xcalloc(1, sizeof *c);
    c->curl = curl_easy_init();
    if (!c->curl) {
        free(c);
        cap_err_set(err, "cannot initialise libcurl");
        return NULL;
    }
    size_t n = strlen(conn->server);
    while (n > 0 && conn->server[n - 1] == '/')
        n--;
    c->server = xstrndup(conn->server, n);
    if (conn->ca_pem)
        sb_add(&c->ca, conn->ca_pem, conn->ca_pem_len);
    if (conn->cert_pem)
        sb_add(&c->cert, conn->cert_pem, conn->cert_pem_len);
    if (conn->key_pem)
        sb_add(&c->key, conn->key_pem, conn->key_pem_len);
    c->ca_file = dup_or_null(conn->ca_file);
    c->token = dup_or_null(conn->token);
    c->token_file = dup_or_null(conn->token_file);
    c->username = dup_or_null(conn->username);
    c->password = dup_or_null(conn->password);
    c->tls_server_name = dup_or_null(conn->tls_server_name);
    c->as_user = dup_or_null(conn->as_user);
    c->as_groups = dup_or_null(conn->as_groups);
    kube_ratelimit_init(&c->throttle, conn->qps, conn->burst);
    c->now_ns = conn->now_ns;
    c->sleep_ns = conn->sleep_ns;
    c->clock_ctx = conn->clock_ctx;
    c->insecure = conn->insecure;
    c->timeout_ms = conn->timeout_ms > 0 ? conn->timeout_ms : 30000;
    c->max_attempts = conn->max_attempts > 0 ? conn->max_attempts : 8;
    c->backoff_base_ms = conn->backoff_base_ms > 0 ? conn->backoff_base_ms : 200;
    c->backoff_cap_ms = conn->backoff_cap_ms > 0 ? conn->backoff_cap_ms : 5000;
    c->rng = netr_seed(c);
    return c;
}

void kube_client_free(kube_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->server);
    sb_release(&c->ca);
    sb_release(&c->cert);
    sb_release(&c->key);
    free(c->ca_file);
    free(c->token);
    free(c->token_file);
    free(c->username);
    free(c->password);
    free(c->tls_server_name);
    free(c->as_user);
    free(c->as_groups);
    free(c);
}

const char *kube_client_server(const kube_client *c) { return c->server; }

static uint64_t mono_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* client-go's tryThrottle: a token from the bucket, after a wait when it is empty */
static void throttle(kube_client *c)
{
    uint64_t now = c->now_ns ? c->now_ns(c->clock_ctx) : mono_ns();
    uint64_t wait = kube_ratelimit_reserve(&c->throttle, now);
    if (!wait)
        return;
    c->stats.throttled_ns += wait;
    if (c->sleep_ns) {
        c->sleep_ns(c->clock_ctx, wait);
        return;
    }
    struct timespec ts = {(time_t)(wait / 1000000000u), (long)(wait % 1000000000u)};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}
kube_stats kube_client_stats(const kube_client *c) { return c->stats; }

void kube_response_release(kube_response *resp)
{
    sb_release(&resp->body);
    resp->status = 0;
}

/* The most one response body may hold: far above any list the API server
 * sends a client (etcd keeps objects under 1.5 MiB), far below what would
 * exhaust memory. */
#define KUBE_MAX_BODY ((size_t)512 << 20)

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    strbuf *sb = ud;
    if (size * n > KUBE_MAX_BODY - sb->len)
        return 0; /* CURLE_WRITE_ERROR: reported as the limit */
    sb_add(sb, p, size * n);
    return size * n;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    kube_client *c = ud;
    size_t len = size * n;
    long ra = netr_retry_after(p, len);
    if (ra >= 0)
        c->retry_after_ms = ra;
    return len;
}

/* Read the token file on every request: projected service-account tokens rotate. */
static int read_token_file(const char *path, strbuf *out, cap_err *err)
{
    if (sb_read_file(out, path) != 0)
        return cap_err_set(err, "%s: cannot read token: %s", path, strerror(errno));
    while (out->len && (out->buf[out->len - 1] == '\n' || out->buf[out->len - 1] == '\r' || out->buf[out->len - 1] == ' '))
        out->buf[--out->len] = '\0';
    return 0;
}

/* Set up handle h for one request: URL, TLS, credentials, headers. A NULL
 * write_fn collects the body into resp_body; streams pass their own. */
/* --kube-as-user and --kube-as-group: Impersonate-User, one Impersonate-Group per group. */
static void add_impersonation(const kube_client *c, struct curl_slist **headers)
{
    strbuf hdr = STRBUF_INIT;
    if (c->as_user && *c->as_user) {
        sb_addf(&hdr, "Impersonate-User: %s", c->as_user);
        *headers = curl_slist_append(*headers, hdr.buf);
    }
    for (const char *g = c->as_groups; g && *g;) {
        size_t n = strcspn(g, ",");
        if (n) {
            sb_reset(&hdr);
            sb_addf(&hdr, "Impersonate-Group: %.*s", (int)n, g);
            *headers = curl_slist_append(*headers, hdr.buf);
        }
        g += n + (g[n] == ',');
    }
    sb_release(&hdr);
}

static int setup_handle(kube_client *c, CURL *h, const char *method, const char *url, const char *accept,
                        const char *content_type,
                        const char *body, size_t body_len, kube_write_fn write_fn, void *write_ud,
                        struct curl_slist **headers, cap_err *err)
{
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->timeout_ms < 10000 ? c->timeout_ms : 10000L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_fn);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, write_ud);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "capstan/0.1");
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)body_len);
    } else if (strcmp(method, "GET") != 0 && strcmp(method, "DELETE") != 0) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)0);
    }
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (c->ca.len) {
        struct curl_blob blob = {c->ca.buf, c->ca.len, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_CAINFO_BLOB, &blob);
    } else if (c->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    }
    if (c->cert.len) {
        struct curl_blob cb = {c->cert.buf, c->cert.len, CURL_BLOB_COPY};
        struct curl_blob kb = {c->key.buf, c->key.len, CURL_BLOB_COPY};
        curl_easy_setopt(h, CURLOPT_SSLCERT_BLOB, &cb);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEY_BLOB, &kb);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    strbuf ah = STRBUF_INIT;
    sb_addf(&ah, "Accept: %s", accept ? accept : "application/json");
    *headers = curl_slist_append(*headers, ah.buf);
    sb_release(&ah);
    if (content_type) {
        strbuf ct = STRBUF_INIT;
        sb_addf(&ct, "Content-Type: %s", content_type);
        *headers = curl_slist_append(*headers, ct.buf);
        sb_release(&ct);
    }
    if (c->token || c->token_file) {
        strbuf tok = STRBUF_INIT, hdr = STRBUF_INIT;
        if (c->token)
            sb_adds(&tok, c->token);
        else if (read_token_file(c->token_file, &tok, err) < 0) {
            sb_release(&tok);
            return -1;
        }
        sb_addf(&hdr, "Authorization: Bearer %s", sb_str(&tok));
        *headers = curl_slist_append(*headers, hdr.buf);
        sb_release(&tok);
        sb_release(&hdr);
    } else if (c->username) {
        curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
        curl_easy_setopt(h, CURLOPT_USERNAME, c->username);
        curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
    }
    add_impersonation(c, headers);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, *headers);
    return 0;
}

static int setup(kube_client *c, const char *method, const char *url, const char *accept, const char *content_type,
                 const char *body, size_t body_len, strbuf *resp_body, struct curl_slist **headers,
                 cap_err *err)
{
    CURL *h = c->curl;
    curl_easy_reset(h);
    if (setup_handle(c, h, method, url, accept, content_type, body, body_len, on_body, resp_body, headers, err) < 0)
        return -1;
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    return 0;
}

void *kube_client_stream(kube_client *c, const char *path, kube_write_fn fn, void *ud, void **headers,
                         cap_err *err)
{
    throttle(c);
    CURL *h = curl_easy_init();
    if (!h) {
        cap_err_set(err, "cannot initialise libcurl");
        return NULL;
    }
    strbuf url = STRBUF_INIT;
    sb_adds(&url, c->server);
    sb_adds(&url, path);
    struct curl_slist *hl = NULL;
    int rc = setup_handle(c, h, "GET", url.buf, NULL, NULL, NULL, 0, fn, ud, &hl, err);
    sb_release(&url);
    if (rc < 0) {
        curl_slist_free_all(hl);
        curl_easy_cleanup(h);
        return NULL;
    }
    /* A stream lives until the server closes it; a silent one for 60 s is dead. */
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1L);
    curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 60L);
    c->stats.requests++;
    *headers = hl;
    return h;
}

static int request(kube_client *c, const char *method, const char *path, const char *accept,
                   const char *content_type, const char *body, size_t body_len, kube_response *resp, cap_err *err);

int kube_request(kube_client *c, const char *method, const char *path,
                 const char *content_type, const char *body, size_t body_len,
                 kube_response *resp, cap_err *err)
{
    return request(c, method, path, NULL, content_type, body, body_len, resp, err);
}

int kube_request_get_as(kube_client *c, const char *path, const char *accept, kube_response *resp, cap_err *err)
{
    return request(c, "GET", path, accept, NULL, NULL, 0, resp, err);
}

static int request(kube_client *c, const char *method, const char *path, const char *accept,
                   const char *content_type, const char *body, size_t body_len, kube_response *resp, cap_err *err)
{
    strbuf url = STRBUF_INIT;
    sb_adds(&url, c->server);
    sb_adds(&url, path);
    sb_init(&resp->body);
    resp->status = 0;
    resp->attempts = 0;
    char curl_msg[CURL_ERROR_SIZE];
    int rc = -1;
    for (int attempt = 0; attempt < c->max_attempts; attempt++) {
        struct curl_slist *headers = NULL;
        sb_reset(&resp->body);
        c->retry_after_ms = 0;
        throttle(c);
        if (setup(c, method, url.buf, accept, content_type, body, body_len, &resp->body, &headers, err) < 0) {
            curl_slist_free_all(headers);
            break;
        }
        curl_msg[0] = '\0';
        curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, curl_msg);
        CURLcode cr = curl_easy_perform(c->curl);
        curl_slist_free_all(headers);
        c->stats.requests++;
        resp->attempts = attempt + 1;
        bool last = attempt + 1 == c->max_attempts;
        if (cr == CURLE_OK) {
            curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
            if (!netr_retryable_status(resp->status) || last) {
                rc = 0;
                break;
            }
        } else if (!netr_retryable_curl(cr) || last) {
            const char *why = curl_msg[0] ? curl_msg : curl_easy_strerror(cr);
            if (cr == CURLE_WRITE_ERROR)
                cap_err_set(err, "%s %s: the API server's response is larger than %zu bytes (the limit)", method,
                            path, KUBE_MAX_BODY);
            else if (cr == CURLE_PEER_FAILED_VERIFICATION || cr == CURLE_SSL_CACERT_BADFILE ||
                cr == CURLE_SSL_CERTPROBLEM || cr == CURLE_SSL_CONNECT_ERROR)
                cap_err_set(err, "TLS with the API server %s failed: %s", c->server, why);
            else
                cap_err_set(err, "cannot reach the API server %s: %s%s", c->server, why,
                            last && netr_retryable_curl(cr) ? " (gave up after retries)" : "");
            break;
        }
        c->stats.retries++;
        netr_sleep_ms(netr_backoff_ms(&c->rng, attempt, c->backoff_base_ms, c->backoff_cap_ms, c->retry_after_ms));
    }
    sb_release(&url);
    return rc;
}
