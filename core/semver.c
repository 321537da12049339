/* semver.c — Masterminds/semver v3.4.0: NewVersion, Compare, NewConstraint,
 * Constraints.Check. The constraint grammar is Masterminds' own set of regular
 * expressions; they are run through PCRE2 (leftmost-first, as Go's regexp),
 * with Go's \s spelled out as [\t\n\f\r ]. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/semver.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

/* ---- versions ------------------------------------------------------------ */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_ident(char c)
{
    return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-';
}

/* strconv.ParseUint(s[0:n], 10, 64) for a run of digits. */
static int parse_u64(arena *a, const char *s, size_t n, uint64_t *out, const char **err)
{
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10) {
            *err = arena_printf(a, "error parsing version segment: strconv.ParseUint: "
                                   "parsing \"%.*s\": value out of range", (int)n, s);
            return -1;
        }
        v = v * 10 + d;
    }
    *out = v;
    return 0;
}

/* ([0-9A-Za-z-]+)(\.[0-9A-Za-z-]+)* spanning exactly s[0:n]. */
static bool dotted_idents(const char *s, size_t n)
{
    if (n == 0)
        return false;
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (seg == 0)
                return false;
            seg = 0;
        } else if (is_ident(s[i])) {
            seg++;
        } else {
            return false;
        }
    }
    return seg > 0;
}

int semver_parse(arena *a, const char *s, semver_version *out, const char **err)
{
    const char *p = s;
    const char *seg[3] = {0};
    size_t seglen[3] = {0};
    if (*p == 'v')
        p++;
    for (int k = 0; k < 3; k++) {
        if (k > 0) {
            if (*p != '.' || !is_digit(p[1]))
                break;
            p++;
        }
        if (!is_digit(*p))
            goto invalid;
        seg[k] = p;
        while (is_digit(*p))
            p++;
        seglen[k] = (size_t)(p - seg[k]);
    }
    const char *pre = "", *meta = "";
    if (*p == '-') {
        const char *q = p + 1;
        size_t n = strcspn(q, "+");
        if (!dotted_idents(q, n))
            goto invalid;
        pre = arena_strndup(a, q, n);
        p = q + n;
    }
    if (*p == '+') {
        const char *q = p + 1;
        size_t n = strlen(q);
        if (!dotted_idents(q, n))
            goto invalid;
        meta = q;
        p = q + n;
    }
    if (*p != '\0')
        goto invalid;

    semver_version v = {0, 0, 0, pre, meta, NULL};
    uint64_t *dst[3] = {&v.major, &v.minor, &v.patch};
    for (int k = 0; k < 3; k++)
        if (seg[k] && parse_u64(a, seg[k], seglen[k], dst[k], err) < 0)
            return -1;
    /* validatePrerelease: numeric identifiers may not start with 0 */
    if (*pre) {
        const char *q = pre;
        while (*q) {
            size_t n = strcspn(q, ".");
            bool numeric = true;
            for (size_t i = 0; i < n; i++)
                if (!is_digit(q[i]))
                    numeric = false;
            if (numeric && n > 1 && q[0] == '0') {
                *err = "version segment starts with 0";
                return -1;
            }
            q += n;
            if (*q == '.')
                q++;
        }
    }
    v.metadata = *meta ? arena_strdup(a, meta) : "";
    v.original = arena_strdup(a, s);
    *out = v;
    return 0;
invalid:
    *err = "invalid semantic version";
    return -1;
}

static int cmp_u64(uint64_t x, uint64_t y) { return x < y ? -1 : x > y ? 1 : 0; }

/* strconv.ParseUint(s, 10, 64) succeeded? */
static bool numeric_part(const char *s, size_t n, uint64_t *out)
{
    if (n == 0)
        return false;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        if (!is_digit(s[i]))
            return false;
        unsigned d = (unsigned)(s[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    *out = v;
    return true;
}

/* comparePrePart, quirks included (numerically equal but textually different
 * parts such as "01" and "1" compare as -1). */
static int cmp_pre_part(const char *s, size_t sn, const char *o, size_t on)
{
    if (sn == on && memcmp(s, o, sn) == 0)
        return 0;
    if (sn == 0)
        return -1;
    if (on == 0)
        return 1;
    uint64_t si = 0, oi = 0;
    bool onum = numeric_part(o, on, &oi), snum = numeric_part(s, sn, &si);
    if (!onum && !snum) {
        size_t m = sn < on ? sn : on;
        int c = memcmp(s, o, m);
        if (c > 0 || (c == 0 && sn > on))
            return 1;
        return -1;
    }
    if (!onum)
        return -1;
    if (!snum)
        return 1;
    return si > oi ? 1 : -1;
}

static int cmp_prerelease(const char *v, const char *o)
{
    for (;;) {
        size_t vn = strcspn(v, "."), on = strcspn(o, ".");
        int d = cmp_pre_part(v, vn, o, on);
        if (d != 0)
            return d;
        v += vn;
        o += on;
        if (*v == '\0' && *o == '\0')
            return 0;
        if (*v == '.')
            v++;
        if (*o == '.')
            o++;
        /* a list that ran out compares as "" parts; both empty ends above */
    }
}

int semver_compare(const semver_version *v, const semver_version *o)
{
    int d;
    if ((d = cmp_u64(v->major, o->major)) != 0)
        return d;
    if ((d = cmp_u64(v->minor, o->minor)) != 0)
        return d;
    if ((d = cmp_u64(v->patch, o->patch)) != 0)
        return d;
    if (!*v->pre && !*o->pre)
        return 0;
    if (!*v->pre)
        return 1;
    if (!*o->pre)
        return -1;
    return cmp_prerelease(v->pre, o->pre);
}

char *semver_string(arena *a, const semver_version *v)
{
    return arena_printf(a, "%llu.%llu.%llu%s%s%s%s", (unsigned long long)v->major,
                        (unsigned long long)v->minor, (unsigned long long)v->patch,
                        *v->pre ? "-" : "", v->pre, *v->metadata ? "+" : "", v->metadata);
}

/* ---- constraints ---------------------------------------------------------- */

#define WS "[\\t\\n\\f\\r ]"
#define CV "v?([0-9|x|X|\\*]+)(\\.[0-9|x|X|\\*]+)?(\\.[0-9|x|X|\\*]+)?" \
           "(-([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?" \
           "(\\+([0-9A-Za-z\\-]+(\\.[0-9A-Za-z\\-]+)*))?"
#define OPS "=||!=|>|<|>=|=>|<=|=<|~|~>|\\^"

static const char re_constraint[] = "^" WS "*(" OPS ")" WS "*(" CV ")" WS "*$";
static const char re_range[] = WS "*(" CV ")" WS "+-" WS "+(" CV ")" WS "*";
static const char re_find[] = "(" OPS ")" WS "*(" CV ")";
static const char re_valid[] = "^(" WS "*(" OPS ")" WS "*(" CV ")" WS "*)((?:" WS "+|," WS "*)("
                               OPS ")" WS "*(" CV ")" WS "*)*$";

typedef enum { OP_TILDE_EQ, OP_NE, OP_GT, OP_LT, OP_GE, OP_LE, OP_TILDE, OP_CARET } cop;

typedef struct one_constraint {
    semver_version con;
    cop op;
    bool dirty, minor_dirty, patch_dirty;
} one_constraint;

struct semver_constraints {
    size_t nor;
    size_t *nand;           /* per OR group */
    one_constraint **and;   /* per OR group */
    bool *contains_pre;
    arena *mem;             /* owns the constraint versions' strings */
};

static pcre2_code *compile(const char *pat)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED, PCRE2_DOLLAR_ENDONLY,
                                   &ec, &eo, NULL);
    if (!re)
        abort(); /* the patterns are constants */
    return re;
}

/* A pattern, compiled when it is first matched (a chart's semverCompare
 * needs three of the four; compiling one is about 90,000 instructions). */
typedef struct rx {
    const char *pat;
    pcre2_code *re;
    pcre2_match_data *md;
} rx;

static rx rx_new(const char *pat)
{
    return (rx){ pat, NULL, NULL };
}

static void rx_free(rx *r)
{
    pcre2_match_data_free(r->md);
    pcre2_code_free(r->re);
}

/* Match at or after start; returns the ovector or NULL. */
static PCRE2_SIZE *rx_match(rx *r, const char *s, size_t len, size_t start)
{
    if (!r->re) {
        r->re = compile(r->pat);
        r->md = pcre2_match_data_create_from_pattern(r->re, NULL);
    }
    int rc = pcre2_match(r->re, (PCRE2_SPTR)s, len, start, 0, r->md, NULL);
    if (rc < 0)
        return NULL;
    return pcre2_get_ovector_pointer(r->md);
}

static const char *group(arena *a, const char *s, PCRE2_SIZE *ov, int i)
{
    if (ov[2 * i] == PCRE2_UNSET)
        return "";
    return arena_strndup(a, s + ov[2 * i], ov[2 * i + 1] - ov[2 * i]);
}

static bool is_x(const char *s)
{
    return strcmp(s, "x") == 0 || strcmp(s, "X") == 0 || strcmp(s, "*") == 0;
}

/* rewriteRange: "1.0 - 2.0" becomes ">= 1.0, <= 2.0 ". */
static bool ws(char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }

static char *rewrite_range(arena *a, rx *r, const char *in)
{
    size_t len = strlen(in), pos = 0;
    char *o = arena_strdup(a, in);
    /* a range has a '-' between spaces (WS+ "-" WS+): without one the
     * pattern cannot match, and need not be compiled */
    bool dash = false;
    for (size_t i = 1; i + 1 < len && !dash; i++)
        dash = in[i] == '-' && ws(in[i - 1]) && ws(in[i + 1]);
    if (!dash)
        return o;
    PCRE2_SIZE *ov;
    while (pos <= len && (ov = rx_match(r, in, len, pos)) != NULL) {
        const char *whole = group(a, in, ov, 0);
        const char *lo = group(a, in, ov, 1), *hi = group(a, in, ov, 11);
        char *t = arena_printf(a, ">= %s, <= %s ", lo, hi);
        char *at = strstr(o, whole);
        if (at) {
            strbuf sb = STRBUF_INIT;
            sb_add(&sb, o, (size_t)(at - o));
            sb_adds(&sb, t);
            sb_adds(&sb, at + strlen(whole));
            o = arena_strdup(a, sb_str(&sb));
            sb_release(&sb);
        }
        pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
    }
    return o;
}

/* parseConstraint after its pattern matched: the operator, the version as
 * written (orig), its major (m3), ".minor" (m4), ".patch" (m5) and
 * "-prerelease" (m6), each "" when absent. */
static int parse_groups(arena *a, const char *op, const char *orig, const char *m3, const char *m4,
                        const char *m5, const char *m6, one_constraint *out, const char **err)
{
    static const struct { const char *s; cop op; } ops[] = {
        {"", OP_TILDE_EQ}, {"=", OP_TILDE_EQ}, {"!=", OP_NE}, {">", OP_GT}, {"<", OP_LT},
        {">=", OP_GE}, {"=>", OP_GE}, {"<=", OP_LE}, {"=<", OP_LE}, {"~", OP_TILDE},
        {"~>", OP_TILDE}, {"^", OP_CARET},
    };
    one_constraint c = {0};
    for (size_t i = 0; i < sizeof ops / sizeof *ops; i++)
        if (strcmp(op, ops[i].s) == 0)
            c.op = ops[i].op;
    const char *ver = orig;
    if (is_x(m3) || !*m3) {
        ver = arena_printf(a, "0.0.0%s", m6);
        c.dirty = true;
    } else if (is_x(*m4 ? m4 + 1 : m4) || !*m4) {
        c.minor_dirty = c.dirty = true;
        ver = arena_printf(a, "%s.0.0%s", m3, m6);
    } else if (is_x(*m5 ? m5 + 1 : m5) || !*m5) {
        c.dirty = c.patch_dirty = true;
        ver = arena_printf(a, "%s%s.0%s", m3, m4, m6);
    }
    const char *verr;
    if (semver_parse(a, ver, &c.con, &verr) < 0) {
        *err = "constraint parser error";
        return -1;
    }
    *out = c;
    return 0;
}

static int parse_one(arena *a, rx *rc, const char *s, one_constraint *out, const char **err)
{
    PCRE2_SIZE *ov = rx_match(rc, s, strlen(s), 0);
    if (!ov) {
        *err = arena_printf(a, "improper constraint: %s", s);
        return -1;
    }
    return parse_groups(a, group(a, s, ov, 1), group(a, s, ov, 2), group(a, s, ov, 3), group(a, s, ov, 4),
                        group(a, s, ov, 5), group(a, s, ov, 6), out, err);
}

/* The constraint most charts write, one operator and a plain version
 * (">=1.21-0", "^2.0", "1.2.3"), read without the grammar's patterns, whose
 * compiling costs more than a small chart's render. In words: spaces, an
 * operator (the longest run of "=!<>~^", one of the grammar's), spaces, "v"?,
 * one to three numbers, "-" and a prerelease?, spaces, and nothing else. The
 * patterns read such a string the same way: their operators are tried
 * leftmost first, but a version starts with a digit or "v", so only the
 * whole run of operator characters lets it match. Anything else (wildcards,
 * metadata, "||", ",", ranges, errors) is the patterns' to read. false: not
 * such a constraint (nothing made). */
static bool parse_simple(arena *a, const char *s, one_constraint *out, bool *ok, const char **err)
{
    const char *p = s;
    while (ws(*p))
        p++;
    const char *o = p;
    while (*p && strchr("=!<>~^", *p))
        p++;
    size_t on = (size_t)(p - o);
    static const char *const ops[] = { "", "=", "!=", ">", "<", ">=", "=>", "<=", "=<", "~", "~>", "^" };
    size_t k = 0;
    while (k < sizeof ops / sizeof *ops && !(strlen(ops[k]) == on && memcmp(ops[k], o, on) == 0))
        k++;
    if (k == sizeof ops / sizeof *ops)
        return false;
    while (ws(*p))
        p++;
    const char *v = p;
    if (*p == 'v')
        p++;
    const char *part[3] = { NULL, NULL, NULL }, *pend[3] = { NULL, NULL, NULL };
    int nparts = 0;
    while (nparts < 3) {
        const char *d = p;
        while (*p >= '0' && *p <= '9')
            p++;
        if (p == d)
            return false;
        part[nparts] = nparts ? d - 1 : d; /* ".minor" and ".patch" keep their dot */
        pend[nparts++] = p;
        if (*p != '.')
            break;
        p++;
    }
    const char *pre = p, *pre_end = p;
    if (*p == '-') {
        p++;
        for (;;) {
            const char *id = p;
            while ((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || *p == '-')
                p++;
            if (p == id)
                return false;
            if (*p != '.')
                break;
            p++;
        }
        pre_end = p;
    }
    const char *v_end = p;
    while (ws(*p))
        p++;
    if (*p)
        return false;
    const char *m[3];
    for (int i = 0; i < 3; i++)
        m[i] = i < nparts ? arena_strndup(a, part[i], (size_t)(pend[i] - part[i])) : "";
    *ok = parse_groups(a, ops[k], arena_strndup(a, v, (size_t)(v_end - v)), m[0], m[1], m[2],
                       arena_strndup(a, pre, (size_t)(pre_end - pre)), out, err) == 0;
    return true;
}

void semver_constraints_free(semver_constraints *c)
{
    if (!c)
        return;
    arena_free(c->mem);
    free(c);
}

/* The four patterns of the grammar, each compiled at most once per
 * semver_grammar (when first used). */
struct semver_grammar {
    rx valid, find, cons, range;
};

semver_grammar *semver_grammar_new(void)
{
    semver_grammar *g = xcalloc(1, sizeof *g);
    g->valid = rx_new(re_valid);
    g->find = rx_new(re_find);
    g->cons = rx_new(re_constraint);
    g->range = rx_new(re_range);
    return g;
}

void semver_grammar_free(semver_grammar *g)
{
    if (!g)
        return;
    rx_free(&g->valid);
    rx_free(&g->find);
    rx_free(&g->cons);
    rx_free(&g->range);
    free(g);
}

semver_constraints *semver_constraints_parse(arena *a, const char *s, const char **err)
{
    semver_grammar *g = semver_grammar_new();
    semver_constraints *cs = semver_constraints_parse_with(g, a, s, err);
    semver_grammar_free(g);
    return cs;
}

static semver_constraints *parse_with(semver_grammar *g, arena *a, const char *s, bool simple, const char **err);

semver_constraints *semver_constraints_parse_with(semver_grammar *g, arena *a, const char *s, const char **err)
{
    return parse_with(g, a, s, true, err);
}

semver_constraints *semver_constraints_parse_patterns(semver_grammar *g, arena *a, const char *s, const char **err)
{
    return parse_with(g, a, s, false, err);
}

static semver_constraints *parse_with(semver_grammar *g, arena *a, const char *s, bool simple, const char **err)
{
    semver_constraints *cs = xcalloc(1, sizeof *cs);
    cs->mem = arena_new();
    arena *m = cs->mem;
    bool ok;
    one_constraint one;
    const char *e;
    if (simple && parse_simple(m, s, &one, &ok, &e)) {
        if (!ok) {
            *err = arena_strdup(a, e);
            semver_constraints_free(cs);
            return NULL;
        }
        cs->nor = 1;
        cs->nand = arena_alloc(m, sizeof *cs->nand);
        cs->and = arena_alloc(m, sizeof *cs->and);
        cs->contains_pre = arena_alloc(m, sizeof *cs->contains_pre);
        cs->nand[0] = 1;
        cs->and[0] = arena_alloc(m, sizeof one);
        cs->and[0][0] = one;
        cs->contains_pre[0] = *one.con.pre != '\0';
        return cs;
    }
    rx *rvalid = &g->valid, *rfind = &g->find, *rcons = &g->cons;
    char *str = rewrite_range(m, &g->range, s);

    size_t nor = 1;
    for (const char *p = str; (p = strstr(p, "||")) != NULL; p += 2)
        nor++;
    cs->nor = nor;
    cs->nand = arena_zalloc(m, nor * sizeof *cs->nand);
    cs->and = arena_zalloc(m, nor * sizeof *cs->and);
    cs->contains_pre = arena_zalloc(m, nor * sizeof *cs->contains_pre);

    const char *p = str;
    for (size_t k = 0; k < nor; k++) {
        const char *bar = strstr(p, "||");
        size_t n = bar ? (size_t)(bar - p) : strlen(p);
        char *part = arena_strndup(m, p, n);
        p = bar ? bar + 2 : p + n;
        if (!rx_match(rvalid, part, n, 0)) {
            *err = arena_printf(a, "improper constraint: %s", part);
            goto fail;
        }
        size_t cap = 4, cnt = 0, pos = 0;
        one_constraint *list = arena_alloc(m, cap * sizeof *list);
        PCRE2_SIZE *ov;
        while (pos <= n && (ov = rx_match(rfind, part, n, pos)) != NULL) {
            const char *found = group(m, part, ov, 0);
            pos = ov[1] > ov[0] ? ov[1] : ov[1] + 1;
            if (cnt == cap) {
                list = arena_realloc(m, list, cap * sizeof *list, 2 * cap * sizeof *list);
                cap *= 2;
            }
            const char *e;
            if (parse_one(m, rcons, found, &list[cnt], &e) < 0) {
                *err = arena_strdup(a, e);
                goto fail;
            }
            if (*list[cnt].con.pre)
                cs->contains_pre[k] = true;
            cnt++;
        }
        if (cnt == 0) {
            /* parseConstraint(v) on the whole part */
            const char *e;
            if (parse_one(m, rcons, part, &list[0], &e) < 0) {
                *err = arena_strdup(a, e);
                goto fail;
            }
            cnt = 1;
        }
        cs->and[k] = list;
        cs->nand[k] = cnt;
    }
    return cs;
fail:
    semver_constraints_free(cs);
    return NULL;
}

static bool check_tilde(const semver_version *v, const one_constraint *c)
{
    if (semver_compare(v, &c->con) < 0)
        return false;
    if (c->con.major == 0 && c->con.minor == 0 && c->con.patch == 0 && !c->minor_dirty &&
        !c->patch_dirty)
        return true;
    if (v->major != c->con.major)
        return false;
    if (v->minor != c->con.minor && !c->minor_dirty)
        return false;
    return true;
}

static bool check_one(const semver_version *v, const one_constraint *c, bool include_pre)
{
    if (*v->pre && !include_pre)
        return false;
    const semver_version *k = &c->con;
    switch (c->op) {
    case OP_TILDE_EQ:
        if (c->dirty)
            return check_tilde(v, c);
        return semver_compare(v, k) == 0;
    case OP_NE:
        if (c->dirty) {
            if (k->major != v->major)
                return true;
            if (k->minor != v->minor && !c->minor_dirty)
                return true;
            else if (c->minor_dirty)
                return false;
            else if (k->patch != v->patch && !c->patch_dirty)
                return true;
            else if (c->patch_dirty) {
                if (*v->pre || *k->pre)
                    return cmp_prerelease(v->pre, k->pre) != 0;
                return false;
            }
        }
        return semver_compare(v, k) != 0;
    case OP_GT:
        if (!c->dirty)
            return semver_compare(v, k) == 1;
        if (v->major > k->major)
            return true;
        if (v->major < k->major)
            return false;
        if (c->minor_dirty)
            return false;
        if (c->patch_dirty)
            return v->minor > k->minor;
        return semver_compare(v, k) == 1;
    case OP_LT:
        return semver_compare(v, k) < 0;
    case OP_GE:
        return semver_compare(v, k) >= 0;
    case OP_LE:
        if (!c->dirty)
            return semver_compare(v, k) <= 0;
        if (v->major > k->major)
            return false;
        if (v->major == k->major && v->minor > k->minor && !c->minor_dirty)
            return false;
        return true;
    case OP_TILDE:
        return check_tilde(v, c);
    case OP_CARET:
        if (semver_compare(v, k) < 0)
            return false;
        if (k->major > 0 || c->minor_dirty)
            return v->major == k->major;
        if (k->major == 0 && v->major > 0)
            return false;
        if (k->minor > 0 || c->patch_dirty)
            return v->minor == k->minor;
        if (k->minor == 0 && v->minor > 0)
            return false;
        return k->patch == v->patch;
    }
    return false;
}

bool semver_constraints_check(const semver_constraints *cs, const semver_version *v)
{
    for (size_t i = 0; i < cs->nor; i++) {
        bool joy = true;
        for (size_t j = 0; j < cs->nand[i]; j++)
            if (!check_one(v, &cs->and[i][j], cs->contains_pre[i])) {
                joy = false;
                break;
            }
        if (joy)
            return true;
    }
    return false;
}

int semver_satisfies(arena *a, const char *c, const char *v, const char **err)
{
    semver_constraints *cs = semver_constraints_parse(a, c, err);
    if (!cs)
        return -1;
    semver_version ver;
    if (semver_parse(a, v, &ver, err) < 0) {
        semver_constraints_free(cs);
        return -1;
    }
    bool ok = semver_constraints_check(cs, &ver);
    semver_constraints_free(cs);
    return ok ? 1 : 0;
}
