/* tmpl_parse.c — the parser of Go's text/template (after parse/parse.go and
 * node.go): a recursive descent with three tokens of lookahead, Go's error
 * messages, number and string literal rules; template sets; Node.String(). */
#include "renderer/engine/tmpl_ast.h"
#include "renderer/engine/tmpl_check.h"
#include "core/gofmt.h"
#include "core/strhash.h"
#include "core/xalloc.h"

#include <errno.h>
#include <math.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAREN_DEPTH 10000  /* Go's maxStackDepth for ( ) */
#define MAX_NEST_DEPTH 2000    /* ours: if/range/with/define nesting (Go has none) */

/* ---- template sets ---- */

typedef struct set_entry {
    const char *name;
    size_t len;
    tmpl_tree *tree;
} set_entry;

struct tmpl_set {
    arena *a;
    tmpl_set *parent;
    set_entry *tab;
    size_t cap, n;
};

tmpl_set *tmpl_set_new(arena *a, tmpl_set *parent)
{
    tmpl_set *s = arena_zalloc(a, sizeof *s);
    s->a = a;
    s->parent = parent;
    s->cap = parent ? 4 : 64; /* tpl's child set holds a template or two */
    s->tab = arena_zalloc(a, s->cap * sizeof *s->tab);
    return s;
}

static set_entry *set_slot(const tmpl_set *s, const char *name, size_t len)
{
    size_t mask = s->cap - 1, h = strhash(name, len) & mask;
    while (s->tab[h].name && !(s->tab[h].len == len && memcmp(s->tab[h].name, name, len) == 0))
        h = (h + 1) & mask;
    return &s->tab[h];
}

const tmpl_tree *tmpl_set_lookup(const tmpl_set *s, const char *name, size_t len)
{
    for (; s; s = s->parent) {
        set_entry *e = set_slot(s, name, len);
        if (e->name)
            return e->tree;
    }
    return NULL;
}

static void set_put(tmpl_set *s, tmpl_tree *t)
{
    if ((s->n + 1) * 2 > s->cap) {
        set_entry *old = s->tab;
        size_t oldcap = s->cap;
        s->cap *= 2;
        s->tab = arena_zalloc(s->a, s->cap * sizeof *s->tab);
        for (size_t i = 0; i < oldcap; i++)
            if (old[i].name)
                *set_slot(s, old[i].name, old[i].len) = old[i];
    }
    size_t len = strlen(t->name);
    set_entry *e = set_slot(s, t->name, len);
    if (!e->name)
        s->n++;
    e->name = t->name;
    e->len = len;
    e->tree = t;
}

/* ---- the parser ---- */

/* How a parse goes: P_FULL builds every node (tpl, tests); P_LAZY checks the
 * whole text with every error, building nodes in a scratch arena given back
 * every 16 KiB (item_list), and records where each body starts and ends;
 * P_FORCE builds the items of one body, skipping the bodies inside it (they
 * were checked). */
enum { P_FULL, P_LAZY, P_FORCE };

typedef tmpl_var pvar;

typedef struct parser {
    arena *a;              /* what outlives the parse: trees, names, errors */
    arena *na;             /* nodes: a, or (P_LAZY, inside a body) scratch */
    arena *scratch;        /* P_LAZY: where bodies are checked (given back every 16 KiB) */
    int mode;
    tl_lexer lex;
    tmpl_tree *t;          /* the tree being built */
    const char *parse_name;
    tl_item token[3];
    int peek_count;
    pvar *vars;            /* variables defined at the moment (malloc), from varbase */
    size_t nvars, capvars, varbase;
    tnode **stk;           /* children gathered while their parent is parsed (malloc) */
    size_t nstk, capstk;
    tmpl_body *bodies;     /* P_LAZY: recorded (malloc); P_FORCE: the file's */
    size_t nbodies, capbodies;
    const tmpl_file *file; /* P_FORCE */
    int ldelim_pos, ldelim_line; /* the last action's "{{" */
    int action_line;
    int range_depth;
    int stack_depth;
    int nest;
    /* templates parsed in this call (Go's treeSet): added to set at the end */
    tmpl_tree **trees;
    size_t ntrees, captrees;
    tmpl_hasfn hasfn;
    void *hasfn_ctx;
    const void *stack_base;
    char *errmsg;
    int errline;
    /* not cleared by parser_init: */
    jmp_buf jb;
    tnode *stk_inline[32]; /* the stack's first entries (no allocation for most bodies) */
} parser;

static void perrorf(parser *p, const char *fmt, ...) __attribute__((format(printf, 2, 3), noreturn));
static void perrorf(parser *p, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "template: %s:%d: ", p->parse_name, p->token[0].line);
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    p->errmsg = arena_strndup(p->a, sb_str(&sb), sb.len);
    p->errline = p->token[0].line;
    sb_release(&sb);
    longjmp(p->jb, 1);
}

/* The token functions hand out pointers into the lookahead buffer: valid
 * until the next call that reads or backs up a token (copy to keep one). */
static inline __attribute__((always_inline)) const tl_item *pnext(parser *p)
{
    if (p->peek_count > 0)
        p->peek_count--;
    else
        p->token[0] = tmpl_lex_next(&p->lex);
    return &p->token[p->peek_count];
}

static void pbackup(parser *p) { p->peek_count++; }
static void pbackup2(parser *p, tl_item t1) { p->token[1] = t1; p->peek_count = 2; }
static void pbackup3(parser *p, tl_item t2, tl_item t1) { p->token[1] = t1; p->token[2] = t2; p->peek_count = 3; }

static inline __attribute__((always_inline)) const tl_item *ppeek(parser *p)
{
    if (p->peek_count > 0)
        return &p->token[p->peek_count - 1];
    p->peek_count = 1;
    p->token[0] = tmpl_lex_next(&p->lex);
    return &p->token[0];
}

static inline __attribute__((always_inline)) const tl_item *next_nonspace(parser *p)
{
    const tl_item *t;
    do
        t = pnext(p);
    while (t->type == TK_SPACE);
    return t;
}

static inline __attribute__((always_inline)) const tl_item *peek_nonspace(parser *p)
{
    const tl_item *t = next_nonspace(p);
    pbackup(p);
    return t;
}

static void unexpected(parser *p, tl_item tok, const char *context) __attribute__((noreturn));
static void unexpected(parser *p, tl_item tok, const char *context)
{
    strbuf sb = STRBUF_INIT;
    tmpl_item_string(&sb, &tok);
    if (tok.type == TK_ERROR) {
        if (p->action_line != 0 && p->action_line != tok.line) {
            bool act = tok.len >= 7 && memcmp(tok.val + tok.len - 7, " action", 7) == 0;
            sb_addf(&sb, "%s started at %s:%d", act ? "" : " in action", p->parse_name, p->action_line);
        }
        char *m = arena_strndup(p->a, sb_str(&sb), sb.len);
        sb_release(&sb);
        perrorf(p, "%s", m);
    }
    char *m = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    perrorf(p, "unexpected %s in %s", m, context);
}

static tl_item expect(parser *p, tl_type t, const char *context)
{
    tl_item tok = *next_nonspace(p);
    if (tok.type != t)
        unexpected(p, tok, context);
    return tok;
}

/* Checking a body that is left for later: its nodes are thrown away, so
 * names and strings need not be copied (only their errors matter). */
static bool only_checking(const parser *p)
{
    return p->na == p->scratch;
}

/* Where what a value may keep goes (a constant's text or value): with the
 * file, not with the nodes, which may be given back before the values
 * (tmpl_list_force_nodes); with the nodes while only checking. */
static arena *kept(const parser *p)
{
    return only_checking(p) ? p->na : p->a;
}

#define END_OF(field) (offsetof(tnode, field) + sizeof(((tnode *)0)->field))

static const uint8_t node_sizes[] = {
    [TN_LIST] = END_OF(owner), [TN_CMD] = END_OF(kids), [TN_PIPE] = END_OF(decl),
    [TN_ACTION] = END_OF(pipe), [TN_IF] = END_OF(elselist), [TN_RANGE] = END_OF(elselist),
    [TN_WITH] = END_OF(elselist), [TN_FIELD] = END_OF(idents), [TN_VAR] = END_OF(idents),
    [TN_CHAIN] = END_OF(chain), [TN_TEXT] = END_OF(s), [TN_COMMENT] = END_OF(s),
    [TN_STRING] = END_OF(raw), [TN_IDENT] = END_OF(cache), [TN_NUMBER] = END_OF(f),
    [TN_TEMPLATE] = END_OF(tpipe), [TN_DOT] = END_OF(lazy_line), [TN_NIL] = END_OF(lazy_line),
    [TN_BOOL] = END_OF(lazy_line), [TN_BREAK] = END_OF(lazy_line), [TN_CONTINUE] = END_OF(lazy_line),
    [TN_END] = END_OF(lazy_line), [TN_ELSE] = END_OF(lazy_line),
};

_Static_assert(offsetof(tnode, kids) == 16 && sizeof(tnode) == 48 && END_OF(f) == 48,
               "a node is a 16-byte head and at most 32 bytes of its type's (new_node_in)");

size_t tmpl_node_size(tn_type t)
{
    return node_sizes[t];
}

/* A node of its type's size, zeroed; a list knows its tree. */
static inline __attribute__((always_inline)) tnode *new_node_in(arena *a, tn_type type, int pos, const tmpl_tree *t)
{
    size_t size = node_sizes[type];
    tnode *n = arena_alloc8(a, size);
    switch (size) { /* sizes the compiler zeroes in a few stores */
    case 16: memset(n, 0, 16); break;
    case 24: memset(n, 0, 24); break;
    case 32: memset(n, 0, 32); break;
    case 40: memset(n, 0, 40); break;
    default: memset(n, 0, 48); break;
    }
    n->type = (uint8_t)type;
    n->pos = pos;
    if (type == TN_LIST)
        n->owner = t;
    return n;
}

static inline __attribute__((always_inline)) tnode *new_node(parser *p, tn_type type, int pos)
{
    return new_node_in(p->na, type, pos, p->t);
}

/* *dst = *src, reading no more than src's type has */
static void node_copy(tnode *dst, const tnode *src)
{
    memcpy(dst, src, tmpl_node_size((tn_type)src->type));
}

static void push_node(parser *p, tnode ***arr, int *n, tnode *x)
{
    /* capacity doubles at powers of two */
    if (*n == 0 || (*n & (*n - 1)) == 0) {
        size_t old = *n ? (size_t)*n : 0, ncap = *n ? (size_t)*n * 2 : 1;
        *arr = arena_realloc(p->na, *arr, old * sizeof(tnode *), ncap * sizeof(tnode *));
    }
    (*arr)[(*n)++] = x;
}

/* A parent's children go on the parser's stack while it is parsed, then to
 * an array of their exact size (stk_take), so that no array grows in the
 * arena. Parents nest, and so do their stretches of the stack. */
static void stk_push(parser *p, tnode *x)
{
    if (p->nstk == p->capstk) {
        p->capstk *= 2;
        if (p->stk == p->stk_inline) {
            p->stk = xmalloc(p->capstk * sizeof *p->stk);
            memcpy(p->stk, p->stk_inline, sizeof p->stk_inline);
        } else {
            p->stk = xrealloc(p->stk, p->capstk * sizeof *p->stk);
        }
    }
    p->stk[p->nstk++] = x;
}

static tnode **stk_take(parser *p, size_t base, int *n)
{
    size_t k = p->nstk - base;
    tnode **arr = NULL;
    if (k) { /* mostly one to three: copied in a loop, not by a call */
        arr = arena_alloc8(p->na, k * sizeof *arr);
        for (size_t i = 0; i < k; i++)
            arr[i] = p->stk[base + i];
    }
    p->nstk = base;
    *n = (int)k;
    return arr;
}

static void push_ident(parser *p, tnode *n, const char *s, size_t len)
{
    if (only_checking(p))
        return;
    int k = n->nidents;
    if (k == 0 || (k & (k - 1)) == 0) {
        size_t old = k ? (size_t)k : 0, ncap = k ? (size_t)k * 2 : 1;
        n->idents = arena_realloc(p->na, n->idents, old * sizeof(char *), ncap * sizeof(char *));
    }
    n->idents[n->nidents++] = arena_strndup(p->na, s, len);
}

/* A variable's name points into the text ("$" into static storage). */
static void push_var(parser *p, const char *s, size_t len)
{
    if (p->nvars == p->capvars) {
        p->capvars = p->capvars ? p->capvars * 2 : 16;
        p->vars = xrealloc(p->vars, p->capvars * sizeof *p->vars);
    }
    p->vars[p->nvars++] = (pvar){ s, len };
}

/* The bytes of the word w that are '.': their top bits. */
static inline uint64_t dot_bytes(uint64_t w)
{
    const uint64_t low7 = 0x7F7F7F7F7F7F7F7Full;
    uint64_t x = w ^ 0x2E2E2E2E2E2E2E2Eull; /* a '.' is a zero byte now */
    return ~(((x & low7) + low7) | x | low7);
}

/* Eight bytes of s, the first in the lowest bits. */
static inline uint64_t load_le64(const char *s)
{
    uint64_t x;
    memcpy(&x, s, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    x = __builtin_bswap64(x);
#endif
    return x;
}

/* "$x.a.b" -> idents "$x","a","b"; ".a.b" -> "a","b": one block holding the
 * names, then the array (of their number: a field or variable node gets its
 * names once, with the fields after it; only a chain's grow, by push_ident). */
static void split_idents(parser *p, tnode *n, const char *s, size_t len, bool field)
{
    if (only_checking(p))
        return;
    if (field && len > 0 && s[0] == '.') {
        s++;
        len--;
    }
    /* the names in whole words, zeros after them: their dots are found
     * eight bytes at a time */
    size_t words = len / 8 + 1;
    char *text = arena_alloc8(p->na, words * 8);
    memset(text + (words - 1) * 8, 0, 8);
    memcpy(text, s, len);
    size_t k = 1;
    for (size_t w = 0; w < words; w++)
        k += (size_t)(((dot_bytes(load_le64(text + 8 * w)) >> 7) * 0x0101010101010101ull) >> 56); /* its top bits, added up */
    const char **ids = arena_alloc8(p->na, k * sizeof(char *));
    size_t m = 0;
    ids[m++] = text;
    for (size_t w = 0; m < k; w++) {
        for (uint64_t d = dot_bytes(load_le64(text + 8 * w)); d; d &= d - 1) {
            size_t at = 8 * w + (size_t)__builtin_ctzll(d) / 8;
            text[at] = '\0';
            ids[m++] = text + at + 1;
        }
    }
    n->idents = ids;
    n->nidents = (int)k;
}

/* ---- literals: strconv.Unquote, UnquoteChar, ParseInt/Uint/Float ---- */

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static void put_utf8(strbuf *sb, unsigned r)
{
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF))
        r = 0xFFFD;
    if (r < 0x80) sb_addc(sb, (char)r);
    else if (r < 0x800) { sb_addc(sb, (char)(0xC0 | (r >> 6))); sb_addc(sb, (char)(0x80 | (r & 0x3F))); }
    else if (r < 0x10000) { sb_addc(sb, (char)(0xE0 | (r >> 12))); sb_addc(sb, (char)(0x80 | ((r >> 6) & 0x3F))); sb_addc(sb, (char)(0x80 | (r & 0x3F))); }
    else { sb_addc(sb, (char)(0xF0 | (r >> 18))); sb_addc(sb, (char)(0x80 | ((r >> 12) & 0x3F))); sb_addc(sb, (char)(0x80 | ((r >> 6) & 0x3F))); sb_addc(sb, (char)(0x80 | (r & 0x3F))); }
}

/* One char of a quoted literal at s (UnquoteChar). Returns bytes consumed or 0
 * on syntax error; *r the rune (or byte when *isbyte). */
static size_t unquote_char(const char *s, size_t n, char quote, long *r, bool *isbyte)
{
    *isbyte = false;
    if (n == 0)
        return 0;
    unsigned char c = (unsigned char)s[0];
    if (c == (unsigned char)quote && (quote == '\'' || quote == '"'))
        return 0;
    if (c >= 0x80) {
        /* a UTF-8 sequence: decode */
        int need = (c & 0xE0) == 0xC0 ? 1 : (c & 0xF0) == 0xE0 ? 2 : (c & 0xF8) == 0xF0 ? 3 : -1;
        if (need < 0 || (size_t)need >= n) { *r = 0xFFFD; return 1; }
        unsigned v = c & (0x3F >> need);
        for (int i = 1; i <= need; i++) {
            if (((unsigned char)s[i] & 0xC0) != 0x80) { *r = 0xFFFD; return 1; }
            v = (v << 6) | ((unsigned char)s[i] & 0x3F);
        }
        *r = (long)v;
        return (size_t)need + 1;
    }
    if (c != '\\') {
        *r = c;
        return 1;
    }
    if (n < 2)
        return 0;
    char e = s[1];
    switch (e) {
    case 'a': *r = 7; return 2;
    case 'b': *r = 8; return 2;
    case 'f': *r = 12; return 2;
    case 'n': *r = 10; return 2;
    case 'r': *r = 13; return 2;
    case 't': *r = 9; return 2;
    case 'v': *r = 11; return 2;
    case '\\': *r = '\\'; return 2;
    case '\'': case '"':
        if (e != quote) return 0;
        *r = e;
        return 2;
    case 'x': case 'u': case 'U': {
        int k = e == 'x' ? 2 : e == 'u' ? 4 : 8;
        if (n < (size_t)(2 + k)) return 0;
        long v = 0;
        for (int i = 0; i < k; i++) {
            int h = hexval((unsigned char)s[2 + i]);
            if (h < 0) return 0;
            v = v * 16 + h;
        }
        if (e == 'x') { *isbyte = true; *r = v; return 4; }
        if (v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) return 0;
        *r = v;
        return (size_t)(2 + k);
    }
    default:
        if (e >= '0' && e <= '7') {
            if (n < 4) return 0;
            long v = 0;
            for (int i = 1; i <= 3; i++) {
                if (s[i] < '0' || s[i] > '7') return 0;
                v = v * 8 + (s[i] - '0');
            }
            if (v > 255) return 0;
            *isbyte = true;
            *r = v;
            return 4;
        }
        return 0;
    }
}

/* strconv.Unquote of a "..." or `...` token. Returns false on syntax error.
 * a NULL: check only (*out is then not NUL-terminated, or NULL). share: a
 * value without escapes is the text between the quotes itself (not
 * NUL-terminated: for string constants, which live as long as the text). */
static bool unquote_in(arena *a, bool share, const char *s, size_t n, const char **out, size_t *outlen)
{
    strbuf sb = STRBUF_INIT;
    if (n < 2 || s[0] != s[n - 1])
        return false;
    /* without escapes (or, raw, carriage returns) the value is the text between
     * the quotes (the lexer let no newline into a "..." token) */
    if ((s[0] == '`' || s[0] == '"') && !memchr(s + 1, s[0] == '`' ? '\r' : '\\', n - 2)) {
        *outlen = n - 2;
        *out = a && !share ? arena_strndup(a, s + 1, n - 2) : s + 1;
        return true;
    }
    if (s[0] == '`') {
        for (size_t i = 1; i + 1 < n; i++)
            if (s[i] != '\r')
                sb_addc(&sb, s[i]);
    } else if (s[0] == '"') {
        size_t i = 1;
        while (i < n - 1) {
            if (s[i] == '\n') { sb_release(&sb); return false; }
            long r;
            bool isbyte;
            size_t k = unquote_char(s + i, n - 1 - i, '"', &r, &isbyte);
            if (k == 0) { sb_release(&sb); return false; }
            if (isbyte || (r < 0x80 && s[i] != '\\' ? true : false))
                isbyte ? sb_addc(&sb, (char)r) : sb_addc(&sb, (char)r);
            else if ((unsigned char)s[i] >= 0x80 && r == 0xFFFD && k == 1)
                sb_addc(&sb, s[i]); /* invalid UTF-8 is kept as is */
            else if ((unsigned char)s[i] >= 0x80)
                sb_add(&sb, s + i, k);
            else
                put_utf8(&sb, (unsigned)r);
            i += k;
        }
    } else {
        return false;
    }
    *outlen = sb.len;
    *out = a ? arena_strndup(a, sb_str(&sb), sb.len) : NULL;
    sb_release(&sb);
    return true;
}

static bool unquote(arena *a, const char *s, size_t n, const char **out, size_t *outlen)
{
    return unquote_in(a, false, s, n, out, outlen);
}

bool tmpl_unquote_ok(const char *s, size_t n)
{
    const char *out;
    size_t len;
    return unquote_in(NULL, true, s, n, &out, &len);
}

static bool underscore_ok(const char *s, size_t n)
{
    char saw = '^';
    size_t i = 0;
    if (n >= 1 && (s[0] == '-' || s[0] == '+')) { s++; n--; }
    bool hex = false;
    if (n >= 2 && s[0] == '0') {
        char c = (char)(s[1] | 0x20);
        if (c == 'b' || c == 'o' || c == 'x') { i = 2; saw = '0'; hex = c == 'x'; }
    }
    for (; i < n; i++) {
        char c = s[i], lc = (char)(c | 0x20);
        if ((c >= '0' && c <= '9') || (hex && lc >= 'a' && lc <= 'f')) { saw = '0'; continue; }
        if (c == '_') {
            if (saw != '0') return false;
            saw = '_';
            continue;
        }
        if (saw == '_') return false;
        saw = '!';
    }
    return saw != '_';
}

/* ParseUint(s, 0, 64): 0 ok, 1 syntax, 2 range */
static int parse_uint0(const char *s, size_t n, uint64_t *out)
{
    if (n == 0) return 1;
    const char *s0 = s;
    size_t n0 = n;
    unsigned base = 10;
    if (s[0] == '0') {
        if (n >= 3 && (s[1] | 0x20) == 'x') { base = 16; s += 2; n -= 2; }
        else if (n >= 3 && (s[1] | 0x20) == 'o') { base = 8; s += 2; n -= 2; }
        else if (n >= 3 && (s[1] | 0x20) == 'b') { base = 2; s += 2; n -= 2; }
        else { base = 8; s += 1; n -= 1; }
    }
    bool us = false;
    uint64_t v = 0;
    bool range = false;
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '_') { us = true; continue; }
        int d = hexval((unsigned char)c);
        if (d < 0 || (unsigned)d >= base) return 1;
        if (v > (UINT64_MAX - (unsigned)d) / base) range = true;
        else v = v * base + (unsigned)d;
    }
    if (us && !underscore_ok(s0, n0)) return 1;
    if (range) return 2;
    *out = v;
    return 0;
}

static int parse_int0(const char *s, size_t n, int64_t *out)
{
    if (n == 0) return 1;
    bool neg = false;
    if (s[0] == '+' || s[0] == '-') { neg = s[0] == '-'; s++; n--; }
    uint64_t u;
    int rc = parse_uint0(s, n, &u);
    if (rc) return rc;
    if (!neg && u > (uint64_t)INT64_MAX) return 2;
    if (neg && u > (uint64_t)INT64_MAX + 1) return 2;
    *out = neg ? (int64_t)(0 - u) : (int64_t)u;
    return 0;
}

/* ParseFloat(s, 64): 0 ok, 1 syntax, 2 range */
static int parse_float(const char *s, size_t n, double *out)
{
    char buf[512];
    if (n == 0 || n >= sizeof buf) return 1;
    bool us = memchr(s, '_', n) != NULL;
    if (us && !underscore_ok(s, n)) return 1;
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_') buf[k++] = s[i];
    buf[k] = 0;
    const char *b = buf;
    if (*b == '+' || *b == '-') b++;
    bool hex = b[0] == '0' && (b[1] | 0x20) == 'x';
    if (hex && !strpbrk(b, "pP")) return 1;
    if (!hex && ((b[0] == '0' && ((b[1] | 0x20) == 'o' || (b[1] | 0x20) == 'b'))))
        return 1;
    for (const char *c = b; *c; c++) /* no inf/nan words here */
        if ((*c | 0x20) == 'n' || (*c | 0x20) == 'i') return 1;
    char *end;
    errno = 0;
    double f = strtod(buf, &end);
    if (*end) return 1;
    if (errno == ERANGE && isinf(f)) return 2;
    *out = f;
    return 0;
}

/* ---- complex constants ------------------------------------------------------
 * Go's complex128, as a constant such as 1i or 1+2i makes it: a value of kind
 * complex128 that %v prints as (1+2i). Made by the parser as the node's ideal
 * constant (tnode.cache), so the executor hands it out as it is. */
static void complex_format(strbuf *out, void *self)
{
    const double *c = self;
    sb_addc(out, '(');
    gofmt_float(out, c[0], 'g', -1);
    if (!signbit(c[1]))
        sb_addc(out, '+');
    gofmt_float(out, c[1], 'g', -1);
    sb_adds(out, "i)");
}

static const cv_class complex_class = {"complex128", "complex128", NULL, NULL, complex_format, NULL, NULL};

/* strconv.ParseComplex(text, 128) for a template's complex token: "Ni" or "N+Ni"/"N-Ni" */
static bool parse_complex(const char *s, size_t n, double *re, double *im)
{
    if (n < 2 || s[n - 1] != 'i')
        return false;
    size_t split = 0;
    for (size_t i = n - 2; i > 0; i--)
        if ((s[i] == '+' || s[i] == '-') && !strchr("eEpP", s[i - 1])) {
            split = i;
            break;
        }
    *re = 0;
    if (split && parse_float(s, split, re) != 0)
        return false;
    return parse_float(s + split, n - 1 - split, im) == 0;
}

static tnode *new_complex(parser *p, tnode *n)
{
    double re, im;
    if (!parse_complex(n->s, n->len, &re, &im))
        perrorf(p, "syntax error scanning complex number"); /* fmt.Sscan's error */
    n->flag = NUM_COMPLEX;
    if (im == 0) { /* simplifyComplex: a real value is a float (and an integer) too */
        n->flag |= NUM_FLOAT;
        n->f = re;
        if (re >= -9223372036854775808.0 && re < 9223372036854775808.0 && (double)(int64_t)re == re) {
            n->flag |= NUM_INT;
            n->i = (int64_t)re;
        }
        if (re >= 0 && re < 18446744073709551616.0 && (double)(uint64_t)re == re && !(n->flag & NUM_INT))
            n->flag |= NUM_UINT, n->u = (uint64_t)re;
    }
    double *c = arena_alloc(kept(p), 2 * sizeof *c);
    c[0] = re;
    c[1] = im;
    n->cache = cv_object(kept(p), &complex_class, c);
    return n;
}

static tnode *new_number(parser *p, tl_item tok)
{
    tnode *n = new_node(p, TN_NUMBER, tok.pos);
    n->s = arena_strndup(kept(p), tok.val, tok.len);
    n->len = tok.len;
    const char *text = n->s;
    size_t len = tok.len;
    if (tok.type == TK_CHARCONST) {
        long r;
        bool isbyte;
        size_t k = unquote_char(text + 1, len - 1, '\'', &r, &isbyte);
        if (k == 0)
            perrorf(p, "invalid syntax");
        if (1 + k != len - 1 || text[len - 1] != '\'')
            perrorf(p, "malformed character constant: %s", text);
        n->i = r;
        n->u = (uint64_t)r;
        n->f = (double)r;
        n->flag = NUM_INT | NUM_UINT | NUM_FLOAT;
        return n;
    }
    if (tok.type == TK_COMPLEX || (len > 0 && text[len - 1] == 'i'))
        return new_complex(p, n);
    uint64_t u = 0;
    if (parse_uint0(text, len, &u) == 0) {
        n->flag |= NUM_UINT;
        n->u = u;
    }
    int64_t i;
    if (parse_int0(text, len, &i) == 0) {
        n->flag |= NUM_INT;
        n->i = i;
        if (i == 0) {
            n->flag |= NUM_UINT;
            n->u = u;
        }
    }
    if (n->flag & NUM_INT) {
        n->flag |= NUM_FLOAT;
        n->f = (double)n->i;
    } else if (n->flag & NUM_UINT) {
        n->flag |= NUM_FLOAT;
        n->f = (double)n->u;
    } else {
        double f;
        if (parse_float(text, len, &f) == 0) {
            if (!strpbrk(text, ".eEpP")) {
                strbuf q = STRBUF_INIT;
                gofmt_quote(&q, text, len);
                char *m = arena_strndup(p->a, sb_str(&q), q.len);
                sb_release(&q);
                perrorf(p, "integer overflow: %s", m);
            }
            n->flag |= NUM_FLOAT;
            n->f = f;
            if (f >= -9223372036854775808.0 && f < 9223372036854775808.0 && (double)(int64_t)f == f) {
                n->flag |= NUM_INT;
                n->i = (int64_t)f;
            }
            if (f >= 0 && f < 18446744073709551616.0 && (double)(uint64_t)f == f) {
                n->flag |= NUM_UINT;
                n->u = (uint64_t)f;
            }
        }
    }
    if (!(n->flag & (NUM_INT | NUM_UINT | NUM_FLOAT))) {
        strbuf q = STRBUF_INIT;
        gofmt_quote(&q, text, len);
        char *m = arena_strndup(p->a, sb_str(&q), q.len);
        sb_release(&q);
        perrorf(p, "illegal number syntax: %s", m);
    }
    return n;
}

/* ---- grammar ---- */

static tnode *pipeline(parser *p, const char *context, tl_type end);
static tnode *item_list(parser *p, tnode *next, bool *nonempty);
static tnode *if_control(parser *p);
static tnode *with_control(parser *p);

static void enter(parser *p)
{
    if (++p->nest > MAX_NEST_DEPTH || tmpl_stack_exhausted(p->stack_base, TMPL_PARSE_STACK))
        perrorf(p, "max nesting depth exceeded");
}

static tnode *use_var(parser *p, tl_item tok)
{
    tnode *v = new_node(p, TN_VAR, tok.pos);
    if (p->mode == P_FORCE) /* checked before */
        return v;
    const char *dot = memchr(tok.val, '.', tok.len);
    size_t n = dot ? (size_t)(dot - tok.val) : tok.len; /* "$x" of "$x.a.b" */
    for (size_t i = p->varbase; i < p->nvars; i++)
        if (p->vars[i].len == n && memcmp(p->vars[i].s, tok.val, n) == 0)
            return v;
    perrorf(p, "undefined variable \"%.*s\"", (int)n, tok.val);
}

/* A field or a variable and the fields right after it: Go makes a chain of
 * them and collapses it into one field or variable node at the position of
 * the first field after it. The tokens are one stretch of the text, split
 * into names once. */
static tnode *field_or_var(parser *p, tl_item tok)
{
    bool field = tok.type == TK_FIELD;
    tnode *n = field ? new_node(p, TN_FIELD, tok.pos) : use_var(p, tok);
    size_t len = tok.len;
    if (ppeek(p)->type == TK_FIELD) {
        n->pos = ppeek(p)->pos;
        while (ppeek(p)->type == TK_FIELD) {
            const tl_item *f = pnext(p);
            len = (size_t)(f->val + f->len - tok.val);
        }
    }
    split_idents(p, n, tok.val, len, field);
    return n;
}

static tnode *term(parser *p)
{
    tl_item tok = *next_nonspace(p);
    tnode *n;
    switch (tok.type) {
    case TK_IDENT:
        if (p->hasfn && !p->hasfn(p->hasfn_ctx, tok.val, tok.len))
            perrorf(p, "function \"%.*s\" not defined", (int)tok.len, tok.val);
        n = new_node(p, TN_IDENT, tok.pos);
        /* a checked body's name is thrown away with it: the text's own (n->len long) */
        n->s = only_checking(p) ? tok.val : arena_strndup(p->a, tok.val, tok.len);
        n->len = tok.len;
        return n;
    case TK_DOT: return new_node(p, TN_DOT, tok.pos);
    case TK_NIL: return new_node(p, TN_NIL, tok.pos);
    case TK_VARIABLE: case TK_FIELD: return field_or_var(p, tok);
    case TK_BOOL:
        n = new_node(p, TN_BOOL, tok.pos);
        n->flag = tok.len == 4;
        return n;
    case TK_CHARCONST: case TK_COMPLEX: case TK_NUMBER:
        return new_number(p, tok);
    case TK_LPAREN:
        if (p->stack_depth >= MAX_PAREN_DEPTH || tmpl_stack_exhausted(p->stack_base, TMPL_PARSE_STACK))
            perrorf(p, "max expression depth exceeded");
        p->stack_depth++;
        n = pipeline(p, "parenthesized pipeline", TK_RPAREN);
        p->stack_depth--;
        return n;
    case TK_STRING: case TK_RAWSTRING: {
        n = new_node(p, TN_STRING, tok.pos);
        size_t len;
        if (!unquote_in(only_checking(p) ? NULL : p->a, true, tok.val, tok.len, &n->s, &len)) /* values keep it */
            perrorf(p, "invalid syntax");
        if (n->s == tok.val + 1)
            n->flag = STR_IN_TEXT;
        n->len = (uint32_t)len;
        n->raw = tok.val;
        n->rawlen = (int)tok.len;
        return n;
    }
    default:
        pbackup(p);
        return NULL;
    }
}

static tnode *operand(parser *p)
{
    tnode *node = term(p);
    if (!node)
        return NULL;
    if (ppeek(p)->type == TK_FIELD) { /* a chain: its idents grow by push_ident */
        tnode *chain = new_node(p, TN_CHAIN, ppeek(p)->pos);
        chain->chain = node;
        while (ppeek(p)->type == TK_FIELD) {
            tl_item f = *pnext(p);
            push_ident(p, chain, f.val + 1, f.len - 1);
        }
        switch (node->type) { /* (a field or variable took the fields after it: field_or_var) */
        case TN_BOOL: case TN_STRING: case TN_NUMBER: case TN_NIL: case TN_DOT: {
            strbuf sb = STRBUF_INIT, q = STRBUF_INIT;
            tmpl_node_string(&sb, node);
            gofmt_quote(&q, sb_str(&sb), sb.len);
            char *m = arena_strndup(p->a, sb_str(&q), q.len);
            sb_release(&sb);
            sb_release(&q);
            perrorf(p, "unexpected . after term %s", m);
        }
        default:
            return chain;
        }
    }
    return node;
}

static tnode *command(parser *p)
{
    tnode *cmd = new_node(p, TN_CMD, peek_nonspace(p)->pos);
    size_t base = p->nstk;
    for (;;) {
        peek_nonspace(p);
        tnode *op = operand(p);
        if (op)
            stk_push(p, op);
        tl_item tok = *pnext(p);
        if (tok.type == TK_SPACE)
            continue;
        if (tok.type == TK_RDELIM || tok.type == TK_RPAREN)
            pbackup(p);
        else if (tok.type != TK_PIPE)
            unexpected(p, tok, "operand");
        break;
    }
    cmd->kids = stk_take(p, base, &cmd->nkids);
    if (cmd->nkids == 0)
        perrorf(p, "empty command");
    return cmd;
}

static void check_pipeline(parser *p, tnode *pipe, const char *context)
{
    if (pipe->nkids == 0)
        perrorf(p, "missing value for %s", context);
    for (int i = 1; i < pipe->nkids; i++) {
        switch (pipe->kids[i]->kids[0]->type) {
        case TN_BOOL: case TN_DOT: case TN_NIL: case TN_NUMBER: case TN_STRING:
            perrorf(p, "non executable command in pipeline stage %d", i + 1);
        }
    }
}

static tnode *pipeline(parser *p, const char *context, tl_type end)
{
    tl_item tok = *peek_nonspace(p);
    tnode *pipe = new_node(p, TN_PIPE, tok.pos);
decls:;
    tl_item v = *peek_nonspace(p);
    if (v.type == TK_VARIABLE) {
        pnext(p);
        tl_item after = *ppeek(p);
        tl_item nx = *peek_nonspace(p);
        if (nx.type == TK_ASSIGN || nx.type == TK_DECLARE) {
            pipe->flag = nx.type == TK_ASSIGN;
            next_nonspace(p);
            tnode *var = new_node(p, TN_VAR, v.pos);
            split_idents(p, var, v.val, v.len, false);
            push_node(p, &pipe->decl, &pipe->ndecl, var);
            push_var(p, v.val, v.len);
        } else if (nx.type == TK_CHAR && nx.len == 1 && nx.val[0] == ',') {
            next_nonspace(p);
            tnode *var = new_node(p, TN_VAR, v.pos);
            split_idents(p, var, v.val, v.len, false);
            push_node(p, &pipe->decl, &pipe->ndecl, var);
            push_var(p, v.val, v.len);
            if (strcmp(context, "range") == 0 && pipe->ndecl < 2) {
                tl_type t = peek_nonspace(p)->type;
                if (t == TK_VARIABLE || t == TK_RDELIM || t == TK_RPAREN)
                    goto decls;
                perrorf(p, "range can only initialize variables");
            }
            perrorf(p, "too many declarations in %s", context);
        } else if (after.type == TK_SPACE) {
            pbackup3(p, v, after);
        } else {
            pbackup2(p, v);
        }
    }
    size_t base = p->nstk;
    for (;;) {
        tok = *next_nonspace(p);
        if (tok.type == end) {
            pipe->kids = stk_take(p, base, &pipe->nkids);
            check_pipeline(p, pipe, context);
            return pipe;
        }
        switch (tok.type) {
        case TK_BOOL: case TK_CHARCONST: case TK_COMPLEX: case TK_DOT: case TK_FIELD: case TK_IDENT:
        case TK_NUMBER: case TK_NIL: case TK_RAWSTRING: case TK_STRING: case TK_VARIABLE: case TK_LPAREN:
            pbackup(p);
            stk_push(p, command(p));
            break;
        default:
            unexpected(p, tok, context);
        }
    }
}

static tnode *body(parser *p, tnode *next, bool *nonempty);

/* "unexpected {{end}} in define clause", "expected end; found {{else}}" */
static void unexpected_node(parser *p, const char *fmt, const tnode *n, const char *context)
    __attribute__((noreturn));
static void unexpected_node(parser *p, const char *fmt, const tnode *n, const char *context)
{
    strbuf sb = STRBUF_INIT;
    tmpl_node_string(&sb, n);
    char *m = arena_strndup(p->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    perrorf(p, fmt, m, context);
}

static tnode *parse_control(parser *p, tn_type type, const char *context)
{
    size_t mark = p->nvars;
    enter(p);
    tnode *n = NULL;
    tnode *pipe = pipeline(p, context, TK_RDELIM);
    if (type == TN_RANGE)
        p->range_depth++;
    tnode next;
    tnode *list = body(p, &next, NULL);
    if (type == TN_RANGE)
        p->range_depth--;
    tnode *elselist = NULL;
    if (next.type == TN_ELSE) {
        if (type == TN_IF && ppeek(p)->type == TK_IF) {
            pnext(p);
            elselist = new_node(p, TN_LIST, next.pos);
            push_node(p, &elselist->kids, &elselist->nkids, if_control(p));
        } else if (type == TN_WITH && ppeek(p)->type == TK_WITH) {
            pnext(p);
            elselist = new_node(p, TN_LIST, next.pos);
            push_node(p, &elselist->kids, &elselist->nkids, with_control(p));
        } else {
            elselist = body(p, &next, NULL);
            if (next.type != TN_END)
                unexpected_node(p, "expected end; found %s%s", &next, "");
        }
    }
    n = new_node(p, type, pipe->pos);
    n->pipe = pipe;
    n->list = list;
    n->elselist = elselist;
    p->nvars = mark;
    p->nest--;
    return n;
}

static tnode *if_control(parser *p) { return parse_control(p, TN_IF, "if"); }
static tnode *with_control(parser *p) { return parse_control(p, TN_WITH, "with"); }

static const char *template_name(parser *p, arena *a, tl_item tok, const char *context, size_t *len)
{
    if (tok.type != TK_STRING && tok.type != TK_RAWSTRING)
        unexpected(p, tok, context);
    const char *s;
    if (!unquote(a, tok.val, tok.len, &s, len))
        perrorf(p, "invalid syntax");
    return s;
}

/* An item Go's IsEmptyTree passes over: blank text (or a comment). */
bool tmpl_text_blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f' || c == 0x85 || c == 0xA0))
            return false;
    }
    return true;
}

static bool is_blank(const tnode *n)
{
    switch (n->type) {
    case TN_COMMENT: return true;
    case TN_TEXT: return tmpl_text_blank(n->s, n->len);
    default: return false;
    }
}

/* Go's Tree.add into the treeSet of this parse */
static void tree_add(parser *p, tmpl_tree *t)
{
    for (size_t i = 0; i < p->ntrees; i++) {
        if (strcmp(p->trees[i]->name, t->name) == 0) {
            if (p->trees[i]->empty) {
                p->trees[i] = t;
                return;
            }
            if (!t->empty)
                perrorf(p, "template: multiple definition of template \"%s\"", t->name);
            return;
        }
    }
    if (p->ntrees == p->captrees) {
        size_t ncap = p->captrees ? p->captrees * 2 : 8;
        p->trees = arena_realloc(p->a, p->trees, p->captrees * sizeof(tmpl_tree *), ncap * sizeof(tmpl_tree *));
        p->captrees = ncap;
    }
    p->trees[p->ntrees++] = t;
}

static tmpl_tree *new_tree(parser *p, const char *name)
{
    tmpl_tree *t = arena_zalloc(p->a, sizeof *t);
    t->name = name;
    t->parse_name = p->parse_name;
    t->text = p->lex.input;
    t->textlen = p->lex.len;
    t->file = p->file;
    return t;
}

static tnode *lazy_list(arena *a, const tmpl_tree *t, int flag, int pos, int line)
{
    tnode *n = new_node_in(a, TN_LIST, pos, t);
    n->flag = (uint8_t)flag;
    n->lazy_line = line;
    return n;
}

/* Parse a nested tree (define or block) with fresh variables. */
static void sub_tree(parser *p, const char *name, const char *context)
{
    tnode end;
    if (p->mode == P_FORCE) { /* the parse that checked it made the tree */
        body(p, &end, NULL);
        return;
    }
    tmpl_tree *t = new_tree(p, name);
    tmpl_tree *saved_t = p->t;
    size_t saved_n = p->nvars, saved_base = p->varbase;
    int saved_range = p->range_depth;
    p->t = t;
    p->varbase = p->nvars;
    p->range_depth = 0;
    push_var(p, "$", 1);
    int start = (int)p->lex.pos, line = p->lex.line;
    bool lazy = p->mode == P_LAZY && p->peek_count == 0;
    int mode = p->mode;
    arena *na = p->na;
    if (mode == P_LAZY && !lazy) { /* not at a body's start (cannot happen): build it now */
        p->mode = P_FULL;
        p->na = p->a;
    }
    bool nonempty = false;
    tnode *root = body(p, &end, &nonempty);
    p->mode = mode;
    p->na = na;
    if (end.type != TN_END)
        unexpected_node(p, "unexpected %s in %s", &end, context);
    t->root = lazy ? lazy_list(p->a, t, TN_LAZY, start, line) : root;
    t->empty = !nonempty;
    tree_add(p, t);
    p->t = saved_t;
    p->nvars = saved_n;
    p->varbase = saved_base;
    p->range_depth = saved_range;
}

static tnode *action(parser *p)
{
    tl_item tok = *next_nonspace(p);
    tnode *n;
    switch (tok.type) {
    case TK_BLOCK: {
        const char *context = "block clause";
        tl_item nt = *next_nonspace(p);
        size_t len;
        const char *name = template_name(p, p->a, nt, context, &len);
        tnode *pipe = pipeline(p, context, TK_RDELIM);
        enter(p);
        sub_tree(p, name, context);
        p->nest--;
        n = new_node(p, TN_TEMPLATE, nt.pos);
        n->s = name;
        n->len = (uint32_t)len;
        n->tpipe = pipe;
        return n;
    }
    case TK_BREAK: case TK_CONTINUE: {
        bool brk = tok.type == TK_BREAK;
        tl_item t2 = *next_nonspace(p);
        if (t2.type != TK_RDELIM)
            unexpected(p, t2, brk ? "{{break}}" : "{{continue}}");
        if (p->range_depth == 0 && p->mode != P_FORCE)
            perrorf(p, brk ? "{{break}} outside {{range}}" : "{{continue}} outside {{range}}");
        n = new_node(p, brk ? TN_BREAK : TN_CONTINUE, tok.pos);
        return n;
    }
    case TK_ELSE: {
        tl_item pk = *peek_nonspace(p);
        if (pk.type == TK_IF || pk.type == TK_WITH) {
            n = new_node(p, TN_ELSE, pk.pos);
            return n;
        }
        tl_item t2 = expect(p, TK_RDELIM, "else");
        n = new_node(p, TN_ELSE, t2.pos);
        return n;
    }
    case TK_END:
        return new_node(p, TN_END, expect(p, TK_RDELIM, "end").pos);
    case TK_IF: return if_control(p);
    case TK_RANGE: return parse_control(p, TN_RANGE, "range");
    case TK_WITH: return with_control(p);
    case TK_TEMPLATE: {
        const char *context = "template clause";
        tl_item nt = *next_nonspace(p);
        size_t len;
        const char *name = template_name(p, only_checking(p) ? NULL : p->a, nt, context, &len);
        tnode *pipe = NULL;
        if (next_nonspace(p)->type != TK_RDELIM) {
            pbackup(p);
            pipe = pipeline(p, context, TK_RDELIM);
        }
        n = new_node(p, TN_TEMPLATE, nt.pos);
        n->s = name;
        n->len = (uint32_t)len;
        n->tpipe = pipe;
        return n;
    }
    default:
        break;
    }
    pbackup(p);
    tl_item pk = *ppeek(p);
    tnode *pipe = pipeline(p, "command", TK_RDELIM);
    n = new_node(p, TN_ACTION, pk.pos);
    n->pipe = pipe;
    return n;
}

static tnode *text_or_action(parser *p)
{
    tl_item tok = *next_nonspace(p);
    switch (tok.type) {
    case TK_TEXT: {
        tnode *n = new_node(p, TN_TEXT, tok.pos);
        n->s = tok.val;
        n->len = tok.len;
        return n;
    }
    case TK_LDELIM: {
        p->action_line = tok.line;
        p->ldelim_pos = tok.pos;
        p->ldelim_line = tok.line;
        tnode *n = action(p);
        p->action_line = 0;
        return n;
    }
    default:
        unexpected(p, tok, "input");
    }
}

/* Checking only, what the items make in the scratch arena is given back this
 * many bytes at a time, under one arena mark (a mark for each item cost more
 * than most items). */
#define SCRATCH_RENEW (16 * 1024)

/* The items up to an {{end}} or {{else}} (copied to *next). Checking only,
 * it keeps none of them (the list comes back empty), and gives back what
 * they made every SCRATCH_RENEW bytes and at the end.
 * nonempty (may be NULL) is set when an item is not blank. */
static tnode *item_list(parser *p, tnode *next, bool *nonempty)
{
    tnode *list = new_node(p, TN_LIST, peek_nonspace(p)->pos);
    bool scratch = only_checking(p);
    size_t base = p->nstk, since = 0;
    arena_mark m;
    if (scratch) { /* the list stays empty: the body that checks it keeps none of it */
        arena_mark_take(p->na, &m);
        since = arena_used(p->na);
    }
    while (peek_nonspace(p)->type != TK_EOF) {
        tnode *n = text_or_action(p);
        bool end = n->type == TN_END || n->type == TN_ELSE;
        if (end)
            node_copy(next, n);
        else if (nonempty && !is_blank(n))
            *nonempty = true;
        if (scratch) {
            if (end || arena_used(p->na) - since > SCRATCH_RENEW) {
                arena_mark_end(p->na, &m, true);
                if (end)
                    return list;
                arena_mark_take(p->na, &m);
                since = arena_used(p->na);
            }
            continue;
        }
        if (end) {
            list->kids = stk_take(p, base, &list->nkids);
            return list;
        }
        stk_push(p, n);
    }
    perrorf(p, "unexpected EOF");
}

static const tmpl_body *find_body(const tmpl_file *f, int start)
{
    size_t lo = 0, hi = f->nbodies;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (f->bodies[mid].start < start)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < f->nbodies && f->bodies[lo].start == start ? &f->bodies[lo] : NULL;
}

/* P_LAZY: check the body at start (line) the quick way (tmpl_check.c); if it
 * says yes, record the bodies inside, declare what the body declares and put
 * the lexer at the "{{" that closes it. false: nothing done. */
static bool quick_check(parser *p, int start, int line, bool *nonempty)
{
    tmpl_check c = {
        p->lex.input, p->lex.len, p->vars + p->varbase, p->nvars - p->varbase, p->range_depth,
        MAX_NEST_DEPTH - p->nest, p->lex.break_ok, p->lex.continue_ok, p->hasfn, p->hasfn_ctx,
    };
    tmpl_check_out out;
    if (!tmpl_check_body(&c, (size_t)start, line, &p->bodies, &p->nbodies, &p->capbodies, &out))
        return false;
    for (size_t i = 0; i < out.ndecl; i++)
        push_var(p, out.decl[i].s, out.decl[i].len);
    if (nonempty && out.nonempty)
        *nonempty = true;
    tmpl_lex_jump(&p->lex, out.end, out.end_line);
    return true;
}

/* A body: the items of a control, an {{else}} or a define, up to the {{end}}
 * or {{else}} that closes it (copied to *next). P_LAZY checks them and
 * records where they start and end (returning no list); P_FORCE returns a
 * lazy list for a body so recorded, and goes on after it. */
static tnode *body(parser *p, tnode *next, bool *nonempty)
{
    if (p->mode == P_FULL || p->peek_count != 0)
        return item_list(p, next, nonempty);
    int start = (int)p->lex.pos, line = p->lex.line;
    if (p->mode == P_LAZY) {
        size_t k = p->nbodies;
        if (k == p->capbodies) {
            p->capbodies = p->capbodies ? p->capbodies * 2 : 64;
            p->bodies = xrealloc(p->bodies, p->capbodies * sizeof *p->bodies);
        }
        p->bodies[k] = (tmpl_body){ start, line, 0, 0 };
        p->nbodies++;
        arena *na = p->na;
        arena_mark m;
        p->na = p->scratch;
        arena_mark_take(p->scratch, &m);
        if (quick_check(p, start, line, nonempty))
            node_copy(next, text_or_action(p)); /* the {{end}} or {{else}} */
        else
            item_list(p, next, nonempty);
        arena_mark_end(p->scratch, &m, true);
        p->na = na;
        p->bodies[k].end = p->ldelim_pos;
        p->bodies[k].end_line = p->ldelim_line;
        return lazy_list(na, p->t, TN_LAZY, start, line);
    }
    const tmpl_body *b = find_body(p->file, start);
    if (!b)
        return item_list(p, next, nonempty);
    tnode *list = lazy_list(p->na, p->t, TN_LAZY, b->start, b->start_line);
    tmpl_lex_jump(&p->lex, (size_t)b->end, b->end_line);
    node_copy(next, text_or_action(p));
    return list;
}

static void parse_definition(parser *p)
{
    const char *context = "define clause";
    tl_item tok = *next_nonspace(p);
    if (tok.type != TK_STRING && tok.type != TK_RAWSTRING)
        unexpected(p, tok, context);
    const char *name;
    size_t len;
    if (!unquote(p->a, tok.val, tok.len, &name, &len))
        perrorf(p, "invalid syntax");
    expect(p, TK_RDELIM, context);
    enter(p);
    sub_tree(p, name, context);
    p->nest--;
}

/* The top level of a file into root (defines go to trees of their own); it
 * runs whenever the file does, so it is built at once, lazy or not. */
static void parse_top(parser *p, tnode *root, bool *nonempty)
{
    size_t base = p->nstk;
    while (ppeek(p)->type != TK_EOF) {
        if (ppeek(p)->type == TK_LDELIM) {
            tl_item delim = *pnext(p);
            if (next_nonspace(p)->type == TK_DEFINE) {
                parse_definition(p);
                continue;
            }
            pbackup2(p, delim);
        }
        tnode *n = text_or_action(p);
        if (n->type == TN_END || n->type == TN_ELSE)
            unexpected_node(p, "unexpected %s%s", n, "");
        if (!is_blank(n))
            *nonempty = true;
        stk_push(p, n);
    }
    root->kids = stk_take(p, base, &root->nkids);
}

struct tmpl_parsed {
    tmpl_tree **trees; /* Go's treeSet of one parse, in the order it made them */
    size_t n;
};

static void parser_init(parser *p, arena *a, int mode, const char *parse_name, const char *text, size_t len)
{
    memset(p, 0, offsetof(parser, jb));
    p->a = p->na = a;
    p->mode = mode;
    p->parse_name = parse_name;
    p->stk = p->stk_inline;
    p->capstk = sizeof p->stk_inline / sizeof p->stk_inline[0];
    tmpl_lex_init(&p->lex, a, text, len);
}

static parser *parser_new(arena *a, int mode, const char *parse_name, const char *text, size_t len)
{
    parser *p = xmalloc(sizeof *p);
    parser_init(p, a, mode, parse_name, text, len);
    return p;
}

static void parser_fini(parser *p)
{
    free(p->vars);
    if (p->stk != p->stk_inline)
        free(p->stk);
    if (p->mode == P_LAZY) {
        free(p->bodies);
        arena_free(p->scratch);
    }
}

static void parser_free(parser *p)
{
    parser_fini(p);
    free(p);
}

int tmpl_parse_file(arena *a, const char *name, const char *text, size_t len, tmpl_hasfn hasfn, void *hasfn_ctx,
                    bool lazy, tmpl_parsed **out, char **errmsg, int *errline)
{
    parser *p = parser_new(a, lazy ? P_LAZY : P_FULL, arena_strdup(a, name), text, len);
    char base;
    p->stack_base = &base;
    p->hasfn = hasfn;
    p->hasfn_ctx = hasfn_ctx;
    if (hasfn) {
        p->lex.break_ok = !hasfn(hasfn_ctx, "break", 5);
        p->lex.continue_ok = !hasfn(hasfn_ctx, "continue", 8);
    }
    tmpl_file *file = NULL;
    if (lazy) {
        p->scratch = arena_new();
        p->file = file = arena_zalloc(a, sizeof *file);
        file->a = a;
        file->break_ok = p->lex.break_ok;
        file->continue_ok = p->lex.continue_ok;
    }
    *out = NULL;
    if (setjmp(p->jb)) {
        *errmsg = p->errmsg;
        *errline = p->errline;
        parser_free(p);
        return -1;
    }
    p->t = new_tree(p, p->parse_name);
    push_var(p, "$", 1);
    tnode *root = new_node(p, TN_LIST, ppeek(p)->pos);
    bool nonempty = false;
    parse_top(p, root, &nonempty);
    p->t->root = root;
    p->t->empty = !nonempty;
    tree_add(p, p->t);
    if (lazy && p->nbodies) {
        tmpl_body *b = arena_alloc(a, p->nbodies * sizeof *b);
        memcpy(b, p->bodies, p->nbodies * sizeof *b);
        file->bodies = b;
        file->nbodies = p->nbodies;
    }
    tmpl_parsed *pf = arena_alloc(a, sizeof *pf);
    pf->trees = p->trees;
    pf->n = p->ntrees;
    *out = pf;
    parser_free(p);
    return 0;
}

/* A lazy list's items, parsed into arena na (the list itself takes them);
 * the strings a value may keep (unquoted string constants), names and
 * errors into a. */
static int force_into(tnode *list, arena *a, arena *na, char **errmsg)
{
    const tmpl_tree *t = list->owner;
    const tmpl_file *f = t->file;
    /* on the stack: a body is forced a thousand times in a large chart */
    parser ps, *p = &ps;
    parser_init(p, a, P_FORCE, t->parse_name, t->text, t->textlen);
    p->na = na;
    char base;
    p->stack_base = &base;
    p->file = f;
    p->t = (tmpl_tree *)t;
    p->lex.break_ok = f->break_ok;
    p->lex.continue_ok = f->continue_ok;
    /* the body was checked: its parse cannot fail on the text, so no line
     * is ever reported and none is counted (only running out of stack can
     * fail here, an error of ours that names no line) */
    p->lex.no_lines = true;
    tmpl_lex_jump(&p->lex, (size_t)list->pos, list->lazy_line);
    if (setjmp(p->jb)) {
        *errmsg = p->errmsg;
        parser_fini(p);
        return -1;
    }
    tnode end;
    tnode *built = item_list(p, &end, NULL);
    list->kids = built->kids;
    list->nkids = built->nkids;
    list->pos = built->pos;
    list->lazy_line = 0;
    list->flag = 0;
    parser_fini(p);
    return 0;
}

int tmpl_list_force(tnode *list, char **errmsg)
{
    return force_into(list, list->owner->file->a, list->owner->file->a, errmsg);
}

int tmpl_list_force_nodes(tnode *list, arena *nodes, char **errmsg)
{
    return force_into(list, list->owner->file->a, nodes, errmsg);
}

void tmpl_set_add(tmpl_set *s, const tmpl_parsed *pf)
{
    /* Go's associate(): a template is not replaced by an empty one */
    for (size_t i = 0; i < pf->n; i++) {
        tmpl_tree *t = pf->trees[i];
        set_entry *e = set_slot(s, t->name, strlen(t->name));
        if (e->name && t->empty && e->tree)
            continue;
        set_put(s, t);
    }
}

int tmpl_parse_into(tmpl_set *s, const char *name, const char *text, size_t len,
                    tmpl_hasfn hasfn, void *hasfn_ctx, char **errmsg, int *errline)
{
    tmpl_parsed *pf;
    if (tmpl_parse_file(s->a, name, text, len, hasfn, hasfn_ctx, false, &pf, errmsg, errline) != 0)
        return -1;
    tmpl_set_add(s, pf);
    return 0;
}

typedef struct only_job { const char *data; size_t len; int rc; } only_job;
static int parse_only(const char *data, size_t len);
static void parse_only_job(void *arg, size_t budget)
{
    (void)budget;
    only_job *j = arg;
    j->rc = parse_only(j->data, j->len);
}

int tmpl_parse_only(const char *data, size_t len)
{
    only_job j = { data, len, 0 };
    tmpl_with_stack(parse_only_job, &j);
    return j.rc;
}

/* Force every lazy list under n, as executing all of it would. */
static int force_all(tnode *n)
{
    char *msg;
    if (n->type == TN_LIST && n->flag && tmpl_list_force(n, &msg))
        return -1;
    if (n->type == TN_LIST)
        for (int i = 0; i < n->nkids; i++)
            if (force_all(n->kids[i]))
                return -1;
    if ((n->type == TN_IF || n->type == TN_RANGE || n->type == TN_WITH) &&
        (force_all(n->list) || (n->elselist && force_all(n->elselist))))
        return -1;
    return 0;
}

/* The same node types at the same positions, all the way down (what
 * String() does not show: the positions errors are located by). */
static bool same_places(const tnode *x, const tnode *y)
{
    if (!x || !y)
        return x == y;
    if (x->type != y->type || x->pos != y->pos)
        return false;
    switch (x->type) {
    case TN_LIST: case TN_CMD:
        if (x->nkids != y->nkids)
            return false;
        for (int i = 0; i < x->nkids; i++)
            if (!same_places(x->kids[i], y->kids[i]))
                return false;
        return true;
    case TN_PIPE:
        if (x->nkids != y->nkids || x->ndecl != y->ndecl)
            return false;
        for (int i = 0; i < x->ndecl; i++)
            if (!same_places(x->decl[i], y->decl[i]))
                return false;
        for (int i = 0; i < x->nkids; i++)
            if (!same_places(x->kids[i], y->kids[i]))
                return false;
        return true;
    case TN_ACTION: return same_places(x->pipe, y->pipe);
    case TN_IF: case TN_RANGE: case TN_WITH:
        return same_places(x->pipe, y->pipe) && same_places(x->list, y->list) &&
               same_places(x->elselist, y->elselist);
    case TN_CHAIN: return same_places(x->chain, y->chain);
    case TN_TEMPLATE: return same_places(x->tpipe, y->tpipe);
    default: return true;
    }
}

static bool same_string(const tnode *x, const tnode *y)
{
    strbuf a = STRBUF_INIT, b = STRBUF_INIT;
    tmpl_node_string(&a, x);
    tmpl_node_string(&b, y);
    bool same = a.len == b.len && memcmp(sb_str(&a), sb_str(&b), a.len) == 0;
    sb_release(&a);
    sb_release(&b);
    return same;
}

/* The functions parse_only knows: every name but those starting with 'x'
 * ("break" and "continue" are not functions, so they are keywords). */
static bool parse_only_hasfn(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    if (len == 0 || name[0] == 'x')
        return false;
    return !(len == 5 && memcmp(name, "break", 5) == 0) && !(len == 8 && memcmp(name, "continue", 8) == 0);
}

/* Parse fully and lazily: the same error, or the same trees (by String(),
 * before and after forcing every lazy list, and by their nodes' types and
 * positions after); -2 when they differ. */
static int parse_only(const char *data, size_t len)
{
    arena *a = arena_new(), *la = arena_new();
    tmpl_set *s = tmpl_set_new(a, NULL), *ls = tmpl_set_new(la, NULL);
    char *msg, *lmsg;
    int line, lline;
    tmpl_parsed *pf;
    int rc = tmpl_parse_into(s, "fuzz", data, len, parse_only_hasfn, NULL, &msg, &line);
    int lrc = tmpl_parse_file(la, "fuzz", data, len, parse_only_hasfn, NULL, true, &pf, &lmsg, &lline);
    if (rc != lrc || (rc && (strcmp(msg, lmsg) != 0 || line != lline)))
        rc = -2;
    if (rc == 0) {
        tmpl_set_add(ls, pf);
        for (size_t i = 0; i < pf->n && rc == 0; i++) {
            const char *name = pf->trees[i]->name;
            const tmpl_tree *t = tmpl_set_lookup(s, name, strlen(name));
            const tmpl_tree *lt = tmpl_set_lookup(ls, name, strlen(name));
            if (!t || !lt || t->empty != lt->empty || !same_string(t->root, lt->root) ||
                force_all(lt->root) || !same_string(t->root, lt->root) || !same_places(t->root, lt->root))
                rc = -2;
        }
    }
    arena_free(a);
    arena_free(la);
    return rc;
}

/* ---- Node.String() ---- */

void tmpl_node_string(strbuf *out, const tnode *n)
{
    switch ((tn_type)n->type) {
    case TN_LIST:
        if (n->flag) { /* lazy: its items, parsed for the moment */
            tnode copy;
            node_copy(&copy, n);
            arena *a = arena_new();
            char *msg;
            if (force_into(&copy, a, a, &msg) == 0)
                tmpl_node_string(out, &copy);
            arena_free(a);
            break;
        }
        for (int i = 0; i < n->nkids; i++)
            tmpl_node_string(out, n->kids[i]);
        break;
    case TN_TEXT: sb_add(out, n->s, n->len); break;
    case TN_COMMENT: sb_adds(out, "{{"); sb_add(out, n->s, n->len); sb_adds(out, "}}"); break;
    case TN_ACTION: sb_adds(out, "{{"); tmpl_node_string(out, n->pipe); sb_adds(out, "}}"); break;
    case TN_PIPE:
        for (int i = 0; i < n->ndecl; i++) {
            if (i)
                sb_adds(out, ", ");
            tmpl_node_string(out, n->decl[i]);
        }
        if (n->ndecl)
            sb_adds(out, n->flag ? " = " : " := ");
        for (int i = 0; i < n->nkids; i++) {
            if (i)
                sb_adds(out, " | ");
            tmpl_node_string(out, n->kids[i]);
        }
        break;
    case TN_CMD:
        for (int i = 0; i < n->nkids; i++) {
            if (i)
                sb_addc(out, ' ');
            if (n->kids[i]->type == TN_PIPE) {
                sb_addc(out, '(');
                tmpl_node_string(out, n->kids[i]);
                sb_addc(out, ')');
            } else {
                tmpl_node_string(out, n->kids[i]);
            }
        }
        break;
    case TN_FIELD:
        for (int i = 0; i < n->nidents; i++) {
            sb_addc(out, '.');
            sb_adds(out, n->idents[i]);
        }
        break;
    case TN_VAR:
        for (int i = 0; i < n->nidents; i++) {
            if (i)
                sb_addc(out, '.');
            sb_adds(out, n->idents[i]);
        }
        break;
    case TN_CHAIN:
        if (n->chain->type == TN_PIPE) {
            sb_addc(out, '(');
            tmpl_node_string(out, n->chain);
            sb_addc(out, ')');
        } else {
            tmpl_node_string(out, n->chain);
        }
        for (int i = 0; i < n->nidents; i++) {
            sb_addc(out, '.');
            sb_adds(out, n->idents[i]);
        }
        break;
    case TN_DOT: sb_addc(out, '.'); break;
    case TN_NIL: sb_adds(out, "nil"); break;
    case TN_BOOL: sb_adds(out, n->flag ? "true" : "false"); break;
    case TN_NUMBER: sb_add(out, n->s, n->len); break;
    case TN_STRING: sb_add(out, n->raw, (size_t)n->rawlen); break;
    case TN_IDENT: sb_add(out, n->s, n->len); break;
    case TN_IF: case TN_RANGE: case TN_WITH:
        sb_adds(out, n->type == TN_IF ? "{{if " : n->type == TN_RANGE ? "{{range " : "{{with ");
        tmpl_node_string(out, n->pipe);
        sb_adds(out, "}}");
        tmpl_node_string(out, n->list);
        if (n->elselist) {
            sb_adds(out, "{{else}}");
            tmpl_node_string(out, n->elselist);
        }
        sb_adds(out, "{{end}}");
        break;
    case TN_TEMPLATE:
        sb_adds(out, "{{template ");
        gofmt_quote(out, n->s, n->len);
        if (n->tpipe) {
            sb_addc(out, ' ');
            tmpl_node_string(out, n->tpipe);
        }
        sb_adds(out, "}}");
        break;
    case TN_BREAK: sb_adds(out, "{{break}}"); break;
    case TN_CONTINUE: sb_adds(out, "{{continue}}"); break;
    case TN_END: sb_adds(out, "{{end}}"); break;
    case TN_ELSE: sb_adds(out, "{{else}}"); break;
    }
}

void tmpl_node_location(const tmpl_tree *t, const tnode *n, int *line, int *col)
{
    const char *text = t->text;
    size_t pos = (size_t)n->pos;
    int ln = 1;
    size_t last = (size_t)-1;
    for (size_t i = 0; i < pos; i++)
        if (text[i] == '\n') {
            ln++;
            last = i;
        }
    *line = ln;
    *col = last == (size_t)-1 ? (int)pos : (int)(pos - last - 1);
}

/* ---- a big stack ---- */

#include <pthread.h>
#include <sys/resource.h>
#include <unistd.h>

#define BIG_STACK (512UL << 20)        /* reserved, touched only as used */
#define STACK_BUDGET (480UL << 20)

struct tmpl_thread {
    pthread_t th;
    void (*fn)(void *, size_t);
    void *arg;
};

static void *stack_thread(void *p)
{
    tmpl_thread *t = p;
    t->fn(t->arg, STACK_BUDGET);
    return NULL;
}

tmpl_thread *tmpl_thread_start(void (*fn)(void *, size_t), void *arg)
{
    tmpl_thread *t = malloc(sizeof *t);
    if (!t)
        return NULL;
    t->fn = fn;
    t->arg = arg;
    pthread_attr_t attr;
    if (pthread_attr_init(&attr) != 0) {
        free(t);
        return NULL;
    }
    bool ok = pthread_attr_setstacksize(&attr, BIG_STACK) == 0 && pthread_create(&t->th, &attr, stack_thread, t) == 0;
    pthread_attr_destroy(&attr);
    if (!ok) {
        free(t);
        return NULL;
    }
    return t;
}

void tmpl_thread_join(tmpl_thread *t)
{
    pthread_join(t->th, NULL);
    free(t);
}

void tmpl_with_stack(void (*fn)(void *, size_t), void *arg)
{
    tmpl_thread *t = tmpl_thread_start(fn, arg);
    if (t)
        tmpl_thread_join(t);
    else
        fn(arg, 4UL << 20); /* the default 8 MiB stack */
}

bool tmpl_stack_room(size_t need)
{
    char here;
    if (getpid() == gettid()) {
        /* the main thread's stack grows on demand up to RLIMIT_STACK; its own
         * frames below here are assumed to take less than 1 MiB */
        struct rlimit rl;
        return getrlimit(RLIMIT_STACK, &rl) == 0 && (rl.rlim_cur == RLIM_INFINITY || rl.rlim_cur >= need + (1UL << 20));
    }
    pthread_attr_t attr;
    void *lo;
    size_t size;
    if (pthread_getattr_np(pthread_self(), &attr) != 0)
        return false;
    bool ok = pthread_attr_getstack(&attr, &lo, &size) == 0;
    pthread_attr_destroy(&attr);
    return ok && (uintptr_t)&here > (uintptr_t)lo && (uintptr_t)&here - (uintptr_t)lo > need + (64UL << 10);
}

bool tmpl_stack_exhausted(const void *base, size_t budget)
{
    char here;
    uintptr_t b = (uintptr_t)base, h = (uintptr_t)&here;
    size_t used = b > h ? b - h : h - b;
    return used > budget;
}
