/* values_coalesce.c — Helm's coalescing of values, after the behaviour of
 * pkg/chart/common/util/coalesce.go: user values over chart defaults, a null
 * deleting a default (unless merging), parents over subcharts, globals copied
 * down into every subchart. Helm's warnings (log.Printf, shown as slog INFO
 * lines) go to the chart's log (chart_logf). */
#include "renderer/chart/values.h"

#include "core/gofmt.h"

#include <string.h>

static bool is_table(const cval *v) { return cv_is(v, CV_MAP); }
static bool is_nil(const cval *v) { return !v || v->kind == CV_NIL || v->kind == CV_INVALID; }

/* A snapshot of a map's keys, so that the map can change while we walk. */
static const char **keys_of(arena *a, const cval *m, size_t *n)
{
    const cv_entry *e = cv_map_sorted(m, n);
    const char **k = arena_alloc(a, (*n + 1) * sizeof *k);
    for (size_t i = 0; i < *n; i++)
        k[i] = e[i].key;
    return k;
}

/* concatPrefix */
static const char *full_key(arena *a, const char *prefix, const char *key)
{
    return prefix && *prefix ? arena_printf(a, "%s.%s", prefix, key) : key;
}

/* Where a key is, kept on the stack while coalescing walks down; its text
 * (full_key of each step) is made only for a warning. */
typedef struct keypath {
    const struct keypath *up;
    const char *key;
} keypath;

static const char *path_str(arena *a, const keypath *p)
{
    return p->up ? full_key(a, path_str(a, p->up), p->key) : p->key;
}

/* log.Printf("warning: ..."), as helm 4 shows it */
static void warnf(arena *a, const chart *lc, const char *what, const char *key, const cval *v)
{
    if (!lc)
        return;
    strbuf sb = STRBUF_INIT;
    if (v)
        gofmt_value(&sb, v);
    const char *msg = v ? arena_printf(a, what, key, sb_str(&sb)) : arena_printf(a, what, key);
    sb_release(&sb);
    chart_logf(lc, "INFO", msg, NULL);
}

/* coalesceTablesFullKey; lc: the chart whose log gets the warnings (NULL: none).
 *
 * What dst takes from src is copied (shared: src
 * is a chart's defaults, which stay as they are and are read again for each
 * render, each subchart scope and the release record) or linked (!shared:
 * src is a tree made for this coalescing, as Go's code takes it). Helm first
 * sets src[k] = nil for every key k whose value in dst is nil; below, that
 * only makes such a key's value nil (a key src lacks then changes nothing),
 * so shared defaults read it as nil instead; an unshared src gets the writes,
 * as its holder may see them. */
static cval *tables(arena *a, cval *dst, cval *src, bool merge, bool shared, int depth, const chart *lc,
                    const keypath *at)
{
    if (!src)
        return dst;
    if (!dst)
        return shared ? cv_copy_tree(a, src) : src;
    if (depth > 10000)
        return dst;
    size_t ns, nd;
    const char **sk = keys_of(a, src, &ns);
    /* srcOriginalNonNil: src's own values, before the nils of dst */
    bool *orig = arena_alloc(a, ns + 1);
    for (size_t i = 0; i < ns; i++)
        orig[i] = !is_nil(cv_map_get(src, sk[i]));
    if (!shared) {
        const char **dk = keys_of(a, dst, &nd);
        for (size_t i = 0; i < nd; i++)
            if (is_nil(cv_map_get(dst, dk[i])))
                cv_map_set(src, dk[i], cv_nil());
    }
    for (size_t i = 0; i < ns; i++) {
        const char *key = sk[i];
        cval *val = cv_map_get(src, key);
        cval *dv = cv_map_get(dst, key);
        bool orig_non_nil = orig[i];
        keypath here = {at, key};
        if (dv && is_nil(dv))
            val = cv_nil();
        if (dv && !merge && is_nil(dv) && orig_non_nil) {
            cv_map_delete(dst, key);
        } else if (!dv) {
            cv_map_set(dst, key, shared ? cv_copy_tree(a, val) : val);
        } else if (is_table(val)) {
            if (is_table(dv))
                tables(a, dv, val, merge, shared, depth + 1, lc, &here);
            else
                warnf(a, lc, "warning: cannot overwrite table with non table for %s (%s)", path_str(a, &here), val);
        } else if (is_table(dv) && !is_nil(val)) {
            warnf(a, lc, "warning: destination for %s is a table. Ignoring non-table value (%s)",
                  path_str(a, &here), val);
        }
    }
    return dst;
}

cval *values_coalesce_tables(arena *a, cval *dst, cval *src, bool merge)
{
    keypath root = {NULL, ""};
    return tables(a, dst, src, merge, false, 0, NULL, &root);
}

static bool child_merge(const chart *c, const char *key, bool merge)
{
    for (size_t i = 0; i < c->ndeps; i++)
        if (strcmp(chart_name(c->deps[i]), key) == 0)
            return true;
    return merge;
}

/* take: c's defaults go into v as they are, not copied (values_coalesce_taking) */
static void coalesce_values(arena *a, const chart *c, cval *v, bool merge, bool take, const char *prefix)
{
    keypath base = {NULL, full_key(a, prefix, chart_name(c))};
    /* Go copies the defaults whole first; only what v takes is copied here */
    cval *vc = c->values ? c->values : cv_map_new(a);
    size_t n;
    const char **keys = keys_of(a, vc, &n);
    for (size_t i = 0; i < n; i++) {
        cval *val = cv_map_get(vc, keys[i]);
        cval *value = cv_map_get(v, keys[i]);
        keypath here = {&base, keys[i]};
        if (value) {
            if (is_nil(value) && !merge) {
                cv_map_delete(v, keys[i]);
            } else if (is_table(value)) {
                if (is_table(val))
                    tables(a, value, val, child_merge(c, keys[i], merge), true, 0, c, &here);
                else if (!is_nil(val))
                    warnf(a, c, "warning: skipped value for %s: Not a table.", path_str(a, &here), NULL);
            }
        } else {
            cv_map_set(v, keys[i], take ? val : cv_copy_tree(a, val));
        }
    }
}

static cval *copy_map(arena *a, cval *src)
{
    cval *m = cv_map_new(a);
    size_t n;
    const cv_entry *e = cv_map_sorted(src, &n);
    for (size_t i = 0; i < n; i++)
        cv_map_setn(m, e[i].key, e[i].keylen, e[i].val);
    return m;
}

static void coalesce_globals(arena *a, cval *dest, cval *src, const chart *lc, const char *prefix)
{
    cval *dg = cv_map_get(dest, "global");
    cval *sg = cv_map_get(src, "global");
    if (!dg) {
        dg = cv_map_new(a);
    } else if (!is_table(dg)) {
        warnf(a, lc, "warning: skipping globals because destination %s is not a table.", "global", NULL);
        return;
    }
    if (!sg) {
        sg = cv_map_new(a);
    } else if (!is_table(sg)) {
        warnf(a, lc, "warning: skipping globals because source %s is not a table.", "global", NULL);
        return;
    }
    size_t n;
    const char **keys = keys_of(a, sg, &n);
    for (size_t i = 0; i < n; i++) {
        cval *val = cv_map_get(sg, keys[i]);
        cval *dv = cv_map_get(dg, keys[i]);
        if (is_table(val)) {
            cval *vv = copy_map(a, val);
            if (!dv) {
                cv_map_set(dg, keys[i], vv);
            } else if (is_table(dv)) {
                keypath base = {NULL, prefix}, here = {&base, keys[i]};
                tables(a, vv, dv, true, false, 0, lc, &here);
                cv_map_set(dg, keys[i], vv);
            } else {
                strbuf q = STRBUF_INIT;
                gofmt_quote(&q, keys[i], strlen(keys[i]));
                warnf(a, lc, "Conflict: cannot merge map onto non-map for %s. Skipping.", sb_str(&q), NULL);
                sb_release(&q);
            }
        } else if (dv && is_table(dv)) {
            warnf(a, lc, "key %s is table. Skipping", keys[i], NULL);
        } else {
            cv_map_set(dg, keys[i], val);
        }
    }
    cv_map_set(dest, "global", dg);
}

static int coalesce(arena *a, const chart *c, cval *dest, bool merge, int depth, const char *prefix, cap_err *err);

static int coalesce_deps(arena *a, const chart *c, cval *dest, bool merge, int depth, const char *prefix,
                         cap_err *err)
{
    const char *sub_prefix = full_key(a, prefix, chart_name(c));
    for (size_t i = 0; i < c->ndeps; i++) {
        const chart *sub = c->deps[i];
        const char *name = chart_name(sub);
        cval *cur = cv_map_get(dest, name);
        if (!cur) {
            cur = cv_map_new(a);
            cv_map_set(dest, name, cur);
        } else if (!is_table(cur)) {
            strbuf v = STRBUF_INIT;
            gofmt_value(&v, cur);
            cap_err_set(err, "type mismatch on %s: %%!t(%s=%s)", name, cv_gotype(cur), sb_str(&v));
            sb_release(&v);
            return -1;
        }
        coalesce_globals(a, cur, dest, c, sub_prefix);
        if (coalesce(a, sub, cur, merge, depth + 1, sub_prefix, err) != 0)
            return -1;
    }
    return 0;
}

static int coalesce_as(arena *a, const chart *c, cval *dest, bool merge, bool take, int depth, const char *prefix,
                       cap_err *err)
{
    if (depth > CHART_MAX_DEPTH)
        return cap_err_set(err, "chart %s: subcharts nested too deeply", chart_name(c));
    coalesce_values(a, c, dest, merge, take, prefix);
    return coalesce_deps(a, c, dest, merge, depth, prefix, err);
}

static int coalesce(arena *a, const chart *c, cval *dest, bool merge, int depth, const char *prefix, cap_err *err)
{
    return coalesce_as(a, c, dest, merge, false, depth, prefix, err);
}

static int coalesce_root(arena *a, const chart *c, const cval *vals, bool merge, bool take, cval **out, cap_err *err)
{
    cval *v = vals && cv_is(vals, CV_MAP) ? cv_deep_copy(a, vals) : cv_map_new(a);
    if (coalesce_as(a, c, v, merge, take, 0, "", err) != 0)
        return -1;
    *out = v;
    return 0;
}

int values_coalesce(arena *a, const chart *c, const cval *vals, bool merge, cval **out, cap_err *err)
{
    return coalesce_root(a, c, vals, merge, false, out, err);
}

int values_coalesce_taking(arena *a, chart *c, const cval *vals, bool merge, cval **out, cap_err *err)
{
    return coalesce_root(a, c, vals, merge, true, out, err);
}

/* ---- paths ------------------------------------------------------------------ */

cval *values_table(cval *vals, const char *path)
{
    cval *cur = vals;
    const char *p = path;
    while (*p) {
        const char *dot = strchr(p, '.');
        size_t n = dot ? (size_t)(dot - p) : strlen(p);
        if (!cv_is(cur, CV_MAP))
            return NULL;
        cur = cv_map_getn(cur, p, n);
        if (!cur)
            return NULL;
        if (!dot)
            break;
        p = dot + 1;
    }
    return cv_is(cur, CV_MAP) ? cur : NULL;
}

cval *values_path(cval *vals, const char *path)
{
    /* PathValue: the parent must be a table; the last element any value */
    const char *dot = strrchr(path, '.');
    cval *parent = vals;
    const char *last = path;
    if (dot) {
        char buf[1024];
        size_t n = (size_t)(dot - path);
        if (n >= sizeof buf)
            return NULL;
        memcpy(buf, path, n);
        buf[n] = 0;
        parent = values_table(vals, buf);
        last = dot + 1;
    }
    if (!cv_is(parent, CV_MAP))
        return NULL;
    cval *v = cv_map_get(parent, last);
    return cv_is(v, CV_MAP) ? NULL : v;
}
