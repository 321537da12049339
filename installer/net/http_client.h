/* http_client.h — a general HTTP(S) client over libcurl (chart repositories,
 * OCI registries, any plain URL). Not Kubernetes-specific: see kube_http.h
 * for the API server.
 *
 * One http_client per remote (a repository, a registry). Every request is
 * bounded by a timeout and retried with exponential backoff and full jitter on
 * 429, 500, 502, 503, 504 and on refused, dropped or timed-out connections,
 * honouring Retry-After. Redirects are followed (at most 10).
 *
 * TLS: the system CAs, or ca_file; a client certificate and key from files;
 * insecure skips verification (--insecure-skip-tls-verify).
 *
 * Credentials follow helm's rule (pkg/downloader, pass-credentials): basic
 * auth (or a bearer token) is sent only to URLs whose scheme, host and port
 * are those of `auth_url` (the repository's URL), unless pass_credentials is
 * set. With auth_url NULL they are sent to every URL the client is given.
 * They are never forwarded across a redirect to another host.
 *
 * Proxies as Go's net/http (ProxyFromEnvironment): HTTPS_PROXY/https_proxy
 * for https, HTTP_PROXY/http_proxy for http, NO_PROXY/no_proxy; requests to
 * localhost and loopback addresses never go through a proxy.
 *
 * Ownership: http_client_new() copies what it needs from http_opts; free the
 * client with http_client_free(). An http_response owns its body and headers;
 * release it with http_response_release(). No global state: two clients can
 * be used at once from two threads (one client per thread).
 */
#ifndef CAPSTAN_HTTP_CLIENT_H
#define CAPSTAN_HTTP_CLIENT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/strbuf.h"

typedef struct http_opts {
    const char *username;        /* basic auth, or NULL */
    const char *password;
    const char *bearer_token;    /* "Authorization: Bearer ..." (wins over basic), or NULL */
    const char *auth_url;        /* credentials only to this scheme://host:port (see above), or NULL */
    bool pass_credentials;       /* --pass-credentials: credentials to every host */
    const char *ca_file;         /* PEM CA bundle, or NULL for the system's */
    const char *cert_file;       /* PEM client certificate, or NULL */
    const char *key_file;        /* its PEM key */
    bool insecure;               /* skip TLS verification */
    bool plain_http;             /* (OCI) allowed to talk http:// — informational, URLs decide */
    const char *user_agent;      /* NULL: "capstan/VERSION" */
    long timeout_ms;             /* per request; 0: 120 s (helm's default getter timeout) */
    long connect_timeout_ms;     /* 0: 10 s */
    int max_attempts;            /* 0: 4 */
    long backoff_base_ms;        /* 0: 200 ms; doubles per retry up to backoff_cap_ms */
    long backoff_cap_ms;         /* 0: 3 s */
    long long max_body_bytes;    /* a response body's limit, counted decoded; 0: HTTP_MAX_BODY */
} http_opts;

/* No response body (in memory or downloaded to a file) may be larger than
 * this once its Content-Encoding is undone: a small gzip-encoded reply can
 * inflate without end. Past it the request fails ("URL: the response body is
 * larger than the maximum size N bytes"), and is not retried. */
#define HTTP_MAX_BODY (256LL * 1024 * 1024)

typedef struct http_client http_client;

typedef struct http_response {
    long status;                 /* HTTP status of the final response */
    strbuf body;                 /* empty when the body went to a file */
    strbuf headers;              /* raw header lines of the final response ("Name: value\r\n"...) */
    char *effective_url;         /* after redirects (malloc'd) */
    int attempts;                /* how many tries it took */
} http_response;

#define HTTP_RESPONSE_INIT { 0, STRBUF_INIT, STRBUF_INIT, NULL, 0 }

/* NULL with err set when opts are unusable (a cert without a key, ...). */
http_client *http_client_new(const http_opts *opts, cap_err *err);
void http_client_free(http_client *c);

/* One request. method "GET", "HEAD", "PUT", "POST", "PATCH", "DELETE".
 * headers: NULL or a NULL-terminated list of "Name: value" lines (they replace
 * the defaults of the same name). body may be NULL.
 * Returns 0 when an HTTP response arrived (whatever its status: read
 * resp->status), -1 when none did after every retry, with err naming the URL
 * ("cannot reach http://...: Connection refused", "TLS with https://... failed:
 * ..."). A 429/5xx that persists past the retries is a response, not an error. */
int http_request(http_client *c, const char *method, const char *url, const char *const *headers,
                 const void *body, size_t body_len, http_response *resp, cap_err *err);

/* GET url; like http_request, but a status other than 2xx is an error too
 * ("GET http://host/x: 404 Not Found"), the response still filled in. */
int http_get(http_client *c, const char *url, http_response *resp, cap_err *err);

/* GET url into the file `path`, written to a temporary file beside it and
 * renamed into place only when complete with a 2xx status: a failed download
 * leaves nothing. When sha256_hex is not NULL (65 bytes) it receives the hex
 * SHA-256 of what was written. Body not kept in resp. Returns 0 or -1. */
int http_download(http_client *c, const char *url, const char *path, char *sha256_hex,
                  http_response *resp, cap_err *err);

/* The value of response header `name` (case-insensitive), malloc'd, or NULL. */
char *http_response_header(const http_response *resp, const char *name);
void http_response_release(http_response *resp);

/* Counters since the client was made (tests prove "no network" with them). */
typedef struct http_stats {
    long requests;   /* attempts sent */
    long retries;
} http_stats;
http_stats http_client_stats(const http_client *c);

/* Resolve a possibly relative reference against a base URL (RFC 3986, as Go's
 * url.ResolveReference), malloc'd. "charts/a-1.0.0.tgz" against
 * "https://h/repo/index.yaml" is "https://h/repo/charts/a-1.0.0.tgz". */
char *http_resolve_url(const char *base, const char *ref);

/* Do two URLs share scheme, host and port? (the pass-credentials rule) */
bool http_same_origin(const char *a, const char *b);

/* Set up a libcurl easy handle's proxy for url by the rules above (for the
 * registry client, which keeps its own handle). */
void http_curl_proxy(void *curl, const char *url);

#endif
