/* http_client.c — see http_client.h. */
#include "installer/net/http_client.h"
#include "installer/net/net_retry.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <curl/curl.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

struct http_client {
    CURL *curl;
    char *username, *password, *bearer, *auth_url, *ca_file, *cert_file, *key_file, *user_agent;
    bool pass_credentials, insecure;
    long timeout_ms, connect_timeout_ms;
    int max_attempts;
    long backoff_base_ms, backoff_cap_ms;
    unsigned long long rng;
    http_stats stats;
    long long max_body;
    /* per request */
    long retry_after_ms;
    strbuf *hdr;
    long long body_bytes;   /* received so far, after Content-Encoding is undone */
    bool body_too_big;
};

static char *dup_or_null(const char *s) { return s && *s ? xstrdup(s) : NULL; }

http_client *http_client_new(const http_opts *o, cap_err *err)
{
    if ((o->cert_file && *o->cert_file) != (o->key_file && *o->key_file)) {
        cap_err_set(err, "a client certificate needs both a certificate file and a key file");
        return NULL;
    }
    http_client *c = xcalloc(1, sizeof *c);
    c->curl = curl_easy_init();
    if (!c->curl) {
        free(c);
        cap_err_set(err, "cannot initialise libcurl");
        return NULL;
    }
    c->username = dup_or_null(o->username);
    c->password = o->password ? xstrdup(o->password) : NULL;
    c->bearer = dup_or_null(o->bearer_token);
    c->auth_url = dup_or_null(o->auth_url);
    c->ca_file = dup_or_null(o->ca_file);
    c->cert_file = dup_or_null(o->cert_file);
    c->key_file = dup_or_null(o->key_file);
    c->user_agent = xstrdup(o->user_agent ? o->user_agent : "capstan/0.1");
    c->pass_credentials = o->pass_credentials;
    c->insecure = o->insecure;
    c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 120000;
    c->connect_timeout_ms = o->connect_timeout_ms > 0 ? o->connect_timeout_ms : 10000;
    c->max_attempts = o->max_attempts > 0 ? o->max_attempts : 4;
    c->max_body = o->max_body_bytes > 0 ? o->max_body_bytes : HTTP_MAX_BODY;
    c->backoff_base_ms = o->backoff_base_ms > 0 ? o->backoff_base_ms : 200;
    c->backoff_cap_ms = o->backoff_cap_ms > 0 ? o->backoff_cap_ms : 3000;
    c->rng = netr_seed(c);
    return c;
}

void http_client_free(http_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->username);
    free(c->password);
    free(c->bearer);
    free(c->auth_url);
    free(c->ca_file);
    free(c->cert_file);
    free(c->key_file);
    free(c->user_agent);
    free(c);
}

http_stats http_client_stats(const http_client *c) { return c->stats; }

void http_response_release(http_response *r)
{
    sb_release(&r->body);
    sb_release(&r->headers);
    free(r->effective_url);
    r->effective_url = NULL;
    r->status = 0;
}

char *http_response_header(const http_response *r, const char *name)
{
    size_t nl = strlen(name);
    const char *p = sb_str(&r->headers);
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        if (len > nl && strncasecmp(p, name, nl) == 0 && p[nl] == ':') {
            const char *v = p + nl + 1, *e = p + len;
            while (v < e && (*v == ' ' || *v == '\t'))
                v++;
            while (e > v && (e[-1] == '\r' || e[-1] == ' ' || e[-1] == '\t'))
                e--;
            return xstrndup(v, (size_t)(e - v));
        }
        p += len + (eol ? 1 : 0);
    }
    return NULL;
}

/* ---- URLs ----------------------------------------------------------------- */

typedef struct url_parts {
    const char *scheme; size_t scheme_len;
    const char *host; size_t host_len;     /* without brackets for IPv6 */
    const char *port; size_t port_len;     /* "" when absent */
} url_parts;

static bool split_url(const char *u, url_parts *p)
{
    memset(p, 0, sizeof *p);
    const char *s = strstr(u, "://");
    if (!s)
        return false;
    p->scheme = u;
    p->scheme_len = (size_t)(s - u);
    const char *h = s + 3;
    const char *end = h + strcspn(h, "/?#");
    const char *at = memchr(h, '@', (size_t)(end - h));
    if (at)
        h = at + 1;
    if (*h == '[') {
        const char *rb = memchr(h, ']', (size_t)(end - h));
        if (!rb)
            return false;
        p->host = h + 1;
        p->host_len = (size_t)(rb - h - 1);
        h = rb + 1;
        if (h < end && *h == ':') {
            p->port = h + 1;
            p->port_len = (size_t)(end - h - 1);
        }
    } else {
        const char *colon = memchr(h, ':', (size_t)(end - h));
        p->host = h;
        p->host_len = (size_t)((colon ? colon : end) - h);
        if (colon) {
            p->port = colon + 1;
            p->port_len = (size_t)(end - colon - 1);
        }
    }
    return true;
}

static const char *default_port(const char *scheme, size_t n)
{
    if (n == 5 && strncasecmp(scheme, "https", 5) == 0)
        return "443";
    if (n == 4 && strncasecmp(scheme, "http", 4) == 0)
        return "80";
    return "";
}

bool http_same_origin(const char *a, const char *b)
{
    url_parts x, y;
    if (!split_url(a, &x) || !split_url(b, &y))
        return false;
    if (x.scheme_len != y.scheme_len || strncasecmp(x.scheme, y.scheme, x.scheme_len) != 0)
        return false;
    if (x.host_len != y.host_len || strncasecmp(x.host, y.host, x.host_len) != 0)
        return false;
    const char *xp = x.port_len ? x.port : default_port(x.scheme, x.scheme_len);
    size_t xl = x.port_len ? x.port_len : strlen(xp);
    const char *yp = y.port_len ? y.port : default_port(y.scheme, y.scheme_len);
    size_t yl = y.port_len ? y.port_len : strlen(yp);
    return xl == yl && strncmp(xp, yp, xl) == 0;
}

/* RFC 3986 5.2.4: remove dot segments from a path (in place into out). */
static void remove_dots(strbuf *out, const char *path, size_t n)
{
    strbuf in = STRBUF_INIT;
    sb_add(&in, path, n);
    const char *p = sb_str(&in);
    bool abs = *p == '/';
    /* split into segments, stack them */
    const char **segs = xcalloc(n + 2, sizeof *segs);
    size_t *lens = xcalloc(n + 2, sizeof *lens);
    size_t ns = 0;
    bool trailing = false;
    const char *s = abs ? p + 1 : p;
    while (1) {
        const char *e = strchr(s, '/');
        size_t l = e ? (size_t)(e - s) : strlen(s);
        trailing = false;
        if (l == 1 && s[0] == '.') {
            trailing = true;
        } else if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (ns)
                ns--;
            trailing = true;
        } else {
            segs[ns] = s;
            lens[ns++] = l;
        }
        if (!e)
            break;
        s = e + 1;
    }
    if (abs)
        sb_addc(out, '/');
    for (size_t i = 0; i < ns; i++) {
        if (i)
            sb_addc(out, '/');
        sb_add(out, segs[i], lens[i]);
    }
    if (trailing && ns)
        sb_addc(out, '/');
    free(segs);
    free(lens);
    sb_release(&in);
}

char *http_resolve_url(const char *base, const char *ref)
{
    /* An absolute reference (it has a scheme) stands alone. */
    size_t i = 0;
    while (isalnum((unsigned char)ref[i]) || ref[i] == '+' || ref[i] == '-' || ref[i] == '.')
        i++;
    if (i > 0 && ref[i] == ':' && isalpha((unsigned char)ref[0]))
        return xstrdup(ref);
    url_parts b;
    if (!split_url(base, &b))
        return xstrdup(ref);
    const char *auth_start = b.scheme + b.scheme_len + 3;
    const char *path_start = auth_start + strcspn(auth_start, "/?#");
    strbuf out = STRBUF_INIT;
    if (ref[0] == '/' && ref[1] == '/') {
        sb_add(&out, base, b.scheme_len + 1);
        sb_adds(&out, ref);
        return sb_detach(&out, NULL);
    }
    sb_add(&out, base, (size_t)(path_start - base));
    size_t blen = strcspn(path_start, "?#");
    size_t rlen = strcspn(ref, "?#");
    strbuf merged = STRBUF_INIT;
    if (ref[0] == '/') {
        sb_add(&merged, ref, rlen);
    } else if (rlen == 0) {
        sb_add(&merged, path_start, blen);
    } else {
        /* base path up to its last '/' */
        size_t k = blen;
        while (k > 0 && path_start[k - 1] != '/')
            k--;
        if (k == 0)
            sb_addc(&merged, '/');
        else
            sb_add(&merged, path_start, k);
        sb_add(&merged, ref, rlen);
    }
    remove_dots(&out, merged.buf, merged.len);
    sb_release(&merged);
    if (ref[rlen])
        sb_adds(&out, ref + rlen);
    else if (rlen == 0 && path_start[blen] == '?')
        sb_add(&out, path_start + blen, strcspn(path_start + blen, "#"));
    return sb_detach(&out, NULL);
}

/* ---- proxies, as Go's ProxyFromEnvironment -------------------------------- */

static const char *env2(const char *a, const char *b)
{
    const char *v = getenv(a);
    if (v && *v)
        return v;
    v = getenv(b);
    return v && *v ? v : NULL;
}

static bool is_loopback(const char *h, size_t n)
{
    if ((n == 9 && strncasecmp(h, "localhost", 9) == 0) || (n == 3 && strncmp(h, "::1", 3) == 0))
        return true;
    if (n > 10 && strncasecmp(h + n - 10, ".localhost", 10) == 0)
        return true;
    return n >= 4 && strncmp(h, "127.", 4) == 0 && strspn(h, "0123456789.") >= n;
}

static void set_proxy(CURL *h, const char *url)
{
    url_parts p;
    const char *proxy = NULL;
    if (split_url(url, &p) && !is_loopback(p.host, p.host_len)) {
        if (p.scheme_len == 5 && strncasecmp(p.scheme, "https", 5) == 0)
            proxy = env2("HTTPS_PROXY", "https_proxy");
        else
            proxy = env2("HTTP_PROXY", "http_proxy");
    }
    curl_easy_setopt(h, CURLOPT_PROXY, proxy ? proxy : "");
    const char *np = env2("NO_PROXY", "no_proxy");
    curl_easy_setopt(h, CURLOPT_NOPROXY, np ? np : "");
}

void http_curl_proxy(void *curl, const char *url) { set_proxy(curl, url); }

/* ---- requests ------------------------------------------------------------- */

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    http_client *c = ud;
    size_t len = size * n;
    if (len >= 5 && strncmp(p, "HTTP/", 5) == 0) {   /* a new response (after a redirect or 100) */
        sb_reset(c->hdr);
        c->retry_after_ms = 0;
    }
    sb_add(c->hdr, p, len);
    long ra = netr_retry_after(p, len);
    if (ra >= 0)
        c->retry_after_ms = ra;
    return len;
}

/* Count len more bytes of body (as decoded: a gzip-encoded response is
 * counted inflated); false once past the limit, which ends the transfer. */
static bool body_fits(http_client *c, size_t len)
{
    c->body_bytes += (long long)len;
    if (c->body_bytes > c->max_body)
        c->body_too_big = true;
    return !c->body_too_big;
}

typedef struct body_sink {
    http_client *c;
    strbuf *body;
} body_sink;

static size_t on_body(char *p, size_t size, size_t n, void *ud)
{
    body_sink *s = ud;
    if (!body_fits(s->c, size * n))
        return 0;
    sb_add(s->body, p, size * n);
    return size * n;
}

typedef struct file_sink {
    FILE *f;
    EVP_MD_CTX *md;
    bool failed;
    http_client *c;
} file_sink;

static size_t on_file(char *p, size_t size, size_t n, void *ud)
{
    file_sink *s = ud;
    size_t len = size * n;
    if (!body_fits(s->c, len))
        return 0;
    if (fwrite(p, 1, len, s->f) != len) {
        s->failed = true;
        return 0;
    }
    if (s->md)
        EVP_DigestUpdate(s->md, p, len);
    return len;
}

static bool has_header(const char *const *headers, const char *name)
{
    size_t n = strlen(name);
    for (; headers && *headers; headers++)
        if (strncasecmp(*headers, name, n) == 0 && (*headers)[n] == ':')
            return true;
    return false;
}

static struct curl_slist *setup(http_client *c, const char *method, const char *url, const char *const *headers,
                                const void *body, size_t body_len)
{
    CURL *h = c->curl;
    curl_easy_reset(h);
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, c->connect_timeout_ms);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
    curl_easy_setopt(h, CURLOPT_USERAGENT, c->user_agent);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 10L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, c);
    set_proxy(h, url);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    else if (strcmp(method, "GET") != 0)
        curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, method);
    if (body || (strcmp(method, "PUT") == 0 || strcmp(method, "POST") == 0 || strcmp(method, "PATCH") == 0)) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body ? (const char *)body : "");
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(body ? body_len : 0));
    }
    if (c->insecure) {
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
        curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
    } else if (c->ca_file) {
        curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
    }
    if (c->cert_file) {
        curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert_file);
        curl_easy_setopt(h, CURLOPT_SSLCERTTYPE, "PEM");
        curl_easy_setopt(h, CURLOPT_SSLKEY, c->key_file);
        curl_easy_setopt(h, CURLOPT_SSLKEYTYPE, "PEM");
    }
    bool creds = !c->auth_url || c->pass_credentials || http_same_origin(c->auth_url, url);
    if (creds && !has_header(headers, "Authorization")) {
        if (c->bearer) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BEARER);
            curl_easy_setopt(h, CURLOPT_XOAUTH2_BEARER, c->bearer);
        } else if (c->username || c->password) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(h, CURLOPT_USERNAME, c->username ? c->username : "");
            curl_easy_setopt(h, CURLOPT_PASSWORD, c->password ? c->password : "");
        }
    }
    struct curl_slist *hl = NULL;
    for (; headers && *headers; headers++)
        hl = curl_slist_append(hl, *headers);
    if (hl)
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    return hl;
}

/* Did the response headers name a Content-Encoding (curl undoes it)? */
static bool http_response_encoded(const strbuf *headers)
{
    for (const char *l = sb_str(headers); l && *l; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
        if (strncasecmp(l, "Content-Encoding:", 17) == 0)
            return true;
    return false;
}

/* The common loop: sink is NULL (body into resp->body) or a file sink. */
static int perform(http_client *c, const char *method, const char *url, const char *const *headers,
                   const void *body, size_t body_len, http_response *resp, file_sink *sink, cap_err *err)
{
    sb_init(&resp->body);
    sb_init(&resp->headers);
    resp->status = 0;
    resp->attempts = 0;
    resp->effective_url = NULL;
    char msg[CURL_ERROR_SIZE];
    int rc = -1;
    for (int attempt = 0; attempt < c->max_attempts; attempt++) {
        sb_reset(&resp->body);
        sb_reset(&resp->headers);
        c->hdr = &resp->headers;
        c->retry_after_ms = 0;
        c->body_bytes = 0;
        c->body_too_big = false;
        body_sink mem = {c, &resp->body};
        if (sink) {
            sink->c = c;
            if (fflush(sink->f) != 0 || ftruncate(fileno(sink->f), 0) != 0) {
                cap_err_set(err, "cannot write the download of %s: %s", url, strerror(errno));
                break;
            }
            rewind(sink->f);
            if (sink->md)
                EVP_DigestInit_ex(sink->md, EVP_sha256(), NULL);
        }
        struct curl_slist *hl = setup(c, method, url, headers, body, body_len);
        curl_easy_setopt(c->curl, CURLOPT_WRITEFUNCTION, sink ? on_file : on_body);
        curl_easy_setopt(c->curl, CURLOPT_WRITEDATA, sink ? (void *)sink : (void *)&mem);
        msg[0] = '\0';
        curl_easy_setopt(c->curl, CURLOPT_ERRORBUFFER, msg);
        CURLcode cr = curl_easy_perform(c->curl);
        curl_slist_free_all(hl);
        c->hdr = NULL;
        c->stats.requests++;
        resp->attempts = attempt + 1;
        bool last = attempt + 1 == c->max_attempts;
        if (c->body_too_big) {
            cap_err_set(err, "%s: the response body is larger than the maximum size %lld bytes%s", url, c->max_body,
                        http_response_encoded(&resp->headers) ? " (once its Content-Encoding is undone)" : "");
            break;
        }
        if (sink && sink->failed) {
            cap_err_set(err, "cannot write the download of %s: %s", url, strerror(errno));
            break;
        }
        if (cr == CURLE_OK) {
            curl_easy_getinfo(c->curl, CURLINFO_RESPONSE_CODE, &resp->status);
            if (!netr_retryable_status(resp->status) || last) {
                char *eff = NULL;
                curl_easy_getinfo(c->curl, CURLINFO_EFFECTIVE_URL, &eff);
                resp->effective_url = xstrdup(eff ? eff : url);
                rc = 0;
                break;
            }
        } else if (!netr_retryable_curl(cr) || last) {
            const char *why = msg[0] ? msg : curl_easy_strerror(cr);
            size_t wl = strlen(why);
            while (wl && (why[wl - 1] == '\n' || why[wl - 1] == '.'))
                wl--;
            if (cr == CURLE_PEER_FAILED_VERIFICATION || cr == CURLE_SSL_CACERT_BADFILE ||
                cr == CURLE_SSL_CERTPROBLEM || cr == CURLE_SSL_CONNECT_ERROR)
                cap_err_set(err, "TLS with %s failed: %.*s", url, (int)wl, why);
            else
                cap_err_set(err, "cannot reach %s: %.*s%s", url, (int)wl, why,
                            last && netr_retryable_curl(cr) && c->max_attempts > 1 ? " (gave up after retries)" : "");
            break;
        }
        c->stats.retries++;
        netr_sleep_ms(netr_backoff_ms(&c->rng, attempt, c->backoff_base_ms, c->backoff_cap_ms, c->retry_after_ms));
    }
    return rc;
}

int http_request(http_client *c, const char *method, const char *url, const char *const *headers,
                 const void *body, size_t body_len, http_response *resp, cap_err *err)
{
    return perform(c, method, url, headers, body, body_len, resp, NULL, err);
}

static const char *status_text(long s)
{
    switch (s) {
    case 400: return "Bad Request";
    case 401: return "Unauthorized";
    case 403: return "Forbidden";
    case 404: return "Not Found";
    case 405: return "Method Not Allowed";
    case 408: return "Request Timeout";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    case 501: return "Not Implemented";
    case 502: return "Bad Gateway";
    case 503: return "Service Unavailable";
    case 504: return "Gateway Timeout";
    default: return "";
    }
}

static int check_status(const char *url, const http_response *resp, cap_err *err)
{
    if (resp->status >= 200 && resp->status < 300)
        return 0;
    const char *t = status_text(resp->status);
    return cap_err_set(err, "failed to fetch %s : %ld%s%s", url, resp->status, *t ? " " : "", t);
}

int http_get(http_client *c, const char *url, http_response *resp, cap_err *err)
{
    if (perform(c, "GET", url, NULL, NULL, 0, resp, NULL, err) < 0)
        return -1;
    return check_status(url, resp, err);
}

int http_download(http_client *c, const char *url, const char *path, char *sha256_hex, http_response *resp,
                  cap_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.part-XXXXXX", path);
    int fd = mkstemp(tmp.buf);
    if (fd < 0) {
        cap_err_set(err, "%s: cannot create: %s", path, strerror(errno));
        sb_release(&tmp);
        return -1;
    }
    fchmod(fd, 0644);
    file_sink sink = {fdopen(fd, "w+b"), EVP_MD_CTX_new(), false, c};
    int rc = perform(c, "GET", url, NULL, NULL, 0, resp, &sink, err);
    if (rc == 0)
        rc = check_status(url, resp, err);
    if (fflush(sink.f) != 0 && rc == 0)
        rc = cap_err_set(err, "%s: cannot write: %s", path, strerror(errno));
    fclose(sink.f);
    if (rc == 0 && sha256_hex) {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int mdlen = 0;
        EVP_DigestFinal_ex(sink.md, md, &mdlen);
        for (unsigned i = 0; i < mdlen && i < 32; i++)
            snprintf(sha256_hex + 2 * i, 3, "%02x", md[i]);
    }
    EVP_MD_CTX_free(sink.md);
    if (rc == 0 && rename(tmp.buf, path) != 0)
        rc = cap_err_set(err, "%s: cannot write: %s", path, strerror(errno));
    if (rc != 0)
        unlink(tmp.buf);
    sb_release(&tmp);
    return rc;
}
