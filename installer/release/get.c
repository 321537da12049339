/* get.c — capstan_get (capstan.h): `helm get values|manifest|notes|hooks|
 * metadata|all RELEASE` (pkg/cmd/get_*.go, pkg/action/get_values.go,
 * get_metadata.go), from the release records of any driver. */
#include "capstan.h"
#include "core/value.h"
#include "core/opts.h"
#include "installer/release/release_labels.h"
#include "installer/kube/cluster.h"
#include "core/json.h"
#include "installer/release/query.h"
#include "installer/release/get_template.h"
#include "installer/release/release_store.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

static long rel_version(const cval *rel)
{
    const cval *v = cv_get(rel, "version");
    return v && v->kind == CV_FLOAT ? (long)v->u.f : v && v->kind == CV_INT ? (long)v->u.i : 0;
}

/* The record of revision (0: the latest), as releaseContent finds it. */
static int record(cluster *c, const capstan_get_opts *o, const char *release, const cval **rel, const cval **obj,
                  cap_err *e)
{
    release_rec *recs;
    size_t n;
    if (cluster_open(c, o ? o->kube : NULL, e) != 0 || release_history(c->api, c->a, c->ns, release, &recs, &n, e) != 0)
        return -1;
    int revision = o ? o->revision : 0;
    for (size_t i = n; i-- > 0;)
        if (revision <= 0 || recs[i].version == revision) {
            *rel = recs[i].rel;
            *obj = recs[i].secret;
            return 0;
        }
    return cap_err_set(e, "release: not found");
}

static bool is_format(const char *f, const char *want)
{
    return f && strcmp(f, want) == 0;
}

/* EncodeJSON (one line) or EncodeYAML (sigs.k8s.io/yaml) of v */
static int encode(strbuf *sb, const cval *v, const char *format, const jfield *fields, cap_err *e)
{
    if (is_format(format, "json")) {
        int rc = fields && v->kind == CV_MAP ? query_emit_struct(sb, v, fields, e) : json_emit(sb, v, 0, e);
        sb_addc(sb, '\n');
        return rc;
    }
    return yaml_emit(sb, v, e);
}

static int get_values(arena *a, const cval *rel, const capstan_get_opts *o, strbuf *sb, cap_err *e)
{
    cval *vals = cv_get(rel, "config");
    if (!vals || vals->kind != CV_MAP || cv_map_len(vals) == 0)
        vals = NULL;
    if (o && o->all_values && query_computed_values(a, rel, &vals, e) != 0)
        return -1;
    const char *format = o ? o->format : NULL;
    cval nil = {.kind = CV_NIL};
    if (!format || is_format(format, "table"))
        sb_adds(sb, o && o->all_values ? "COMPUTED VALUES:\n" : "USER-SUPPLIED VALUES:\n");
    return encode(sb, vals ? vals : &nil, format, NULL, e);
}

static void get_hooks(const cval *rel, strbuf *sb)
{
    const cval *hooks = cv_get(rel, "hooks");
    for (size_t i = 0; hooks && hooks->kind == CV_LIST && i < cv_list_len(hooks); i++) {
        const cval *h = cv_list_get(hooks, i);
        sb_addf(sb, "---\n# Source: %s\n%s\n", str_or_empty(cv_get(h, "path")), str_or_empty(cv_get(h, "manifest")));
    }
}

/* k8s labels.Set.String(): sorted k=v, comma-separated */
static void label_set(strbuf *sb, const cval *m)
{
    size_t n;
    const cv_entry *en = m && m->kind == CV_MAP ? cv_map_sorted(m, &n) : NULL;
    for (size_t i = 0; en && i < n; i++)
        sb_addf(sb, "%s%s=%s", i ? "," : "", en[i].key, str_or_empty(en[i].val));
}

static int cmp_str(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* time.Format(time.RFC3339) of the stored RFC 3339 time: the fraction dropped */
static const char *rfc3339(arena *a, const char *t)
{
    const char *dot = strchr(t, '.');
    if (!dot)
        return t;
    size_t k = strspn(dot + 1, "0123456789");
    return arena_printf(a, "%.*s%s", (int)(dot - t), t, dot + 1 + k);
}

static const char *apply_method(arena *a, const char *m)
{
    if (!*m)
        return "client-side apply (defaulted)";
    if (strcmp(m, "csa") == 0)
        return "client-side apply";
    if (strcmp(m, "ssa") == 0)
        return "server-side apply";
    return arena_printf(a, "unknown (\"%s\")", m);
}

static const jfield dep_fields[] = {
    {"name", false, NULL},        {"version", true, NULL}, {"repository", false, NULL}, {"condition", true, NULL},
    {"tags", true, NULL},         {"enabled", true, NULL}, {"import-values", true, NULL}, {"alias", true, NULL},
    {NULL, false, NULL},
};
static const jfield metadata_fields[] = {
    {"name", false, NULL},      {"chart", false, NULL},        {"version", false, NULL},
    {"appVersion", false, NULL}, {"annotations", true, NULL},   {"labels", true, NULL},
    {"dependencies", true, dep_fields}, {"namespace", false, NULL}, {"revision", false, NULL},
    {"status", false, NULL},    {"deployedAt", false, NULL},   {"applyMethod", true, NULL},
    {NULL, false, NULL},
};

/* The record's labels, as helm 4 shows them: helm's driver Get filters its own labels
 * out (Query, for the latest revision, does not). */
static cval *record_labels(arena *a, const cval *obj, const capstan_get_opts *o)
{
    cval *labels = cv_get(cv_get(obj, "metadata"), "labels");
    if (!labels || !o || o->revision <= 0)
        return labels;
    static const char *const system[] = {"name", "owner", "status", "version", "createdAt", "modifiedAt"};
    cval *custom = cv_map_new(a);
    size_t n;
    const cv_entry *en = cv_map_sorted(labels, &n);
    for (size_t i = 0; i < n; i++) {
        bool sys = false;
        for (size_t k = 0; k < sizeof system / sizeof *system; k++)
            sys = sys || strcmp(en[i].key, system[k]) == 0;
        if (!sys)
            cv_map_set(custom, en[i].key, en[i].val);
    }
    return custom;
}

static int get_metadata(arena *a, const cval *rel, const cval *obj, const capstan_get_opts *o, strbuf *sb,
                        cap_err *e)
{
    const cval *meta = cv_get(cv_get(rel, "chart"), "metadata"), *info = cv_get(rel, "info");
    const cval *deps = cv_get(meta, "dependencies"), *ann = cv_get(meta, "annotations");
    cval *m = cv_map_new(a), *labels = record_labels(a, obj, o);
    cv_map_set(m, "name", cv_cstring(a, str_or_empty(cv_get(rel, "name"))));
    cv_map_set(m, "chart", cv_cstring(a, str_or_empty(cv_get(meta, "name"))));
    cv_map_set(m, "version", cv_cstring(a, str_or_empty(cv_get(meta, "version"))));
    cv_map_set(m, "appVersion", cv_cstring(a, str_or_empty(cv_get(meta, "appVersion"))));
    if (ann)
        cv_map_set(m, "annotations", (cval *)ann);
    if (labels && o && o->revision > 0) /* helm's driver Get filters its own labels out (Query does not) */
        labels = release_labels_custom(a, labels);
    if (labels)
        cv_map_set(m, "labels", labels);
    if (deps)
        cv_map_set(m, "dependencies", (cval *)deps);
    cv_map_set(m, "namespace", cv_cstring(a, str_or_empty(cv_get(rel, "namespace"))));
    long revision = rel_version(rel);
    cv_map_set(m, "revision", cv_int(a, revision));
    cv_map_set(m, "status", cv_cstring(a, str_or_empty(cv_get(info, "status"))));
    cv_map_set(m, "deployedAt", cv_cstring(a, rfc3339(a, str_or_empty(cv_get(info, "last_deployed")))));
    cv_map_set(m, "applyMethod", cv_cstring(a, str_or_empty(cv_get(rel, "apply_method"))));
    const char *format = o ? o->format : NULL;
    if (format && !is_format(format, "table"))
        return encode(sb, m, format, metadata_fields, e);
    size_t nd = deps && deps->kind == CV_LIST ? cv_list_len(deps) : 0;
    const char **names = arena_zalloc(a, (nd + 1) * sizeof *names);
    for (size_t i = 0; i < nd; i++)
        names[i] = str_or_empty(cv_get(cv_list_get(deps, i), "name"));
    qsort(names, nd, sizeof *names, cmp_str);
    sb_addf(sb, "NAME: %s\nCHART: %s\nVERSION: %s\nAPP_VERSION: %s\nANNOTATIONS: ", str_or_empty(cv_get(m, "name")),
            str_or_empty(cv_get(m, "chart")), str_or_empty(cv_get(m, "version")), str_or_empty(cv_get(m, "appVersion")));
    label_set(sb, ann);
    sb_adds(sb, "\nLABELS: ");
    label_set(sb, labels);
    sb_adds(sb, "\nDEPENDENCIES: ");
    for (size_t i = 0; i < nd; i++)
        sb_addf(sb, "%s%s", i ? "," : "", names[i]);
    sb_addf(sb, "\nNAMESPACE: %s\nREVISION: %ld\nSTATUS: %s\nDEPLOYED_AT: %s\nAPPLY_METHOD: %s\n",
            str_or_empty(cv_get(m, "namespace")), revision, str_or_empty(cv_get(m, "status")), str_or_empty(cv_get(m, "deployedAt")),
            apply_method(a, str_or_empty(cv_get(rel, "apply_method"))));
    return 0;
}

int capstan_get(const char *release, const char *what, const capstan_get_opts *opts, char **text,
                capstan_error *perr)
{
    OPTS_IN(capstan_get_opts, opts, perr);
    cluster c;
    memset(&c, 0, sizeof c);
    cap_err e = CAP_ERR_INIT;
    strbuf sb = STRBUF_INIT;
    const cval *rel = NULL, *obj = NULL;
    const char *format = opts ? opts->format : NULL;
    int rc = -1;
    if (format && !is_format(format, "table") && !is_format(format, "json") && !is_format(format, "yaml"))
        cap_err_set(&e, "invalid format type \"%s\": use table, json or yaml", format);
    else if (record(&c, opts, release, &rel, &obj, &e) == 0) {
        rc = 0;
        if (strcmp(what, "values") == 0)
            rc = get_values(c.a, rel, opts, &sb, &e);
        else if (strcmp(what, "manifest") == 0)
            sb_addf(&sb, "%s\n", str_or_empty(cv_get(rel, "manifest")));
        else if (strcmp(what, "notes") == 0) {
            const char *notes = str_or_empty(cv_get(cv_get(rel, "info"), "notes"));
            if (*notes)
                sb_addf(&sb, "NOTES:\n%s\n", notes);
        } else if (strcmp(what, "hooks") == 0)
            get_hooks(rel, &sb);
        else if (strcmp(what, "metadata") == 0)
            rc = get_metadata(c.a, rel, obj, opts, &sb, &e);
        else if (strcmp(what, "all") == 0 && opts->template_ && *opts->template_)
            rc = get_all_template(c.a, rel, record_labels(c.a, obj, opts), opts->template_, &sb, &e);
        else if (strcmp(what, "all") == 0) {
            char *t = query_status_text(c.a, rel, rel_version(rel), true, false, NULL, NULL, &e);
            if (t)
                sb_adds(&sb, t);
            free(t);
            rc = t ? 0 : -1;
        }
        else
            rc = cap_err_set(&e, "unknown command \"%s\" for \"capstan get\"", what);
    }
    if (c.a)
        cluster_close(&c);
    if (rc != 0) {
        /* a --template error: what Go wrote before it is printed too */
        *text = sb.len ? sb_detach(&sb, NULL) : NULL;
        sb_release(&sb);
        return cap_err_publish(perr, &e, CAPSTAN_ECLUSTER);
    }
    *text = sb_detach(&sb, NULL);
    return 0;
}
