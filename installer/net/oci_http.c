/* oci_http.c — the registry client's transport: one libcurl easy handle,
 * TLS options, retries, and registry authentication (Basic and Bearer
 * tokens, per host and scope). See oci_int.h. */
#include "installer/net/oci_int.h"
#include "installer/net/http_client.h"
#include "core/json.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static char *dup_or_null(const char *s) { return s && *s ? xstrdup(s) : NULL; }

oci_client *oci_client_new(const oci_opts *o, cap_err *err)
{
    oci_client *c = xcalloc(1, sizeof *c);
    c->curl = curl_easy_init();
    if (!c->curl) {
        free(c);
        cap_err_set(err, "cannot initialise libcurl");
        return NULL;
    }
    c->plain_http = o->plain_http;
    c->plain_http_loopback = o->plain_http_loopback;
    if (o->plain_http_hosts) {
        size_t n = 0;
        while (o->plain_http_hosts[n])
            n++;
        c->plain_hosts = xcalloc(n + 1, sizeof *c->plain_hosts);
        for (size_t i = 0; i < n; i++)
            c->plain_hosts[i] = xstrdup(o->plain_http_hosts[i]);
    }
    c->insecure = o->insecure_skip_verify;
    c->ca_file = dup_or_null(o->ca_file);
    c->cert_file = dup_or_null(o->cert_file);
    c->key_file = dup_or_null(o->key_file);
    c->username = dup_or_null(o->username);
    c->password = o->password ? xstrdup(o->password) : NULL;
    if (!o->no_registry_config)
        c->config_path = o->registry_config ? xstrdup(o->registry_config) : oci_registry_config_path();
    c->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 300000;
    c->max_attempts = o->max_attempts > 0 ? o->max_attempts : 4;
    return c;
}

void oci_client_free(oci_client *c)
{
    if (!c)
        return;
    curl_easy_cleanup(c->curl);
    free(c->ca_file);
    free(c->cert_file);
    free(c->key_file);
    free(c->username);
    free(c->password);
    free(c->config_path);
    for (size_t i = 0; c->plain_hosts && c->plain_hosts[i]; i++)
        free(c->plain_hosts[i]);
    free(c->plain_hosts);
    for (size_t i = 0; i < c->ncreds; i++) {
        free(c->creds[i].host);
        free(c->creds[i].user);
        free(c->creds[i].pass);
    }
    free(c->creds);
    for (size_t i = 0; i < c->ntokens; i++) {
        free(c->tokens[i].host);
        free(c->tokens[i].scope);
        free(c->tokens[i].token);
    }
    free(c->tokens);
    for (size_t i = 0; i < c->nseen; i++) {
        free(c->seen[i].registry);
        free(c->seen[i].repository);
        free(c->seen[i].digest);
    }
    free(c->seen);
    free(c);
}

oci_stats oci_client_stats(const oci_client *c) { return c->stats; }

void oci_resp_release(oci_resp *r)
{
    sb_release(&r->body);
    free(r->location);
    free(r->digest);
    free(r->content_type);
    free(r->www_auth);
    free(r->link);
    memset(r, 0, sizeof *r);
}

oci_cred *oci_cred_for(oci_client *c, const char *host, cap_err *err)
{
    for (size_t i = 0; i < c->ncreds; i++)
        if (strcmp(c->creds[i].host, host) == 0)
            return &c->creds[i];
    c->creds = xrealloc(c->creds, (c->ncreds + 1) * sizeof *c->creds);
    oci_cred *cr = &c->creds[c->ncreds++];
    memset(cr, 0, sizeof *cr);
    cr->host = xstrdup(host);
    if (c->username) {
        cr->user = xstrdup(c->username);
        cr->pass = xstrdup(c->password ? c->password : "");
    } else if (c->config_path) {
        if (oci_registry_config_lookup(c->config_path, host, &cr->user, &cr->pass, err) < 0)
            return NULL;
    }
    cr->looked_up = true;
    return cr;
}

static const char *token_for(oci_client *c, const char *host, const char *scope)
{
    for (size_t i = 0; i < c->ntokens; i++)
        if (strcmp(c->tokens[i].host, host) == 0 &&
            strcmp(c->tokens[i].scope, scope ? scope : "") == 0)
            return c->tokens[i].token;
    return NULL;
}

static void token_store(oci_client *c, const char *host, const char *scope, const char *token)
{
    for (size_t i = 0; i < c->ntokens; i++)
        if (strcmp(c->tokens[i].host, host) == 0 && strcmp(c->tokens[i].scope, scope ? scope : "") == 0) {
            free(c->tokens[i].token);
            c->tokens[i].token = xstrdup(token);
            return;
        }
    c->tokens = xrealloc(c->tokens, (c->ntokens + 1) * sizeof *c->tokens);
    oci_token *t = &c->tokens[c->ntokens++];
    t->host = xstrdup(host);
    t->scope = xstrdup(scope ? scope : "");
    t->token = xstrdup(token);
}

static const char *endpoint_of(const char *registry)
{
    if (strcmp(registry, "docker.io") == 0 || strcmp(registry, "index.docker.io") == 0)
        return "registry-1.docker.io";
    return registry;
}

char *oci_url(const oci_client *c, const char *registry, const char *path)
{
    if (strncmp(path, "http://", 7) == 0 || strncmp(path, "https://", 8) == 0)
        return xstrdup(path);
    bool plain = c->plain_http || (c->plain_http_loopback && oci_host_is_loopback(registry));
    for (size_t i = 0; !plain && c->plain_hosts && c->plain_hosts[i]; i++)
        plain = strcmp(c->plain_hosts[i], registry) == 0;
    strbuf u = STRBUF_INIT;
    sb_addf(&u, "%s://%s%s", plain ? "http" : "https", endpoint_of(registry), path);
    return sb_detach(&u, NULL);
}

/* ---- one HTTP exchange ------------------------------------------------- */

struct xfer {
    CURL *h;
    const oci_req *req;
    oci_resp *resp;
    oci_client *c;
};

static size_t on_write(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    long code = 0;
    curl_easy_getinfo(x->h, CURLINFO_RESPONSE_CODE, &code);
    x->c->stats.bytes_down += (long)len;
    if (code >= 200 && code < 300 && x->req->sink)
        return oci_sink_write(x->req->sink, p, len);
    if (x->resp->body.len + len > (size_t)OCI_MAX_MANIFEST)
        return 0; /* refuse absurd bodies */
    sb_add(&x->resp->body, p, len);
    return len;
}

static char *header_value(const char *p, size_t len, const char *name)
{
    size_t nl = strlen(name);
    if (len <= nl || strncasecmp(p, name, nl) != 0 || p[nl] != ':')
        return NULL;
    p += nl + 1;
    len -= nl + 1;
    while (len && (*p == ' ' || *p == '\t'))
        p++, len--;
    while (len && (p[len - 1] == '\r' || p[len - 1] == '\n' || p[len - 1] == ' '))
        len--;
    return xstrndup(p, len);
}

static void set_hdr(char **slot, char *v)
{
    if (!v)
        return;
    free(*slot);
    *slot = v;
}

static size_t on_header(char *p, size_t size, size_t n, void *ud)
{
    struct xfer *x = ud;
    size_t len = size * n;
    oci_resp *r = x->resp;
    if (len > 5 && strncmp(p, "HTTP/", 5) == 0) {
        /* a new response (after a redirect or a 100): forget the last one's headers */
        free(r->location), r->location = NULL;
        free(r->digest), r->digest = NULL;
        free(r->content_type), r->content_type = NULL;
        free(r->www_auth), r->www_auth = NULL;
        free(r->link), r->link = NULL;
        r->content_length = -1;
        return len;
    }
    set_hdr(&r->location, header_value(p, len, "location"));
    set_hdr(&r->digest, header_value(p, len, "docker-content-digest"));
    set_hdr(&r->content_type, header_value(p, len, "content-type"));
    set_hdr(&r->link, header_value(p, len, "link"));
    char *wa = header_value(p, len, "www-authenticate");
    if (wa) {
        /* Prefer a Bearer challenge when a server offers several. */
        if (!r->www_auth || strncasecmp(wa, "bearer", 6) == 0)
            set_hdr(&r->www_auth, wa);
        else
            free(wa);
    }
    char *cl = header_value(p, len, "content-length");
    if (cl) {
        r->content_length = strtoll(cl, NULL, 10);
        free(cl);
    }
    return len;
}

struct upload_src {
    FILE *f;
    oci_client *c;
};

static size_t on_read(char *buf, size_t size, size_t n, void *ud)
{
    struct upload_src *u = ud;
    size_t got = fread(buf, size, n, u->f);
    u->c->stats.bytes_up += (long)(got * size);
    return got;
}

static bool retryable_status(long s) { return s == 429 || s == 500 || s == 502 || s == 503 || s == 504; }

static bool retryable_curl(CURLcode rc)
{
    return rc == CURLE_COULDNT_CONNECT || rc == CURLE_SEND_ERROR || rc == CURLE_RECV_ERROR ||
           rc == CURLE_GOT_NOTHING || rc == CURLE_PARTIAL_FILE || rc == CURLE_OPERATION_TIMEDOUT;
}

static void sleep_ms(long ms)
{
    struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};
    while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
        ;
}

static void reset_sink(oci_sink *s)
{
    if (!s)
        return;
    if (s->f) {
        rewind(s->f);
        if (ftruncate(fileno(s->f), 0) != 0) { /* best effort; a short file fails the digest */ }
    }
    if (s->buf)
        sb_reset(s->buf);
    digest_sha256_init(&s->md);
    s->n = 0;
    s->over = false;
}

/* Perform once with the given Authorization (NULL: none; "basic": the host's
 * credentials). 0: a response came; -1: transport error (err set). */
static int perform(oci_client *c, const oci_req *req, const char *url, const char *bearer, const oci_cred *basic,
                   oci_resp *resp, cap_err *err)
{
    CURL *h = c->curl;
    char curl_msg[CURL_ERROR_SIZE];
    struct xfer x = {h, req, resp, c};
    struct upload_src up = {req->upload, c};
    int rc = -1;
    for (int attempt = 0; attempt < c->max_attempts; attempt++) {
        curl_easy_reset(h);
        sb_reset(&resp->body);
        reset_sink(req->sink);
        resp->status = 0;
        struct curl_slist *hl = NULL;
        curl_easy_setopt(h, CURLOPT_URL, url);
        http_curl_proxy(h, url); /* Go's proxy rules, as helm: never for loopback */
        curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
        curl_easy_setopt(h, CURLOPT_USERAGENT, "capstan/0.1");
        curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, 10000L);
        curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, c->timeout_ms);
        curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_write);
        curl_easy_setopt(h, CURLOPT_WRITEDATA, &x);
        curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
        curl_easy_setopt(h, CURLOPT_HEADERDATA, &x);
        curl_easy_setopt(h, CURLOPT_ERRORBUFFER, curl_msg);
        curl_msg[0] = '\0';
        bool is_get = strcmp(req->method, "GET") == 0;
        if (req->no_body || strcmp(req->method, "HEAD") == 0)
            curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
        else if (req->upload) {
            rewind(req->upload);
            curl_easy_setopt(h, CURLOPT_UPLOAD, 1L);
            curl_easy_setopt(h, CURLOPT_READFUNCTION, on_read);
            curl_easy_setopt(h, CURLOPT_READDATA, &up);
            curl_easy_setopt(h, CURLOPT_INFILESIZE_LARGE, (curl_off_t)req->upload_len);
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
        } else if (req->body || !is_get) {
            curl_easy_setopt(h, CURLOPT_POSTFIELDS, req->body ? req->body : "");
            curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)(req->body ? req->body_len : 0));
            curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, req->method);
            c->stats.bytes_up += (long)req->body_len;
        }
        if (is_get)
            curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L); /* blobs may live behind a redirect */
        if (c->insecure) {
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYPEER, 0L);
            curl_easy_setopt(h, CURLOPT_SSL_VERIFYHOST, 0L);
        } else if (c->ca_file)
            curl_easy_setopt(h, CURLOPT_CAINFO, c->ca_file);
        if (c->cert_file) {
            curl_easy_setopt(h, CURLOPT_SSLCERT, c->cert_file);
            if (c->key_file)
                curl_easy_setopt(h, CURLOPT_SSLKEY, c->key_file);
        }
        hl = curl_slist_append(hl, "Expect:");
        strbuf hb = STRBUF_INIT;
        if (req->accept) {
            sb_addf(&hb, "Accept: %s", req->accept);
            hl = curl_slist_append(hl, hb.buf);
            sb_reset(&hb);
        }
        if (req->content_type) {
            sb_addf(&hb, "Content-Type: %s", req->content_type);
            hl = curl_slist_append(hl, hb.buf);
            sb_reset(&hb);
        }
        if (bearer) {
            sb_addf(&hb, "Authorization: Bearer %s", bearer);
            hl = curl_slist_append(hl, hb.buf);
            sb_reset(&hb);
        } else if (basic && basic->user) {
            curl_easy_setopt(h, CURLOPT_HTTPAUTH, CURLAUTH_BASIC);
            curl_easy_setopt(h, CURLOPT_USERNAME, basic->user);
            curl_easy_setopt(h, CURLOPT_PASSWORD, basic->pass ? basic->pass : "");
        }
        sb_release(&hb);
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
        CURLcode cr = curl_easy_perform(h);
        curl_slist_free_all(hl);
        c->stats.requests++;
        bool last = attempt + 1 == c->max_attempts;
        if (cr == CURLE_OK) {
            curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &resp->status);
            if (!retryable_status(resp->status) || last) {
                rc = 0;
                break;
            }
        } else if (cr == CURLE_WRITE_ERROR && req->sink && req->sink->over) {
            cap_err_set(err, "%s %s: the response is larger than the %lld bytes expected", req->method, url,
                        req->sink->limit);
            break;
        } else if (!retryable_curl(cr) || last || strstr(curl_msg, "alert")) {
            /* (a TLS alert, such as a refused client certificate, will not go away by retrying) */
            const char *why = curl_msg[0] ? curl_msg : curl_easy_strerror(cr);
            cap_err_set(err, "%s %s: %s%s", req->method, url, why,
                        last && retryable_curl(cr) && c->max_attempts > 1 ? " (gave up after retries)" : "");
            break;
        }
        sleep_ms(200L << attempt);
    }
    return rc;
}

/* Fetch a token from the challenge's realm. */
static int fetch_token(oci_client *c, const oci_challenge *ch, const char *scope, const oci_cred *cred,
                       char **token, cap_err *err)
{
    if (!ch->realm)
        return cap_err_set(err, "the registry asked for a bearer token without naming a realm");
    strbuf u = STRBUF_INIT;
    sb_adds(&u, ch->realm);
    char sep = strchr(ch->realm, '?') ? '&' : '?';
    if (ch->service) {
        char *e = curl_easy_escape(c->curl, ch->service, 0);
        sb_addf(&u, "%cservice=%s", sep, e);
        curl_free(e);
        sep = '&';
    }
    const char *sc = ch->scope ? ch->scope : scope;
    if (sc) {
        char *e = curl_easy_escape(c->curl, sc, 0);
        sb_addf(&u, "%cscope=%s", sep, e);
        curl_free(e);
    }
    oci_req treq = {.method = "GET", .registry = "", .path = u.buf, .accept = "application/json"};
    oci_resp tresp = {.content_length = -1};
    int rc = perform(c, &treq, u.buf, NULL, cred, &tresp, err);
    if (rc == 0 && tresp.status != 200) {
        if (tresp.status == 401 || tresp.status == 403)
            rc = cap_err_coded(err, CAPSTAN_EAUTH, "authentication to %s failed: the token service %s answered %ld%s", cred->host,
                             ch->realm, tresp.status,
                             cred->user ? " (wrong username or password?)" : " (credentials required)");
        else
            rc = cap_err_set(err, "token service %s answered %ld", ch->realm, tresp.status);
    }
    if (rc == 0) {
        arena *a = arena_new();
        cval *v = NULL;
        cap_err jerr = CAP_ERR_INIT;
        if (json_parse(a, tresp.body.buf ? tresp.body.buf : "", tresp.body.len, ch->realm, &v, &jerr) < 0 ||
            !cv_is(v, CV_MAP)) {
            rc = cap_err_set(err, "token service %s: the answer is not a JSON object", ch->realm);
        } else {
            cval *t = cv_map_get(v, "token");
            if (!cv_is(t, CV_STRING) || !t->u.str.len)
                t = cv_map_get(v, "access_token");
            if (!cv_is(t, CV_STRING) || !t->u.str.len)
                rc = cap_err_set(err, "token service %s: no token in its answer", ch->realm);
            else
                *token = xstrdup(t->u.str.s);
        }
        cap_err_clear(&jerr);
        arena_free(a);
    }
    oci_resp_release(&tresp);
    sb_release(&u);
    return rc;
}

int oci_do(oci_client *c, const oci_req *req, oci_resp *resp, cap_err *err)
{
    memset(resp, 0, sizeof *resp);
    resp->content_length = -1;
    char *url = oci_url(c, req->registry, req->path);
    oci_cred *cred = oci_cred_for(c, req->registry, err);
    int rc = -1;
    if (!cred)
        goto out;
    const char *bearer = token_for(c, req->registry, req->scope);
    if (perform(c, req, url, bearer, cred->basic ? cred : NULL, resp, err) < 0)
        goto out;
    if (resp->status == 401) {
        oci_challenge ch;
        cap_err cerr = CAP_ERR_INIT;
        if (!resp->www_auth || oci_challenge_parse(resp->www_auth, &ch, &cerr) < 0) {
            cap_err_clear(&cerr);
            rc = cap_err_set(err, "%s %s: 401 Unauthorized (and no usable WWW-Authenticate challenge)", req->method, url);
            goto out;
        }
        int arc = 0;
        if (strcmp(ch.scheme, "bearer") == 0) {
            char *tok = NULL;
            arc = fetch_token(c, &ch, req->scope, cred, &tok, err);
            if (arc == 0) {
                token_store(c, req->registry, req->scope, tok);
                bearer = token_for(c, req->registry, req->scope);
                free(tok);
                arc = perform(c, req, url, bearer, NULL, resp, err);
            }
        } else if (strcmp(ch.scheme, "basic") == 0) {
            if (!cred->user || cred->basic)
                arc = cap_err_coded(err, CAPSTAN_EAUTH, "authentication to %s failed: 401 Unauthorized (%s)", req->registry,
                                  cred->user ? "wrong username or password?"
                                             : "credentials required: use --username/--password or capstan registry login");
            else {
                cred->basic = true;
                arc = perform(c, req, url, NULL, cred, resp, err);
            }
        } else
            arc = cap_err_set(err, "%s %s: unsupported authentication scheme \"%s\"", req->method, url, ch.scheme);
        oci_challenge_release(&ch);
        if (arc < 0)
            goto out;
        if (resp->status == 401) {
            rc = cap_err_coded(err, CAPSTAN_EAUTH, "authentication to %s failed: 401 Unauthorized (%s)", req->registry,
                             cred->user ? "wrong username or password?" : "credentials required");
            goto out;
        }
    }
    rc = 0;
out:
    free(url);
    return rc;
}

/* The registry's error body: {"errors":[{"code":..,"message":..,"detail":..}]} */
static void registry_message(const strbuf *body, strbuf *out)
{
    if (!body->len)
        return;
    arena *a = arena_new();
    cval *v = NULL;
    cap_err e = CAP_ERR_INIT;
    if (json_parse(a, body->buf, body->len, NULL, &v, &e) == 0 && cv_is(v, CV_MAP)) {
        cval *errs = cv_map_get(v, "errors");
        int errs_seen = 0;
        if (cv_is(errs, CV_LIST))
            for (size_t i = 0; i < cv_list_len(errs); i++) {
                cval *m = cv_list_get(errs, i);
                cval *msg = cv_is(m, CV_MAP) ? cv_map_get(m, "message") : NULL;
                cval *code = cv_is(m, CV_MAP) ? cv_map_get(m, "code") : NULL;
                if (cv_is(msg, CV_STRING) || cv_is(code, CV_STRING))
                    sb_addf(out, "%s%s", errs_seen++ ? "; " : ": ",
                            cv_is(msg, CV_STRING) ? msg->u.str.s : code->u.str.s);
            }
    }
    cap_err_clear(&e);
    arena_free(a);
}

static const char *reason(long status)
{
    switch (status) {
    case 400: return " Bad Request";
    case 401: return " Unauthorized";
    case 403: return " Forbidden";
    case 404: return " Not Found";
    case 405: return " Method Not Allowed";
    case 409: return " Conflict";
    case 413: return " Payload Too Large";
    case 416: return " Requested Range Not Satisfiable";
    case 429: return " Too Many Requests";
    case 500: return " Internal Server Error";
    case 502: return " Bad Gateway";
    case 503: return " Service Unavailable";
    case 504: return " Gateway Timeout";
    default: return "";
    }
}

int oci_status_error(const oci_req *req, const oci_resp *resp, cap_err *err)
{
    strbuf m = STRBUF_INIT;
    sb_adds(&m, reason(resp->status));
    size_t before = m.len;
    registry_message(&resp->body, &m);
    if (m.len == before && resp->body.len && resp->body.buf[0] != '{') {
        /* a plain-text answer (a proxy, or HTTP sent to an HTTPS port): its first line */
        size_t n = strcspn(resp->body.buf, "\r\n");
        sb_addf(&m, ": %.*s", (int)(n > 200 ? 200 : n), resp->body.buf);
    }
    const char *path = req->path;
    const char *q = strchr(path, '?');
    int n = q ? (int)(q - path) : (int)strlen(path);
    cap_err_set(err, "%s %s%.*s: %ld%s", req->method, strncmp(path, "http", 4) == 0 ? "" : req->registry, n, path,
                resp->status, sb_str(&m));
    sb_release(&m);
    return -1;
}
