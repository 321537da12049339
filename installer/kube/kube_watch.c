/* kube_watch.c — see kube_watch.h. */
#include "installer/kube/kube_watch.h"
#include "core/value.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

struct stream {
    kube_watch *w;
    int id;
    char *path, *query;
    char *rv;            /* last resourceVersion seen */
    CURL *h;
    struct curl_slist *headers;
    strbuf buf;          /* bytes not yet ending in a newline */
    strbuf pending;      /* complete lines waiting for dispatch */
    int failures;        /* consecutive reopen failures */
    bool too_long;       /* an event line passed KUBE_WATCH_MAX_EVENT: the stream was ended */
};

struct kube_watch {
    kube_client *client;
    CURLM *multi;
    struct stream **streams;
    size_t n, cap;
};

kube_watch *kube_watch_new(kube_client *c)
{
    kube_watch *w = xcalloc(1, sizeof *w);
    w->client = c;
    w->multi = curl_multi_init();
    curl_multi_setopt(w->multi, CURLMOPT_PIPELINING, CURLPIPE_MULTIPLEX);
    return w;
}

static void close_stream(kube_watch *w, struct stream *s)
{
    if (s->h) {
        curl_multi_remove_handle(w->multi, s->h);
        curl_easy_cleanup(s->h);
        s->h = NULL;
    }
    curl_slist_free_all(s->headers);
    s->headers = NULL;
}

void kube_watch_free(kube_watch *w)
{
    if (!w)
        return;
    for (size_t i = 0; i < w->n; i++) {
        struct stream *s = w->streams[i];
        close_stream(w, s);
        free(s->path);
        free(s->query);
        free(s->rv);
        sb_release(&s->buf);
        sb_release(&s->pending);
        free(s);
    }
    free(w->streams);
    curl_multi_cleanup(w->multi);
    free(w);
}

static size_t on_data(char *p, size_t size, size_t n, void *ud)
{
    struct stream *s = ud;
    size_t len = size * n;
    /* the line being finished (or still open) and the one left open must fit the limit */
    const char *first = memchr(p, '\n', len), *last = memrchr(p, '\n', len);
    size_t finished = s->buf.len + (first ? (size_t)(first - p) : len);
    size_t open_tail = last ? len - (size_t)(last - p) - 1 : finished;
    if (finished > KUBE_WATCH_MAX_EVENT || open_tail > KUBE_WATCH_MAX_EVENT) {
        s->too_long = true;
        return 0;   /* ends the transfer */
    }
    sb_add(&s->buf, p, len);
    /* move complete lines to pending */
    char *nl = memrchr(s->buf.buf, '\n', s->buf.len);
    if (nl) {
        size_t upto = (size_t)(nl - s->buf.buf) + 1;
        sb_add(&s->pending, s->buf.buf, upto);
        memmove(s->buf.buf, s->buf.buf + upto, s->buf.len - upto);
        sb_setlen(&s->buf, s->buf.len - upto);
    }
    return len;
}

static int open_stream(kube_watch *w, struct stream *s, cap_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s?watch=1&allowWatchBookmarks=true&timeoutSeconds=300", s->path);
    if (s->rv && *s->rv)
        sb_addf(&path, "&resourceVersion=%s", s->rv);
    if (s->query && *s->query)
        sb_addf(&path, "&%s", s->query);
    void *headers = NULL;
    s->h = kube_client_stream(w->client, path.buf, on_data, s, &headers, err);
    sb_release(&path);
    if (!s->h)
        return -1;
    s->headers = headers;
    sb_reset(&s->buf);
    s->too_long = false;
    curl_multi_add_handle(w->multi, s->h);
    return 0;
}

int kube_watch_add(kube_watch *w, const char *path, const char *query, const char *resource_version,
                   cap_err *err)
{
    struct stream *s = xcalloc(1, sizeof *s);
    s->w = w;
    s->id = (int)w->n;
    s->path = xstrdup(path);
    s->query = query ? xstrdup(query) : NULL;
    s->rv = resource_version ? xstrdup(resource_version) : NULL;
    if (open_stream(w, s, err) < 0) {
        free(s->path);
        free(s->query);
        free(s->rv);
        free(s);
        return -1;
    }
    if (w->n == w->cap) {
        w->cap = w->cap ? w->cap * 2 : 8;
        w->streams = xrealloc(w->streams, w->cap * sizeof *w->streams);
    }
    w->streams[w->n++] = s;
    return s->id;
}


/* Hand each complete line to fn. Returns 1 when fn asked to stop. */
static int dispatch(struct stream *s, kube_watch_fn fn, void *ctx)
{
    size_t off = 0;
    int stop = 0;
    while (!stop && off < s->pending.len) {
        char *line = s->pending.buf + off;
        char *nl = memchr(line, '\n', s->pending.len - off);
        size_t len = (size_t)(nl - line);
        off += len + 1;
        if (len == 0)
            continue;
        arena *a = arena_new();
        cval *ev;
        cap_err perr = CAP_ERR_INIT;
        if (json_parse(a, line, len, s->path, &ev, &perr) == 0 && ev->kind == CV_MAP) {
            const char *type = cv_get_str(ev, "type");
            cval *obj = cv_map_get(ev, "object");
            if (obj && obj->kind != CV_MAP)
                obj = NULL; /* a malformed event: no object to read */
            const char *rv = cv_get_str(obj ? cv_map_get(obj, "metadata") : NULL, "resourceVersion");
            if (type && strcmp(type, "ERROR") == 0) {
                cval *code = obj ? cv_map_get(obj, "code") : NULL;
                if (code && ((code->kind == CV_FLOAT && code->u.f == 410) || (code->kind == CV_INT && code->u.i == 410))) {
                    type = "GONE";
                    free(s->rv);
                    s->rv = NULL;
                }
            } else if (rv) {
                free(s->rv);
                s->rv = xstrdup(rv);
            }
            if (type)
                stop = fn(ctx, s->id, type, obj ? obj : cv_nil(), a);
        }
        cap_err_clear(&perr);
        arena_free(a);
    }
    memmove(s->pending.buf, s->pending.buf + off, s->pending.len - off);
    sb_setlen(&s->pending, s->pending.len - off);
    return stop;
}

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

int kube_watch_poll(kube_watch *w, long timeout_ms, kube_watch_fn fn, void *ctx, cap_err *err)
{
    long deadline = now_ms() + timeout_ms;
    for (;;) {
        int running = 0;
        curl_multi_perform(w->multi, &running);
        for (size_t i = 0; i < w->n; i++)
            if (w->streams[i]->pending.len && dispatch(w->streams[i], fn, ctx))
                return 1;
        /* reopen streams the server ended */
        CURLMsg *m;
        int left;
        while ((m = curl_multi_info_read(w->multi, &left))) {
            if (m->msg != CURLMSG_DONE)
                continue;
            for (size_t i = 0; i < w->n; i++) {
                struct stream *s = w->streams[i];
                if (s->h != m->easy_handle)
                    continue;
                long status = 0;
                curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
                CURLcode rc = m->data.result;
                close_stream(w, s);
                if (s->too_long)
                    return cap_err_set(err, "watch %s: the API server sent an event longer than %d bytes (the limit)",
                                       s->path, KUBE_WATCH_MAX_EVENT);
                if (rc != CURLE_OK || (status && status != 200)) {
                    if (++s->failures > 5)
                        return cap_err_set(err, "watch %s: %s", s->path,
                                           rc != CURLE_OK ? curl_easy_strerror(rc) : "the API server refused the watch");
                    if (status == 410 || status == 0) {
                        free(s->rv);
                        s->rv = NULL;
                        arena *a = arena_new();
                        int stop = fn(ctx, s->id, "GONE", cv_nil(), a);
                        arena_free(a);
                        if (stop)
                            return 1;
                    }
                } else {
                    s->failures = 0;
                }
                if (open_stream(w, s, err) < 0)
                    return -1;
            }
        }
        long left_ms = deadline - now_ms();
        if (left_ms <= 0)
            return 0;
        int numfds;
        curl_multi_poll(w->multi, NULL, 0, (int)(left_ms < 200 ? left_ms : 200), &numfds);
    }
}
