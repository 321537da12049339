/* status_resources.c — see status_resources.h. */
#include "installer/release/status_resources.h"
#include "core/value.h"
#include "installer/release/diagnose.h"
#include "core/json.h"
#include "installer/kube/kube_http.h"
#include "installer/release/ready.h"
#include "installer/release/release_build.h"

#include <stdio.h>
#include <string.h>

#define AS_TABLE "application/json;as=Table;v=v1;g=meta.k8s.io"
#define TAB_MINWIDTH 6  /* kubectl's tab writer: minimum cell width, padding */
#define TAB_PADDING 3

static size_t len_of(const cval *l) { return l && l->kind == CV_LIST ? cv_list_len(l) : 0; }

typedef struct group {
    const char *key;        /* "v1/Deployment", "v1/Pod(related)" */
    strbuf text;
} group;

typedef struct printer {
    group *groups;
    size_t ngroups;
    const char *last_columns; /* the column names of the last table printed */
    const char **selectors;   /* related-pod selectors already printed */
    size_t nselectors;
} printer;

static group *group_of(arena *a, printer *p, const char *key)
{
    for (size_t i = 0; i < p->ngroups; i++)
        if (strcmp(p->groups[i].key, key) == 0)
            return &p->groups[i];
    group *g = &p->groups[p->ngroups++];
    g->key = arena_strdup(a, key);
    sb_init(&g->text);
    return g;
}

/* A cell as kubectl prints it: strings as they are, whole numbers without a fraction. */
static const char *cell_text(arena *a, const cval *c)
{
    if (!c || c->kind == CV_NIL)
        return "<none>";
    switch (c->kind) {
    case CV_STRING: return c->u.str.s;
    case CV_INT: return arena_printf(a, "%lld", (long long)c->u.i);
    case CV_FLOAT:
        if (c->u.f == (double)(long long)c->u.f)
            return arena_printf(a, "%lld", (long long)c->u.f);
        return arena_printf(a, "%g", c->u.f);
    case CV_BOOL: return c->u.b ? "true" : "false";
    default: return "";
    }
}

/* Print a server table as kubectl's printer: priority-0 columns, upper-case
 * headers (unless the same columns were just printed), cells padded to the
 * column's widest plus 3, at least 6, the last column unpadded. */
static void print_table(arena *a, printer *p, const cval *table, strbuf *out)
{
    const cval *defs = cv_get(table, "columnDefinitions"), *rows = cv_get(table, "rows");
    size_t nd = len_of(defs), nr = len_of(rows);
    size_t *keep = arena_zalloc(a, (nd + 1) * sizeof *keep);
    size_t nk = 0;
    strbuf names = STRBUF_INIT;
    for (size_t i = 0; i < nd; i++) {
        const cval *d = cv_list_get(defs, i), *pr = cv_get(d, "priority");
        if (pr && ((pr->kind == CV_FLOAT && pr->u.f != 0) || (pr->kind == CV_INT && pr->u.i != 0)))
            continue;
        keep[nk++] = i;
        sb_addf(&names, "%s\t%s\n", cv_str(cv_get(d, "name")) ? cv_str(cv_get(d, "name")) : "",
                cv_str(cv_get(d, "type")) ? cv_str(cv_get(d, "type")) : "");
    }
    bool header = nk && (!p->last_columns || strcmp(p->last_columns, sb_str(&names)) != 0);
    p->last_columns = arena_strdup(a, sb_str(&names));
    sb_release(&names);
    size_t nlines = nr + (header ? 1 : 0);
    const char ***cells = arena_zalloc(a, (nlines + 1) * sizeof *cells);
    size_t *width = arena_zalloc(a, (nk + 1) * sizeof *width);
    for (size_t l = 0; l < nlines; l++) {
        cells[l] = arena_zalloc(a, (nk + 1) * sizeof **cells);
        const cval *rc = header && l == 0 ? NULL : cv_get(cv_list_get(rows, l - (header ? 1 : 0)), "cells");
        for (size_t k = 0; k < nk; k++) {
            const char *t;
            if (header && l == 0) {
                char *u = arena_strdup(a, cv_str(cv_get(cv_list_get(defs, keep[k]), "name")) ?: "");
                for (char *c = u; *c; c++)
                    if (*c >= 'a' && *c <= 'z')
                        *c = (char)(*c - 'a' + 'A');
                t = u;
            } else
                t = keep[k] < len_of(rc) ? cell_text(a, cv_list_get(rc, keep[k])) : "";
            cells[l][k] = t;
            if (strlen(t) > width[k])
                width[k] = strlen(t);
        }
    }
    for (size_t l = 0; l < nlines; l++) {
        for (size_t k = 0; k < nk; k++) {
            if (k + 1 == nk) {
                sb_adds(out, cells[l][k]);
                break;
            }
            size_t w = width[k] + TAB_PADDING < TAB_MINWIDTH ? TAB_MINWIDTH : width[k] + TAB_PADDING;
            sb_adds(out, cells[l][k]);
            sb_addrep(out, ' ', w - strlen(cells[l][k]));
        }
        sb_addc(out, '\n');
    }
}

static int get_table(kube_api *api, arena *a, const char *path, cval **out, cap_err *err)
{
    kube_response r;
    *out = NULL;
    if (kube_request_get_as(kube_api_client(api), path, AS_TABLE, &r, err) < 0)
        return -1;
    int rc = 0;
    if (r.status == 200)
        rc = json_parse(a, sb_str(&r.body), r.body.len, path, out, err);
    else if (r.status != 404) {
        kube_api_error(err, &r, path);
        rc = -1;
    }
    kube_response_release(&r);
    return rc;
}

/* k=v,... of a workload's matchLabels (a Job's too), or NULL. */
static const char *selector_of(arena *a, const cval *obj)
{
    const char *kind = cv_str(cv_get(obj, "kind"));
    static const char *const workloads[] = {"Deployment", "ReplicaSet", "StatefulSet", "DaemonSet", "Job",
                                            "ReplicationController", NULL};
    bool w = false;
    for (const char *const *k = workloads; kind && *k; k++)
        w |= strcmp(*k, kind) == 0;
    const cval *ml = cv_get(cv_get(cv_get(obj, "spec"), "selector"), "matchLabels");
    if (kind && strcmp(kind, "ReplicationController") == 0)
        ml = cv_get(cv_get(obj, "spec"), "selector");
    if (!w || !ml || ml->kind != CV_MAP)
        return NULL;
    size_t n;
    const cv_entry *e = cv_map_sorted(ml, &n);
    if (!n)
        return NULL;
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, "%s%s=%s", i ? "," : "", e[i].key, cv_str(e[i].val) ? cv_str(e[i].val) : "");
    char *s = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return s;
}

static void related_pods(kube_api *api, arena *a, printer *p, const kube_resource *pods, const char *ns,
                         const char *sel)
{
    for (size_t i = 0; i < p->nselectors; i++)
        if (strcmp(p->selectors[i], sel) == 0)
            return;
    p->selectors[p->nselectors++] = sel;
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s?labelSelector=", kube_api_path(a, pods, ns, NULL));
    for (const char *c = sel; *c; c++) /* '=' and ',' escaped for the query */
        if (*c == '=')
            sb_adds(&path, "%3D");
        else if (*c == ',')
            sb_adds(&path, "%2C");
        else if (*c == '/')
            sb_adds(&path, "%2F");
        else
            sb_addc(&path, *c);
    cval *table;
    cap_err e = CAP_ERR_INIT;
    if (get_table(api, a, sb_str(&path), &table, &e) == 0 && table && len_of(cv_get(table, "rows")))
        print_table(a, p, table, &group_of(a, p, "v1/Pod(related)")->text);
    cap_err_clear(&e); /* helm logs a warning and goes on */
    sb_release(&path);
}

int status_resources(kube_api *api, arena *a, const char *manifest, const char *ns, long log_lines,
                     strbuf *resources, strbuf *not_ready, cap_err *err)
{
    const char **srcs;
    cval **objs;
    size_t n;
    if (release_manifest_objects(a, manifest ? manifest : "", &srcs, &objs, &n, err) < 0)
        return -1;
    printer p = {0};
    p.groups = arena_zalloc(a, (n + 2) * sizeof *p.groups);
    p.selectors = arena_zalloc(a, (n + 1) * sizeof *p.selectors);
    const kube_resource *pods = NULL;
    if (kube_api_resolve(api, "v1", "Pod", &pods, err) < 0)
        return -1;
    for (size_t i = 0; i < n; i++) {
        const char *apiv = cv_str(cv_get(objs[i], "apiVersion")), *kind = cv_str(cv_get(objs[i], "kind"));
        const char *name = cv_str(cv_get(cv_get(objs[i], "metadata"), "name"));
        if (!apiv || !kind || !name)
            continue;
        const kube_resource *res;
        cap_err e = CAP_ERR_INIT;
        if (kube_api_resolve(api, apiv, kind, &res, &e) < 0) {
            sb_addf(not_ready, "%s/%s: %s\n", kind, name, e.msg ? e.msg : "?");
            cap_err_clear(&e);
            continue;
        }
        const char *ons = cv_str(cv_get(cv_get(objs[i], "metadata"), "namespace"));
        const char *ons2 = res->namespaced ? (ons && *ons ? ons : ns) : NULL;
        cval *live = NULL, *table = NULL;
        if (kube_api_get(api, a, apiv, kind, ons2, name, &live, err) < 0 ||
            get_table(api, a, kube_api_path(a, res, ons2, name), &table, err) < 0)
            return -1;
        if (table)
            print_table(a, &p, table, &group_of(a, &p, arena_printf(a, "%s/%s", res->version, kind))->text);
        const char *sel = live ? selector_of(a, live) : NULL;
        if (sel)
            related_pods(api, a, &p, pods, ons2, sel);
        ready_result r = live ? ready_status(a, live) : (ready_result){READY_IN_PROGRESS, "not found"};
        if (r.state != READY_CURRENT)
            diagnose_object(api, a, apiv, kind, ons2, name, r.message, log_lines, not_ready);
    }
    for (size_t g = 0; g < p.ngroups; g++) {
        sb_addf(resources, "==> %s\n%s\n", p.groups[g].key, sb_str(&p.groups[g].text));
        sb_release(&p.groups[g].text);
    }
    return 0;
}
