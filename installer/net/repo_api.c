/* repo_api.c — `helm repo add|remove|update|list` (capstan.h) on helm's own
 * repositories.yaml and index cache (repo.h). */
#include "installer/net/chart_api.h"
#include "core/opts.h"
#include "core/json.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void chart_opts_repo_entry(const capstan_chart_opts *o, repo_entry *e)
{
    memset(e, 0, sizeof *e);
    if (!o)
        return;
    e->username = (char *)o->username;
    e->password = (char *)o->password;
    e->ca_file = (char *)o->ca_file;
    e->cert_file = (char *)o->cert_file;
    e->key_file = (char *)o->key_file;
    e->insecure_skip_tls_verify = o->insecure_skip_tls_verify;
    e->pass_credentials_all = o->pass_credentials;
}

static FILE *out_of(const capstan_chart_opts *o)
{
    return CHART_OPT(o, out);
}

/* ---- repo add ------------------------------------------------------------------ */

static int add_locked(repo_file *f, const repo_entry *e, bool force, const char *cfg, const char *cache,
                      FILE *out, cap_err *err)
{
    if (strchr(e->name, '/'))
        return cap_err_set(err, "repository name (%s) contains '/', please specify a different name without '/'",
                           e->name);
    const repo_entry *old = repo_file_get(f, e->name);
    if (!force && old) {
        if (!repo_entry_equal(old, e))
            return cap_err_set(err, "repository name (%s) already exists, please specify a different name", e->name);
        if (out)
            fprintf(out, "\"%s\" already exists with the same configuration, skipping\n", e->name);
        return 0;
    }
    if (repo_update_index(e, cache, err) < 0) {
        char *m = cap_err_format(err);
        cap_err_clear(err);
        cap_err_set(err, "looks like \"%s\" is not a valid chart repository or cannot be reached: %s", e->url, m);
        free(m);
        return -1;
    }
    repo_file_put(f, e);
    if (repo_file_save(f, cfg, err) < 0)
        return -1;
    if (out)
        fprintf(out, "\"%s\" has been added to your repositories\n", e->name);
    return 0;
}

int capstan_repo_add(const char *name, const char *url, bool force_update, const capstan_chart_opts *opts,
                     capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    repo_entry e;
    chart_opts_repo_entry(opts, &e);
    e.name = (char *)name;
    e.url = (char *)url;
    cap_err err = CAP_ERR_INIT;
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    int rc = -1;
    int lock = repo_lock(cfg, &err);
    repo_file f;
    if (lock >= 0) {
        if (repo_file_load(cfg, &f, NULL, &err) == 0) {
            rc = add_locked(&f, &e, force_update, cfg, cache, out_of(opts), &err);
            repo_file_free(&f);
        }
        repo_unlock(lock);
    }
    free(cfg);
    free(cache);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

/* ---- repo list ------------------------------------------------------------------ */

static char *list_text(const repo_file *f, const char *format)
{
    arena *ar = arena_new();
    cval *list = cv_list_new(ar, f->n);
    for (size_t i = 0; i < f->n; i++) {
        cval *m = cv_map_new(ar);
        cv_map_set(m, "name", cv_cstring(ar, f->repos[i].name));
        cv_map_set(m, "url", cv_cstring(ar, f->repos[i].url));
        cv_list_push(list, m);
    }
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    if (strcmp(format, "json") == 0) {
        json_emit(&out, list, 0, &err);
        sb_addc(&out, '\n');
    } else {
        yaml_emit(&out, list, &err);
    }
    cap_err_clear(&err);
    arena_free(ar);
    return sb_detach(&out, NULL);
}

int capstan_repo_list_get(const char *format, const capstan_chart_opts *opts, capstan_repo_list **out,
                          capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    (void)opts;
    cap_err err = CAP_ERR_INIT;
    bool table = !format || strcmp(format, "table") == 0;
    if (!table && strcmp(format, "json") != 0 && strcmp(format, "yaml") != 0) {
        cap_err_set(&err, "invalid format type \"%s\": use table, json or yaml", format);
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    }
    char *cfg = repo_config_path();
    repo_file f;
    if (repo_file_load(cfg, &f, NULL, &err) < 0) { /* helm ignores a bad file: no repositories */
        cap_err_clear(&err);
        memset(&f, 0, sizeof f);
    }
    free(cfg);
    capstan_repo_list *l = xcalloc(1, sizeof *l);
    l->n = f.n;
    l->names = xcalloc(f.n + 1, sizeof *l->names);
    l->urls = xcalloc(f.n + 1, sizeof *l->urls);
    for (size_t i = 0; i < f.n; i++) {
        l->names[i] = xstrdup(f.repos[i].name);
        l->urls[i] = xstrdup(f.repos[i].url ? f.repos[i].url : "");
    }
    if (!table)
        l->text = list_text(&f, format);
    repo_file_free(&f);
    *out = l;
    return 0;
}

void capstan_repo_list_free(capstan_repo_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->names[i]);
        free(l->urls[i]);
    }
    free(l->names);
    free(l->urls);
    free(l->text);
    free(l);
}

/* ---- repo remove ---------------------------------------------------------------- */

static int remove_one(repo_file *f, const char *name, const char *cfg, const char *cache, FILE *out, cap_err *err)
{
    if (!repo_file_remove(f, name))
        return cap_err_set(err, "no repo named \"%s\" found", name);
    if (repo_file_save(f, cfg, err) < 0)
        return -1;
    char *p = repo_cache_charts_path(cache, name);
    unlink(p);
    free(p);
    p = repo_cache_index_path(cache, name);
    int rc = 0;
    if (unlink(p) != 0 && errno != ENOENT)
        rc = cap_err_set(err, "can't remove index file %s: %s", p, strerror(errno));
    free(p);
    if (rc == 0 && out)
        fprintf(out, "\"%s\" has been removed from your repositories\n", name);
    return rc;
}

int capstan_repo_remove(const char *const *names, size_t n, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    cap_err err = CAP_ERR_INIT;
    int rc = -1;
    int lock = repo_lock(cfg, &err);
    if (lock >= 0) {
        repo_file f;
        if (repo_file_load(cfg, &f, NULL, &err) < 0 || f.n == 0) {
            cap_err_clear(&err);
            cap_err_set(&err, "no repositories configured");
        } else {
            rc = 0;
        }
        for (size_t i = 0; rc == 0 && i < n; i++)
            rc = remove_one(&f, names[i], cfg, cache, out_of(opts), &err);
        repo_file_free(&f);
        repo_unlock(lock);
    }
    free(cfg);
    free(cache);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

/* ---- repo update ---------------------------------------------------------------- */

static int update_wanted(const repo_file *f, const char *const *names, size_t n, const char *cache, FILE *out,
                         cap_err *err)
{
    if (out)
        fprintf(out, "Hang tight while we grab the latest from your chart repositories...\n");
    const repo_entry **want = xcalloc(f->n + 1, sizeof *want);
    size_t nwant = 0;
    for (size_t r = 0; r < f->n; r++) {
        bool wanted = n == 0;
        for (size_t i = 0; i < n && !wanted; i++)
            wanted = strcmp(names[i], f->repos[r].name) == 0;
        if (wanted)
            want[nwant++] = &f->repos[r];
    }
    cap_err *errs = xcalloc(nwant + 1, sizeof *errs);
    repo_update_indexes(want, nwant, cache, errs);
    strbuf failed = STRBUF_INIT;
    for (size_t r = 0; r < nwant; r++) {
        if (errs[r].msg) {
            char *m = cap_err_format(&errs[r]);
            if (out)
                fprintf(out, "...Unable to get an update from the \"%s\" chart repository (%s):\n\t%s\n",
                        want[r]->name, want[r]->url, m);
            free(m);
            cap_err_clear(&errs[r]);
            sb_addf(&failed, "%s%s", failed.len ? " " : "", want[r]->url);
        } else if (out) {
            fprintf(out, "...Successfully got an update from the \"%s\" chart repository\n", want[r]->name);
        }
    }
    free(errs);
    free(want);
    int rc = 0;
    if (failed.len)
        rc = cap_err_set(err, "failed to update the following repositories: [%s]", failed.buf);
    else if (out)
        fprintf(out, "Update Complete. \xe2\x8e\x88Happy Helming!\xe2\x8e\x88\n");
    sb_release(&failed);
    return rc;
}

int capstan_repo_update(const char *const *names, size_t n, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    cap_err err = CAP_ERR_INIT;
    repo_file f;
    int rc = 0;
    if (repo_file_load(cfg, &f, NULL, &err) < 0) {
        char *m = cap_err_format(&err);
        cap_err_clear(&err);
        cap_err_set(&err, "failed loading file: %s: %s", cfg, m);
        free(m);
        free(cfg);
        free(cache);
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    }
    if (f.n == 0)
        rc = cap_err_set(&err, "no repositories found. You must add one before updating");
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!repo_file_get(&f, names[i]))
            rc = cap_err_set(&err, "no repositories found matching '%s'.  Nothing will be updated", names[i]);
    if (rc == 0)
        rc = update_wanted(&f, names, n, cache, out_of(opts), &err);
    repo_file_free(&f);
    free(cfg);
    free(cache);
    return rc == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}
