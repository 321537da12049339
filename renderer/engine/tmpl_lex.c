/* tmpl_lex.c — the lexer of Go's text/template (after parse/lex.go): text,
 * actions with {{- -}} trim markers, comments, strings, raw strings, char
 * constants, numbers, keywords. One item per call, no goroutine, no buffer.
 *
 * Every template byte passes here once or twice per render, so the common
 * cases are short: inside an action a single space is made at once
 * (tmpl_lex_next), else the class of the first byte picks the path
 * (lex_inside), ASCII words and strings are scanned by bytes, and only runes
 * beyond ASCII, signs, floats and errors go the rune-by-rune way of Go's lexer
 * (lnext/lbackup). The items, their lines and the error messages are those of
 * the rune-by-rune lexer for every input. */
#include "renderer/engine/tmpl_ast.h"
#include "core/gofmt.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define EOF_RUNE (-1)

static int isspace_r(int r) { return r == ' ' || r == '\t' || r == '\r' || r == '\n'; }

/* unicode.IsLetter || IsDigit || '_'; every non-ASCII rune counts as a letter. */
static int isalnum_r(int r)
{
    return r == '_' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') || (r >= '0' && r <= '9') ||
           (r >= 0x80 && r != 0xFFFD);
}

/* Decode one rune at s (n bytes left); *w gets its width. Invalid -> U+FFFD, 1. */
static int decode_rune(const unsigned char *s, size_t n, int *w)
{
    unsigned c = s[0];
    if (c < 0x80) { *w = 1; return (int)c; }
    int need; unsigned r;
    if ((c & 0xE0) == 0xC0) { need = 1; r = c & 0x1F; }
    else if ((c & 0xF0) == 0xE0) { need = 2; r = c & 0x0F; }
    else if ((c & 0xF8) == 0xF0) { need = 3; r = c & 0x07; }
    else { *w = 1; return 0xFFFD; }
    if ((size_t)need >= n) { *w = 1; return 0xFFFD; }
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80) { *w = 1; return 0xFFFD; }
        r = (r << 6) | (s[i] & 0x3F);
    }
    static const unsigned min[] = {0, 0x80, 0x800, 0x10000};
    if (r < min[need] || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) { *w = 1; return 0xFFFD; }
    *w = need + 1;
    return (int)r;
}

void tmpl_lex_init(tl_lexer *l, arena *a, const char *input, size_t len)
{
    memset(l, 0, sizeof *l);
    l->a = a;
    l->input = input;
    l->len = len;
    l->line = l->start_line = 1;
    l->break_ok = l->continue_ok = true;
}

void tmpl_lex_jump(tl_lexer *l, size_t pos, int line)
{
    l->pos = l->start = pos;
    l->line = l->start_line = line;
    l->at_eof = false;
    l->inside_action = false;
    l->paren_depth = 0;
}

static int lnext(tl_lexer *l)
{
    if (l->pos >= l->len) {
        l->at_eof = true;
        return EOF_RUNE;
    }
    unsigned char c = (unsigned char)l->input[l->pos];
    if (c < 0x80) { /* ASCII: one byte, one rune */
        l->pos++;
        if (c == '\n')
            l->line++;
        return c;
    }
    int w;
    int r = decode_rune((const unsigned char *)l->input + l->pos, l->len - l->pos, &w);
    l->pos += (size_t)w;
    if (r == '\n')
        l->line++;
    return r;
}

static void lbackup(tl_lexer *l)
{
    if (l->at_eof || l->pos == 0)
        return;
    unsigned char c = (unsigned char)l->input[l->pos - 1];
    if (c < 0x80) { /* ASCII: never the tail of a longer rune */
        l->pos--;
        if (c == '\n')
            l->line--;
        return;
    }
    /* step back over one rune */
    size_t p = l->pos - 1;
    while (p > 0 && ((unsigned char)l->input[p] & 0xC0) == 0x80 && l->pos - p < 4)
        p--;
    int w;
    int r = decode_rune((const unsigned char *)l->input + p, l->len - p, &w);
    if ((size_t)w != l->pos - p) { /* invalid sequence: one byte back */
        p = l->pos - 1;
        r = (unsigned char)l->input[p];
    }
    l->pos = p;
    if (r == '\n')
        l->line--;
}

/* ASCII letters, digits and '_' */
#define W2(c) [c] = 1, [c + 1] = 1
#define W10(c) W2(c), W2(c + 2), W2(c + 4), W2(c + 6), W2(c + 8)
static const unsigned char ascii_word[256] = {
    W10('0'), W10('A'), W10('A' + 10), W2('A' + 20), W2('A' + 22), W2('A' + 24), W10('a'), W10('a' + 10), W2('a' + 20), W2('a' + 22), W2('a' + 24), ['_'] = 1,
};
#undef W10
#undef W2

/* Skip a run of ASCII letters, digits and '_' (no newlines among them). */
static void skip_ascii_alnum(tl_lexer *l)
{
    const unsigned char *p = (const unsigned char *)l->input;
    size_t i = l->pos;
    while (i < l->len && ascii_word[p[i]])
        i++;
    l->pos = i;
}

/* After skip_ascii_alnum: the rest of a word (letters beyond ASCII), and the
 * rune after it, which is not consumed. */
static int end_of_word(tl_lexer *l)
{
    if (l->pos >= l->len)
        return EOF_RUNE;
    unsigned char c = (unsigned char)l->input[l->pos];
    if (c < 0x80) /* neither a letter nor a digit, or skip_ascii_alnum would have taken it */
        return c;
    int r;
    for (;;) {
        r = lnext(l);
        if (!isalnum_r(r))
            break;
        skip_ascii_alnum(l);
    }
    lbackup(l);
    return r;
}

static int lpeek(tl_lexer *l)
{
    int r = lnext(l);
    lbackup(l);
    return r;
}

typedef unsigned char v16 __attribute__((vector_size(16)));
typedef uint64_t v2u64 __attribute__((vector_size(16)));

/* The sum of the 16 bytes of v (each at most 255). */
static inline size_t sum16(v16 v)
{
    const uint64_t lo = 0x00FF00FF00FF00FFULL;
    v2u64 w = (v2u64)v;
    w = (w & lo) + ((w >> 8) & lo); /* four 16-bit sums per half */
    return (size_t)(((w[0] + w[1]) * 0x0001000100010001ULL) >> 48);
}

/* The newlines in input[from..to), 16 bytes a step with GCC's vector
 * extensions. The step that is not whole reads the 16 bytes that end at `to`
 * (or start at `from`) inside the input and counts only its lanes in range. */
static size_t count_nl(const tl_lexer *l, size_t from, size_t to)
{
    if (l->no_lines)
        return 0;
    static const v16 lane = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15 };
    const char *s = l->input + from;
    size_t n = to - from;
    v16 x;
    if (n < 16) {
        if (to >= 16) { /* the lanes 16-n..15 of the 16 bytes before to */
            memcpy(&x, l->input + to - 16, 16);
            return sum16((v16)(x == '\n') & (v16)(lane >= (unsigned char)(16 - n)) & 1);
        }
        if (from + 16 <= l->len) { /* the lanes 0..n-1 of the 16 bytes from from */
            memcpy(&x, s, 16);
            return sum16((v16)(x == '\n') & (v16)(lane < (unsigned char)n) & 1);
        }
        size_t c = 0;
        for (size_t i = 0; i < n; i++)
            c += s[i] == '\n';
        return c;
    }
    size_t c = 0, blocks = n / 16, tail = n % 16;
    for (;;) {
        size_t k = blocks < 254 ? blocks : 254;
        blocks -= k;
        v16 acc = { 0 };
        for (; k; k--, s += 16) {
            memcpy(&x, s, 16);
            acc -= (v16)(x == '\n'); /* -1 where a newline is */
        }
        if (!blocks) { /* the last tail bytes: lanes 16-tail..15 of the 16 before to */
            memcpy(&x, l->input + to - 16, 16);
            acc -= (v16)(x == '\n') & (v16)(lane >= (unsigned char)(16 - tail));
            return c + sum16(acc);
        }
        c += sum16(acc);
    }
}

static tl_item this_item(tl_lexer *l, tl_type t)
{
    tl_item it = { t, (int)l->start, l->start_line, l->input + l->start, l->pos - l->start };
    l->start = l->pos;
    l->start_line = l->line;
    return it;
}

static void ignore(tl_lexer *l)
{
    l->line += (int)count_nl(l, l->start, l->pos);
    l->start = l->pos;
    l->start_line = l->line;
}

static bool accept(tl_lexer *l, const char *valid)
{
    int r = lnext(l);
    if (r > 0 && r < 128 && strchr(valid, r))
        return true;
    lbackup(l);
    return false;
}

static void accept_run(tl_lexer *l, const char *valid)
{
    for (;;) {
        int r = lnext(l);
        if (!(r > 0 && r < 128 && strchr(valid, r)))
            break;
    }
    lbackup(l);
}

static tl_item errorf(tl_lexer *l, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static tl_item errorf(tl_lexer *l, const char *fmt, ...)
{
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    tl_item it = { TK_ERROR, (int)l->start, l->start_line, arena_strndup(l->a, sb_str(&sb), sb.len), sb.len };
    sb_release(&sb);
    l->start = l->pos = 0;
    l->len = 0; /* input = input[:0] */
    return it;
}

/* %#U */
static void fmt_U(char *buf, size_t n, int r)
{
    if (r >= 0x20 && r != 0x7F && !(r >= 0x80 && r < 0xA0) && r != 0xFFFD + 1) {
        char u[8];
        int k = 0;
        unsigned c = (unsigned)r;
        if (c < 0x80) u[k++] = (char)c;
        else if (c < 0x800) { u[k++] = (char)(0xC0 | (c >> 6)); u[k++] = (char)(0x80 | (c & 0x3F)); }
        else if (c < 0x10000) { u[k++] = (char)(0xE0 | (c >> 12)); u[k++] = (char)(0x80 | ((c >> 6) & 0x3F)); u[k++] = (char)(0x80 | (c & 0x3F)); }
        else { u[k++] = (char)(0xF0 | (c >> 18)); u[k++] = (char)(0x80 | ((c >> 12) & 0x3F)); u[k++] = (char)(0x80 | ((c >> 6) & 0x3F)); u[k++] = (char)(0x80 | (c & 0x3F)); }
        u[k] = 0;
        snprintf(buf, n, "U+%04X '%s'", (unsigned)r, u);
    } else {
        snprintf(buf, n, "U+%04X", (unsigned)r);
    }
}

static bool has_left_trim(const char *s, size_t n) { return n >= 2 && s[0] == '-' && isspace_r((unsigned char)s[1]); }

/* Are the two bytes p[0], p[1] at byte `at`? (the right delimiter, a comment opening) */
static bool has_prefix(const tl_lexer *l, size_t at, const char *p)
{
    return at + 2 <= l->len && l->input[at] == p[0] && l->input[at + 1] == p[1];
}

/* "}}" or " -}}" at pos (asked before every item inside an action) */
static bool at_right_delim(tl_lexer *l, bool *trim)
{
    const char *in = l->input;
    size_t pos = l->pos;
    *trim = false;
    if (pos + 2 > l->len)
        return false;
    if (in[pos] == '}')
        return in[pos + 1] == '}';
    if (in[pos + 1] == '-' && isspace_r((unsigned char)in[pos]) && has_prefix(l, pos + 2, "}}")) {
        *trim = true;
        return true;
    }
    return false;
}

static size_t left_trim_len(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && isspace_r((unsigned char)s[i]))
        i++;
    return i;
}

static bool at_terminator(tl_lexer *l)
{
    if (l->pos < l->len && ascii_word[(unsigned char)l->input[l->pos]]) /* the common answer, at once */
        return false;
    int r = l->pos < l->len && (unsigned char)l->input[l->pos] < 0x80 ? l->input[l->pos] : lpeek(l);
    if (isspace_r(r))
        return true;
    switch (r) {
    case EOF_RUNE: case '.': case ',': case '|': case ':': case ')': case '(':
        return true;
    }
    return has_prefix(l, l->pos, "}}");
}


static bool scan_number(tl_lexer *l)
{
    accept(l, "+-");
    const char *digits = "0123456789_";
    if (accept(l, "0")) {
        if (accept(l, "xX"))
            digits = "0123456789abcdefABCDEF_";
        else if (accept(l, "oO"))
            digits = "01234567_";
        else if (accept(l, "bB"))
            digits = "01_";
    }
    accept_run(l, digits);
    if (accept(l, "."))
        accept_run(l, digits);
    if (strlen(digits) == 11 && accept(l, "eE")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    if (strlen(digits) == 23 && accept(l, "pP")) {
        accept(l, "+-");
        accept_run(l, "0123456789_");
    }
    accept(l, "i");
    if (isalnum_r(lpeek(l))) {
        lnext(l);
        return false;
    }
    return true;
}

static tl_item __attribute__((noinline)) lex_number(tl_lexer *l)
{
    if (!scan_number(l))
        goto bad;
    int sign = lpeek(l);
    if (sign == '+' || sign == '-') {
        if (!scan_number(l) || l->input[l->pos - 1] != 'i')
            goto bad;
        return this_item(l, TK_COMPLEX);
    }
    return this_item(l, TK_NUMBER);
bad: {
        strbuf q = STRBUF_INIT;
        gofmt_quote(&q, l->input + l->start, l->pos - l->start);
        tl_item it = errorf(l, "bad number syntax: %s", sb_str(&q));
        sb_release(&q);
        return it;
    }
}

static tl_item __attribute__((noinline)) lex_quote(tl_lexer *l, int q, tl_type t, const char *msg)
{
    const unsigned char *in = (const unsigned char *)l->input;
    if (q == '`') { /* a raw string ends at the next backquote: nothing else decides anything */
        const char *e = memchr(l->input + l->pos, '`', l->len - l->pos);
        if (!e)
            return errorf(l, "%s", msg);
        size_t end = (size_t)(e - l->input) + 1;
        l->line += (int)count_nl(l, l->pos, end);
        l->pos = end;
        return this_item(l, t);
    }
    for (;;) {
        /* plain ASCII decides nothing here: skip it a byte at a time, and take
         * the rest (quotes, escapes, newlines, multi-byte runes) rune by rune */
        size_t i = l->pos;
        while (i < l->len && in[i] >= 0x20 && in[i] < 0x80 && in[i] != q && in[i] != '\\')
            i++;
        l->pos = i;
        int r = lnext(l);
        if (r == '\\' && q != '`') {
            r = lnext(l);
            if (r != EOF_RUNE && r != '\n')
                continue;
            return errorf(l, "%s", msg);
        }
        if (r == EOF_RUNE || (r == '\n' && q != '`'))
            return errorf(l, "%s", msg);
        if (r == q)
            return this_item(l, t);
    }
}



/* What the first byte of an item inside an action says. */
enum {
    C_CTRL,   /* a control byte: an error */
    C_CHAR,   /* other printable ASCII: a TK_CHAR */
    C_WORD,   /* ASCII letter or '_' */
    C_DIGIT,
    C_SPACE,
    C_HIGH,   /* the first byte of a rune beyond ASCII (or an invalid one) */
    C_RBRACE, C_DOT, C_DOLLAR, C_DQUOTE, C_SQUOTE, C_BQUOTE, C_EQ, C_COLON, C_PIPE, C_LPAREN, C_RPAREN, C_SIGN,
};

/* ranges first, then the bytes that differ from them */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Woverride-init"
#define R8(c, k) [c] = k, [c + 1] = k, [c + 2] = k, [c + 3] = k, [c + 4] = k, [c + 5] = k, [c + 6] = k, [c + 7] = k
#define R32(c, k) R8(c, k), R8(c + 8, k), R8(c + 16, k), R8(c + 24, k)
static const unsigned char cls[256] = {
    R32(' ', C_CHAR), R32('@', C_CHAR), R32('`', C_CHAR),
    R8('0', C_DIGIT), ['8'] = C_DIGIT, ['9'] = C_DIGIT,
    R8('A', C_WORD), R8('I', C_WORD), R8('Q', C_WORD), ['Y'] = C_WORD, ['Z'] = C_WORD, ['_'] = C_WORD,
    R8('a', C_WORD), R8('i', C_WORD), R8('q', C_WORD), ['y'] = C_WORD, ['z'] = C_WORD,
    [' '] = C_SPACE, ['\t'] = C_SPACE, ['\r'] = C_SPACE, ['\n'] = C_SPACE,
    ['}'] = C_RBRACE, ['.'] = C_DOT, ['$'] = C_DOLLAR, ['"'] = C_DQUOTE, ['\''] = C_SQUOTE, ['`'] = C_BQUOTE,
    ['='] = C_EQ, [':'] = C_COLON, ['|'] = C_PIPE, ['('] = C_LPAREN, [')'] = C_RPAREN, ['+'] = C_SIGN, ['-'] = C_SIGN,
    [0x7F] = C_CTRL,
    R32(0x80, C_HIGH), R32(0xA0, C_HIGH), R32(0xC0, C_HIGH), R32(0xE0, C_HIGH),
};

/* Where a scan stops (find_stop): S_NW at every byte that is not an ASCII
 * letter, digit or '_' (the end of a word); S_DQ and S_SQ where a "..." or
 * '...' string must look (its quote, a backslash, a newline). */
enum { S_DQ = 1, S_SQ = 2, S_NW = 4 };
static const unsigned char stops[256] = {
    R32(0x00, S_NW), R32(0x20, S_NW), R32(0x40, S_NW), R32(0x60, S_NW),
    R32(0x80, S_NW), R32(0xA0, S_NW), R32(0xC0, S_NW), R32(0xE0, S_NW),
    R8('0', 0), ['8'] = 0, ['9'] = 0, ['_'] = 0,
    R8('A', 0), R8('I', 0), R8('Q', 0), ['Y'] = 0, ['Z'] = 0,
    R8('a', 0), R8('i', 0), R8('q', 0), ['y'] = 0, ['z'] = 0,
    ['"'] = S_NW | S_DQ, ['\''] = S_NW | S_SQ, ['\\'] = S_NW | S_DQ | S_SQ, ['\n'] = S_NW | S_DQ | S_SQ,
};
#undef R32
#undef R8
#pragma GCC diagnostic pop

/* Bytes that end a field, variable or identifier by themselves (at_terminator;
 * "}}" and EOF are asked apart). */
static const unsigned char term_byte[256] = {
    [' '] = 1, ['\t'] = 1, ['\r'] = 1, ['\n'] = 1, ['.'] = 1, [','] = 1, ['|'] = 1, [':'] = 1, [')'] = 1, ['('] = 1,
};

/* The first byte from p whose stops[] has a bit of mask, or e: four bytes a
 * step while there are four. */
static inline __attribute__((always_inline)) const unsigned char *find_stop(const unsigned char *p, const unsigned char *e, unsigned mask)
{
    while (e - p >= 4) {
        if (stops[p[0]] & mask) return p;
        if (stops[p[1]] & mask) return p + 1;
        if (stops[p[2]] & mask) return p + 2;
        if (stops[p[3]] & mask) return p + 3;
        p += 4;
    }
    while (p < e && !(stops[*p] & mask))
        p++;
    return p;
}

/* The end of a run of ASCII letters, digits and '_' from p. */
static inline const unsigned char *word_end(const unsigned char *p, const unsigned char *e)
{
    return find_stop(p, e, S_NW);
}

/* An item from start to end, which has no newline in it. */
static inline tl_item emit(tl_lexer *l, tl_type t, size_t end)
{
    tl_item it = { t, (int)l->start, l->start_line, l->input + l->start, end - l->start };
    l->pos = l->start = end;
    return it;
}

static tl_item __attribute__((noinline, cold)) bad_char(tl_lexer *l, const char *what, int r)
{
    char u[32];
    fmt_U(u, sizeof u, r);
    return errorf(l, "%s%s", what, u);
}

static inline __attribute__((always_inline)) tl_type keyword(const char *s, size_t n)
{
    switch (n) {
    case 2: if (s[0] == 'i' && s[1] == 'f') return TK_IF; break;
    case 3:
        if (memcmp(s, "end", 3) == 0) return TK_END;
        if (memcmp(s, "nil", 3) == 0) return TK_NIL;
        break;
    case 4:
        if (memcmp(s, "else", 4) == 0) return TK_ELSE;
        if (memcmp(s, "with", 4) == 0) return TK_WITH;
        if (memcmp(s, "true", 4) == 0) return TK_BOOL;
        break;
    case 5:
        if (memcmp(s, "range", 5) == 0) return TK_RANGE;
        if (memcmp(s, "block", 5) == 0) return TK_BLOCK;
        if (memcmp(s, "break", 5) == 0) return TK_BREAK;
        if (memcmp(s, "false", 5) == 0) return TK_BOOL;
        break;
    case 6: if (memcmp(s, "define", 6) == 0) return TK_DEFINE; break;
    case 8:
        if (memcmp(s, "template", 8) == 0) return TK_TEMPLATE;
        if (memcmp(s, "continue", 8) == 0) return TK_CONTINUE;
        break;
    }
    return TK_IDENT;
}

/* An identifier or keyword whose word ends at pos (end_of_word's rune r after it). */
static tl_item finish_ident(tl_lexer *l, int r)
{
    if (!at_terminator(l))
        return bad_char(l, "bad character ", r);
    tl_type k = keyword(l->input + l->start, l->pos - l->start);
    if ((k == TK_BREAK && !l->break_ok) || (k == TK_CONTINUE && !l->continue_ok))
        k = TK_IDENT;
    return this_item(l, k);
}

static tl_item __attribute__((noinline)) ident_rune(tl_lexer *l)
{
    return finish_ident(l, end_of_word(l));
}

/* A word that starts or goes on beyond ASCII: rune by rune, as Go does. */
static tl_item __attribute__((noinline)) lex_ident_slow(tl_lexer *l)
{
    int r = lnext(l);
    if (!isalnum_r(r))
        return bad_char(l, "unrecognized character in action: ", r);
    skip_ascii_alnum(l);
    return finish_ident(l, end_of_word(l));
}

/* The item ends at p: is a terminator there? 1 yes, 0 no, -1 ask at_terminator
 * (a rune beyond ASCII). */
static inline int term_at(const unsigned char *p, const unsigned char *e)
{
    if (p == e)
        return 1;
    unsigned c = *p;
    if (term_byte[c])
        return 1;
    if (c == '}')
        return p + 1 < e && p[1] == '}';
    return c >= 0x80 ? -1 : 0;
}

/* An identifier or keyword from l->start (an ASCII letter or '_'). */
static inline __attribute__((always_inline)) tl_item lex_ident(tl_lexer *l, const unsigned char *in, const unsigned char *e)
{
    const unsigned char *p = word_end(in + l->start + 1, e);
    int t = term_at(p, e);
    if (t < 0) { /* a rune beyond ASCII: a letter goes on with the word */
        l->pos = (size_t)(p - in);
        return ident_rune(l);
    }
    if (!t)
        return bad_char(l, "bad character ", *p);
    if (p == e)
        l->at_eof = true; /* at_terminator's lpeek */
    size_t n = (size_t)(p - in) - l->start;
    tl_type k = keyword(l->input + l->start, n);
    if ((k == TK_BREAK && !l->break_ok) || (k == TK_CONTINUE && !l->continue_ok))
        k = TK_IDENT;
    return emit(l, k, (size_t)(p - in));
}

/* The rest of a field or variable from pos, where a byte beyond ASCII is. */
static tl_item __attribute__((noinline)) field_or_var_rune(tl_lexer *l, tl_type t)
{
    int r = end_of_word(l);
    if (!at_terminator(l))
        return bad_char(l, "bad character ", r);
    return this_item(l, t);
}

/* A field (.Name) or variable ($name) from l->start; dot is the item of the
 * lone '.' or '$'. */
static inline __attribute__((always_inline)) tl_item lex_field_or_var(tl_lexer *l, tl_type t, tl_type dot, const unsigned char *in, const unsigned char *e)
{
    const unsigned char *p = in + l->start + 1;
    int k = p < e && ascii_word[*p] ? 0 : term_at(p, e);
    if (k > 0) {
        if (p == e)
            l->at_eof = true;
        return emit(l, dot, (size_t)(p - in));
    }
    if (k == 0)
        p = word_end(p, e);
    k = term_at(p, e);
    l->pos = (size_t)(p - in);
    if (k < 0)
        return field_or_var_rune(l, t);
    if (!k)
        return bad_char(l, "bad character ", *p);
    if (p == e)
        l->at_eof = true;
    return emit(l, t, (size_t)(p - in));
}

/* A number from l->start: [0-9][0-9_]* followed by what cannot go on with
 * it is an integer at once; anything else goes to lex_number. */
static tl_item lex_digits(tl_lexer *l, const unsigned char *in, const unsigned char *e)
{
    const unsigned char *p = in + l->start + 1;
    while (p < e && ((*p >= '0' && *p <= '9') || *p == '_'))
        p++;
    if (p == e) {
        l->at_eof = true;
        return emit(l, TK_NUMBER, (size_t)(p - in));
    }
    unsigned c = *p;
    if (c < 0x80 && !ascii_word[c] && c != '.' && c != '+' && c != '-')
        return emit(l, TK_NUMBER, (size_t)(p - in));
    l->pos = l->start;
    return lex_number(l);
}

/* "..." or '...' (bit: S_DQ or S_SQ): they end at their quote; a newline or
 * EOF first is an error. Bytes beyond ASCII decide nothing, so no rune is
 * decoded. */
static tl_item __attribute__((noinline)) lex_quote_fast(tl_lexer *l, int q, unsigned bit, tl_type t, const char *msg,
                              const unsigned char *in, const unsigned char *e)
{
    const unsigned char *p = in + l->start + 1;
    for (;;) {
        p = find_stop(p, e, bit);
        if (p == e)
            break;
        unsigned c = *p++;
        if (c == (unsigned)q)
            return emit(l, t, (size_t)(p - in));
        if (c == '\n') {
            l->line++;
            l->pos = (size_t)(p - in);
            return errorf(l, "%s", msg);
        }
        /* a backslash: the next rune is taken whatever it is */
        if (p == e)
            break;
        if (*p == '\n') {
            l->line++;
            l->pos = (size_t)(p - in) + 1;
            return errorf(l, "%s", msg);
        }
        p++;
    }
    l->at_eof = true;
    l->pos = (size_t)(e - in);
    return errorf(l, "%s", msg);
}

/* " -}}" at pos: the space and '-' are dropped, then the spaces after "}}".
 * ("}}" alone is lexed in lex_inside.) */
static tl_item __attribute__((noinline)) lex_right_trim_delim(tl_lexer *l)
{
    if (l->paren_depth != 0)
        return errorf(l, "unclosed left paren");
    const char *in = l->input;
    if (in[l->pos] == '\n')
        l->line++;
    l->pos += 2;
    l->start = l->pos;
    l->start_line = l->line;
    l->pos += 2;
    tl_item it = this_item(l, TK_RDELIM);
    size_t i = l->pos, n = l->len;
    int line = l->line;
    while (i < n && cls[(unsigned char)in[i]] == C_SPACE) {
        if (in[i] == '\n')
            line++;
        i++;
    }
    l->pos = l->start = i;
    l->line = l->start_line = line;
    l->inside_action = false;
    return it;
}

/* A run of spaces from l->start; it stops before " -}}" (a run of one
 * space before "-}}" is not seen here: lex_inside takes it first). */
static inline __attribute__((always_inline)) tl_item lex_space(tl_lexer *l, const unsigned char *in, const unsigned char *e)
{
    const unsigned char *p = in + l->start;
    int nl = 0;
    do {
        nl += *p == '\n';
        p++;
    } while (p < e && cls[*p] == C_SPACE);
    if (e - p >= 3 && p[0] == '-' && p[1] == '}' && p[2] == '}') {
        p--; /* the space before "-}}" belongs to the delimiter */
        nl -= *p == '\n';
    }
    l->line += nl;
    tl_item it = { TK_SPACE, (int)l->start, l->start_line, l->input + l->start, (size_t)(p - in) - l->start };
    l->pos = l->start = (size_t)(p - in);
    l->start_line = l->line;
    return it;
}

static tl_item __attribute__((noinline)) lex_inside(tl_lexer *l)
{
    const unsigned char *in = (const unsigned char *)l->input;
    const unsigned char *e = in + l->len;
    size_t pos = l->pos;
    if (pos >= l->len) {
        l->at_eof = true;
        return errorf(l, "unclosed action");
    }
    const unsigned char *p = in + pos;
    unsigned k = cls[*p];
    if (k > C_SIGN)
        __builtin_unreachable();
    switch (k) {
    case C_WORD: return lex_ident(l, in, e);
    case C_SPACE:
        if (p + 1 < e && cls[p[1]] != C_SPACE && p[1] != '-' && *p != '\n')
            return emit(l, TK_SPACE, pos + 1); /* the common single space */
        if (e - p >= 4 && p[1] == '-' && p[2] == '}' && p[3] == '}')
            return lex_right_trim_delim(l);
        return lex_space(l, in, e);
    case C_RBRACE:
        if (e - p >= 2 && p[1] == '}') {
            if (l->paren_depth != 0)
                return errorf(l, "unclosed left paren");
            l->inside_action = false;
            return emit(l, TK_RDELIM, pos + 2);
        }
        return emit(l, TK_CHAR, pos + 1);
    case C_DOT:
        if (p + 1 < e && p[1] >= '0' && p[1] <= '9')
            return lex_number(l);
        if (p + 1 == e) /* "." then EOF: lex_number says what it is */
            return lex_number(l);
        return lex_field_or_var(l, TK_FIELD, TK_DOT, in, e);
    case C_DOLLAR: return lex_field_or_var(l, TK_VARIABLE, TK_VARIABLE, in, e);
    case C_DIGIT: return lex_digits(l, in, e);
    case C_SIGN: return lex_number(l);
    case C_DQUOTE: return lex_quote_fast(l, '"', S_DQ, TK_STRING, "unterminated quoted string", in, e);
    case C_SQUOTE: return lex_quote_fast(l, '\'', S_SQ, TK_CHARCONST, "unterminated character constant", in, e);
    case C_BQUOTE:
        l->pos = pos + 1;
        return lex_quote(l, '`', TK_RAWSTRING, "unterminated raw quoted string");
    case C_EQ: return emit(l, TK_ASSIGN, pos + 1);
    case C_PIPE: return emit(l, TK_PIPE, pos + 1);
    case C_COLON:
        l->pos = pos + 1;
        if (lnext(l) != '=')
            return errorf(l, "expected :=");
        return this_item(l, TK_DECLARE);
    case C_LPAREN:
        l->paren_depth++;
        return emit(l, TK_LPAREN, pos + 1);
    case C_RPAREN:
        l->paren_depth--;
        if (l->paren_depth < 0) {
            l->pos = pos + 1;
            return errorf(l, "unexpected right paren");
        }
        return emit(l, TK_RPAREN, pos + 1);
    case C_CHAR: return emit(l, TK_CHAR, pos + 1);
    case C_HIGH: return lex_ident_slow(l);
    default: /* C_CTRL */
        l->pos = pos + 1;
        return bad_char(l, "unrecognized character in action: ", *p);
    }
}

/* A comment from "{{" (pos is after it; after: 2 for "- "): skipped whole,
 * with the trim markers; TK_COMMENT tells lex_text to go on with text. */
static tl_item __attribute__((noinline)) lex_comment(tl_lexer *l, size_t after)
{
    l->pos += after;
    ignore(l);
    l->pos += 2;
    const char *e = NULL;
    for (size_t i = l->pos; i + 1 < l->len; i++)
        if (l->input[i] == '*' && l->input[i + 1] == '/') {
            e = l->input + i;
            break;
        }
    if (!e)
        return errorf(l, "unclosed comment");
    l->pos = (size_t)(e - l->input) + 2;
    bool rtrim;
    if (!at_right_delim(l, &rtrim))
        return errorf(l, "comment ends before closing delimiter");
    l->line += (int)count_nl(l, l->start, l->pos);
    l->start = l->pos; /* the comment item is not emitted */
    l->start_line = l->line;
    if (rtrim)
        l->pos += 2;
    l->pos += 2;
    if (rtrim)
        l->pos += left_trim_len(l->input + l->pos, l->len - l->pos);
    ignore(l);
    return (tl_item){ TK_COMMENT, 0, 0, NULL, 0 };
}

/* The first "{{" in s (memchr runs much faster than memmem where '{' is rare). */
static const char *find_open(const char *s, size_t n)
{
    const char *end = s + n;
    while (n >= 2) {
        const char *p = memchr(s, '{', n - 1);
        if (!p)
            return NULL;
        if (p[1] == '{')
            return p;
        s = p + 1;
        n = (size_t)(end - s);
    }
    return NULL;
}

static tl_item __attribute__((noinline)) lex_text(tl_lexer *l)
{
    for (;;) {
        const char *in = l->input;
        size_t len = l->len, start = l->start; /* == pos */
        const char *p = l->pos < len ? find_open(in + l->pos, len - l->pos) : NULL;
        if (!p) {
            l->pos = len;
            if (len > start) {
                l->line += (int)count_nl(l, start, len);
                return this_item(l, TK_TEXT);
            }
            return this_item(l, TK_EOF);
        }
        size_t at = (size_t)(p - in);
        bool trim = has_left_trim(p + 2, len - at - 2);
        if (at > l->pos) { /* the text, without the spaces "{{-" trims */
            size_t end = at;
            int trimnl = 0;
            unsigned char c;
            if (trim)
                for (; end > start && cls[c = (unsigned char)in[end - 1]] == C_SPACE; end--)
                    trimnl += c == '\n';
            l->line += (int)count_nl(l, start, end);
            tl_item it = { TK_TEXT, (int)start, l->start_line, in + start, end - start };
            l->line += trimnl;
            l->pos = l->start = at;
            l->start_line = l->line;
            if (it.len > 0)
                return it;
        }
        /* "{{" at `at` */
        l->pos = at + 2;
        size_t after = trim ? 2 : 0;
        if (at + 4 + after <= len && in[at + 2 + after] == '/' && in[at + 3 + after] == '*') {
            tl_item it = lex_comment(l, after);
            if (it.type == TK_COMMENT)
                continue;
            return it;
        }
        tl_item it = { TK_LDELIM, (int)at, l->start_line, in + at, 2 };
        if (trim) { /* "- ": the space may be a newline */
            l->line += in[at + 3] == '\n';
            l->pos = at + 4;
        }
        l->start = l->pos;
        l->start_line = l->line;
        l->inside_action = true;
        l->paren_depth = 0;
        return it;
    }
}

/* The next item. A single space inside an action, a third of all items, is
 * made here, without lex_inside's frame. */
tl_item tmpl_lex_next(tl_lexer *l)
{
    if (!l->inside_action)
        return lex_text(l);
    size_t pos = l->pos;
    if (pos + 1 < l->len) {
        const unsigned char *p = (const unsigned char *)l->input + pos;
        if (p[0] == ' ' && cls[p[1]] != C_SPACE && p[1] != '-')
            return emit(l, TK_SPACE, pos + 1);
    }
    return lex_inside(l);
}

void tmpl_item_string(strbuf *out, const tl_item *it)
{
    if (it->type == TK_EOF) {
        sb_adds(out, "EOF");
    } else if (it->type == TK_ERROR) {
        sb_add(out, it->val, it->len);
    } else if (it->type > TK_KEYWORD) {
        sb_addc(out, '<');
        sb_add(out, it->val, it->len);
        sb_addc(out, '>');
    } else if (it->len > 10) {
        /* %.10q: the first 10 runes, quoted */
        size_t n = 0, runes = 0;
        while (n < it->len && runes < 10) {
            int w;
            decode_rune((const unsigned char *)it->val + n, it->len - n, &w);
            n += (size_t)w;
            runes++;
        }
        gofmt_quote(out, it->val, n);
        sb_adds(out, "...");
    } else {
        gofmt_quote(out, it->val, it->len);
    }
}
