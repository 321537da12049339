/* chart_ignore.c — .helmignore, with the rules of Helm's pkg/ignore:
 * blank lines and # comments skipped, "**" refused, a leading ! negates,
 * a trailing / matches directories only, a leading / or any / matches the
 * whole path, otherwise the base name; patterns as Go's filepath.Match. */
#include "renderer/chart/chart.h"

#include <fnmatch.h>
#include <string.h>

/* How a rule is matched: most rules are a name ("OWNERS") or a star and a
 * suffix ("*.swp"), which need no fnmatch. */
typedef enum pat_kind {
    PAT_LITERAL,   /* no wildcard: the name itself */
    PAT_SUFFIX,    /* "*" then a literal: any name without '/' ending so */
    PAT_GLOB,      /* anything else, fnmatch */
} pat_kind;

typedef struct pattern {
    const char *rule;
    size_t len;
    pat_kind kind;
    bool negate, must_dir, whole_path;
} pattern;

static pat_kind kind_of(const char *r)
{
    if (!strpbrk(r, "*?[\\"))
        return PAT_LITERAL;
    if (r[0] == '*' && r[1] && !strpbrk(r + 1, "*?[\\/"))
        return PAT_SUFFIX;
    return PAT_GLOB;
}

struct chart_ignore {
    pattern *p;
    size_t n, cap;
};

static void add_rule(arena *a, chart_ignore *ig, const char *s, size_t n, bool *bad)
{
    while (n && (*s == ' ' || *s == '\t' || *s == '\r' || *s == '\v' || *s == '\f')) {
        s++;
        n--;
    }
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' || s[n - 1] == '\v' || s[n - 1] == '\f'))
        n--;
    if (n == 0 || s[0] == '#')
        return;
    char *r = arena_strndup(a, s, n);
    if (strstr(r, "**")) {
        *bad = true;
        return;
    }
    pattern p = {0};
    if (r[0] == '!') {
        p.negate = true;
        r++;
    }
    size_t len = strlen(r);
    if (len && r[len - 1] == '/') {
        p.must_dir = true;
        r[--len] = 0;
    }
    if (r[0] == '/') {
        p.whole_path = true;
        r++;
    } else if (strchr(r, '/')) {
        p.whole_path = true;
    }
    p.rule = r;
    p.len = strlen(r);
    p.kind = kind_of(r);
    if (ig->n == ig->cap) {
        size_t nc = ig->cap ? ig->cap * 2 : 8;
        ig->p = arena_realloc(a, ig->p, ig->cap * sizeof *ig->p, nc * sizeof *ig->p);
        ig->cap = nc;
    }
    ig->p[ig->n++] = p;
}

chart_ignore *chart_ignore_parse(arena *a, const char *text, size_t len, cap_err *err)
{
    chart_ignore *ig = arena_zalloc(a, sizeof *ig);
    if (text) {
        if (len >= 3 && memcmp(text, "\xEF\xBB\xBF", 3) == 0) {
            text += 3;
            len -= 3;
        }
        size_t i = 0;
        while (i < len) {
            size_t j = i;
            while (j < len && text[j] != '\n')
                j++;
            bool bad = false;
            add_rule(a, ig, text + i, j - i, &bad);
            if (bad) {
                cap_err_set(err, "double-star (**) syntax is not supported");
                return NULL;
            }
            i = j + 1;
        }
    }
    bool bad = false;
    add_rule(a, ig, "templates/.?*", 13, &bad); /* Helm's AddDefaults */
    return ig;
}

static bool match(const pattern *p, const char *path)
{
    const char *n = path;
    if (!p->whole_path) {
        const char *sl = strrchr(path, '/');
        if (sl)
            n = sl + 1;
    }
    switch (p->kind) {
    case PAT_LITERAL:
        return strcmp(p->rule, n) == 0;
    case PAT_SUFFIX: {
        /* the star takes what comes before the suffix, and '/' never */
        size_t nl = strlen(n), sl = p->len - 1;
        return nl >= sl && memcmp(n + nl - sl, p->rule + 1, sl) == 0 && !memchr(n, '/', nl - sl);
    }
    default:
        return fnmatch(p->rule, n, FNM_PATHNAME | FNM_PERIOD * 0) == 0;
    }
}

bool chart_ignore_match(const chart_ignore *ig, const char *path, bool is_dir)
{
    if (!*path || strcmp(path, ".") == 0 || strcmp(path, "./") == 0)
        return false;
    for (size_t i = 0; i < ig->n; i++) {
        const pattern *p = &ig->p[i];
        if (p->negate) {
            if (p->must_dir && !is_dir)
                return true;
            if (!match(p, path))
                return true;
            continue;
        }
        if (p->must_dir && !is_dir)
            continue;
        if (match(p, path))
            return true;
    }
    return false;
}
