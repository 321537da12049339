/* query.c — history, status and list (the read-only part of capstan.h's
 * installer API), as JSON in the shape `helm ... -o json` prints. */
#include "capstan.h"
#include "json.h"
#include "kube_api.h"
#include "cluster.h"
#include "release_store.h"
#include "strbuf.h"
#include "xalloc.h"
#include "yaml.h"

#include <stdlib.h>
#include <string.h>

static cval *field(const cval *m, const char *k) { return m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL; }
static const char *str(const cval *v) { return v && v->kind == CV_STRING ? v->u.str.s : ""; }

/* A table as helm's uitable prints one: columns padded to their widest cell, tab-separated. */
static void table(strbuf *out, const cval *rows, const char *const *cols, const char *const *keys, int ncols)
{
    int width[16] = {0};
    size_t n = cv_list_len(rows);
    for (int c = 0; c < ncols; c++) {
        width[c] = (int)strlen(cols[c]);
        for (size_t r = 0; r < n; r++) {
            cval *v = field(cv_list_get(rows, r), keys[c]);
            int l = v && v->kind == CV_STRING ? (int)v->u.str.len : 20;
            if (l > width[c])
                width[c] = l;
        }
    }
    for (int c = 0; c < ncols; c++)
        sb_addf(out, "%-*s%s", width[c], cols[c], c + 1 < ncols ? "\t" : "\n");
    for (size_t r = 0; r < n; r++)
        for (int c = 0; c < ncols; c++) {
            cval *v = field(cv_list_get(rows, r), keys[c]);
            const char *cell = v && v->kind == CV_STRING ? v->u.str.s : "";
            char num[32];
            if (v && v->kind == CV_INT) {
                snprintf(num, sizeof num, "%lld", (long long)v->u.i);
                cell = num;
            }
            sb_addf(out, "%-*s%s", width[c], cell, c + 1 < ncols ? "\t" : "\n");
        }
}

typedef struct view {
    const char *const *cols, *const *keys;
    int ncols;
} view;

static int finish(cluster *c, int rc, cap_err *e, const cval *out, const char *format, const view *v, char **text,
                  capstan_error *perr)
{
    if (rc == 0) {
        strbuf sb = STRBUF_INIT;
        if (!format || strcmp(format, "table") == 0) {
            if (v)
                table(&sb, out, v->cols, v->keys, v->ncols);
        } else if (strcmp(format, "json") == 0) {
            rc = json_emit(&sb, out, 0, e);
            sb_addc(&sb, '\n');
        } else if (strcmp(format, "yaml") == 0) {
            rc = yaml_emit(&sb, out, e);
        } else {
            rc = cap_err_set(e, "invalid format type \"%s\": use table, json or yaml", format);
        }
        if (rc == 0)
            *text = sb_detach(&sb, NULL);
        sb_release(&sb);
    }
    if (c->a)
        cluster_close(c);
    if (rc < 0 && perr) {
        perr->msg = cap_err_format(e);
        perr->file = NULL;
        perr->line = perr->col = 0;
    }
    cap_err_clear(e);
    return rc;
}

static long label_version(const cval *secret)
{
    return strtol(str(field(field(field(secret, "metadata"), "labels"), "version")), NULL, 10);
}

static cval *summary(arena *a, const release_rec *r, bool list_shape)
{
    cval *m = cv_map_new(a);
    const cval *rel = r->rel, *info = field(rel, "info"), *meta = field(field(rel, "chart"), "metadata");
    if (list_shape) {
        cv_map_set(m, "name", cv_cstring(a, str(field(rel, "name"))));
        cv_map_set(m, "namespace", cv_cstring(a, str(field(rel, "namespace"))));
        cv_map_set(m, "revision", cv_cstring(a, arena_printf(a, "%ld", r->version)));
    } else {
        cv_map_set(m, "revision", cv_int(a, r->version));
    }
    cv_map_set(m, "updated", cv_cstring(a, str(field(info, "last_deployed"))));
    cv_map_set(m, "status", cv_cstring(a, str(field(info, "status"))));
    cv_map_set(m, "chart", cv_cstring(a, arena_printf(a, "%s-%s", str(field(meta, "name")), str(field(meta, "version")))));
    cv_map_set(m, "app_version", cv_cstring(a, str(field(meta, "appVersion"))));
    if (!list_shape)
        cv_map_set(m, "description", cv_cstring(a, str(field(info, "description"))));
    return m;
}

int capstan_history(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                    capstan_error *perr)
{
    cluster c;
    cap_err e = CAP_ERR_INIT;
    cval *out = NULL;
    int rc = -1;
    if (cluster_open(&c, kube, &e) == 0) {
        release_rec *recs;
        size_t n;
        if (release_history(c.api, c.a, c.ns, release, &recs, &n, &e) == 0) {
            if (n == 0) {
                cap_err_set(&e, "release: not found");
            } else {
                out = cv_list_new(c.a, n);
                for (size_t i = 0; i < n; i++)
                    cv_list_push(out, summary(c.a, &recs[i], false));
                rc = 0;
            }
        }
    }
    static const char *const cols[] = {"REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"};
    static const char *const keys[] = {"revision", "updated", "status", "chart", "app_version", "description"};
    view v = {cols, keys, 6};
    return finish(&c, rc, &e, out, format, &v, text, perr);
}

int capstan_status(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                   capstan_error *perr)
{
    cluster c;
    cap_err e = CAP_ERR_INIT;
    cval *out = NULL;
    int rc = -1;
    if (cluster_open(&c, kube, &e) == 0) {
        release_rec *recs;
        size_t n;
        if (release_history(c.api, c.a, c.ns, release, &recs, &n, &e) == 0) {
            if (n == 0) {
                cap_err_set(&e, "release: not found");
            } else {
                out = recs[n - 1].rel;
                rc = 0;
                if (!format || strcmp(format, "table") == 0) {
                    /* helm status's header lines */
                    const cval *info = field(out, "info");
                    strbuf sb = STRBUF_INIT;
                    sb_addf(&sb, "NAME: %s\nLAST DEPLOYED: %s\nNAMESPACE: %s\nSTATUS: %s\nREVISION: %ld\n",
                            str(field(out, "name")), str(field(info, "last_deployed")), str(field(out, "namespace")),
                            str(field(info, "status")), recs[n - 1].version);
                    if (*str(field(info, "description")))
                        sb_addf(&sb, "DESCRIPTION: %s\n", str(field(info, "description")));
                    if (*str(field(info, "notes")))
                        sb_addf(&sb, "NOTES:\n%s", str(field(info, "notes")));
                    *text = sb_detach(&sb, NULL);
                    cluster_close(&c);
                    return 0;
                }
            }
        }
    }
    return finish(&c, rc, &e, out, format, NULL, text, perr);
}

int capstan_list(const capstan_kube_opts *kube, bool all_namespaces, const char *format, char **text,
                 capstan_error *perr)
{
    cluster c;
    cap_err e = CAP_ERR_INIT;
    cval *out = NULL;
    int rc = -1;
    if (cluster_open(&c, kube, &e) == 0) {
        cval *items;
        if (kube_api_list(c.api, c.a, "v1", "Secret", all_namespaces ? NULL : c.ns, "owner=helm", &items,
                          &e) == 0) {
            /* the latest revision of each (namespace, name) */
            cval *latest = cv_map_new(c.a);
            for (size_t i = 0; i < cv_list_len(items); i++) {
                cval *s = cv_list_get(items, i), *labels = field(field(s, "metadata"), "labels");
                const char *key = arena_printf(c.a, "%s/%s", str(field(field(s, "metadata"), "namespace")),
                                               str(field(labels, "name")));
                cval *cur = cv_map_get(latest, key);
                if (!cur || label_version(cur) < label_version(s))
                    cv_map_set(latest, key, s);
            }
            size_t n;
            const cv_entry *en = cv_map_sorted(latest, &n);
            out = cv_list_new(c.a, n);
            rc = 0;
            for (size_t i = 0; i < n && rc == 0; i++) {
                release_rec r = {0};
                if (release_from_secret_rec(c.a, en[i].val, &r, &e) < 0) {
                    rc = -1;
                    break;
                }
                const char *st = str(field(field(r.rel, "info"), "status"));
                if (strcmp(st, "uninstalled") == 0 || strcmp(st, "superseded") == 0)
                    continue; /* helm list shows deployed, failed and pending by default */
                cv_list_push(out, summary(c.a, &r, true));
            }
        }
    }
    static const char *const cols[] = {"NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"};
    static const char *const keys[] = {"name", "namespace", "revision", "updated", "status", "chart", "app_version"};
    view v = {cols, keys, 7};
    return finish(&c, rc, &e, out, format, &v, text, perr);
}
