/* chart_glob.c — see chart_glob.h.
 *
 * gobwas/glob's syntax, read as its lexer and parser read it:
 *   *      any run of characters but '/'     **   any run of characters
 *   ?      one character but '/'             \c   c itself
 *   [abc] [!abc]  one character in (not in) the list; no escapes of ']' but \]
 *   [a-z] [!a-z]  one character in (not in) the range; lo <= hi
 *   {a,b,...}     one of the alternatives (nested; an unclosed one ends at the
 *                 end); ',' and '}' are plain text outside braces.
 * The pattern is translated to an anchored PCRE2 expression, matched by
 * pcre2_dfa_match: it walks all paths at once, so time is linear in the name
 * for a given pattern (backtracking took minutes on "*a*a*a*a*a*a*a*a*[bc]").
 * An unclosed or empty [...], a range with hi < lo, or text that is not UTF-8
 * is an error. */
#include "renderer/chart/chart_glob.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/xalloc.h"

struct chart_glob {
    pcre2_code *code; /* NULL: match every name */
    pcre2_match_data *md;
};

/* pcre2_dfa_match's workspace, in ints: it grows (up to the most) when a
 * pattern has more alternatives alive at once than it holds. */
#define DFA_WS_FIRST 1024
#define DFA_WS_MOST (1 << 20)

typedef struct lex {
    const unsigned char *p, *end;
    bool bad;
} lex;

/* The next rune, or -1 at the end (or on bad UTF-8, which sets bad). */
static long next_rune(lex *l)
{
    if (l->p >= l->end)
        return -1;
    unsigned c = *l->p;
    int n = c < 0x80 ? 1 : (c >> 5) == 6 ? 2 : (c >> 4) == 14 ? 3 : (c >> 3) == 30 ? 4 : 0;
    if (!n || l->end - l->p < n) {
        l->bad = true;
        return -1;
    }
    long r = n == 1 ? (long)c : (long)(c & (0x7F >> n));
    for (int i = 1; i < n; i++) {
        if ((l->p[i] & 0xC0) != 0x80) {
            l->bad = true;
            return -1;
        }
        r = r << 6 | (l->p[i] & 0x3F);
    }
    static const long least[] = {0, 0, 0x80, 0x800, 0x10000};
    if (r < least[n] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
        l->bad = true;
        return -1;
    }
    l->p += n;
    return r;
}

static long peek_rune(const lex *l)
{
    lex t = *l;
    return next_rune(&t);
}

static void add_rune(strbuf *re, long r) { sb_addf(re, "\\x{%lx}", (unsigned long)r); }

/* lexer.fetchText: runes up to an unescaped breaker; a '\' escapes the rune
 * after it (and is dropped at the end). Returns how many runes it added. */
static size_t text(lex *l, strbuf *re, const char *breakers, bool in_class)
{
    size_t n = 0;
    for (;;) {
        const unsigned char *at = l->p;
        long r = next_rune(l);
        if (r < 0)
            return n;
        if (r == '\\') {
            r = next_rune(l);
            if (r < 0)
                return n;
        } else if (r < 0x80 && strchr(breakers, (int)r)) {
            l->p = at;
            return n;
        }
        if (!in_class && r < 0x80 && ((r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9')))
            sb_addc(re, (char)r);
        else
            add_rune(re, r);
        n++;
    }
}

/* lexer.fetchRange and parserRange, after the '['. 0, or -1 when refused. */
static int range(lex *l, strbuf *re)
{
    bool not = false;
    long r = next_rune(l);
    if (r == '!') {
        not = true;
        r = next_rune(l);
    }
    if (r < 0)
        return -1;
    sb_adds(re, not ? "[^" : "[");
    if (peek_rune(l) == '-') {
        next_rune(l);
        long hi = next_rune(l);
        if (hi < 0 || next_rune(l) != ']' || r == 0 || hi == 0 || hi < r)
            return -1;
        add_rune(re, r);
        sb_addc(re, '-');
        add_rune(re, hi);
    } else {
        l->p -= r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4; /* unread r */
        if (text(l, re, "]", true) == 0 || next_rune(l) != ']')
            return -1;
    }
    sb_addc(re, ']');
    return 0;
}

/* The expression for the pattern, or -1 when gobwas refuses it. */
static int translate(lex *l, strbuf *re)
{
    int terms = 0;
    for (;;) {
        long r = next_rune(l);
        if (r < 0)
            break;
        if (r == '{') {
            terms++;
            sb_adds(re, "(?:");
        } else if (r == ',' && terms) {
            sb_addc(re, '|');
        } else if (r == '}' && terms) {
            terms--;
            sb_addc(re, ')');
        } else if (r == '[') {
            if (range(l, re) < 0)
                return -1;
        } else if (r == '?') {
            sb_adds(re, "[^/]");
        } else if (r == '*') {
            if (peek_rune(l) == '*') {
                next_rune(l);
                sb_adds(re, ".*");
            } else {
                sb_adds(re, "[^/]*");
            }
        } else {
            l->p -= r < 0x80 ? 1 : r < 0x800 ? 2 : r < 0x10000 ? 3 : 4; /* unread r */
            text(l, re, terms ? "?*[{}," : "?*[{", false);
        }
    }
    if (l->bad)
        return -1;
    while (terms--)
        sb_addc(re, ')');
    sb_adds(re, "\\z"); /* pcre2_dfa_match does not heed PCRE2_ENDANCHORED from the compile */
    return 0;
}

static void glob_free(void *p)
{
    chart_glob *g = p;
    pcre2_match_data_free(g->md);
    pcre2_code_free(g->code);
}

chart_glob *chart_glob_compile(arena *a, const char *pattern, size_t len)
{
    chart_glob *g = arena_zalloc(a, sizeof *g);
    strbuf re = STRBUF_INIT;
    lex l = {(const unsigned char *)pattern, (const unsigned char *)pattern + len, false};
    if (translate(&l, &re) == 0) {
        int ec;
        PCRE2_SIZE eo;
        g->code = pcre2_compile((PCRE2_SPTR)sb_str(&re), re.len,
                                PCRE2_UTF | PCRE2_DOTALL | PCRE2_ANCHORED |
                                    PCRE2_ENDANCHORED | PCRE2_NEVER_BACKSLASH_C,
                                &ec, &eo, NULL);
    }
    sb_release(&re);
    if (g->code) {
        g->md = pcre2_match_data_create(1, NULL);
        arena_defer(a, glob_free, g);
    }
    return g;
}

/* name with each byte that is not UTF-8 read as U+FFFD, as Go's range over a
 * string reads it (pcre2_dfa_match takes valid UTF-8 only); NULL when name is
 * valid as it is. */
static char *valid_utf8(const char *name, size_t len, size_t *outlen)
{
    lex l = {(const unsigned char *)name, (const unsigned char *)name + len, false};
    while (next_rune(&l) >= 0)
        ;
    if (!l.bad)
        return NULL;
    strbuf sb = STRBUF_INIT;
    l = (lex){(const unsigned char *)name, (const unsigned char *)name + len, false};
    while (l.p < l.end) {
        const unsigned char *at = l.p;
        if (next_rune(&l) >= 0) {
            sb_add(&sb, (const char *)at, (size_t)(l.p - at));
        } else {
            sb_adds(&sb, "\xEF\xBF\xBD");
            l.p = at + 1;
            l.bad = false;
        }
    }
    return sb_detach(&sb, outlen);
}

bool chart_glob_match(const chart_glob *g, const char *name, size_t len)
{
    if (!g->code)
        return true;
    size_t vlen;
    char *valid = valid_utf8(name, len, &vlen);
    if (valid) {
        name = valid;
        len = vlen;
    }
    int small[DFA_WS_FIRST];
    int *ws = small;
    size_t n = DFA_WS_FIRST;
    int rc;
    for (;;) {
        rc = pcre2_dfa_match(g->code, (PCRE2_SPTR)name, len, 0, 0, g->md, NULL, ws, n);
        if (rc != PCRE2_ERROR_DFA_WSSIZE || n >= DFA_WS_MOST)
            break;
        n *= 4;
        if (ws != small)
            free(ws);
        ws = xmalloc(n * sizeof *ws);
    }
    if (ws != small)
        free(ws);
    free(valid);
    return rc >= 0;
}
