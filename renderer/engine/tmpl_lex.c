/* tmpl_lex.c — the lexer of Go's text/template (after parse/lex.go): text,
 * actions with {{- -}} trim markers, comments, strings, raw strings, char
 * constants, numbers, keywords. One item per call, no goroutine, no buffer. */
#include "renderer/engine/tmpl_ast.h"
#include "core/gofmt.h"

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

static size_t count_nl(const char *s, size_t n)
{
    size_t c = 0;
    const char *e = s + n;
    while ((s = memchr(s, '\n', (size_t)(e - s))) != NULL) {
        c++;
        s++;
    }
    return c;
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
    l->line += (int)count_nl(l->input + l->start, l->pos - l->start);
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
static bool has_right_trim(const char *s, size_t n) { return n >= 2 && isspace_r((unsigned char)s[0]) && s[1] == '-'; }

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

static tl_type keyword(const char *s, size_t n)
{
    static const struct { const char *w; size_t n; tl_type t; } kw[] = {
        {".", 1, TK_DOT}, {"block", 5, TK_BLOCK}, {"break", 5, TK_BREAK}, {"continue", 8, TK_CONTINUE},
        {"define", 6, TK_DEFINE}, {"else", 4, TK_ELSE}, {"end", 3, TK_END}, {"if", 2, TK_IF},
        {"range", 5, TK_RANGE}, {"nil", 3, TK_NIL}, {"template", 8, TK_TEMPLATE}, {"with", 4, TK_WITH},
    };
    if (n > 8 || !strchr(".bcdeirntw", s[0])) /* most identifiers are function names */
        return TK_ERROR;
    for (size_t i = 0; i < sizeof kw / sizeof *kw; i++)
        if (kw[i].n == n && kw[i].w[0] == s[0] && memcmp(kw[i].w, s, n) == 0)
            return kw[i].t;
    return TK_ERROR;
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

static tl_item lex_number(tl_lexer *l)
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

static tl_item lex_quote(tl_lexer *l, int q, tl_type t, const char *msg)
{
    const unsigned char *in = (const unsigned char *)l->input;
    if (q == '`') { /* a raw string ends at the next backquote: nothing else decides anything */
        const char *e = memchr(l->input + l->pos, '`', l->len - l->pos);
        if (!e)
            return errorf(l, "%s", msg);
        size_t end = (size_t)(e - l->input) + 1;
        l->line += (int)count_nl(l->input + l->pos, end - l->pos);
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

static tl_item lex_field_or_var(tl_lexer *l, tl_type t)
{
    if (at_terminator(l))
        return this_item(l, t == TK_VARIABLE ? TK_VARIABLE : TK_DOT);
    skip_ascii_alnum(l);
    int r = end_of_word(l);
    if (!at_terminator(l)) {
        char u[32];
        fmt_U(u, sizeof u, r);
        return errorf(l, "bad character %s", u);
    }
    return this_item(l, t);
}

static tl_item lex_right_delim(tl_lexer *l)
{
    bool trim;
    at_right_delim(l, &trim);
    if (trim) {
        l->pos += 2;
        ignore(l);
    }
    l->pos += 2;
    tl_item it = this_item(l, TK_RDELIM);
    if (trim) {
        l->pos += left_trim_len(l->input + l->pos, l->len - l->pos);
        ignore(l);
    }
    l->inside_action = false;
    return it;
}

static tl_item lex_inside(tl_lexer *l)
{
    for (;;) {
        bool trim;
        if (at_right_delim(l, &trim)) {
            if (l->paren_depth == 0)
                return lex_right_delim(l);
            return errorf(l, "unclosed left paren");
        }
        int r;
        if (l->pos < l->len && (unsigned char)l->input[l->pos] < 0x80) { /* lnext, for ASCII */
            r = (unsigned char)l->input[l->pos++];
            if (r == '\n')
                l->line++;
        } else {
            r = lnext(l);
        }
        if (r == EOF_RUNE)
            return errorf(l, "unclosed action");
        if (isspace_r(r)) {
            /* spaces are ASCII: count them a byte at a time */
            int n = 1;
            while (l->pos < l->len && isspace_r((unsigned char)l->input[l->pos])) {
                if (l->input[l->pos] == '\n')
                    l->line++;
                l->pos++;
                n++;
            }
            if (has_right_trim(l->input + l->pos - 1, l->len - l->pos + 1) && has_prefix(l, l->pos + 1, "}}")) {
                lbackup(l);
                if (n == 1)
                    return lex_right_delim(l);
            }
            return this_item(l, TK_SPACE);
        }
        switch (r) {
        case '=': return this_item(l, TK_ASSIGN);
        case ':':
            if (lnext(l) != '=')
                return errorf(l, "expected :=");
            return this_item(l, TK_DECLARE);
        case '|': return this_item(l, TK_PIPE);
        case '"': return lex_quote(l, '"', TK_STRING, "unterminated quoted string");
        case '`': return lex_quote(l, '`', TK_RAWSTRING, "unterminated raw quoted string");
        case '\'': return lex_quote(l, '\'', TK_CHARCONST, "unterminated character constant");
        case '$':
            if (at_terminator(l))
                return this_item(l, TK_VARIABLE);
            return lex_field_or_var(l, TK_VARIABLE);
        case '(':
            l->paren_depth++;
            return this_item(l, TK_LPAREN);
        case ')':
            l->paren_depth--;
            if (l->paren_depth < 0)
                return errorf(l, "unexpected right paren");
            return this_item(l, TK_RPAREN);
        }
        if (r == '.') {
            if (l->pos < l->len) {
                char c = l->input[l->pos];
                if (c < '0' || c > '9')
                    return lex_field_or_var(l, TK_FIELD);
            }
            lbackup(l);
            return lex_number(l);
        }
        if (r == '+' || r == '-' || (r >= '0' && r <= '9')) {
            lbackup(l);
            return lex_number(l);
        }
        if (isalnum_r(r)) {
            skip_ascii_alnum(l);
            r = end_of_word(l);
            const char *w = l->input + l->start;
            size_t n = l->pos - l->start;
            if (!at_terminator(l)) {
                char u[32];
                fmt_U(u, sizeof u, r);
                return errorf(l, "bad character %s", u);
            }
            tl_type k = keyword(w, n);
            if (k > TK_KEYWORD) {
                if ((k == TK_BREAK && !l->break_ok) || (k == TK_CONTINUE && !l->continue_ok))
                    return this_item(l, TK_IDENT);
                return this_item(l, k);
            }
            if ((n == 4 && memcmp(w, "true", 4) == 0) || (n == 5 && memcmp(w, "false", 5) == 0))
                return this_item(l, TK_BOOL);
            return this_item(l, TK_IDENT);
        }
        if (r < 0x80 && r >= 0x20 && r != 0x7F)
            return this_item(l, TK_CHAR);
        char u[32];
        fmt_U(u, sizeof u, r);
        return errorf(l, "unrecognized character in action: %s", u);
    }
}

static tl_item lex_left_delim(tl_lexer *l)
{
    l->pos += 2;
    bool trim = has_left_trim(l->input + l->pos, l->len - l->pos);
    size_t after = trim ? 2 : 0;
    if (has_prefix(l, l->pos + after, "/*")) {
        l->pos += after;
        ignore(l);
        /* comment */
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
        l->line += (int)count_nl(l->input + l->start, l->pos - l->start);
        l->start = l->pos; /* the comment item is not emitted */
        l->start_line = l->line;
        if (rtrim)
            l->pos += 2;
        l->pos += 2;
        if (rtrim)
            l->pos += left_trim_len(l->input + l->pos, l->len - l->pos);
        ignore(l);
        return (tl_item){ TK_COMMENT, 0, 0, NULL, 0 }; /* caller continues with text */
    }
    tl_item it = this_item(l, TK_LDELIM);
    l->inside_action = true;
    l->pos += after;
    ignore(l);
    l->paren_depth = 0;
    return it;
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

static tl_item lex_text(tl_lexer *l)
{
    for (;;) {
        const char *p = NULL;
        if (l->pos < l->len)
            p = find_open(l->input + l->pos, l->len - l->pos);
        if (p) {
            size_t x = (size_t)(p - (l->input + l->pos));
            if (x > 0) {
                l->pos += x;
                size_t trimlen = 0;
                size_t dend = l->pos + 2;
                if (has_left_trim(l->input + dend, l->len - dend)) {
                    size_t s = l->start, e = l->pos;
                    while (e > s && isspace_r((unsigned char)l->input[e - 1]))
                        e--;
                    trimlen = l->pos - e;
                }
                l->pos -= trimlen;
                l->line += (int)count_nl(l->input + l->start, l->pos - l->start);
                tl_item it = this_item(l, TK_TEXT);
                l->pos += trimlen;
                ignore(l);
                if (it.len > 0)
                    return it;
            }
            tl_item it = lex_left_delim(l);
            if (it.type == TK_COMMENT)
                continue;
            return it;
        }
        l->pos = l->len;
        if (l->pos > l->start) {
            l->line += (int)count_nl(l->input + l->start, l->pos - l->start);
            return this_item(l, TK_TEXT);
        }
        return this_item(l, TK_EOF);
    }
}

tl_item tmpl_lex_next(tl_lexer *l)
{
    if (l->inside_action)
        return lex_inside(l);
    return lex_text(l);
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
