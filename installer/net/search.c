/* search.c — capstan_search_repo: `helm search repo`, from the repositories file and
 * the cached indexes, with helm's scoring (where in "NAME\vREPO/NAME\vDESCRIPTION\v
 * KEYWORDS" the term matches), order, version constraints and formats. */
#include "capstan.h"
#include "core/json.h"
#include "installer/release/query.h"
#include "installer/net/repo.h"
#include "core/semver.h"
#include "core/strbuf.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <ctype.h>
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SCORE 25

typedef struct hit {
    const char *name;             /* REPO/CHART */
    const repo_chart_version *cv;
    int score;
} hit;

/* The number of \v separators before position at (helm's calcScore). */
static int score_at(const char *line, size_t at)
{
    int n = 0;
    for (size_t i = 0; i < at && line[i]; i++)
        if (line[i] == '\v')
            n++;
    return n;
}

static int cmp_hits(const void *x, const void *y)
{
    const hit *a = x, *b = y;
    if (a->score != b->score)
        return a->score < b->score ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (!a->cv->semver_ok || !b->cv->semver_ok)
        return 0;
    return -semver_compare(&a->cv->sv, &b->cv->sv); /* the newest first */
}

static void truncated(strbuf *out, const char *s, size_t max)
{
    size_t w = 0, i = 0;
    for (const char *p = s; *p; p++)
        if (((unsigned char)*p & 0xC0) != 0x80)
            w++;
    if (w <= max) {
        sb_adds(out, s);
        return;
    }
    for (w = 0; s[i] && w < max - 3; w++) /* runewidth.Truncate: max-3 runes and "..." */
        for (i++; ((unsigned char)s[i] & 0xC0) == 0x80; i++)
            ;
    sb_add(out, s, i);
    sb_adds(out, "...");
}

static int write_results(strbuf *out, arena *a, const hit *h, size_t n, const capstan_search_opts *o, cap_err *e)
{
    const char *fmt = o->format ? o->format : "table";
    if (n == 0 && o->fail_on_no_result)
        return cap_err_set(e, "no results found");
    if (strcmp(fmt, "table") == 0) {
        if (n == 0) {
            sb_adds(out, "No results found\n");
            return 0;
        }
        size_t width = o->max_col_width ? o->max_col_width : 50;
        cval *rows = cv_list_new(a, n);
        for (size_t i = 0; i < n; i++) {
            const char *cells[4] = {h[i].name, h[i].cv->version, h[i].cv->app_version, h[i].cv->description};
            static const char *const keys[4] = {"name", "version", "app_version", "description"};
            cval *row = cv_map_new(a);
            for (int k = 0; k < 4; k++) {
                strbuf t = STRBUF_INIT;
                truncated(&t, cells[k] ? cells[k] : "", width);
                cv_map_set(row, keys[k], cv_cstring(a, sb_str(&t)));
                sb_release(&t);
            }
            cv_list_push(rows, row);
        }
        static const char *const heads[] = {"NAME", "CHART VERSION", "APP VERSION", "DESCRIPTION"};
        static const char *const keys[] = {"name", "version", "app_version", "description"};
        const char *cols[4];
        for (int k = 0; k < 4; k++) { /* the headers are cells too */
            strbuf t = STRBUF_INIT;
            truncated(&t, heads[k], width);
            cols[k] = arena_strndup(a, sb_str(&t), t.len);
            sb_release(&t);
        }
        query_table(out, rows, cols, keys, 4, true);
        return 0;
    }
    if (strcmp(fmt, "json") == 0) {
        sb_addc(out, '[');
        for (size_t i = 0; i < n; i++) {
            const char *vals[4] = {h[i].name, h[i].cv->version, h[i].cv->app_version, h[i].cv->description};
            static const char *const keys[4] = {"name", "version", "app_version", "description"};
            sb_adds(out, i ? ",{" : "{");
            for (int k = 0; k < 4; k++) {
                if (k)
                    sb_addc(out, ',');
                json_emit_string(out, keys[k], strlen(keys[k]), 0);
                sb_addc(out, ':');
                json_emit_string(out, vals[k] ? vals[k] : "", strlen(vals[k] ? vals[k] : ""), 0);
            }
            sb_addc(out, '}');
        }
        sb_adds(out, "]\n");
        return 0;
    }
    if (strcmp(fmt, "yaml") == 0) {
        cval *list = cv_list_new(a, n);
        for (size_t i = 0; i < n; i++) {
            cval *m = cv_map_new(a);
            cv_map_set(m, "name", cv_cstring(a, h[i].name));
            cv_map_set(m, "version", cv_cstring(a, h[i].cv->version));
            cv_map_set(m, "app_version", cv_cstring(a, h[i].cv->app_version ? h[i].cv->app_version : ""));
            cv_map_set(m, "description", cv_cstring(a, h[i].cv->description ? h[i].cv->description : ""));
            cv_list_push(list, m);
        }
        return yaml_emit(out, list, e);
    }
    return cap_err_set(e, "invalid format type \"%s\": use table, json or yaml", fmt);
}

static char *lower(arena *a, const char *s)
{
    char *r = arena_strndup(a, s, strlen(s));
    for (char *p = r; *p; p++)
        *p = (char)tolower((unsigned char)*p);
    return r;
}

static int search(arena *a, const capstan_search_opts *o, strbuf *out, cap_err *e)
{
    repo_file rf = {0};
    bool exists = false;
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    int rc = repo_file_load(cfg, &rf, &exists, e);
    free(cfg);
    if (rc == 0 && (!exists || rf.n == 0))
        rc = cap_err_set(e, "no repositories configured");
    pcre2_code *rx = NULL;
    pcre2_match_data *md = NULL;
    const char *term = o->terms && *o->terms ? o->terms : NULL;
    if (rc == 0 && term && o->regexp) {
        int ec;
        PCRE2_SIZE off;
        rx = pcre2_compile((PCRE2_SPTR)term, PCRE2_ZERO_TERMINATED, PCRE2_UTF, &ec, &off, NULL);
        if (!rx) {
            PCRE2_UCHAR msg[256];
            pcre2_get_error_message(ec, msg, sizeof msg);
            rc = cap_err_set(e, "error parsing regexp: %s: `%s`", (const char *)msg, term);
        } else {
            md = pcre2_match_data_create_from_pattern(rx, NULL);
        }
    }
    const char *lterm = term ? lower(a, term) : NULL;
    hit *hits = NULL;
    size_t n = 0, cap = 0;
    for (size_t r = 0; rc == 0 && r < rf.n; r++) {
        char *path = repo_cache_index_path(cache, rf.repos[r].name);
        repo_index *ix;
        cap_err ie = CAP_ERR_INIT;
        int lrc = repo_index_load(a, path, &ix, &ie);
        cap_err_clear(&ie);
        free(path);
        if (lrc != 0)
            continue; /* helm: a warning, and the other repositories */
        for (size_t k = 0; k < ix->n; k++)
            for (size_t v = 0; v < ix->entries[k].n; v++) {
                const repo_chart_version *cv = &ix->entries[k].versions[v];
                const char *name = arena_printf(a, "%s/%s", rf.repos[r].name, ix->entries[k].name);
                int score = 0;
                if (term) {
                    const char *line = arena_printf(a, "%s\v%s\v%s\v%s", ix->entries[k].name, name,
                                                    cv->description ? cv->description : "",
                                                    cv->keywords ? cv->keywords : "");
                    long at = -1;
                    if (rx) {
                        if (pcre2_match(rx, (PCRE2_SPTR)line, strlen(line), 0, 0, md, NULL) >= 0)
                            at = (long)pcre2_get_ovector_pointer(md)[0];
                    } else {
                        const char *ll = lower(a, line), *m = strstr(ll, lterm);
                        at = m ? m - ll : -1;
                    }
                    if (at < 0 || (score = score_at(line, (size_t)at)) >= MAX_SCORE)
                        continue;
                }
                if (n == cap)
                    hits = xrealloc(hits, (cap = cap ? cap * 2 : 64) * sizeof *hits);
                hits[n++] = (hit){name, cv, score};
            }
    }
    pcre2_match_data_free(md);
    pcre2_code_free(rx);
    if (rc == 0) {
        qsort(hits, n, sizeof *hits, cmp_hits);
        /* the constraint (--version, else stable or, with --devel, any), one version a chart without --versions */
        const char *c = o->version && *o->version ? o->version : o->devel ? ">0.0.0-0" : ">0.0.0";
        const char *why = NULL;
        semver_constraints *sc = semver_constraints_parse(a, c, &why);
        if (!sc) {
            rc = cap_err_set(e, "an invalid version/constraint format: %s", why ? why : c);
        } else {
            size_t m = 0;
            for (size_t i = 0; i < n; i++) {
                if (!hits[i].cv->semver_ok || !semver_constraints_check(sc, &hits[i].cv->sv))
                    continue;
                bool dup = false;
                for (size_t j = 0; !o->versions && j < m; j++)
                    dup = dup || strcmp(hits[j].name, hits[i].name) == 0;
                if (!dup)
                    hits[m++] = hits[i];
            }
            semver_constraints_free(sc);
            rc = write_results(out, a, hits, m, o, e);
        }
    }
    free(hits);
    free(cache);
    repo_file_free(&rf);
    return rc;
}

int capstan_search_repo(const capstan_search_opts *o, char **text, capstan_error *perr)
{
    arena *a = arena_new();
    strbuf out = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    int rc = search(a, o, &out, &e);
    if (rc == 0) {
        *text = sb_detach(&out, NULL);
    } else {
        cap_err_publish(perr, &e, CAPSTAN_EIO);
    }
    sb_release(&out);
    cap_err_clear(&e);
    arena_free(a);
    return rc;
}
