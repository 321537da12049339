/* repo_config.c — helm's repositories.yaml and cache paths (see repo.h). */
#include "installer/net/repo.h"
#include "core/fsutil.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static char *env_path(const char *helm_var, const char *xdg_var, const char *home_rel)
{
    const char *v = getenv(helm_var);
    if (v && *v)
        return xstrdup(v);
    strbuf b = STRBUF_INIT;
    v = getenv(xdg_var);
    if (v && *v) {
        sb_addf(&b, "%s/helm", v);
    } else {
        const char *home = getenv("HOME");
        sb_addf(&b, "%s/%s/helm", home && *home ? home : ".", home_rel);
    }
    return sb_detach(&b, NULL);
}

char *repo_config_path(void)
{
    const char *v = getenv("HELM_REPOSITORY_CONFIG");
    if (v && *v)
        return xstrdup(v);
    char *home = env_path("HELM_CONFIG_HOME", "XDG_CONFIG_HOME", ".config");
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/repositories.yaml", home);
    free(home);
    return sb_detach(&b, NULL);
}

char *repo_cache_dir(void)
{
    const char *v = getenv("HELM_REPOSITORY_CACHE");
    if (v && *v)
        return xstrdup(v);
    char *home = env_path("HELM_CACHE_HOME", "XDG_CACHE_HOME", ".cache");
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/repository", home);
    free(home);
    return sb_detach(&b, NULL);
}

static char *cache_file(const char *dir, const char *name, const char *suffix)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/%s%s%s", dir, name, *name ? "-" : "", suffix);
    return sb_detach(&b, NULL);
}

char *repo_cache_index_path(const char *dir, const char *name) { return cache_file(dir, name, "index.yaml"); }
char *repo_cache_charts_path(const char *dir, const char *name) { return cache_file(dir, name, "charts.txt"); }

/* ---- load / save ----------------------------------------------------------- */

static char *str_field(const cval *m, const char *key)
{
    const cval *v = cv_map_get(m, key);
    if (v && v->kind == CV_STRING)
        return xstrdup(v->u.str.s);
    return xstrdup("");
}

static bool bool_field(const cval *m, const char *key)
{
    const cval *v = cv_map_get(m, key);
    return v && v->kind == CV_BOOL && v->u.b;
}

int repo_file_load(const char *path, repo_file *out, bool *exists, cap_err *err)
{
    memset(out, 0, sizeof *out);
    out->api_version = xstrdup("");
    out->generated = xstrdup("0001-01-01T00:00:00Z");
    if (exists)
        *exists = false;
    if (access(path, F_OK) != 0 && errno == ENOENT)
        return 0;
    strbuf text = STRBUF_INIT;
    if (fsu_read_file(path, &text, err) < 0) {
        sb_release(&text);
        return -1;
    }
    if (exists)
        *exists = true;
    arena *a = arena_new();
    cval *doc = NULL;
    int rc = yaml_parse(a, sb_str(&text), text.len, path, &doc, err);
    sb_release(&text);
    if (rc == 0 && doc && doc->kind != CV_NIL && doc->kind != CV_MAP)
        rc = cap_err_at(err, path, 0, 0, "couldn't load repositories file: not a map");
    if (rc == 0 && doc && doc->kind == CV_MAP) {
        const cval *v = cv_map_get(doc, "apiVersion");
        if (v && v->kind == CV_STRING) {
            free(out->api_version);
            out->api_version = xstrdup(v->u.str.s);
        }
        v = cv_map_get(doc, "generated");
        if (v && v->kind == CV_STRING) {
            free(out->generated);
            out->generated = xstrdup(v->u.str.s);
        }
        const cval *list = cv_map_get(doc, "repositories");
        if (list && list->kind == CV_LIST) {
            size_t n = cv_list_len(list);
            out->repos = xcalloc(n ? n : 1, sizeof *out->repos);
            for (size_t i = 0; i < n; i++) {
                const cval *m = cv_list_get(list, i);
                if (!m || m->kind != CV_MAP)
                    continue;
                repo_entry *e = &out->repos[out->n++];
                e->name = str_field(m, "name");
                e->url = str_field(m, "url");
                e->username = str_field(m, "username");
                e->password = str_field(m, "password");
                e->cert_file = str_field(m, "certFile");
                e->key_file = str_field(m, "keyFile");
                e->ca_file = str_field(m, "caFile");
                e->insecure_skip_tls_verify = bool_field(m, "insecure_skip_tls_verify");
                e->pass_credentials_all = bool_field(m, "pass_credentials_all");
            }
        }
    }
    arena_free(a);
    if (rc < 0)
        repo_file_free(out);
    return rc;
}

int repo_file_save(const repo_file *f, const char *path, cap_err *err)
{
    arena *a = arena_new();
    cval *doc = cv_map_new(a);
    cv_map_set(doc, "apiVersion", cv_cstring(a, f->api_version ? f->api_version : ""));
    cv_map_set(doc, "generated", cv_cstring(a, f->generated ? f->generated : "0001-01-01T00:00:00Z"));
    cval *list = cv_list_new(a, f->n);
    for (size_t i = 0; i < f->n; i++) {
        const repo_entry *e = &f->repos[i];
        cval *m = cv_map_new(a);
        cv_map_set(m, "name", cv_cstring(a, e->name));
        cv_map_set(m, "url", cv_cstring(a, e->url));
        cv_map_set(m, "username", cv_cstring(a, e->username ? e->username : ""));
        cv_map_set(m, "password", cv_cstring(a, e->password ? e->password : ""));
        cv_map_set(m, "certFile", cv_cstring(a, e->cert_file ? e->cert_file : ""));
        cv_map_set(m, "keyFile", cv_cstring(a, e->key_file ? e->key_file : ""));
        cv_map_set(m, "caFile", cv_cstring(a, e->ca_file ? e->ca_file : ""));
        cv_map_set(m, "insecure_skip_tls_verify", cv_bool(e->insecure_skip_tls_verify));
        cv_map_set(m, "pass_credentials_all", cv_bool(e->pass_credentials_all));
        cv_list_push(list, m);
    }
    cv_map_set(doc, "repositories", list);
    strbuf out = STRBUF_INIT;
    int rc = yaml_emit(&out, doc, err);
    arena_free(a);
    if (rc == 0)
        rc = fsu_mkdirs_for(path, err);
    if (rc == 0)
        rc = fsu_write_atomic(path, sb_str(&out), out.len, 0600, err);
    sb_release(&out);
    return rc;
}

repo_entry *repo_file_get(const repo_file *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (strcmp(f->repos[i].name, name) == 0)
            return &f->repos[i];
    return NULL;
}

static char *dup_s(const char *s) { return xstrdup(s ? s : ""); }

void repo_file_put(repo_file *f, const repo_entry *e)
{
    repo_entry *dst = repo_file_get(f, e->name);
    if (dst) {
        repo_entry_free(dst);
    } else {
        f->repos = xrealloc(f->repos, (f->n + 1) * sizeof *f->repos);
        dst = &f->repos[f->n++];
    }
    dst->name = dup_s(e->name);
    dst->url = dup_s(e->url);
    dst->username = dup_s(e->username);
    dst->password = dup_s(e->password);
    dst->cert_file = dup_s(e->cert_file);
    dst->key_file = dup_s(e->key_file);
    dst->ca_file = dup_s(e->ca_file);
    dst->insecure_skip_tls_verify = e->insecure_skip_tls_verify;
    dst->pass_credentials_all = e->pass_credentials_all;
}

bool repo_file_remove(repo_file *f, const char *name)
{
    bool found = false;
    size_t j = 0;
    for (size_t i = 0; i < f->n; i++) {
        if (strcmp(f->repos[i].name, name) == 0) {
            repo_entry_free(&f->repos[i]);
            found = true;
            continue;
        }
        f->repos[j++] = f->repos[i];
    }
    f->n = j;
    return found;
}

void repo_entry_free(repo_entry *e)
{
    free(e->name);
    free(e->url);
    free(e->username);
    free(e->password);
    free(e->cert_file);
    free(e->key_file);
    free(e->ca_file);
    memset(e, 0, sizeof *e);
}

void repo_file_free(repo_file *f)
{
    for (size_t i = 0; i < f->n; i++)
        repo_entry_free(&f->repos[i]);
    free(f->repos);
    free(f->api_version);
    free(f->generated);
    memset(f, 0, sizeof *f);
}

static bool seq(const char *a, const char *b) { return strcmp(a ? a : "", b ? b : "") == 0; }

bool repo_entry_equal(const repo_entry *a, const repo_entry *b)
{
    return seq(a->name, b->name) && seq(a->url, b->url) && seq(a->username, b->username) &&
           seq(a->password, b->password) && seq(a->cert_file, b->cert_file) && seq(a->key_file, b->key_file) &&
           seq(a->ca_file, b->ca_file) && a->insecure_skip_tls_verify == b->insecure_skip_tls_verify &&
           a->pass_credentials_all == b->pass_credentials_all;
}

/* ---- lock (gofrs/flock on repositories.lock, as helm) --------------------- */

int repo_lock(const char *config_path, cap_err *err)
{
    if (fsu_mkdirs_for(config_path, err) < 0)
        return -1;
    strbuf lp = STRBUF_INIT;
    const char *slash = strrchr(config_path, '/');
    const char *dot = strrchr(config_path, '.');
    if (dot && (!slash || dot > slash + 1))
        sb_add(&lp, config_path, (size_t)(dot - config_path));
    else
        sb_adds(&lp, config_path);
    sb_adds(&lp, ".lock");
    int fd = open(lp.buf, O_CREAT | O_RDWR | O_CLOEXEC, 0600);
    if (fd < 0) {
        cap_err_set(err, "%s: %s", lp.buf, strerror(errno));
        sb_release(&lp);
        return -1;
    }
    /* helm tries for 30 s, once a second */
    for (int i = 0; i < 30; i++) {
        if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
            sb_release(&lp);
            return fd;
        }
        struct timespec ts = {1, 0};
        nanosleep(&ts, NULL);
    }
    cap_err_set(err, "%s: timed out waiting for the lock", lp.buf);
    sb_release(&lp);
    close(fd);
    return -1;
}

void repo_unlock(int fd)
{
    if (fd >= 0) {
        flock(fd, LOCK_UN);
        close(fd);
    }
}

http_client *repo_client(const repo_entry *e, cap_err *err)
{
    http_opts o = {0};
    o.username = e->username;
    o.password = e->password;
    o.auth_url = e->url;
    o.pass_credentials = e->pass_credentials_all;
    o.ca_file = e->ca_file;
    o.cert_file = e->cert_file;
    o.key_file = e->key_file;
    o.insecure = e->insecure_skip_tls_verify;
    return http_client_new(&o, err);
}

/* urlutil.Equal, for the URLs repositories have: compare with the path
 * cleaned ("" and "/" alike, trailing '/' ignored). */
static void clean_url(strbuf *out, const char *u)
{
    const char *s = strstr(u, "://");
    if (!s) {
        sb_adds(out, u);
        while (out->len > 1 && out->buf[out->len - 1] == '/')
            out->buf[--out->len] = '\0';
        return;
    }
    const char *p = s + 3 + strcspn(s + 3, "/?#");
    sb_add(out, u, (size_t)(p - u));
    size_t plen = strcspn(p, "?#");
    if (plen == 0)
        sb_addc(out, '/');
    else {
        /* collapse duplicate slashes, drop the trailing one */
        size_t start = out->len;
        for (size_t i = 0; i < plen; i++)
            if (!(p[i] == '/' && out->len > start && out->buf[out->len - 1] == '/'))
                sb_addc(out, p[i]);
        while (out->len > start + 1 && out->buf[out->len - 1] == '/')
            out->buf[--out->len] = '\0';
    }
    sb_adds(out, p + plen);
}

bool repo_url_equal(const char *a, const char *b)
{
    strbuf x = STRBUF_INIT, y = STRBUF_INIT;
    clean_url(&x, a);
    clean_url(&y, b);
    bool eq = strcmp(sb_str(&x), sb_str(&y)) == 0;
    sb_release(&x);
    sb_release(&y);
    return eq;
}
