/* regex_nfa.c — a Pike VM for fn_regex.c's translated patterns (see
 * regex_nfa.h). The program is built as Go's regexp/syntax builds it
 * (simplify's expansion of x{n,m}, compile's split/loop shapes, a nullable
 * x* compiled as (x+)?), and run as Go's regexp runs its NFA, so that
 * priorities, and therefore captures, agree with Go. */
#include "renderer/funcs/regex_nfa.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- UTF-8 ------------------------------------------------------------------ */

int32_t rx_decode_rune(const char *p, const char *end, int *w)
{
    const unsigned char *s = (const unsigned char *)p;
    size_t n = (size_t)(end - p);
    if (n == 0) {
        *w = 0;
        return -1;
    }
    unsigned c = s[0];
    if (c < 0x80) {
        *w = 1;
        return (int32_t)c;
    }
    int len = c >= 0xF0 && c < 0xF5 ? 4 : c >= 0xE0 && c < 0xF0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (len == 0 || (size_t)len > n)
        goto bad;
    uint32_t r = c & (len == 2 ? 0x1F : len == 3 ? 0x0F : 0x07);
    for (int i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            goto bad;
        r = (r << 6) | (s[i] & 0x3F);
    }
    if ((len == 3 && (r < 0x800 || (r >= 0xD800 && r <= 0xDFFF))) || (len == 4 && (r < 0x10000 || r > 0x10FFFF)))
        goto bad;
    *w = len;
    return (int32_t)r;
bad:
    *w = 1;
    return 0xFFFD;
}

/* Go's utf8.DecodeLastRuneInString(s[:pos]); -1 at the start. */
static int32_t rune_before(const char *s, size_t pos)
{
    if (pos == 0)
        return -1;
    size_t lim = pos >= 4 ? pos - 4 : 0;
    size_t st = pos - 1;
    while (st > lim && ((unsigned char)s[st] & 0xC0) == 0x80)
        st--;
    int w;
    int32_t r = rx_decode_rune(s + st, s + pos, &w);
    if (st + (size_t)w != pos)
        return 0xFFFD;
    return r;
}

bool rx_utf8_valid(const char *s, size_t len)
{
    for (size_t i = 0; i < len;) {
        if ((unsigned char)s[i] < 0x80) {
            i++;
            continue;
        }
        int w;
        int32_t r = rx_decode_rune(s + i, s + len, &w);
        if (r == 0xFFFD && w == 1)
            return false;
        i += (size_t)w;
    }
    return true;
}

/* ---- growable arrays (malloc, checked) ------------------------------------- */

static bool grow(void **p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap)
        return true;
    size_t nc = *cap ? *cap : 16;
    while (nc < need)
        nc *= 2;
    void *q = realloc(*p, nc * elem);
    if (!q)
        return false;
    *p = q;
    *cap = nc;
    return true;
}

/* ---- rune sets ---------------------------------------------------------------- */

typedef struct rset {
    int32_t *r; /* pairs lo, hi */
    size_t n, cap; /* pairs */
} rset;

static bool rs_add(rset *s, int32_t lo, int32_t hi)
{
    if (!grow((void **)&s->r, &s->cap, s->n + 1, 2 * sizeof(int32_t)))
        return false;
    s->r[2 * s->n] = lo;
    s->r[2 * s->n + 1] = hi;
    s->n++;
    return true;
}

static int cmp_pair(const void *a, const void *b)
{
    const int32_t *x = a, *y = b;
    return x[0] < y[0] ? -1 : x[0] > y[0] ? 1 : 0;
}

static void rs_clean(rset *s)
{
    if (s->n == 0)
        return;
    qsort(s->r, s->n, 2 * sizeof(int32_t), cmp_pair);
    size_t k = 0;
    for (size_t i = 1; i < s->n; i++) {
        if (s->r[2 * i] <= s->r[2 * k + 1] + 1) {
            if (s->r[2 * i + 1] > s->r[2 * k + 1])
                s->r[2 * k + 1] = s->r[2 * i + 1];
        } else {
            k++;
            s->r[2 * k] = s->r[2 * i];
            s->r[2 * k + 1] = s->r[2 * i + 1];
        }
    }
    s->n = k + 1;
}

/* Replace s by its complement in [0, 0x10FFFF]. */
static bool rs_negate(rset *s)
{
    rs_clean(s);
    rset t = {NULL, 0, 0};
    int32_t next = 0;
    bool ok = true;
    for (size_t i = 0; i < s->n && ok; i++) {
        if (s->r[2 * i] > next)
            ok = rs_add(&t, next, s->r[2 * i] - 1);
        next = s->r[2 * i + 1] + 1;
    }
    if (ok && next <= 0x10FFFF)
        ok = rs_add(&t, next, 0x10FFFF);
    free(s->r);
    *s = t;
    return ok;
}

static bool overlaps(int32_t lo, int32_t hi, int32_t a, int32_t b) { return lo <= b && hi >= a; }

/* Add Go's simple case folds of [lo, hi] to s. Only ASCII letters and
 * their two non-ASCII partners (U+017F ſ, U+212A K) are known here; a
 * range reaching other non-ASCII runes is unsupported unless it covers all
 * of them (then it is closed under folding except for those two). */
static int fold_range(rset *s, int32_t lo, int32_t hi)
{
    if (hi >= 0x80 && !(lo <= 0x80 && hi == 0x10FFFF)) {
        bool only_known = true;
        for (int32_t c = lo > 0x80 ? lo : 0x80; c <= hi && only_known; c++)
            if (c != 0x17F && c != 0x212A)
                only_known = false;
        if (!only_known)
            return RX_NFA_UNSUPPORTED;
    }
    bool ok = true;
    if (overlaps(lo, hi, 'A', 'Z'))
        ok = ok && rs_add(s, (lo > 'A' ? lo : 'A') + 32, (hi < 'Z' ? hi : 'Z') + 32);
    if (overlaps(lo, hi, 'a', 'z'))
        ok = ok && rs_add(s, (lo > 'a' ? lo : 'a') - 32, (hi < 'z' ? hi : 'z') - 32);
    if (overlaps(lo, hi, 'k', 'k') || overlaps(lo, hi, 'K', 'K') || overlaps(lo, hi, 0x212A, 0x212A))
        ok = ok && rs_add(s, 'k', 'k') && rs_add(s, 'K', 'K') && rs_add(s, 0x212A, 0x212A);
    if (overlaps(lo, hi, 's', 's') || overlaps(lo, hi, 'S', 'S') || overlaps(lo, hi, 0x17F, 0x17F))
        ok = ok && rs_add(s, 's', 's') && rs_add(s, 'S', 'S') && rs_add(s, 0x17F, 0x17F);
    return ok ? RX_NFA_OK : RX_NFA_NOMEM;
}

/* ---- syntax tree ---------------------------------------------------------------- */

enum { N_SET, N_ANY, N_ANYNL, N_EMPTY, N_ASSERT, N_CAT, N_ALT, N_CAP, N_REPEAT };
enum { A_BOT = 1, A_EOT = 2, A_BOL = 4, A_EOL = 8, A_WB = 16, A_NWB = 32 };
enum { F_I = 1, F_M = 2, F_S = 4, F_U = 8 };

typedef struct node {
    int op;
    int min, max;     /* N_REPEAT (max -1: no bound); N_CAP: group; N_ASSERT: kind */
    bool lazy;
    int sub, next;    /* first child, next sibling (-1: none) */
    size_t set, nset; /* N_SET: pairs in the parser's pool */
} node;

typedef struct parser {
    const char *p, *end;
    node *nodes;
    size_t nn, cn;
    int32_t *pool; /* rune pairs of every N_SET */
    size_t np, cp;
    unsigned ncap;
    int err;
} parser;

static int new_node(parser *ps, int op)
{
    if (!grow((void **)&ps->nodes, &ps->cn, ps->nn + 1, sizeof(node))) {
        ps->err = RX_NFA_NOMEM;
        return -1;
    }
    node *n = &ps->nodes[ps->nn];
    memset(n, 0, sizeof *n);
    n->op = op;
    n->sub = n->next = -1;
    return (int)ps->nn++;
}

/* A set node from s (consumed), folded first when fold. */
static int set_node(parser *ps, rset *s, bool negate)
{
    int id = -1;
    rs_clean(s);
    if (negate && !rs_negate(s))
        ps->err = RX_NFA_NOMEM;
    else if (!grow((void **)&ps->pool, &ps->cp, ps->np + s->n, 2 * sizeof(int32_t)))
        ps->err = RX_NFA_NOMEM;
    else if ((id = new_node(ps, N_SET)) >= 0) {
        memcpy(ps->pool + 2 * ps->np, s->r, s->n * 2 * sizeof(int32_t));
        ps->nodes[id].set = ps->np;
        ps->nodes[id].nset = s->n;
        ps->np += s->n;
    }
    free(s->r);
    return ps->err ? -1 : id;
}

/* Add [lo, hi], folded when fold, to s. */
static bool add_item(parser *ps, rset *s, int32_t lo, int32_t hi, bool fold)
{
    if (!rs_add(s, lo, hi)) {
        ps->err = RX_NFA_NOMEM;
        return false;
    }
    if (fold) {
        int e = fold_range(s, lo, hi);
        if (e) {
            ps->err = e;
            return false;
        }
    }
    return true;
}

/* Add a group (\d, [:alpha:], ...) given as ranges, folded, maybe negated. */
static bool add_group(parser *ps, rset *s, const int32_t *r, size_t n, bool neg, bool fold)
{
    rset g = {NULL, 0, 0};
    for (size_t i = 0; i < n; i++)
        if (!add_item(ps, &g, r[2 * i], r[2 * i + 1], fold)) {
            free(g.r);
            return false;
        }
    bool ok = !neg || rs_negate(&g);
    for (size_t i = 0; ok && i < g.n; i++)
        ok = rs_add(s, g.r[2 * i], g.r[2 * i + 1]);
    free(g.r);
    if (!ok)
        ps->err = RX_NFA_NOMEM;
    return ok;
}

static const int32_t g_digit[] = {'0', '9'};
static const int32_t g_word[] = {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'};

static const struct posix {
    const char *name;
    int32_t r[8];
    size_t n;
} posix[] = {
    {"alnum", {'0', '9', 'A', 'Z', 'a', 'z'}, 3},
    {"alpha", {'A', 'Z', 'a', 'z'}, 2},
    {"ascii", {0, 0x7F}, 1},
    {"blank", {'\t', '\t', ' ', ' '}, 2},
    {"cntrl", {0, 0x1F, 0x7F, 0x7F}, 2},
    {"digit", {'0', '9'}, 1},
    {"graph", {'!', '~'}, 1},
    {"lower", {'a', 'z'}, 1},
    {"print", {' ', '~'}, 1},
    {"punct", {'!', '/', ':', '@', '[', '`', '{', '~'}, 4},
    {"space", {'\t', '\r', ' ', ' '}, 2},
    {"upper", {'A', 'Z'}, 1},
    {"word", {'0', '9', 'A', 'Z', '_', '_', 'a', 'z'}, 4},
    {"xdigit", {'0', '9', 'A', 'F', 'a', 'f'}, 3},
};

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* One literal rune at ps->p (an escape or a character); -1 when it is not a
 * literal this engine knows (the error is set). */
static int32_t literal(parser *ps)
{
    const char *p = ps->p;
    int w;
    if (*p != '\\') {
        int32_t r = rx_decode_rune(p, ps->end, &w);
        ps->p += w;
        return r;
    }
    if (ps->end - p < 2)
        goto unsupported;
    char c = p[1];
    ps->p += 2;
    switch (c) {
    case 't': return '\t';
    case 'n': return '\n';
    case 'f': return '\f';
    case 'r': return '\r';
    case 'v': return '\v';
    case 'a': return '\a';
    case 'x': {
        if (ps->p >= ps->end || *ps->p != '{')
            goto unsupported;
        int32_t r = 0;
        const char *q = ps->p + 1;
        for (; q < ps->end && *q != '}'; q++) {
            int v = hexval(*q);
            if (v < 0 || r > 0x10FFFF)
                goto unsupported;
            r = r * 16 + v;
        }
        if (q >= ps->end || r > 0x10FFFF)
            goto unsupported;
        ps->p = q + 1;
        return r;
    }
    default:
        if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
            return (unsigned char)c;
    }
unsupported:
    ps->err = RX_NFA_UNSUPPORTED;
    return -1;
}

/* \d \D \w \W at ps->p, into s; false when it is not one (no error). */
static bool perl_group(parser *ps, rset *s, unsigned flags, bool *handled)
{
    *handled = false;
    if (ps->end - ps->p < 2 || ps->p[0] != '\\')
        return true;
    char c = ps->p[1];
    if (c != 'd' && c != 'D' && c != 'w' && c != 'W')
        return true;
    *handled = true;
    ps->p += 2;
    bool word = c == 'w' || c == 'W';
    return add_group(ps, s, word ? g_word : g_digit, word ? 4 : 1, c == 'D' || c == 'W', flags & F_I);
}

static int parse_class(parser *ps, unsigned flags)
{
    rset s = {NULL, 0, 0};
    ps->p++; /* [ */
    bool neg = false;
    if (ps->p < ps->end && *ps->p == '^') {
        neg = true;
        ps->p++;
    }
    while (ps->p < ps->end && *ps->p != ']') {
        if (ps->end - ps->p > 2 && ps->p[0] == '[' && ps->p[1] == ':') {
            const char *q = ps->p + 2;
            bool pneg = q < ps->end && *q == '^';
            q += pneg;
            const char *e = q;
            while (e + 1 < ps->end && !(e[0] == ':' && e[1] == ']'))
                e++;
            const struct posix *f = NULL;
            for (size_t i = 0; i < sizeof posix / sizeof *posix; i++)
                if (strlen(posix[i].name) == (size_t)(e - q) && memcmp(posix[i].name, q, (size_t)(e - q)) == 0)
                    f = &posix[i];
            if (!f) {
                ps->err = RX_NFA_UNSUPPORTED;
                break;
            }
            if (!add_group(ps, &s, f->r, f->n, pneg, flags & F_I))
                break;
            ps->p = e + 2;
            continue;
        }
        bool handled;
        if (!perl_group(ps, &s, flags, &handled))
            break;
        if (handled)
            continue;
        int32_t lo = literal(ps), hi = lo;
        if (lo < 0)
            break;
        if (ps->end - ps->p >= 2 && ps->p[0] == '-' && ps->p[1] != ']') {
            ps->p++;
            hi = literal(ps);
            if (hi < 0)
                break;
        }
        if (!add_item(ps, &s, lo, hi, flags & F_I))
            break;
    }
    if (ps->err || ps->p >= ps->end) {
        if (!ps->err)
            ps->err = RX_NFA_UNSUPPORTED;
        free(s.r);
        return -1;
    }
    ps->p++; /* ] */
    return set_node(ps, &s, neg);
}

static int assert_node(parser *ps, int kind)
{
    int id = new_node(ps, N_ASSERT);
    if (id >= 0)
        ps->nodes[id].min = kind;
    return id;
}

static int parse_alt(parser *ps, unsigned *flags, int depth);

/* Read flag letters (i m s U, '-') at ps->p up to ':' or ')'; updates *flags. */
static bool read_flags(parser *ps, unsigned *flags, char *stop)
{
    bool neg = false;
    for (const char *q = ps->p; q < ps->end; q++) {
        unsigned bit = *q == 'i' ? F_I : *q == 'm' ? F_M : *q == 's' ? F_S : *q == 'U' ? F_U : 0;
        if (bit) {
            *flags = neg ? *flags & ~bit : *flags | bit;
        } else if (*q == '-') {
            neg = true;
        } else if (*q == ':' || *q == ')') {
            *stop = *q;
            ps->p = q + 1;
            return true;
        } else {
            break;
        }
    }
    ps->err = RX_NFA_UNSUPPORTED;
    return false;
}

static int parse_atom(parser *ps, unsigned flags, int depth)
{
    const char *p = ps->p;
    switch (*p) {
    case '(': {
        int cap = -1;
        unsigned inner = flags;
        if (ps->end - p >= 2 && p[1] == '?') {
            if (ps->end - p >= 3 && p[2] == '<') {
                const char *gt = memchr(p, '>', (size_t)(ps->end - p));
                if (!gt) {
                    ps->err = RX_NFA_UNSUPPORTED;
                    return -1;
                }
                cap = (int)++ps->ncap;
                ps->p = gt + 1;
            } else {
                ps->p = p + 2;
                char stop;
                if (!read_flags(ps, &inner, &stop))
                    return -1;
                if (stop != ':') { /* a flag group is handled by parse_cat */
                    ps->err = RX_NFA_UNSUPPORTED;
                    return -1;
                }
            }
        } else {
            cap = (int)++ps->ncap;
            ps->p = p + 1;
        }
        int sub = parse_alt(ps, &inner, depth + 1);
        if (sub < 0)
            return -1;
        if (ps->p >= ps->end || *ps->p != ')') {
            ps->err = RX_NFA_UNSUPPORTED;
            return -1;
        }
        ps->p++;
        if (cap < 0)
            return sub;
        int id = new_node(ps, N_CAP);
        if (id >= 0) {
            ps->nodes[id].min = cap;
            ps->nodes[id].sub = sub;
        }
        return id;
    }
    case '.':
        ps->p++;
        return new_node(ps, flags & F_S ? N_ANY : N_ANYNL);
    case '^':
        ps->p++;
        return assert_node(ps, flags & F_M ? A_BOL : A_BOT);
    case '$':
        ps->p++;
        return assert_node(ps, flags & F_M ? A_EOL : A_EOT);
    case '[':
        return parse_class(ps, flags);
    case '\\':
        if (ps->end - p >= 2) {
            int kind = p[1] == 'A' ? A_BOT : p[1] == 'z' ? A_EOT : p[1] == 'b' ? A_WB : p[1] == 'B' ? A_NWB : 0;
            if (kind) {
                ps->p += 2;
                return assert_node(ps, kind);
            }
            rset s = {NULL, 0, 0};
            bool handled;
            if (!perl_group(ps, &s, flags, &handled)) {
                free(s.r);
                return -1;
            }
            if (handled)
                return set_node(ps, &s, false);
        }
        break;
    case '*': case '+': case '?': case '{': case ')': case '|':
        ps->err = RX_NFA_UNSUPPORTED;
        return -1;
    default:
        break;
    }
    int32_t r = literal(ps);
    if (r < 0)
        return -1;
    rset s = {NULL, 0, 0};
    if (!add_item(ps, &s, r, r, flags & F_I)) {
        free(s.r);
        return -1;
    }
    return set_node(ps, &s, false);
}

/* A repeat operator at ps->p: fills min/max; false when there is none. */
static bool parse_repeat_op(parser *ps, int *min, int *max)
{
    char c = *ps->p;
    if (c == '*' || c == '+' || c == '?') {
        *min = c == '+';
        *max = c == '?' ? 1 : -1;
        ps->p++;
        return true;
    }
    if (c != '{')
        return false;
    const char *q = ps->p + 1;
    long lo = 0, hi;
    while (q < ps->end && *q >= '0' && *q <= '9' && lo <= 100000)
        lo = lo * 10 + (*q++ - '0');
    hi = lo;
    if (q < ps->end && *q == ',') {
        q++;
        if (q < ps->end && *q == '}') {
            hi = -1;
        } else {
            hi = 0;
            while (q < ps->end && *q >= '0' && *q <= '9' && hi <= 100000)
                hi = hi * 10 + (*q++ - '0');
        }
    }
    if (q >= ps->end || *q != '}' || lo > 1000 || hi > 1000) {
        ps->err = RX_NFA_UNSUPPORTED;
        return false;
    }
    ps->p = q + 1;
    *min = (int)lo;
    *max = (int)hi;
    return true;
}

static int parse_cat(parser *ps, unsigned *flags, int depth)
{
    int cat = new_node(ps, N_CAT), last = -1;
    while (cat >= 0 && ps->p < ps->end && *ps->p != '|' && *ps->p != ')') {
        if (ps->end - ps->p >= 3 && ps->p[0] == '(' && ps->p[1] == '?' && ps->p[2] != '<' && ps->p[2] != ':') {
            const char *save = ps->p;
            unsigned f = *flags;
            char stop;
            ps->p += 2;
            if (!read_flags(ps, &f, &stop))
                return -1;
            if (stop == ')') {
                *flags = f;
                continue;
            }
            ps->p = save;
        }
        int atom = parse_atom(ps, *flags, depth);
        if (atom < 0)
            return -1;
        int min, max;
        while (ps->p < ps->end && parse_repeat_op(ps, &min, &max)) {
            bool q = ps->p < ps->end && *ps->p == '?';
            ps->p += q;
            int rep = new_node(ps, N_REPEAT);
            if (rep < 0)
                return -1;
            node *n = &ps->nodes[rep];
            n->min = min;
            n->max = max;
            n->lazy = q != ((*flags & F_U) != 0);
            n->sub = atom;
            atom = rep;
        }
        if (ps->err)
            return -1;
        if (last < 0)
            ps->nodes[cat].sub = atom;
        else
            ps->nodes[last].next = atom;
        last = atom;
    }
    return ps->err ? -1 : cat;
}

static int parse_alt(parser *ps, unsigned *flags, int depth)
{
    if (depth > 1100) {
        ps->err = RX_NFA_UNSUPPORTED;
        return -1;
    }
    int first = parse_cat(ps, flags, depth);
    if (first < 0 || ps->p >= ps->end || *ps->p != '|')
        return first;
    int alt = new_node(ps, N_ALT), last = first;
    if (alt < 0)
        return -1;
    ps->nodes[alt].sub = first;
    while (ps->p < ps->end && *ps->p == '|') {
        ps->p++;
        int next = parse_cat(ps, flags, depth);
        if (next < 0)
            return -1;
        ps->nodes[last].next = next;
        last = next;
    }
    return alt;
}

/* ---- program ------------------------------------------------------------------- */

enum { I_SET, I_ANY, I_ANYNL, I_SPLIT, I_JMP, I_SAVE, I_ASSERT, I_MATCH, I_NOP };

typedef struct inst {
    uint8_t op;
    uint32_t x, y; /* SET: pool offset, count; SPLIT: preferred, other; JMP/SAVE/NOP: x is next */
    uint32_t slot; /* SAVE: slot; ASSERT: kind (next in x) */
} inst;

#define MAX_INSTS 1000000u /* Go allows ~3.3M; beyond this PCRE2 alone runs */

struct rx_nfa {
    inst *prog;
    size_t n, cap;
    int32_t *pool;
    unsigned ncap;
    /* run-time scratch */
    uint32_t *sparse[2], *dense[2];
    long **tcap[2];
    size_t qn[2];
    uint32_t *stack; /* pc, or RESTORE|slot followed by the old value's index */
    long *saved;
    size_t nstack, cstack, nsaved, csaved;
    long **free_caps;
    size_t nfree, cfree;
    void **chunks;
    size_t nchunks, cchunks;
    unsigned slots_for; /* slots per cap array in the pool (2 * nslots) */
    bool empty_loop;    /* some x*, x+ or x{n,m} (m > 1) has an x that can match empty */
};

typedef struct compiler {
    rx_nfa *p;
    const node *nodes;
    int err;
} compiler;

static uint32_t emit(compiler *c, int op, uint32_t x, uint32_t y, uint32_t slot)
{
    if (c->err)
        return 0;
    if (c->p->n >= MAX_INSTS) {
        c->err = RX_NFA_UNSUPPORTED;
        return 0;
    }
    if (!grow((void **)&c->p->prog, &c->p->cap, c->p->n + 1, sizeof(inst))) {
        c->err = RX_NFA_NOMEM;
        return 0;
    }
    c->p->prog[c->p->n] = (inst){(uint8_t)op, x, y, slot};
    return (uint32_t)c->p->n++;
}

static bool nullable(const node *nodes, int id)
{
    const node *n = &nodes[id];
    switch (n->op) {
    case N_SET: case N_ANY: case N_ANYNL: return false;
    case N_CAT:
        for (int s = n->sub; s >= 0; s = nodes[s].next)
            if (!nullable(nodes, s))
                return false;
        return true;
    case N_ALT:
        for (int s = n->sub; s >= 0; s = nodes[s].next)
            if (nullable(nodes, s))
                return true;
        return false;
    case N_CAP: return nullable(nodes, n->sub);
    case N_REPEAT: return n->min == 0 || nullable(nodes, n->sub);
    default: return true;
    }
}

/* Patch the dangling exits: every instruction in [from, to) whose next is
 * the placeholder gets `target`. Exits are marked with UINT32_MAX. */
static void patch(compiler *c, size_t from, size_t to, uint32_t target)
{
    for (size_t i = from; i < to; i++) {
        inst *in = &c->p->prog[i];
        if (in->op == I_MATCH)
            continue;
        if (in->x == UINT32_MAX)
            in->x = target;
        if (in->op == I_SPLIT && in->y == UINT32_MAX)
            in->y = target;
    }
}

#define HOLE UINT32_MAX

/* Compile node id; its exits are left as HOLE, to be patched to whatever
 * follows. Holes only ever point forward past the fragment, and every
 * instruction's HOLE inside [start, end) is one of this fragment's exits,
 * because sub-fragments are patched before the next is emitted. */
static void comp(compiler *c, int id);

/* Split s: to body first (greedy) or to out first (lazy). */
static void set_split(compiler *c, uint32_t s, uint32_t body, uint32_t out, bool lazy)
{
    c->p->prog[s].x = lazy ? out : body;
    c->p->prog[s].y = lazy ? body : out;
}

/* x* (loop) or x? : L: split body, out; body; (x*: jmp L) */
static void comp_split_first(compiler *c, int sub, bool lazy, bool loop)
{
    uint32_t l = emit(c, I_SPLIT, 0, 0, 0);
    size_t body = c->p->n;
    comp(c, sub);
    uint32_t j = loop ? emit(c, I_JMP, l, 0, 0) : 0;
    if (c->err)
        return;
    if (loop)
        patch(c, body, j, l);
    set_split(c, l, (uint32_t)body, HOLE, lazy);
}

static void comp_plus(compiler *c, int sub, bool lazy)
{
    size_t body = c->p->n;
    comp(c, sub);
    uint32_t s = emit(c, I_SPLIT, 0, 0, 0);
    if (c->err)
        return;
    patch(c, body, s, s);
    set_split(c, s, (uint32_t)body, HOLE, lazy);
}

/* x{min,max} as Go's simplify writes it: min copies, then x+ (no bound) or
 * nested (x(x)?)? for the optional copies. */
static void comp_repeat(compiler *c, const node *n)
{
    int sub = n->sub;
    if (n->max == 0)
        return; /* matches the empty string; nothing to emit (an empty run) */
    if (n->min == 0 && n->max < 0) {
        if (nullable(c->nodes, sub)) { /* (x+)? */
            uint32_t s = emit(c, I_SPLIT, 0, 0, 0);
            size_t body = c->p->n;
            comp_plus(c, sub, n->lazy);
            if (c->err)
                return;
            set_split(c, s, (uint32_t)body, HOLE, n->lazy);
        } else {
            comp_split_first(c, sub, n->lazy, true);
        }
        return;
    }
    int copies = n->max < 0 ? n->min - 1 : n->min;
    bool more = n->max != n->min; /* something follows the copies */
    for (int i = 0; i < copies && !c->err; i++) {
        size_t start = c->p->n;
        comp(c, sub);
        if (!c->err && (more || i + 1 < copies))
            patch(c, start, c->p->n, (uint32_t)c->p->n);
    }
    if (c->err)
        return;
    if (n->max < 0) {
        comp_plus(c, sub, n->lazy);
        return;
    }
    /* the optional copies, nested: split(body, out); body; split(body, out); ...
     * a body's exits go to the next split; the splits' "out" exits are
     * marked apart (HOLE - 1) so that the patches above leave them alone */
    size_t opt_start = c->p->n;
    for (int i = n->min; i < n->max && !c->err; i++) {
        uint32_t s = emit(c, I_SPLIT, 0, 0, 0);
        size_t body = c->p->n;
        comp(c, sub);
        if (c->err)
            return;
        if (i + 1 < n->max)
            patch(c, body, c->p->n, (uint32_t)c->p->n);
        set_split(c, s, (uint32_t)body, HOLE - 1, n->lazy);
    }
    for (size_t i = opt_start; i < c->p->n; i++) {
        inst *in = &c->p->prog[i];
        if (in->op == I_SPLIT && in->x == HOLE - 1)
            in->x = HOLE;
        if (in->op == I_SPLIT && in->y == HOLE - 1)
            in->y = HOLE;
    }
}

static void comp(compiler *c, int id)
{
    if (c->err)
        return;
    const node *n = &c->nodes[id];
    if (n->op == N_REPEAT && n->max != 1 && n->max != 0 && nullable(c->nodes, n->sub))
        c->p->empty_loop = true;
    switch (n->op) {
    case N_SET:
        emit(c, I_SET, HOLE, 0, 0);
        if (!c->err) {
            c->p->prog[c->p->n - 1].y = (uint32_t)n->nset;
            c->p->prog[c->p->n - 1].slot = (uint32_t)n->set;
        }
        break;
    case N_ANY: emit(c, I_ANY, HOLE, 0, 0); break;
    case N_ANYNL: emit(c, I_ANYNL, HOLE, 0, 0); break;
    case N_ASSERT: emit(c, I_ASSERT, HOLE, 0, (uint32_t)n->min); break;
    case N_EMPTY: emit(c, I_NOP, HOLE, 0, 0); break;
    case N_CAT: {
        /* each part's exits go to the start of the next part */
        if (n->sub < 0)
            emit(c, I_NOP, HOLE, 0, 0);
        for (int s = n->sub; s >= 0 && !c->err; s = c->nodes[s].next) {
            size_t start = c->p->n;
            comp(c, s);
            if (!c->err && c->nodes[s].next >= 0)
                patch(c, start, c->p->n, (uint32_t)c->p->n);
        }
        break;
    }
    case N_ALT: {
        /* split(a, split(b, c)); every alternative's exits are the ALT's */
        for (int s = n->sub; s >= 0 && !c->err; s = c->nodes[s].next) {
            if (c->nodes[s].next < 0) {
                comp(c, s);
                break;
            }
            uint32_t sp = emit(c, I_SPLIT, 0, 0, 0);
            if (c->err)
                return;
            c->p->prog[sp].x = (uint32_t)c->p->n;
            comp(c, s);
            if (c->err)
                return;
            c->p->prog[sp].y = (uint32_t)c->p->n;
        }
        break;
    }
    case N_CAP: {
        emit(c, I_SAVE, (uint32_t)c->p->n + 1, 0, 2 * (uint32_t)n->min);
        size_t start = c->p->n;
        comp(c, n->sub);
        if (c->err)
            return;
        uint32_t s = emit(c, I_SAVE, HOLE, 0, 2 * (uint32_t)n->min + 1);
        if (!c->err)
            patch(c, start, s, s);
        break;
    }
    case N_REPEAT:
        if (n->min == 1 && n->max == 1) {
            comp(c, n->sub);
        } else if (n->min == 1 && n->max < 0) {
            comp_plus(c, n->sub, n->lazy);
        } else if (n->min == 0 && n->max == 1) {
            comp_split_first(c, n->sub, n->lazy, false);
        } else {
            size_t start = c->p->n;
            comp_repeat(c, n);
            if (!c->err && c->p->n == start)
                emit(c, I_NOP, HOLE, 0, 0);
        }
        break;
    }
}

unsigned rx_nfa_ncap(const rx_nfa *p) { return p->ncap; }
size_t rx_nfa_size(const rx_nfa *p) { return p->n; }
bool rx_nfa_empty_loop(const rx_nfa *p) { return p->empty_loop; }

void rx_nfa_free(rx_nfa *p)
{
    if (!p)
        return;
    free(p->prog);
    free(p->pool);
    for (int i = 0; i < 2; i++) {
        free(p->sparse[i]);
        free(p->dense[i]);
        free(p->tcap[i]);
    }
    free(p->stack);
    free(p->saved);
    free(p->free_caps);
    for (size_t i = 0; i < p->nchunks; i++)
        free(p->chunks[i]);
    free(p->chunks);
    free(p);
}

int rx_nfa_compile(const char *pat, size_t len, rx_nfa **out)
{
    *out = NULL;
    parser ps = {pat, pat + len, NULL, 0, 0, NULL, 0, 0, 0, RX_NFA_OK};
    unsigned flags = 0;
    int root = parse_alt(&ps, &flags, 0);
    if (root >= 0 && ps.p != ps.end)
        ps.err = RX_NFA_UNSUPPORTED;
    rx_nfa *p = NULL;
    int err = ps.err;
    if (!err && !(p = calloc(1, sizeof *p)))
        err = RX_NFA_NOMEM;
    if (!err) {
        p->pool = ps.pool;
        ps.pool = NULL;
        p->ncap = ps.ncap;
        compiler c = {p, ps.nodes, RX_NFA_OK};
        /* group 0 around the whole pattern, then MATCH */
        emit(&c, I_SAVE, 1, 0, 0);
        size_t start = p->n;
        comp(&c, root);
        uint32_t s1 = emit(&c, I_SAVE, HOLE, 0, 1);
        if (!c.err)
            patch(&c, start, s1, s1);
        uint32_t m = emit(&c, I_MATCH, 0, 0, 0);
        if (!c.err)
            p->prog[s1].x = m;
        err = c.err;
    }
    free(ps.nodes);
    free(ps.pool);
    if (err) {
        rx_nfa_free(p);
        return err;
    }
    *out = p;
    return RX_NFA_OK;
}

/* ---- the machine --------------------------------------------------------------- */

static bool is_word(int32_t r)
{
    return r == '_' || (r >= '0' && r <= '9') || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z');
}

static unsigned context(int32_t r1, int32_t r2)
{
    unsigned f = 0;
    if (r1 < 0)
        f |= A_BOT | A_BOL;
    if (r1 == '\n')
        f |= A_BOL;
    if (r2 < 0)
        f |= A_EOT | A_EOL;
    if (r2 == '\n')
        f |= A_EOL;
    f |= is_word(r1) != is_word(r2) ? A_WB : A_NWB;
    return f;
}

static bool set_has(const int32_t *r, size_t n, int32_t c)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (c < r[2 * mid])
            hi = mid;
        else if (c > r[2 * mid + 1])
            lo = mid + 1;
        else
            return true;
    }
    return false;
}

static long *cap_get(rx_nfa *p)
{
    if (p->nfree == 0) {
        enum { PER = 64 };
        long *chunk = malloc(PER * p->slots_for * sizeof(long));
        if (!chunk || !grow((void **)&p->chunks, &p->cchunks, p->nchunks + 1, sizeof(void *)) ||
            !grow((void **)&p->free_caps, &p->cfree, (p->nchunks + 1) * PER, sizeof(long *))) {
            free(chunk);
            return NULL;
        }
        p->chunks[p->nchunks++] = chunk;
        for (int i = 0; i < PER; i++)
            p->free_caps[p->nfree++] = chunk + (size_t)i * p->slots_for;
    }
    return p->free_caps[--p->nfree];
}

static void cap_put(rx_nfa *p, long *cap)
{
    if (cap)
        p->free_caps[p->nfree++] = cap; /* room was made when it was allocated */
}

#define RESTORE 0x80000000u

static bool push(rx_nfa *p, uint32_t v)
{
    if (!grow((void **)&p->stack, &p->cstack, p->nstack + 1, sizeof(uint32_t)))
        return false;
    p->stack[p->nstack++] = v;
    return true;
}

/* Go's machine.add: follow pc's empty transitions at pos, adding a thread
 * (with a copy of cap) for every instruction that consumes or matches. */
static int add(rx_nfa *p, int q, uint32_t pc0, long pos, long *cap, unsigned flag)
{
    uint32_t *sparse = p->sparse[q], *dense = p->dense[q];
    p->nstack = 0;
    if (!push(p, pc0))
        return -1;
    while (p->nstack) {
        uint32_t v = p->stack[--p->nstack];
        if (v & RESTORE) {
            cap[v & ~RESTORE] = p->saved[--p->nsaved];
            continue;
        }
        uint32_t pc = v;
        uint32_t j = sparse[pc];
        if (j < p->qn[q] && dense[j] == pc)
            continue;
        j = (uint32_t)p->qn[q]++;
        sparse[pc] = j;
        dense[j] = pc;
        p->tcap[q][j] = NULL;
        const inst *in = &p->prog[pc];
        bool ok = true;
        switch (in->op) {
        case I_JMP: case I_NOP:
            ok = push(p, in->x);
            break;
        case I_SPLIT:
            ok = push(p, in->y) && push(p, in->x);
            break;
        case I_ASSERT:
            if (flag & in->slot)
                ok = push(p, in->x);
            break;
        case I_SAVE:
            if (in->slot < p->slots_for) {
                if (!grow((void **)&p->saved, &p->csaved, p->nsaved + 1, sizeof(long)))
                    return -1;
                p->saved[p->nsaved++] = cap[in->slot];
                ok = push(p, RESTORE | in->slot);
                cap[in->slot] = pos;
            }
            ok = ok && push(p, in->x);
            break;
        default: {
            long *t = cap_get(p);
            if (!t)
                return -1;
            memcpy(t, cap, p->slots_for * sizeof(long));
            p->tcap[q][j] = t;
            break;
        }
        }
        if (!ok)
            return -1;
    }
    return 0;
}

static void clear_queue(rx_nfa *p, int q, size_t from)
{
    for (size_t i = from; i < p->qn[q]; i++) {
        cap_put(p, p->tcap[q][i]);
        p->tcap[q][i] = NULL;
    }
    p->qn[q] = 0;
}

int rx_nfa_exec(rx_nfa *p, const char *s, size_t len, size_t pos, long *caps, unsigned nslots)
{
    for (int i = 0; i < 2 && !p->tcap[1]; i++) { /* the queues, at first use */
        if (!p->sparse[i] && !(p->sparse[i] = calloc(p->n, sizeof(uint32_t))))
            return -1;
        if (!p->dense[i] && !(p->dense[i] = malloc(p->n * sizeof(uint32_t))))
            return -1;
        if (!p->tcap[i] && !(p->tcap[i] = malloc(p->n * sizeof(long *))))
            return -1;
    }
    if (nslots < 1)
        nslots = 1;
    if (nslots > p->ncap + 1)
        nslots = p->ncap + 1;
    unsigned slots = 2 * nslots;
    if (p->slots_for != slots) {
        /* the pool's arrays have another size: start it again */
        for (size_t i = 0; i < p->nchunks; i++)
            free(p->chunks[i]);
        p->nchunks = p->nfree = 0;
        p->slots_for = slots;
    }
    long scratch[2 * 64], *work = slots <= 2 * 64 ? scratch : malloc(slots * sizeof(long));
    if (!work)
        return -1;
    for (unsigned i = 0; i < 2 * (p->ncap + 1); i++)
        caps[i] = -1;
    for (unsigned i = 0; i < slots; i++)
        work[i] = -1;
    p->qn[0] = p->qn[1] = 0;
    int cur = 0, rc = 0;
    bool matched = false;
    const char *end = s + len;
    int32_t r1 = rune_before(s, pos);
    int w;
    int32_t r = rx_decode_rune(s + pos, end, &w);
    for (;;) {
        if (p->qn[cur] == 0 && matched)
            break;
        if (!matched) {
            work[0] = (long)pos;
            if (add(p, cur, 0, (long)pos, work, context(r1, r)) < 0) {
                rc = -1;
                break;
            }
        }
        int w2 = 0;
        int32_t r2 = w ? rx_decode_rune(s + pos + (size_t)w, end, &w2) : -1;
        unsigned nflag = context(r, r2);
        int nxt = 1 - cur;
        for (size_t i = 0; i < p->qn[cur] && rc == 0; i++) {
            long *t = p->tcap[cur][i];
            if (!t)
                continue;
            p->tcap[cur][i] = NULL;
            const inst *in = &p->prog[p->dense[cur][i]];
            bool step = false;
            switch (in->op) {
            case I_MATCH:
                t[1] = (long)pos;
                memcpy(caps, t, slots * sizeof(long));
                matched = true;
                cap_put(p, t);
                clear_queue(p, cur, i + 1);
                continue;
            case I_SET: step = r >= 0 && set_has(p->pool + 2 * in->slot, in->y, r); break;
            case I_ANY: step = r >= 0; break;
            case I_ANYNL: step = r >= 0 && r != '\n'; break;
            default: break;
            }
            if (step && add(p, nxt, in->x, (long)(pos + (size_t)w), t, nflag) < 0)
                rc = -1;
            cap_put(p, t);
        }
        clear_queue(p, cur, 0);
        if (rc < 0 || w == 0)
            break;
        pos += (size_t)w;
        r1 = r;
        r = r2;
        w = w2;
        cur = nxt;
    }
    clear_queue(p, 0, 0);
    clear_queue(p, 1, 0);
    if (work != scratch)
        free(work);
    if (rc < 0)
        return -1;
    return matched ? 1 : 0;
}
