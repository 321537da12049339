/* repo_fetch.c — what talks to a chart repository: index downloads into
 * helm's cache, chart downloads checked against the index (see repo.h). */
#include "installer/net/repo.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

char *repo_resolve_url(const char *repo_url, const char *ref)
{
    size_t i = 0;
    while (ref[i] && strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+-.", ref[i]))
        i++;
    if (i > 0 && ref[i] == ':')
        return xstrdup(ref);
    size_t qpos = strcspn(repo_url, "?#");
    strbuf base = STRBUF_INIT;
    sb_add(&base, repo_url, qpos);
    while (base.len && base.buf[base.len - 1] == '/')
        base.buf[--base.len] = '\0';
    sb_addc(&base, '/');
    char *r = http_resolve_url(base.buf, ref);
    sb_release(&base);
    if (repo_url[qpos] == '?') {
        /* the repository's query replaces the reference's */
        size_t rq = strcspn(r, "?#");
        strbuf out = STRBUF_INIT;
        sb_add(&out, r, rq);
        sb_add(&out, repo_url + qpos, strcspn(repo_url + qpos, "#"));
        free(r);
        r = sb_detach(&out, NULL);
    }
    return r;
}

int repo_update_index(const repo_entry *e, const char *cache_dir, cap_err *err)
{
    http_client *c = repo_client(e, err);
    if (!c)
        return -1;
    char *url = repo_resolve_url(e->url, "index.yaml");
    http_response resp = HTTP_RESPONSE_INIT;
    int rc = http_get(c, url, &resp, err);
    http_client_free(c);
    arena *a = arena_new();
    repo_index *ix = NULL;
    if (rc == 0)
        rc = repo_index_parse(a, sb_str(&resp.body), resp.body.len, url, &ix, err);
    if (rc == 0) {
        rc = fsu_mkdirs(cache_dir, err);
        strbuf names = STRBUF_INIT;
        for (size_t i = 0; i < ix->n; i++)
            sb_addf(&names, "%s\n", ix->entries[i].name);
        char *cp = repo_cache_charts_path(cache_dir, e->name);
        char *ip = repo_cache_index_path(cache_dir, e->name);
        if (rc == 0)
            rc = fsu_write_atomic(cp, sb_str(&names), names.len, 0644, err);
        if (rc == 0)
            rc = fsu_write_atomic(ip, sb_str(&resp.body), resp.body.len, 0644, err);
        free(cp);
        free(ip);
        sb_release(&names);
    }
    arena_free(a);
    http_response_release(&resp);
    free(url);
    return rc;
}

typedef struct update_job {
    const repo_entry *const *entries;
    size_t n;
    const char *cache_dir;
    cap_err *errs;
    pthread_mutex_t *mu;
    size_t *next;
} update_job;

static void *update_worker(void *arg)
{
    update_job *j = arg;
    for (;;) {
        pthread_mutex_lock(j->mu);
        size_t i = (*j->next)++;
        pthread_mutex_unlock(j->mu);
        if (i >= j->n)
            return NULL;
        repo_update_index(j->entries[i], j->cache_dir, &j->errs[i]);
    }
}

size_t repo_update_indexes(const repo_entry *const *entries, size_t n, const char *cache_dir, cap_err *errs)
{
    for (size_t i = 0; i < n; i++)
        errs[i] = (cap_err)CAP_ERR_INIT;
    curl_global_init(CURL_GLOBAL_DEFAULT);   /* once, before any thread makes a handle */
    pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
    size_t next = 0;
    update_job job = {entries, n, cache_dir, errs, &mu, &next};
    pthread_t th[8];
    size_t nt = n < 8 ? n : 8, started = 0;
    for (size_t t = 0; t + 1 < nt; t++)   /* this thread is the last worker */
        if (pthread_create(&th[started], NULL, update_worker, &job) == 0)
            started++;
    update_worker(&job);
    for (size_t t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    size_t failed = 0;
    for (size_t i = 0; i < n; i++)
        failed += errs[i].msg != NULL;
    return failed;
}

int repo_download_chart(http_client *client, const char *url, const char *digest, const char *dest_path,
                        cap_err *err)
{
    http_client *own = NULL;
    if (!client) {
        http_opts o = {0};
        own = client = http_client_new(&o, err);
        if (!client)
            return -1;
    }
    char got[65] = {0};
    /* downloaded beside dest, checked, then renamed: dest never holds a bad archive */
    strbuf part = STRBUF_INIT;
    sb_addf(&part, "%s.download-%ld", dest_path, (long)getpid());
    http_response resp = HTTP_RESPONSE_INIT;
    int rc = http_download(client, url, part.buf, got, &resp, err);
    http_response_release(&resp);
    http_client_free(own);
    if (rc == 0 && digest && *digest) {
        const char *want = strncmp(digest, "sha256:", 7) == 0 ? digest + 7 : digest;
        if (strcasecmp(want, got) != 0)
            rc = cap_err_set(err, "%s: digest mismatch: the repository index says sha256:%s, the download is sha256:%s",
                             url, want, got);
    }
    if (rc == 0 && rename(part.buf, dest_path) != 0)
        rc = cap_err_set(err, "%s: cannot write: %s", dest_path, strerror(errno));
    if (rc != 0)
        unlink(part.buf);
    sb_release(&part);
    return rc;
}
