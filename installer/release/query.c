/* query.c — history, status and list (the read-only part of capstan.h's
 * installer API), as JSON in the shape `helm ... -o json` prints. */
#include "capstan.h"
#include "core/value.h"
#include "core/json.h"
#include "installer/kube/kube_api.h"
#include "installer/kube/cluster.h"
#include "installer/release/release_store.h"
#include "core/strbuf.h"
#include "core/xalloc.h"
#include "core/yaml.h"
#include "renderer/funcs/fn_dates.h"
#include "installer/release/query.h"
#include "core/opts.h"
#include "renderer/chart/chart.h"
#include "renderer/chart/values.h"
#include "installer/release/status_resources.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static const char *str_or_empty(const cval *v)
{
    const char *s = cv_str(v);
    return s ? s : "";
}

/* ---- times as helm prints them ------------------------------------------------------ */

/* A release time (RFC 3339 as helm's records hold it) as Go shows the
 * time.Time it unmarshals to: in UTC when it ends in Z, else in Local. layout
 * NULL: Time.String(), else Time.Format(layout). Unparsable: as it is. */
static const char *show_time(arena *a, const char *s, const char *layout)
{
    int y, mo, d, h, mi, sec, n = 0;
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2d%n", &y, &mo, &d, &h, &mi, &sec, &n) != 6)
        return s;
    const char *p = s + n;
    long nsec = 0;
    if (*p == '.') {
        long scale = 100000000;
        for (p++; *p >= '0' && *p <= '9'; p++, scale /= 10)
            if (scale > 0)
                nsec += (*p - '0') * scale;
    }
    long off = 0;
    bool utc = *p == 'Z';
    if (!utc) {
        int oh, om;
        if ((*p != '+' && *p != '-') || sscanf(p + 1, "%2d:%2d", &oh, &om) != 2)
            return s;
        off = (oh * 3600L + om * 60L) * (*p == '-' ? -1 : 1);
    }
    struct tm tm = {0};
    tm.tm_year = y - 1900;
    tm.tm_mon = mo - 1;
    tm.tm_mday = d;
    tm.tm_hour = h;
    tm.tm_min = mi;
    tm.tm_sec = sec;
    int64_t unix = (int64_t)timegm(&tm) - off;
    cval *t = fn_time_new(a, unix, (int32_t)nsec, utc ? "UTC" : "Local");
    strbuf sb = STRBUF_INIT;
    if (layout)
        fn_time_format(&sb, t->u.obj.self, layout, strlen(layout));
    else
        fn_time_string(&sb, t->u.obj.self);
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

#define ANSIC "Mon Jan _2 15:04:05 2006"

/* ---- output --------------------------------------------------------------------------- */

/* A Go struct's fields in declaration order, as encoding/json writes them
 * (sub: the fields of a nested struct, or of each element of a list of them). */
static int emit_struct(strbuf *out, const cval *m, const jfield *fields, cap_err *e);

/* A table as helm's uitable prints one: columns padded to their widest cell, tab-separated. */
void query_table(strbuf *out, const cval *rows, const char *const *cols, const char *const *keys, int ncols,
                 bool headers)
{
    int width[16] = {0};
    size_t n = cv_list_len(rows);
    for (int c = 0; c < ncols; c++) {
        width[c] = headers ? (int)strlen(cols[c]) : 0;
        for (size_t r = 0; r < n; r++) {
            cval *v = cv_get(cv_list_get(rows, r), keys[c]);
            char num[32];
            int l = v && v->kind == CV_STRING ? (int)v->u.str.len
                    : v && v->kind == CV_INT  ? snprintf(num, sizeof num, "%lld", (long long)v->u.i)
                                              : 0;
            if (l > width[c])
                width[c] = l;
        }
    }
    for (int c = 0; headers && c < ncols; c++)
        sb_addf(out, "%-*s%s", width[c], cols[c], c + 1 < ncols ? "\t" : "\n");
    for (size_t r = 0; r < n; r++)
        for (int c = 0; c < ncols; c++) {
            cval *v = cv_get(cv_list_get(rows, r), keys[c]);
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
    const jfield *json_fields; /* struct order for -o json */
    bool no_headers;           /* list --no-headers */
} view;

static bool empty(const cval *v)
{
    return v->kind == CV_NIL || (v->kind == CV_STRING && v->u.str.len == 0) ||
           (v->kind == CV_MAP && cv_map_len(v) == 0) || (v->kind == CV_LIST && cv_list_len(v) == 0) ||
           (v->kind == CV_INT && v->u.i == 0);
}

static int emit_value(strbuf *out, const cval *v, const jfield *sub, cap_err *e)
{
    if (sub && v->kind == CV_MAP)
        return emit_struct(out, v, sub, e);
    if (sub && v->kind == CV_LIST) {
        sb_addc(out, '[');
        for (size_t i = 0; i < cv_list_len(v); i++) {
            if (i)
                sb_addc(out, ',');
            if (emit_value(out, cv_list_get(v, i), sub, e) != 0)
                return -1;
        }
        sb_addc(out, ']');
        return 0;
    }
    return json_emit(out, v, 0, e);
}

static int emit_struct(strbuf *out, const cval *m, const jfield *fields, cap_err *e)
{
    sb_addc(out, '{');
    bool first = true;
    for (const jfield *f = fields; f->name; f++) {
        const cval *v = cv_map_get(m, f->name);
        if (!v || (f->omitempty && empty(v)))
            continue;
        if (!first)
            sb_addc(out, ',');
        first = false;
        json_emit_string(out, f->name, strlen(f->name), 0);
        sb_addc(out, ':');
        if (emit_value(out, v, f->sub, e) != 0)
            return -1;
    }
    sb_addc(out, '}');
    return 0;
}

static int finish(cluster *c, int rc, cap_err *e, const cval *out, const char *format, const view *v, char **text,
                  capstan_error *perr)
{
    if (rc == 0) {
        strbuf sb = STRBUF_INIT;
        if (!format || strcmp(format, "table") == 0) {
            if (v && v->cols)
                query_table(&sb, out, v->cols, v->keys, v->ncols, !v->no_headers);
        } else if (strcmp(format, "json") == 0) {
            rc = emit_value(&sb, out, v ? v->json_fields : NULL, e);
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
    if (rc < 0)
        return cap_err_publish(perr, e, CAPSTAN_ECLUSTER);
    cap_err_clear(e);
    return rc;
}

/* helm list shows Time.String(); history's JSON keeps RFC 3339 and its table ANSIC. */
static cval *summary(arena *a, const release_rec *r, bool list_shape)
{
    cval *m = cv_map_new(a);
    const cval *rel = r->rel, *info = cv_get(rel, "info"), *meta = cv_get(cv_get(rel, "chart"), "metadata");
    if (list_shape) {
        cv_map_set(m, "name", cv_cstring(a, str_or_empty(cv_get(rel, "name"))));
        cv_map_set(m, "namespace", cv_cstring(a, str_or_empty(cv_get(rel, "namespace"))));
        cv_map_set(m, "revision", cv_cstring(a, arena_printf(a, "%ld", r->version)));
    } else {
        cv_map_set(m, "revision", cv_int(a, r->version));
    }
    const char *updated = str_or_empty(cv_get(info, "last_deployed"));
    cv_map_set(m, "updated", cv_cstring(a, list_shape ? show_time(a, updated, NULL) : updated));
    cv_map_set(m, "status", cv_cstring(a, str_or_empty(cv_get(info, "status"))));
    cv_map_set(m, "chart", cv_cstring(a, arena_printf(a, "%s-%s", str_or_empty(cv_get(meta, "name")), str_or_empty(cv_get(meta, "version")))));
    cv_map_set(m, "app_version", cv_cstring(a, str_or_empty(cv_get(meta, "appVersion"))));
    if (!list_shape)
        cv_map_set(m, "description", cv_cstring(a, str_or_empty(cv_get(info, "description"))));
    return m;
}

/* Open the cluster and read the release's records (oldest first); "release:
 * not found" when there are none. 0, or -1 with e set (c is open either way
 * when cluster_open succeeded: finish() closes it). */
static int open_history(cluster *c, const capstan_kube_opts *kube, const char *release, release_rec **recs,
                        size_t *n, cap_err *e)
{
    if (cluster_open(c, kube, e) != 0 || release_history(c->api, c->a, c->ns, release, recs, n, e) != 0)
        return -1;
    if (*n == 0)
        return cap_err_coded(e, CAPSTAN_ENOTFOUND, "release: not found");
    return 0;
}

int capstan_history(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                    capstan_error *perr)
{
    capstan_history_opts o = {.size = sizeof o, .format = format};
    if (kube)
        o.kube = *kube;
    return capstan_history_show(release, &o, text, perr);
}

/* helm history --max N: the newest N revisions (default 256), oldest first. */
int capstan_history_show(const char *release, const capstan_history_opts *o, char **text, capstan_error *perr)
{
    cluster c;
    cap_err e = CAP_ERR_INIT;
    cval *out = NULL;
    int rc = -1;
    release_rec *recs;
    size_t n;
    const char *format = o->format;
    size_t max = o->max > 0 ? (size_t)o->max : o->max < 0 ? 0 : 256;
    if (open_history(&c, &o->kube, release, &recs, &n, &e) == 0) {
        size_t first = n > max ? n - max : 0;
        out = cv_list_new(c.a, n - first);
        for (size_t i = first; i < n; i++)
            cv_list_push(out, summary(c.a, &recs[i], false));
        rc = 0;
    }
    static const char *const cols[] = {"REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION", "DESCRIPTION"};
    static const char *const keys[] = {"revision", "updated", "status", "chart", "app_version", "description"};
    static const jfield json_fields[] = {{"revision", 0, 0},    {"updated", 0, 0},     {"status", 0, 0},
                                         {"chart", 0, 0},       {"app_version", 0, 0}, {"description", 0, 0},
                                         {NULL, 0, 0}};
    view v = {cols, keys, 6, json_fields, false};
    if (rc == 0 && (!format || strcmp(format, "table") == 0)) /* the table's UPDATED is ANSIC */
        for (size_t i = 0; i < cv_list_len(out); i++) {
            cval *row = cv_list_get(out, i);
            cv_map_set(row, "updated", cv_cstring(c.a, show_time(c.a, str_or_empty(cv_get(row, "updated")), ANSIC)));
        }
    return finish(&c, rc, &e, out, format, &v, text, perr);
}

int query_computed_values(arena *a, const cval *rel, cval **out, cap_err *e)
{
    chart_meta meta;
    memset(&meta, 0, sizeof meta);
    chart ch;
    memset(&ch, 0, sizeof ch);
    ch.meta = &meta;
    cval *cv = cv_get(cv_get(rel, "chart"), "values"), *config = cv_get(rel, "config");
    ch.values = cv && cv->kind == CV_MAP ? cv : cv_map_new(a);
    return values_coalesce(a, &ch, config && config->kind == CV_MAP ? config : cv_map_new(a), false, out, e);
}

/* get all's debug part: both values, the hooks and the manifest */
static int status_debug(arena *a, const cval *rel, strbuf *sb, cap_err *e)
{
    const cval *config = cv_get(rel, "config");
    cval nil = {.kind = CV_NIL}, *computed;
    sb_adds(sb, "USER-SUPPLIED VALUES:\n");
    if (yaml_emit(sb, config && config->kind == CV_MAP && cv_map_len(config) ? config : &nil, e) != 0 ||
        query_computed_values(a, rel, &computed, e) != 0)
        return -1;
    sb_adds(sb, "\nCOMPUTED VALUES:\n");
    if (yaml_emit(sb, computed, e) != 0)
        return -1;
    sb_adds(sb, "\nHOOKS:\n");
    const cval *hooks = cv_get(rel, "hooks");
    for (size_t i = 0; hooks && hooks->kind == CV_LIST && i < cv_list_len(hooks); i++) {
        const cval *h = cv_list_get(hooks, i);
        sb_addf(sb, "---\n# Source: %s\n%s\n", str_or_empty(cv_get(h, "path")), str_or_empty(cv_get(h, "manifest")));
    }
    sb_addf(sb, "MANIFEST:\n%s\n", str_or_empty(cv_get(rel, "manifest")));
    return 0;
}

/* helm status's text: header lines, helm 4's live RESOURCES (as kubectl
 * tables) and capstan's NOT READY (what is not ready, and why) when given
 * (NULL or ""), the test suite, the notes; with all (get all: showMetadata and
 * debug) the chart's lines, values, hooks and manifest. NULL with e set when
 * the values cannot be computed. */
char *query_status_text(arena *a, const cval *rel, long version, bool all, bool hide_notes, const char *resources,
                        const char *not_ready, cap_err *e)
{
    const cval *info = cv_get(rel, "info");
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "NAME: %s\n", str_or_empty(cv_get(rel, "name")));
    if (*str_or_empty(cv_get(info, "last_deployed")))
        sb_addf(&sb, "LAST DEPLOYED: %s\n", show_time(a, str_or_empty(cv_get(info, "last_deployed")), ANSIC));
    sb_addf(&sb, "NAMESPACE: %s\nSTATUS: %s\nREVISION: %ld\n", str_or_empty(cv_get(rel, "namespace")),
            str_or_empty(cv_get(info, "status")), version);
    const cval *meta = cv_get(cv_get(rel, "chart"), "metadata");
    if (all)
        sb_addf(&sb, "CHART: %s\nVERSION: %s\nAPP_VERSION: %s\n", str_or_empty(cv_get(meta, "name")),
                str_or_empty(cv_get(meta, "version")), str_or_empty(cv_get(meta, "appVersion")));
    sb_addf(&sb, "DESCRIPTION: %s\n", str_or_empty(cv_get(info, "description")));
    if (resources && *resources)
        sb_addf(&sb, "RESOURCES:\n%s\n", resources);
    if (not_ready && *not_ready)
        sb_addf(&sb, "NOT READY:\n%s\n", not_ready);
    const cval *hooks = cv_get(rel, "hooks");
    bool any_test = false;
    for (size_t i = 0; hooks && hooks->kind == CV_LIST && i < cv_list_len(hooks); i++) {
        const cval *h = cv_list_get(hooks, i), *ev = cv_get(h, "events");
        bool test = false;
        for (size_t k = 0; ev && ev->kind == CV_LIST && k < cv_list_len(ev); k++)
            if (strcmp(str_or_empty(cv_list_get(ev, k)), "test") == 0)
                test = true;
        if (!test)
            continue;
        any_test = true;
        const cval *lr = cv_get(h, "last_run");
        if (!*str_or_empty(cv_get(lr, "started_at")))
            continue; /* never run */
        sb_addf(&sb, "TEST SUITE:     %s\nLast Started:   %s\nLast Completed: %s\nPhase:          %s\n",
                str_or_empty(cv_get(h, "name")), show_time(a, str_or_empty(cv_get(lr, "started_at")), ANSIC),
                show_time(a, str_or_empty(cv_get(lr, "completed_at")), ANSIC), str_or_empty(cv_get(lr, "phase")));
    }
    if (!any_test)
        sb_adds(&sb, "TEST SUITE: None\n");
    if (all && status_debug(a, rel, &sb, e) != 0) {
        sb_release(&sb);
        return NULL;
    }
    const char *notes = str_or_empty(cv_get(info, "notes"));
    size_t b = 0, n = strlen(notes);
    while (b < n && strchr(" \t\r\n\v\f", notes[b]))
        b++;
    while (n > b && strchr(" \t\r\n\v\f", notes[n - 1]))
        n--;
    if (n > b && !hide_notes)
        sb_addf(&sb, "NOTES:\n%.*s\n", (int)(n - b), notes + b);
    return sb_detach(&sb, NULL);
}

/* helm status -o json|yaml: release.Release's field order (YAML sorts, as sigs.k8s.io/yaml). */
static const jfield run_fields[] = {{"started_at", 1, 0}, {"completed_at", 1, 0}, {"phase", 0, 0}, {NULL, 0, 0}};
static const jfield hook_fields[] = {
    {"name", 1, 0},   {"kind", 1, 0},   {"path", 1, 0},           {"manifest", 1, 0},
    {"events", 1, 0}, {"last_run", 0, run_fields}, {"weight", 1, 0}, {"delete_policies", 1, 0},
    {"output_log_policies", 1, 0}, {NULL, 0, 0}};
static const jfield info_fields[] = {
    {"first_deployed", 1, 0}, {"last_deployed", 1, 0}, {"deleted", 1, 0}, {"description", 1, 0},
    {"status", 1, 0},         {"notes", 1, 0},         {NULL, 0, 0}};
static const jfield rel_fields[] = {
    {"name", 1, 0},     {"info", 1, info_fields}, {"config", 1, 0}, {"manifest", 1, 0},
    {"hooks", 1, hook_fields}, {"version", 1, 0}, {"namespace", 1, 0}, {"labels", 1, 0},
    {"apply_method", 1, 0}, {NULL, 0, 0}};

int capstan_status(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                   capstan_error *perr)
{
    capstan_status_opts o = {.size = sizeof o, .format = format};
    if (kube)
        o.kube = *kube;
    return capstan_status_run(release, &o, text, perr);
}

int capstan_list(const capstan_kube_opts *kube, bool all_namespaces, const char *format, char **text,
                 capstan_error *perr)
{
    capstan_list_opts o = {.size = sizeof o, .format = format, .all_namespaces = all_namespaces};
    if (kube)
        o.kube = *kube;
    return capstan_list_show(&o, text, perr);
}

/* ---- helm's flags: status --revision/--hide-notes, history --max, list's filters ---- */

int capstan_status_run(const char *release, const capstan_status_opts *o, char **text, capstan_error *perr)
{
    OPTS_IN(capstan_status_opts, o, perr);
    cluster c;
    cap_err e = CAP_ERR_INIT;
    release_rec *recs;
    size_t n;
    if (open_history(&c, &o->kube, release, &recs, &n, &e) != 0)
        return finish(&c, -1, &e, NULL, o->format, NULL, text, perr);
    const release_rec *rec = &recs[n - 1];
    if (o->revision > 0) {
        rec = NULL;
        for (size_t i = 0; i < n; i++)
            if (recs[i].version == o->revision)
                rec = &recs[i];
        if (!rec) {
            cap_err_coded(&e, CAPSTAN_ENOTFOUND, "release: not found");
            return finish(&c, -1, &e, NULL, o->format, NULL, text, perr);
        }
    }
    if (!o->format || strcmp(o->format, "table") == 0) {
        strbuf res = STRBUF_INIT, nr = STRBUF_INIT;
        int rc = o->no_resources ? 0
                                 : status_resources(c.api, c.a, str_or_empty(cv_get(rec->rel, "manifest")),
                                                    str_or_empty(cv_get(rec->rel, "namespace")),
                                                    o->log_lines ? o->log_lines : CAPSTAN_DEFAULT_LOG_LINES, &res, &nr, &e);
        if (rc == 0)
            *text = query_status_text(c.a, rec->rel, rec->version, false, o->hide_notes, sb_str(&res), sb_str(&nr),
                                      &e);
        sb_release(&res);
        sb_release(&nr);
        if (rc < 0)
            return finish(&c, -1, &e, NULL, o->format, NULL, text, perr);
        cluster_close(&c);
        return 0;
    }
    /* helm status drops the chart; install and upgrade -o json print the whole release */
    cval *shown = rec->rel;
    cv_map_delete(shown, "labels"); /* on the record's object only (helm's json:"-"; release_labels.h) */
    if (!o->with_chart) {
        shown = cv_map_new(c.a);
        size_t ne;
        const cv_entry *en = cv_map_sorted(rec->rel, &ne);
        for (size_t i = 0; i < ne; i++)
            if (strcmp(en[i].key, "chart") != 0)
                cv_map_set(shown, en[i].key, en[i].val);
    }
    static const view status_view = {NULL, NULL, 0, rel_fields, false};
    return finish(&c, 0, &e, shown, o->format, o->with_chart ? NULL : &status_view, text, perr);
}

/* ---- helm list ---------------------------------------------------------------------- */

static bool status_wanted(const capstan_list_opts *o, const char *st)
{
    bool any = o->deployed || o->failed || o->pending || o->superseded || o->uninstalled || o->uninstalling;
    if (o->all || !any)
        return true; /* helm 4: no state flag means every state */
    return (o->deployed && strcmp(st, "deployed") == 0) || (o->failed && strcmp(st, "failed") == 0) ||
           (o->pending && strncmp(st, "pending-", 8) == 0) || (o->superseded && strcmp(st, "superseded") == 0) ||
           (o->uninstalled && strcmp(st, "uninstalled") == 0) ||
           (o->uninstalling && strcmp(st, "uninstalling") == 0);
}

/* -l: key=value, key==value, key!=value, key, !key, comma-separated (all must hold). */
static int selector_matches(const char *sel, const cval *labels, bool *match, cap_err *e)
{
    *match = true;
    for (const char *p = sel; p && *p;) {
        size_t n = strcspn(p, ",");
        char term[256];
        if (n >= sizeof term)
            return cap_err_set(e, "invalid selector \"%s\"", sel);
        memcpy(term, p, n);
        term[n] = 0;
        p += n + (p[n] == ',');
        char *t = term;
        while (*t == ' ')
            t++;
        bool neg = false, exists_only = false;
        char *op = strstr(t, "!="), *val = NULL;
        if (op) {
            neg = true;
            *op = 0;
            val = op + 2;
        } else if ((op = strstr(t, "=="))) {
            *op = 0;
            val = op + 2;
        } else if ((op = strchr(t, '='))) {
            *op = 0;
            val = op + 1;
        } else {
            exists_only = true;
            if (*t == '!') {
                neg = true;
                t++;
            }
        }
        for (char *q = t + strlen(t); q > t && q[-1] == ' '; q--)
            q[-1] = 0;
        if (!*t)
            return cap_err_set(e, "invalid selector \"%s\"", sel);
        const cval *v = cv_get(labels, t); /* helm matches the storage's labels too (name, owner, ...) */
        bool ok = exists_only ? (v != NULL) != neg : neg ? !v || strcmp(str_or_empty(v), val) != 0 : v && strcmp(str_or_empty(v), val) == 0;
        if (!ok)
            *match = false;
    }
    return 0;
}

typedef struct list_row {
    const release_rec *rec;
    const char *name, *ns;
    int64_t deployed;
} list_row;

static int by_name(const void *x, const void *y)
{
    const list_row *a = x, *b = y;
    return strcmp(a->name, b->name);
}

static int by_date(const void *x, const void *y)
{
    const list_row *a = x, *b = y;
    if (a->deployed != b->deployed)
        return a->deployed < b->deployed ? -1 : 1;
    return strcmp(a->name, b->name);
}

static int64_t unix_of(const char *rfc3339)
{
    int y, mo, d, h, mi, sec;
    if (sscanf(rfc3339, "%4d-%2d-%2dT%2d:%2d:%2d", &y, &mo, &d, &h, &mi, &sec) != 6)
        return 0;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = mo - 1, .tm_mday = d, .tm_hour = h, .tm_min = mi, .tm_sec = sec};
    return (int64_t)timegm(&tm);
}

static int list_rows(cluster *c, const capstan_list_opts *o, list_row **out, size_t *nout, cap_err *e)
{
    pcre2_code *rx = NULL;
    if (o->filter && *o->filter) {
        int ec;
        PCRE2_SIZE off;
        rx = pcre2_compile((PCRE2_SPTR)o->filter, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off, NULL);
        if (!rx) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            return cap_err_set(e, "error parsing regexp: %s: `%s`", (const char *)msg, o->filter);
        }
    }
    cval *items;
    int d = release_driver(e); /* HELM_DRIVER */
    if (d < 0 || release_list_objects(c->api, c->a, d, o->all_namespaces ? NULL : c->ns, NULL, &items, e) != 0) {
        pcre2_code_free(rx);
        return -1;
    }
    size_t n = cv_list_len(items), k = 0;
    release_rec *recs = arena_alloc(c->a, (n ? n : 1) * sizeof *recs);
    list_row *rows = arena_alloc(c->a, (n ? n : 1) * sizeof *rows);
    bool only_superseded = o->superseded && !o->all && !o->deployed && !o->failed && !o->pending &&
                           !o->uninstalled && !o->uninstalling;
    pcre2_match_data *md = rx ? pcre2_match_data_create_from_pattern(rx, NULL) : NULL;
    int rc = 0;
    for (size_t i = 0; i < n; i++) {
        if (release_from_secret_rec(c->a, cv_list_get(items, i), &recs[i], e) < 0) {
            rc = -1;
            break;
        }
        const char *name = str_or_empty(cv_get(recs[i].rel, "name"));
        if (rx && pcre2_match(rx, (PCRE2_SPTR)name, strlen(name), 0, 0, md, NULL) < 0)
            continue;
        list_row r = {&recs[i], name, str_or_empty(cv_get(recs[i].rel, "namespace")),
                      unix_of(str_or_empty(cv_get(cv_get(recs[i].rel, "info"), "last_deployed")))};
        /* only the latest revision of each release, unless only superseded ones are asked for */
        size_t j = 0;
        if (!only_superseded)
            for (; j < k; j++)
                if (strcmp(rows[j].name, r.name) == 0 && strcmp(rows[j].ns, r.ns) == 0)
                    break;
        if (only_superseded || j == k)
            rows[k++] = r;
        else if (rows[j].rec->version < r.rec->version)
            rows[j] = r;
    }
    pcre2_match_data_free(md);
    pcre2_code_free(rx);
    if (rc < 0)
        return -1;
    size_t m = 0;
    for (size_t i = 0; i < k; i++) {
        bool sel = true;
        if (!status_wanted(o, str_or_empty(cv_get(cv_get(rows[i].rec->rel, "info"), "status"))))
            continue;
        if (o->selector && *o->selector &&
            selector_matches(o->selector, cv_get(cv_get(rows[i].rec->secret, "metadata"), "labels"), &sel, e) < 0)
            return -1;
        if (sel)
            rows[m++] = rows[i];
    }
    qsort(rows, m, sizeof *rows, o->by_date ? by_date : by_name); /* -d: oldest first, as helm's SortByDate */
    if (o->reverse)
        for (size_t i = 0; i < m / 2; i++) {
            list_row t = rows[i];
            rows[i] = rows[m - 1 - i];
            rows[m - 1 - i] = t;
        }
    size_t off = o->offset > 0 ? (size_t)o->offset : 0;
    if (off >= m) {
        *out = rows;
        *nout = 0;
        return 0;
    }
    size_t limit = n; /* helm limits against every record read, not the releases left */
    if (o->max > 0 && (size_t)o->max < limit)
        limit = (size_t)o->max;
    size_t last = off + limit < m ? off + limit : m;
    *out = rows + off;
    *nout = last - off;
    return 0;
}

int capstan_list_show(const capstan_list_opts *o, char **text, capstan_error *perr)
{
    cluster c;
    cap_err e = CAP_ERR_INIT;
    cval *out = NULL;
    int rc = -1;
    list_row *rows = NULL;
    size_t n = 0;
    if (cluster_open(&c, &o->kube, &e) == 0 && list_rows(&c, o, &rows, &n, &e) == 0) {
        rc = 0;
        out = cv_list_new(c.a, n);
        for (size_t i = 0; i < n; i++) {
            if (o->short_) {
                cv_list_push(out, cv_cstring(c.a, rows[i].name));
                continue;
            }
            cval *row = summary(c.a, rows[i].rec, true);
            const char *updated = str_or_empty(cv_get(cv_get(rows[i].rec->rel, "info"), "last_deployed"));
            if (!*updated)
                cv_map_set(row, "updated", cv_cstring(c.a, "-"));
            else if (o->time_format && *o->time_format)
                cv_map_set(row, "updated", cv_cstring(c.a, show_time(c.a, updated, o->time_format)));
            cv_list_push(out, row);
        }
    }
    if (rc == 0 && o->short_ && (!o->format || strcmp(o->format, "table") == 0)) {
        strbuf sb = STRBUF_INIT;
        for (size_t i = 0; i < cv_list_len(out); i++)
            sb_addf(&sb, "%s\n", str_or_empty(cv_list_get(out, i)));
        *text = sb_detach(&sb, NULL);
        sb_release(&sb);
        cluster_close(&c);
        return 0;
    }
    static const char *const cols[] = {"NAME", "NAMESPACE", "REVISION", "UPDATED", "STATUS", "CHART", "APP VERSION"};
    static const char *const keys[] = {"name", "namespace", "revision", "updated", "status", "chart", "app_version"};
    static const jfield json_fields[] = {{"name", 0, 0},   {"namespace", 0, 0}, {"revision", 0, 0},
                                         {"updated", 0, 0}, {"status", 0, 0},    {"chart", 0, 0},
                                         {"app_version", 0, 0}, {NULL, 0, 0}};
    view v = {cols, keys, 7, o->short_ ? NULL : json_fields, o->no_headers};
    return finish(&c, rc, &e, out, o->format, &v, text, perr);
}

int query_emit_struct(strbuf *out, const cval *m, const jfield *fields, cap_err *e)
{
    return emit_struct(out, m, fields, e);
}
