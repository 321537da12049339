/* kube_http.h — HTTP to the Kubernetes API server, through libcurl.
 *
 * One kube_client per cluster connection. It verifies TLS against the cluster
 * CA (unless told to skip), authenticates with a client certificate, a bearer
 * token (or token file, re-read on every request) or basic auth, and retries
 * with exponential backoff and full jitter on 429, 500, 502, 503, 504 and on
 * dropped or refused connections, honouring Retry-After. Every call is bounded
 * by a timeout. Each attempt (and each stream) first takes a token from the
 * client's throttle (kube_ratelimit.h: helm's --qps and --burst-limit).
 *
 * Ownership: kube_client_new() copies what it needs from kube_conn; free the
 * client with kube_client_free(). A kube_response owns its body (a strbuf);
 * release it with kube_response_release().
 */
#ifndef CAPSTAN_KUBE_HTTP_H
#define CAPSTAN_KUBE_HTTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"

typedef struct kube_conn {
    const char *server;        /* https://127.0.0.1:6443 */
    const char *ca_pem;        /* CA bundle (PEM bytes), or NULL */
    size_t ca_pem_len;
    const char *ca_file;       /* or a CA file */
    const char *cert_pem;      /* client certificate (PEM bytes), or NULL */
    size_t cert_pem_len;
    const char *key_pem;       /* its key (PEM bytes) */
    size_t key_pem_len;
    const char *token;         /* bearer token, or NULL */
    const char *token_file;    /* or a file holding it (in-cluster service accounts) */
    const char *username;      /* basic auth */
    const char *password;
    const char *tls_server_name; /* SNI / verification name override, or NULL */
    bool insecure;             /* --insecure-skip-tls-verify */
    long timeout_ms;           /* per request; 0: 30 s */
    int max_attempts;          /* 0: 8 */
    long backoff_base_ms;      /* 0: 200 ms; doubles per retry, capped at backoff_cap_ms */
    long backoff_cap_ms;       /* 0: 5 s */
    const char *as_user;       /* Impersonate-User (--kube-as-user), or NULL */
    const char *as_groups;     /* Impersonate-Group, comma-separated (--kube-as-group), or NULL */
    double qps;                /* --qps: the throttle's rate (kube_ratelimit.h; 0: 5, negative: none) */
    int burst;                 /* --burst-limit: its bucket (0: helm's 100) */
    /* the throttle's clock and sleep (monotonic nanoseconds); NULL: the system's */
    uint64_t (*now_ns)(void *ctx);
    void (*sleep_ns)(void *ctx, uint64_t ns);
    void *clock_ctx;
} kube_conn;

typedef struct kube_client kube_client;

typedef struct kube_response {
    long status;               /* HTTP status */
    strbuf body;
    int attempts;              /* how many tries it took */
} kube_response;

kube_client *kube_client_new(const kube_conn *conn, cap_err *err);
void kube_client_free(kube_client *c);
const char *kube_client_server(const kube_client *c);

/* Send one request. `path` starts with '/' (query included). body may be NULL.
 * Returns 0 when an HTTP response arrived (whatever its status: the caller
 * reads resp->status), -1 when none did after every retry, with err saying why
 * ("cannot reach the API server https://...: Connection refused"). A 429 or 5xx
 * that persists past the retries is returned as a response, not an error. */
int kube_request(kube_client *c, const char *method, const char *path,
                 const char *content_type, const char *body, size_t body_len,
                 kube_response *resp, cap_err *err);

/* A GET as kube_request, asking for another representation (the Accept
 * header), e.g. "application/json;as=Table;v=v1;g=meta.k8s.io" for the
 * server's table of an object, as kubectl get prints it. */
int kube_request_get_as(kube_client *c, const char *path, const char *accept, kube_response *resp, cap_err *err);

void kube_response_release(kube_response *resp);

/* For streams (watches): a new libcurl easy handle (CURL *) set up for a GET
 * of path, as kube_request would, writing the body to fn(ptr, size, n, ud).
 * The caller runs it (in a multi handle), then frees it with
 * curl_easy_cleanup() and the headers with curl_slist_free_all(). */
typedef size_t (*kube_write_fn)(char *ptr, size_t size, size_t n, void *ud);
void *kube_client_stream(kube_client *c, const char *path, kube_write_fn fn, void *ud, void **headers,
                         cap_err *err);

/* Counters since the client was made (for tests and progress lines). */
typedef struct kube_stats {
    long requests;   /* attempts sent */
    long retries;    /* attempts that were retried */
    uint64_t throttled_ns; /* time the throttle made requests wait */
} kube_stats;
kube_stats kube_client_stats(const kube_client *c);

#endif
