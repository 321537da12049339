/* repo_index.c — index.yaml: parsing, helm's order, the best version for a
 * constraint (see repo.h). No network here. */
#include "installer/net/repo.h"
#include "core/fsutil.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *str_of(arena *a, const cval *v)
{
    if (!v)
        return "";
    if (v->kind == CV_STRING)
        return v->u.str.s;
    strbuf b = STRBUF_INIT;
    if (yaml_string_coerce(&b, v) < 0) {
        sb_release(&b);
        return "";
    }
    const char *s = arena_strndup(a, sb_str(&b), b.len);
    sb_release(&b);
    return s;
}

static int cmp_versions(const void *x, const void *y)
{
    const repo_chart_version *a = x, *b = y;
    /* invalid versions last (they are never chosen) */
    if (a->semver_ok != b->semver_ok)
        return a->semver_ok ? -1 : 1;
    if (!a->semver_ok)
        return 0;
    return -semver_compare(&a->sv, &b->sv);
}

static int cmp_entries(const void *x, const void *y)
{
    return strcmp(((const repo_index_entry *)x)->name, ((const repo_index_entry *)y)->name);
}

/* A chart version as helm's Metadata.Validate accepts it in an index. */
static bool valid_version(arena *a, repo_chart_version *cv)
{
    if (!*cv->name || strcmp(cv->name, ".") == 0 || strcmp(cv->name, "..") == 0 || strchr(cv->name, '/'))
        return false;
    if (!*cv->version)
        return false;
    const char *why;
    cv->semver_ok = semver_parse(a, cv->version, &cv->sv, &why) == 0;
    return cv->semver_ok;
}

/* An index entry's keywords, joined by spaces ("" when none). */
static const char *keywords_of(arena *a, const cval *kw)
{
    strbuf b = STRBUF_INIT;
    for (size_t i = 0; kw && kw->kind == CV_LIST && i < cv_list_len(kw); i++) {
        const cval *k = cv_list_get(kw, i);
        if (i)
            sb_addc(&b, ' ');
        if (k && k->kind == CV_STRING)
            sb_adds(&b, k->u.str.s);
    }
    const char *r = arena_strndup(a, sb_str(&b), b.len);
    sb_release(&b);
    return r;
}

int repo_index_parse(arena *a, const char *text, size_t len, const char *file, repo_index **out, cap_err *err)
{
    *out = NULL;
    if (len == 0)
        return cap_err_at(err, file, 0, 0, "empty index.yaml file");
    cval *doc = NULL;
    if (yaml_parse_raw(a, text, len, file, &doc, err) < 0)
        return -1;
    if (!doc || doc->kind != CV_MAP)
        return cap_err_at(err, file, 1, 0, "an index must be a map with apiVersion and entries");
    repo_index *ix = arena_zalloc(a, sizeof *ix);
    ix->api_version = str_of(a, cv_map_get(doc, "apiVersion"));
    const cval *entries = cv_map_get(doc, "entries");
    if (entries && entries->kind == CV_MAP) {
        size_t n;
        const cv_entry *es = cv_map_sorted(entries, &n);
        ix->entries = arena_zalloc(a, (n ? n : 1) * sizeof *ix->entries);
        for (size_t i = 0; i < n; i++) {
            repo_index_entry *e = &ix->entries[ix->n++];
            e->name = es[i].key;
            const cval *list = es[i].val;
            size_t m = list && list->kind == CV_LIST ? cv_list_len(list) : 0;
            e->versions = arena_zalloc(a, (m ? m : 1) * sizeof *e->versions);
            for (size_t j = 0; j < m; j++) {
                const cval *v = cv_list_get(list, j);
                if (!v || v->kind != CV_MAP)
                    continue;
                repo_chart_version *cv = &e->versions[e->n];
                cv->name = str_of(a, cv_map_get(v, "name"));
                cv->version = str_of(a, cv_map_get(v, "version"));
                cv->digest = str_of(a, cv_map_get(v, "digest"));
                cv->app_version = str_of(a, cv_map_get(v, "appVersion"));
                cv->description = str_of(a, cv_map_get(v, "description"));
                cv->keywords = keywords_of(a, cv_map_get(v, "keywords"));
                cv->api_version = str_of(a, cv_map_get(v, "apiVersion"));
                if (!*cv->api_version)
                    cv->api_version = "v1";
                const cval *dep = cv_map_get(v, "deprecated");
                cv->deprecated = dep && dep->kind == CV_BOOL && dep->u.b;
                const cval *urls = cv_map_get(v, "urls");
                if (urls && urls->kind == CV_LIST) {
                    size_t k = cv_list_len(urls);
                    cv->urls = arena_zalloc(a, (k ? k : 1) * sizeof *cv->urls);
                    for (size_t u = 0; u < k; u++) {
                        const cval *s = cv_list_get(urls, u);
                        if (s && s->kind == CV_STRING)
                            cv->urls[cv->nurls++] = s->u.str.s;
                    }
                }
                if (valid_version(a, cv))   /* helm skips (and warns about) the others */
                    e->n++;
                else
                    memset(cv, 0, sizeof *cv);
            }
            qsort(e->versions, e->n, sizeof *e->versions, cmp_versions);
        }
        qsort(ix->entries, ix->n, sizeof *ix->entries, cmp_entries);
    } else if (entries && entries->kind != CV_NIL) {
        return cap_err_at(err, file, 0, 0, "entries in an index must be a map of chart names to lists of versions");
    }
    if (!*ix->api_version)
        return cap_err_at(err, file, 0, 0, "no API version specified");
    *out = ix;
    return 0;
}

int repo_index_load(arena *a, const char *path, repo_index **out, cap_err *err)
{
    strbuf b = STRBUF_INIT;
    int rc = fsu_read_file(path, &b, err);
    if (rc == 0)
        rc = repo_index_parse(a, sb_str(&b), b.len, path, out, err);
    sb_release(&b);
    return rc;
}

const repo_index_entry *repo_index_find(const repo_index *ix, const char *name)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(ix->entries[mid].name, name);
        if (c == 0)
            return &ix->entries[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* a value of slog's text handler: quoted (Go's %q for these texts) when it must be */
static void slog_put(FILE *f, const char *v)
{
    if (*v && !strpbrk(v, " =\"\\\t\n")) {
        fputs(v, f);
        return;
    }
    fputc('"', f);
    for (; *v; v++) {
        if (*v == '"' || *v == '\\')
            fputc('\\', f);
        if (*v == '\n' || *v == '\t')
            fputs(*v == '\n' ? "\\n" : "\\t", f);
        else
            fputc(*v, f);
    }
    fputc('"', f);
}

void repo_index_warn_fallback(FILE *log, const repo_index_entry *e, const char *c, const repo_chart_version *v)
{
    if (!log || !c || !*c || !v || strcmp(v->version, c) == 0)
        return;
    fputs("level=WARN msg=\"unable to find exact version requested; falling back to closest available version\" "
          "chart=", log);
    slog_put(log, e->name);
    fputs(" requested=", log);
    slog_put(log, c);
    fputs(" selected=", log);
    slog_put(log, v->version);
    fputc('\n', log);
}

const repo_chart_version *repo_index_best(arena *a, const repo_index_entry *e, const char *c, bool need_urls,
                                          bool exact_first, const char **why)
{
    const char *cs = c && *c ? c : "*";
    semver_constraints *con = semver_constraints_parse(a, cs, why);
    if (!con)
        return NULL;
    const repo_chart_version *best = NULL;
    if (exact_first && c && *c)
        for (size_t i = 0; i < e->n && !best; i++)
            if (strcmp(e->versions[i].version, c) == 0)
                best = &e->versions[i];
    for (size_t i = 0; i < e->n && !best; i++) {
        const repo_chart_version *v = &e->versions[i];
        if (!v->semver_ok || (need_urls && v->nurls == 0))
            continue;
        if (semver_constraints_check(con, &v->sv))
            best = v;
    }
    semver_constraints_free(con);
    if (!best)
        *why = arena_printf(a, "no chart version found for %s-%s", e->name, c ? c : "");
    return best;
}
