/* chart_deps.c — dependencies as Helm processes them before rendering
 * (pkg/chart/v2/util/dependencies.go): aliases, tags, conditions, removal of
 * disabled subcharts, import-values in both forms; and the check that every
 * dependency of Chart.yaml is present in charts/. */
#include "renderer/chart/chart.h"

#include <string.h>

#include "renderer/chart/values.h"
#include "core/semver.h"

int chart_check_deps(arena *a, const chart *c, cap_err *err)
{
    strbuf missing = STRBUF_INIT;
    for (size_t i = 0; i < c->meta->ndeps; i++) {
        const chart_dep *r = c->meta->deps[i];
        if (!r)
            continue;
        bool found = false;
        for (size_t j = 0; j < c->ndeps && !found; j++)
            found = strcmp(chart_name(c->deps[j]), r->name) == 0;
        if (!found) {
            if (missing.len)
                sb_adds(&missing, ", ");
            sb_adds(&missing, r->name);
        }
    }
    if (missing.len) {
        cap_err_at(err, arena_printf(a, "%s/Chart.yaml", c->source), 0, 0,
                   "an error occurred while checking for chart dependencies. You may need to run `helm dependency build` to fetch missing dependencies: found in Chart.yaml, but missing in charts/ directory: %s",
                   sb_str(&missing));
        sb_release(&missing);
        return -1;
    }
    return 0;
}

static chart_meta *copy_meta(arena *a, const chart_meta *m)
{
    chart_meta *r = arena_alloc(a, sizeof *r);
    *r = *m;
    if (m->deps) {
        r->deps = arena_zalloc(a, (m->ndeps + 1) * sizeof *r->deps);
        for (size_t i = 0; i < m->ndeps; i++) {
            if (!m->deps[i])
                continue;
            r->deps[i] = arena_alloc(a, sizeof *r->deps[i]);
            *r->deps[i] = *m->deps[i];
        }
    }
    return r;
}

static chart *alias_dep(arena *a, semver_grammar **g, chart **charts, size_t n, const chart_dep *dep)
{
    for (size_t i = 0; i < n; i++) {
        chart *c = charts[i];
        if (!c || strcmp(chart_name(c), dep->name) != 0)
            continue;
        if (!chart_semver_check_with(g, dep->version, c->meta->version))
            continue;
        chart *out = arena_alloc(a, sizeof *out);
        *out = *c;
        out->meta = copy_meta(a, c->meta);
        out->deps = arena_zalloc(a, (c->ndeps + 1) * sizeof *out->deps);
        for (size_t j = 0; j < c->ndeps; j++) {
            chart *cp = arena_alloc(a, sizeof *cp);
            *cp = *c->deps[j];
            cp->parent = out;
            out->deps[j] = cp;
        }
        if (*dep->alias)
            out->meta->name = dep->alias;
        return out;
    }
    return NULL;
}

static void process_tags(const chart *c, chart_meta *m, cval *cvals)
{
    cval *vt = cv_map_get(cvals, "tags");
    if (!cv_is(vt, CV_MAP))
        return;
    for (size_t i = 0; i < m->ndeps; i++) {
        chart_dep *r = m->deps[i];
        if (!r)
            continue;
        bool has_true = false, has_false = false;
        for (size_t k = 0; k < r->ntags; k++) {
            cval *b = cv_map_get(vt, r->tags[k]);
            if (!b)
                continue;
            if (cv_is(b, CV_BOOL)) {
                if (b->u.b)
                    has_true = true;
                else
                    has_false = true;
            } else {
                const char *kv[] = {"tag", r->tags[k], "chart", r->name, NULL};
                chart_logf(c, "WARN", "returned non-bool value", kv);
            }
        }
        if (!has_true && has_false)
            r->enabled = false;
        else
            r->enabled = true;
    }
}

static void process_conditions(arena *a, const chart *c, chart_meta *m, cval *cvals, const char *path)
{
    for (size_t i = 0; i < m->ndeps; i++) {
        chart_dep *r = m->deps[i];
        if (!r)
            continue;
        /* strings.TrimSpace(condition), then split on "," */
        const char *s = r->condition;
        while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
            s++;
        size_t n = strlen(s);
        while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
            n--;
        size_t i0 = 0;
        while (i0 <= n) {
            size_t j = i0;
            while (j < n && s[j] != ',')
                j++;
            if (j > i0) {
                char *p = arena_printf(a, "%s%.*s", path, (int)(j - i0), s + i0);
                cval *vv = values_path(cvals, p);
                if (cv_is(vv, CV_BOOL)) {
                    r->enabled = vv->u.b;
                    break;
                }
                if (vv) {
                    const char *kv[] = {"path", arena_strndup(a, s + i0, j - i0), "chart", r->name, NULL};
                    chart_logf(c, "WARN", "returned non-bool value", kv);
                }
            }
            i0 = j + 1;
        }
    }
}

/* What one processing of dependencies keeps for all its steps: the semver
 * grammar, made at the first check, and an arena for the values that are
 * coalesced only to be read (conditions, tags) or copied, freed at the end:
 * each is a whole copy of the chart's and its subcharts' values. */
typedef struct deps_walk {
    semver_grammar *g;
    arena *scratch;
} deps_walk;

static int process_enabled(arena *a, deps_walk *w, chart *c, cval *v, const char *path, int depth, cap_err *err)
{
    if (!c->meta->has_deps)
        return 0;
    if (depth > CHART_MAX_DEPTH)
        return cap_err_set(err, "subcharts nested too deeply");
    chart_meta *m = c->meta;
    size_t cap = c->ndeps + m->ndeps + 1, nd = 0;
    chart **cd = arena_zalloc(a, cap * sizeof *cd);
    for (size_t i = 0; i < c->ndeps; i++) {
        chart *ex = c->deps[i];
        bool matched = false;
        for (size_t k = 0; k < m->ndeps && !matched; k++) {
            chart_dep *r = m->deps[k];
            matched = r && strcmp(chart_name(ex), r->name) == 0 &&
                      chart_semver_check_with(&w->g, r->version, ex->meta->version);
        }
        if (!matched)
            cd[nd++] = ex;
    }
    for (size_t k = 0; k < m->ndeps; k++) {
        chart_dep *r = m->deps[k];
        if (!r)
            continue;
        chart *x = alias_dep(a, &w->g, c->deps, c->ndeps, r);
        if (x)
            cd[nd++] = x;
        if (*r->alias)
            r->name = r->alias;
    }
    for (size_t i = 0; i < nd; i++)
        cd[i]->parent = c;
    c->deps = cd;
    c->ndeps = nd;
    for (size_t k = 0; k < m->ndeps; k++)
        if (m->deps[k])
            m->deps[k]->enabled = true;
    cval *cvals; /* read here and by the subcharts' walks only */
    if (values_coalesce(w->scratch, c, v, false, &cvals, err) != 0)
        return -1;
    process_tags(c, m, cvals);
    process_conditions(a, c, m, cvals, path);
    /* drop the disabled ones */
    chart **keep = arena_zalloc(a, (nd + 1) * sizeof *keep);
    size_t nk = 0;
    for (size_t i = 0; i < nd; i++) {
        bool rm = false;
        for (size_t k = 0; k < m->ndeps; k++)
            if (m->deps[k] && !m->deps[k]->enabled && strcmp(m->deps[k]->name, chart_name(cd[i])) == 0)
                rm = true;
        if (!rm)
            keep[nk++] = cd[i];
    }
    chart_dep **kd = arena_zalloc(a, (m->ndeps + 1) * sizeof *kd);
    size_t nkd = 0;
    for (size_t k = 0; k < m->ndeps; k++) {
        chart_dep *r = m->deps[k];
        if (!r)
            continue;
        bool rm = false;
        for (size_t q = 0; q < m->ndeps; q++)
            if (m->deps[q] && !m->deps[q]->enabled && strcmp(m->deps[q]->name, r->name) == 0)
                rm = true;
        if (!rm)
            kd[nkd++] = r;
    }
    for (size_t i = 0; i < nk; i++) {
        char *sub = arena_printf(a, "%s%s.", path, chart_name(keep[i]));
        if (process_enabled(a, w, keep[i], cvals, sub, depth + 1, err) != 0)
            return -1;
    }
    m->deps = kd;
    m->ndeps = nkd;
    m->has_deps = nkd > 0;
    c->deps = keep;
    c->ndeps = nk;
    return 0;
}

/* pathToMap(".", data) is data; "a.b" wraps it as {a: {b: data}}. */
static cval *path_to_map(arena *a, const char *path, cval *data)
{
    if (strcmp(path, ".") == 0)
        return data;
    cval *cur = data;
    size_t n = strlen(path);
    size_t end = n;
    for (size_t i = n + 1; i-- > 0;) {
        if (i == 0 || path[i - 1] == '.') {
            cval *m = cv_map_new(a);
            cv_map_setn(m, path + i, end - i, cur);
            cur = m;
            end = i ? i - 1 : 0;
            if (i == 0)
                break;
        }
    }
    return cur;
}

static cval *trim_nil(arena *a, cval *m, int depth)
{
    cval *r = cv_map_new(a);
    size_t n;
    const cv_entry *e = cv_map_sorted(m, &n);
    for (size_t i = 0; i < n; i++) {
        cval *v = e[i].val;
        if (!v || v->kind == CV_NIL)
            continue;
        if (cv_is(v, CV_MAP) && depth < 10000)
            v = trim_nil(a, v, depth + 1);
        cv_map_setn(r, e[i].key, e[i].keylen, v);
    }
    return r;
}

static int import_values(arena *a, chart *c, bool merge, cap_err *err)
{
    chart_meta *m = c->meta;
    if (!m->has_deps)
        return 0;
    /* The coalesced values take c's own defaults, which they replace below
     * (nothing reads the old tree again), and copy its subcharts' (read again
     * by every later coalescing); so without import-values they are kept as
     * they are (below); with them, the imports point into them and a copy is kept. */
    bool imports = false;
    for (size_t k = 0; k < m->ndeps; k++)
        imports |= m->deps[k] && m->deps[k]->import_values;
    cval *cvals;
    if (values_coalesce_taking(a, c, NULL, merge, &cvals, err) != 0)
        return -1;
    if (!imports && merge) {
        c->values = cvals; /* MergeTables(cvals, {}) changes nothing */
        return 0;
    }
    cval *b = cv_map_new(a);
    for (size_t k = 0; k < m->ndeps; k++) {
        chart_dep *r = m->deps[k];
        if (!r || !r->import_values)
            continue;
        cval *outiv = cv_list_new(a, cv_list_len(r->import_values));
        for (size_t i = 0; i < cv_list_len(r->import_values); i++) {
            cval *iv = cv_list_get(r->import_values, i);
            const char *child, *parent;
            if (cv_is(iv, CV_MAP)) {
                cval *ch = cv_map_get(iv, "child"), *pa = cv_map_get(iv, "parent");
                child = cv_is(ch, CV_STRING) ? ch->u.str.s : "<nil>";
                parent = cv_is(pa, CV_STRING) ? pa->u.str.s : "<nil>";
            } else if (cv_is(iv, CV_STRING)) {
                child = arena_printf(a, "exports.%s", iv->u.str.s);
                parent = ".";
            } else {
                continue;
            }
            cval *om = cv_map_new(a);
            om->gotype = "map[string]string";
            cv_map_set(om, "child", cv_cstring(a, child));
            cv_map_set(om, "parent", cv_cstring(a, parent));
            cv_list_push(outiv, om);
            cval *vv = values_table(cvals, arena_printf(a, "%s.%s", r->name, child));
            if (!vv)
                continue;
            cval *src = cv_is(iv, CV_MAP) ? path_to_map(a, parent, vv) : vv;
            b = values_coalesce_tables(a, b, src, merge);
        }
        r->import_values = outiv;
    }
    if (merge)
        c->values = values_coalesce_tables(a, cv_deep_copy(a, cvals), b, true);
    else
        c->values = values_coalesce_tables(a, trim_nil(a, cvals, 0), b, false);
    return 0;
}

static int process_imports(arena *a, chart *c, int depth, cap_err *err)
{
    if (depth > CHART_MAX_DEPTH)
        return cap_err_set(err, "subcharts nested too deeply");
    for (size_t i = 0; i < c->ndeps; i++)
        if (process_imports(a, c->deps[i], depth + 1, err) != 0)
            return -1;
    return import_values(a, c, true, err);
}

int chart_process_deps(arena *a, chart *c, cval *vals, cap_err *err)
{
    deps_walk w = {NULL, arena_new()};
    int rc = process_enabled(a, &w, c, vals, "", 0, err);
    if (rc == 0)
        rc = process_imports(a, c, 0, err);
    semver_grammar_free(w.g);
    arena_free(w.scratch);
    return rc;
}
