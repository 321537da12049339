/* yaml_scan.c — the line scanner of yaml_scan.h: block YAML checked with
 * libyaml's rules (scanner.c: indentation, simple keys, plain scalars and
 * their continuation, block scalars and their chomping) for the subset it
 * accepts, events out. */
#include "core/yaml_scan.h"

#include <limits.h>
#include <stdint.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/yaml_int.h"

#define MAX_NEST 200 /* deeper documents go to libyaml */
#define MAX_KEY 1000 /* libyaml's simple keys stop at 1024 characters */

enum { NO = -1, OK = 0 };

typedef struct scan {
    const char *end;
    int depth;
    ys_handler h;
    void *ctx;
} scan;

static int map_at(scan *x, const char *t, int col, const char **next);
static int seq_at(scan *x, const char *t, int col, bool indentless, const char **next);

static bool blank_at(const scan *x, const char *p) { return p == x->end || *p == ' ' || *p == '\n'; }

static const char *after_line(const scan *x, const char *p)
{
    const char *e = memchr(p, '\n', (size_t)(x->end - p));
    return e ? e + 1 : x->end;
}

static int emit(scan *x, ys_type t, ys_style st, const char *raw, size_t n)
{
    ys_event ev = {t, st, false, 0, 0, raw, n};
    return x->h(x->ctx, &ev) ? NO : OK;
}

/* Are the sixteen bytes at p printable ASCII, tab and newline? (GCC's
 * vector extension: SSE2 on x86-64, plain code elsewhere) */
typedef unsigned char u8x16 __attribute__((vector_size(16)));
typedef signed char s8x16 __attribute__((vector_size(16)));

static inline bool plain16(const unsigned char *p)
{
    u8x16 v;
    memcpy(&v, p, 16);
    s8x16 bad = ((v < 0x20) & (v != '\n') & (v != '\t')) | (v >= 0x7F);
    uint64_t h[2];
    memcpy(h, &bad, 16);
    return !(h[0] | h[1]);
}

/* The first byte at or after p that is not a space, or end: sixteen bytes
 * a step (CRDs are indented by tens of spaces a line). */
/* The index of the first byte of m that is set (0xFF), or 16. */
static inline int first_set(u8x16 m)
{
    uint64_t h[2];
    memcpy(h, &m, 16);
    return h[0] ? __builtin_ctzll(h[0]) / 8 : h[1] ? 8 + __builtin_ctzll(h[1]) / 8 : 16;
}

static inline const char *spaces_end(const char *p, const char *end)
{
    for (; end - p >= 16; p += 16) {
        u8x16 v;
        memcpy(&v, p, 16);
        int i = first_set((u8x16)(v != ' '));
        if (i < 16)
            return p + i;
    }
    while (p < end && *p == ' ')
        p++;
    return p;
}

/* Printable UTF-8 as libyaml reads it: no control characters but tab and
 * newline, no DEL, C1 controls, BOM, NEL, line or paragraph separators,
 * surrogates or U+FFFE/U+FFFF, and well-formed sequences only. */
static bool text_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        while (n - i >= 16 && plain16(s + i))
            i += 16;
        if (i >= n)
            break;
        unsigned char c = s[i];
        if (c < 0x80) {
            if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7F)
                return false;
            i++;
            continue;
        }
        uint32_t r;
        int w = yaml_utf8_decode(s + i, n - i, &r);
        if (r == 0xFFFD && !(w == 3 && s[i] == 0xEF && s[i + 1] == 0xBF && s[i + 2] == 0xBD))
            return false;
        if (r < 0xA0 || r == 0xFEFF || r == 0x2028 || r == 0x2029 || (r >= 0xD800 && r <= 0xDFFF) ||
            r == 0xFFFE || r == 0xFFFF)
            return false;
        i += (size_t)w;
    }
    return true;
}

/* The next line with content from line start q: 1 with its start, first
 * character and column, 0 at the end, NO for what the subset leaves out.
 * Blank and comment lines are skipped. */
static int next_line(const scan *x, const char *q, const char **line, const char **first, int *col)
{
    while (q < x->end) {
        const char *r = spaces_end(q, x->end);
        if (r == x->end)
            return 0;
        if (*r == '\n') {
            q = r + 1;
            continue;
        }
        if (*r == '#') {
            q = after_line(x, r);
            continue;
        }
        if (*r == '\t')
            return NO;
        if (r == q && (*r == '%' || ((size_t)(x->end - r) >= 3 && (!memcmp(r, "---", 3) || !memcmp(r, "...", 3)) &&
                                     (r + 3 == x->end || r[3] == ' ' || r[3] == '\n' || r[3] == '\t'))))
            return NO;
        *line = q;
        *first = r;
        *col = (int)(r - q);
        return 1;
    }
    return 0;
}

/* After an entry of a collection at column col, from line start q: 1 with
 * the next entry's line and first character, OK (0) when the collection
 * ends (*next at the line that ends it), NO on a line deeper than col. */
static int next_entry(const scan *x, const char *q, int col, const char **line, const char **first,
                      const char **next)
{
    int c, got = next_line(x, q, line, first, &c);
    if (got < 0 || (got && c > col))
        return NO;
    if (!got || c < col) {
        *next = got ? *line : x->end;
        return OK;
    }
    return 1;
}

/* Can a plain scalar start at p? ("-", "?", ":" can, before a non-blank) */
static bool starts_plain(const scan *x, const char *p)
{
    switch (*p) {
    case '[': case ']': case '{': case '}': case ',': case '#': case '&': case '*': case '!':
    case '|': case '>': case '\'': case '"': case '%': case '@': case '`':
        return false;
    case '-': case '?': case ':':
        return !blank_at(x, p + 1);
    default:
        return true;
    }
}

/* After a quoted scalar or a flow collection: spaces, then the end of the line or a comment. */
static int line_rest(const scan *x, const char *p, const char **next)
{
    const char *s = p;
    while (p < x->end && *p == ' ')
        p++;
    if (p == x->end || *p == '\n' || (*p == '#' && p > s)) {
        *next = after_line(x, p);
        return OK;
    }
    return NO;
}

static int quoted_event(scan *x, const char *p, const char *close)
{
    return emit(x, YS_SCALAR, *p == '"' ? YS_DOUBLE : YS_SINGLE, p + 1, (size_t)(close - p - 2));
}

/* A quoted scalar that may go on over lines (a value, at p, in a collection
 * at column ind), as CRDs' descriptions do: OK with *close past its closing
 * quote and *multi when it took more than one line; NO for what is left to
 * libyaml: a line after the first not deeper than ind (document markers
 * among them), a tab, an escape other than quoted()'s, or a backslash
 * ending a line of a double-quoted one (an escaped line break, or not). */
static int quoted_lines(const scan *x, const char *p, int ind, const char **close, bool *multi)
{
    char q = *p;
    *multi = false;
    for (const char *e = p + 1;; e++) {
        if (e == x->end || *e == '\t')
            return NO;
        if (*e == '\n') {
            if (q == '"') {
                const char *b = e;
                while (b > p + 1 && b[-1] == ' ')
                    b--;
                if (b[-1] == '\\')
                    return NO;
            }
            const char *s = spaces_end(e + 1, x->end);
            int col = (int)(s - (e + 1));
            if (s < x->end && *s == '\n') {
                e = s - 1; /* a blank line */
                continue;
            }
            if (s == x->end || col <= ind || *s == '\t')
                return NO;
            *multi = true;
            e = s - 1;
            continue;
        }
        if (q == '\'' && *e == '\'') {
            if (e + 1 < x->end && e[1] == '\'') {
                e++;
                continue;
            }
            *close = e + 1;
            return OK;
        }
        if (q == '"' && *e == '\\') {
            if (e + 1 == x->end || !e[1] || !strchr("0abtnvfre\"\\", e[1]))
                return NO; /* go-yaml and libyaml agree on these escapes */
            e++;
            continue;
        }
        if (q == '"' && *e == '"') {
            *close = e + 1;
            return OK;
        }
    }
}

/* A quoted scalar at p on one line: *close is the character after it. */
static int quoted(const scan *x, const char *p, const char **close)
{
    bool multi;
    return quoted_lines(x, p, INT_MAX, close, &multi); /* no line is deeper than INT_MAX */
}

/* The characters a key's or a plain scalar's line stops at: newline, tab,
 * space (a comment may follow) and ':' (a key may end). */
static const bool line_stop[256] = {['\n'] = true, ['\t'] = true, [' '] = true, [':'] = true};

/* The first character at or after p that a line scan stops at, or x->end. */
static inline const char *to_stop(const scan *x, const char *p)
{
    for (; x->end - p >= 16; p += 16) {
        u8x16 v;
        memcpy(&v, p, 16);
        int i = first_set((u8x16)((v == '\n') | (v == '\t') | (v == ' ') | (v == ':')));
        if (i < 16)
            return p + i;
    }
    while (p < x->end && !line_stop[(unsigned char)*p])
        p++;
    return p;
}

/* Where a key at t ends ("k:" then a blank, on one line): 1 with *kend past
 * its text (past the closing quote for a quoted key) and *colon at its ':';
 * 0 when t is not a key; NO when it cannot tell. */
static int key_span(const scan *x, const char *t, const char **kend, const char **colon)
{
    if (*t == '"' || *t == '\'') {
        const char *close;
        if (quoted(x, t, &close) != OK)
            return NO;
        const char *p = close;
        while (p < x->end && *p == ' ')
            p++;
        if (p == x->end || *p != ':')
            return 0;
        if (!blank_at(x, p + 1) || close - t > MAX_KEY)
            return NO;
        *kend = close;
        *colon = p;
        return 1;
    }
    if (!starts_plain(x, t))
        return 0;
    for (const char *p = t; (p = to_stop(x, p)) < x->end && *p != '\n'; p++) {
        if (*p == '\t')
            return NO;
        if (*p == ' ' && p + 1 < x->end && p[1] == '#')
            return 0;
        if (*p == ':' && blank_at(x, p + 1)) {
            const char *e = p;
            while (e > t && e[-1] == ' ')
                e--;
            if (e - t > MAX_KEY)
                return NO;
            *kend = e;
            *colon = p;
            return 1;
        }
    }
    return 0;
}

static int is_key(const scan *x, const char *t)
{
    const char *kend, *colon;
    return key_span(x, t, &kend, &colon);
}

/* The key at t: 1 with its event sent and *after just past the colon, 0 when
 * t is not a key, NO when it cannot tell. */
static int key_at(scan *x, const char *t, const char **after)
{
    const char *kend, *colon;
    int k = key_span(x, t, &kend, &colon);
    if (k != 1)
        return k;
    if ((*t == '"' || *t == '\'' ? quoted_event(x, t, kend) : emit(x, YS_SCALAR, YS_PLAIN, t, (size_t)(kend - t))) != OK)
        return NO;
    *after = colon + 1;
    return 1;
}

/* The rest of a plain scalar's line from p: NO on ": " (a mapping where none
 * can be) or a tab. Sets *end past its last character, *comment when a
 * comment ends the line. */
static int plain_line(const scan *x, const char *p, const char **end, bool *comment)
{
    const char *last = p;
    *comment = false;
    for (; p < x->end && *p != '\n'; p++) {
        const char *q = to_stop(x, p);
        if (q > p) {
            /* a run of ordinary characters: the last one so far */
            last = q;
            p = q;
            if (p == x->end || *p == '\n')
                break;
        }
        if (*p == '\t')
            return NO;
        if (*p == ':' && blank_at(x, p + 1))
            return NO;
        if (*p == ' ') {
            if (p + 1 < x->end && p[1] == '#') {
                *comment = true;
                break;
            }
            continue;
        }
        last = p + 1;
    }
    *end = last;
    return OK;
}

/* A plain scalar starting at p, inside a collection at column ind: its first
 * line and the lines that continue it (deeper than ind). */
static int plain(scan *x, const char *p, int ind, const char **next)
{
    const char *end;
    bool comment;
    if (plain_line(x, p, &end, &comment) != OK)
        return NO;
    const char *last = end, *q = after_line(x, end);
    while (!comment && q < x->end) {
        const char *s = spaces_end(q, x->end);
        int col = (int)(s - q);
        if (s == x->end)
            break;
        if (*s == '\n') {
            q = s + 1;
            continue;
        }
        if (*s == '\t')
            return NO;
        if (*s == '#' || col <= ind)
            break;
        /* in a block collection, libyaml and go-yaml read a continuation
         * line's first character as text, indicators such as ` [ { ' " & *
         * ! | > % @ among them (a '#' begins a comment, above) */
        if (*s == '-' || *s == '?' || *s == ':')
            return NO;
        if (plain_line(x, s, &last, &comment) != OK || comment)
            return NO;
        q = after_line(x, last);
    }
    *next = q;
    ys_event ev = {YS_SCALAR, YS_PLAIN, last != end, 0, 0, p, (size_t)(last - p)};
    return x->h(x->ctx, &ev) ? NO : OK;
}

/* A block scalar whose header is at p, inside a collection at column ind. */
static int block_scalar(scan *x, const char *p, int ind, const char **next)
{
    ys_event ev = {YS_SCALAR, *p == '|' ? YS_LITERAL : YS_FOLDED, false, 0, 0, NULL, 0};
    p++;
    if (p < x->end && (*p == '-' || *p == '+'))
        ev.chomp = *p++;
    if (line_rest(x, p, &p) != OK)
        return NO;
    ev.raw = p;
    /* the first line with content sets the indentation; leading blank lines are left out */
    const char *s = p;
    int k = 0;
    while (s < x->end && *s == ' ')
        s++, k++;
    if (s < x->end && (*s == '\n' || *s == '\t'))
        return NO;
    const char *q = p;
    if (s < x->end && k > ind) {
        ev.indent = k;
        while (q < x->end) {
            const char *t = q;
            int c = 0;
            while (t < x->end && *t == ' ' && c < k)
                t++, c++;
            if (c < k) {
                if (t == x->end || *t == '\n') {
                    q = t < x->end ? t + 1 : t;
                    continue;
                }
                if (*t == '\t')
                    return NO;
                break;
            }
            q = after_line(x, t);
        }
    } else if (s == x->end) {
        q = s;
    }
    ev.rawlen = (size_t)(q - p);
    *next = q;
    return x->h(x->ctx, &ev) ? NO : OK;
}

static const char *skip_spaces(const scan *x, const char *p)
{
    while (p < x->end && *p == ' ')
        p++;
    return p;
}

/* A scalar inside a flow collection at *p (quoted on one line, or plain
 * without any of ",[]{}:#" and quotes), its event sent; *p past it. */
static int flow_scalar(scan *x, const char **pp)
{
    const char *p = *pp;
    if (*p == '"' || *p == '\'') {
        const char *close;
        if (quoted(x, p, &close) != OK || quoted_event(x, p, close) != OK)
            return NO;
        *pp = close;
        return OK;
    }
    const char *s = p, *e = p;
    /* in a flow collection libyaml reads '?' as a key (an implicit
     * single-pair map: [?F] is [{F: null}]), whatever follows it */
    if (*p == '?' || !starts_plain(x, p))
        return NO;
    for (; p < x->end && !strchr(",[]{}:#\"'\t\n", *p); p++)
        if (*p != ' ')
            e = p + 1;
    if (e == s || emit(x, YS_SCALAR, YS_PLAIN, s, (size_t)(e - s)) != OK)
        return NO;
    *pp = p;
    return OK;
}

/* A flow collection on one line: a sequence or a mapping of such scalars
 * and collections, ["get", 'list', watch] or {key: app, values: [a, b]}.
 * A mapping's keys are scalars followed by ": "; no empty entries, no
 * trailing comma (libyaml is left what this leaves out). At p ('[' or '{');
 * *after is past its closing bracket. */
static int flow_coll(scan *x, const char *p, const char **after)
{
    bool map = *p == '{';
    char close = map ? '}' : ']';
    if (++x->depth > MAX_NEST || emit(x, map ? YS_MAP_START : YS_SEQ_START, YS_EMPTY, p, 0) != OK)
        return NO;
    p++;
    for (bool first = true;; first = false) {
        p = skip_spaces(x, p);
        if (p == x->end)
            return NO;
        if (*p == close && first)
            break;
        if (map) {
            if (*p == '[' || *p == '{' || flow_scalar(x, &p) != OK)
                return NO;
            p = skip_spaces(x, p);
            if (x->end - p < 2 || p[0] != ':' || p[1] != ' ')
                return NO;
            p = skip_spaces(x, p + 1);
            if (p == x->end)
                return NO;
        }
        if (*p == '[' || *p == '{' ? flow_coll(x, p, &p) != OK : flow_scalar(x, &p) != OK)
            return NO;
        p = skip_spaces(x, p);
        if (p < x->end && *p == close)
            break;
        if (p == x->end || *p != ',')
            return NO;
        p++;
    }
    x->depth--;
    if (emit(x, map ? YS_MAP_END : YS_SEQ_END, YS_EMPTY, p, 0) != OK)
        return NO;
    *after = p + 1;
    return OK;
}

/* A scalar (or a flow collection on one line) at p on a line already begun,
 * inside a collection at column ind. */
static int scalar_at(scan *x, const char *p, int ind, const char **next)
{
    if (*p == '|' || *p == '>')
        return block_scalar(x, p, ind, next);
    if (*p == '"' || *p == '\'') {
        const char *close;
        bool multi;
        if (quoted_lines(x, p, ind, &close, &multi) != OK)
            return NO;
        ys_event ev = {YS_SCALAR, *p == '"' ? YS_DOUBLE : YS_SINGLE, multi, 0, 0, p + 1, (size_t)(close - p - 2)};
        if (x->h(x->ctx, &ev))
            return NO;
        return line_rest(x, close, next);
    }
    if (*p == '[' || *p == '{') {
        const char *after;
        if (flow_coll(x, p, &after) != OK)
            return NO;
        return line_rest(x, after, next);
    }
    if (!starts_plain(x, p))
        return NO;
    return plain(x, p, ind, next);
}

/* A node that begins a line (first at column col), inside a collection at column ind. */
static int node_at(scan *x, const char *first, int col, int ind, const char **next)
{
    if (*first == '-' && blank_at(x, first + 1))
        return seq_at(x, first, col, false, next);
    int isk = is_key(x, first);
    if (isk < 0)
        return NO;
    return isk ? map_at(x, first, col, next) : scalar_at(x, first, ind, next);
}

/* The value after "key:" (p just past the colon) of a mapping at column col. */
static int value_at(scan *x, const char *p, int col, const char **next)
{
    while (p < x->end && *p == ' ')
        p++;
    if (p < x->end && *p == '\t')
        return NO;
    if (p == x->end || *p == '\n' || *p == '#') {
        const char *q = after_line(x, p), *line, *first;
        int c, got = next_line(x, q, &line, &first, &c);
        if (got < 0)
            return NO;
        if (got && c > col)
            return node_at(x, first, c, col, next);
        if (got && c == col && *first == '-' && blank_at(x, first + 1))
            return seq_at(x, first, c, true, next);
        *next = q;
        return emit(x, YS_SCALAR, YS_EMPTY, p, 0);
    }
    if (*p == '-' && blank_at(x, p + 1))
        return NO;
    return scalar_at(x, p, col, next);
}

/* A block mapping whose first key is at t, column col. */
static int map_at(scan *x, const char *t, int col, const char **next)
{
    if (++x->depth > MAX_NEST || emit(x, YS_MAP_START, YS_EMPTY, t, 0) != OK)
        return NO;
    for (;;) {
        const char *after, *vnext, *line, *first;
        if (key_at(x, t, &after) != 1 || value_at(x, after, col, &vnext) != OK)
            return NO;
        int more = next_entry(x, vnext, col, &line, &first, next);
        if (more < 0)
            return NO;
        if (!more) {
            x->depth--;
            return emit(x, YS_MAP_END, YS_EMPTY, t, 0);
        }
        t = first;
    }
}

/* A block sequence whose first "-" is at t, column col; an indentless one
 * (at its key's column) ends at the first line there that is not an entry. */
static int seq_at(scan *x, const char *t, int col, bool indentless, const char **next)
{
    if (++x->depth > MAX_NEST || emit(x, YS_SEQ_START, YS_EMPTY, t, 0) != OK)
        return NO;
    for (;;) {
        const char *u = t + 1, *inext;
        while (u < x->end && *u == ' ')
            u++;
        int cu = col + (int)(u - t);
        if (u < x->end && *u == '\t')
            return NO;
        if (u == x->end || *u == '\n' || *u == '#') {
            const char *q = after_line(x, u), *line, *first;
            int c, got = next_line(x, q, &line, &first, &c);
            if (got < 0)
                return NO;
            if (got && c > col) {
                if (node_at(x, first, c, col, &inext) != OK)
                    return NO;
            } else {
                inext = q;
                if (emit(x, YS_SCALAR, YS_EMPTY, u, 0) != OK)
                    return NO;
            }
        } else if (*u == '-' && blank_at(x, u + 1)) {
            if (seq_at(x, u, cu, false, &inext) != OK)
                return NO;
        } else {
            int isk = is_key(x, u);
            if (isk < 0 || (isk ? map_at(x, u, cu, &inext) : scalar_at(x, u, col, &inext)) != OK)
                return NO;
        }
        const char *line, *first;
        int more = next_entry(x, inext, col, &line, &first, next);
        if (more < 0)
            return NO;
        if (more && !(*first == '-' && blank_at(x, first + 1))) {
            if (!indentless)
                return NO;
            *next = line;
            more = 0;
        }
        if (!more) {
            x->depth--;
            return emit(x, YS_SEQ_END, YS_EMPTY, t, 0);
        }
        t = first;
    }
}

/* After comments and blank lines at most, a line of its own "---" (spaces
 * and a comment may follow): where the document's text starts after it, or
 * text when there is none. */
static const char *after_doc_start(const scan *x, const char *text)
{
    const char *q = text;
    for (;;) {
        const char *r = q;
        while (r < x->end && *r == ' ')
            r++;
        if (r < x->end && (*r == '\n' || *r == '#')) {
            q = after_line(x, r);
            continue;
        }
        break;
    }
    if ((size_t)(x->end - q) < 3 || memcmp(q, "---", 3) != 0)
        return text;
    const char *r = q + 3;
    while (r < x->end && *r == ' ')
        r++;
    if (r == x->end)
        return r;
    if (*r == '\n' || (*r == '#' && r > q + 3))
        return after_line(x, r);
    return text;
}

static int scan_text(const char *text, size_t len, bool doc_start, ys_handler h, void *ctx)
{
    if (!text_ok((const unsigned char *)text, len))
        return 0;
    scan x = {text + len, 0, h, ctx};
    const char *line, *first, *next;
    int col, got = next_line(&x, doc_start ? after_doc_start(&x, text) : text, &line, &first, &col);
    if (got <= 0)
        return got == 0;
    int r;
    if (*first == '-' && blank_at(&x, first + 1))
        r = seq_at(&x, first, col, false, &next);
    else
        r = is_key(&x, first) == 1 ? map_at(&x, first, col, &next) : NO;
    if (r != OK)
        return 0;
    return next_line(&x, next, &line, &first, &col) == 0;
}

int yaml_scan(const char *text, size_t len, ys_handler h, void *ctx)
{
    return scan_text(text, len, false, h, ctx);
}

int yaml_scan_doc(const char *text, size_t len, ys_handler h, void *ctx)
{
    return scan_text(text, len, true, h, ctx);
}

/* ---- values --------------------------------------------------------------- */

/* libyaml's folding of a plain scalar's lines: one break becomes a space,
 * n > 1 breaks become n - 1 newlines; spaces around breaks go. */
static void fold_plain(strbuf *sb, const char *s, size_t n)
{
    const char *end = s + n, *p = s;
    int blanks = 0;
    bool first = true;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *b = p, *t = nl ? nl : end;
        while (b < t && *b == ' ')
            b++;
        while (t > b && t[-1] == ' ')
            t--;
        if (b == t) {
            blanks++;
        } else {
            if (!first && !blanks)
                sb_addc(sb, ' ');
            for (; blanks; blanks--)
                sb_addc(sb, '\n');
            sb_add(sb, b, (size_t)(t - b));
            first = false;
        }
        p = nl ? nl + 1 : end;
    }
}

/* A quoted scalar's lines folded as libyaml folds them: spaces around each
 * line break dropped, a single break read as a space, n breaks as n - 1
 * newlines; the first line's leading and the last line's trailing spaces
 * kept. (quoted_lines left no tab and no escape at a line's end.) */
static void fold_quoted(strbuf *sb, const char *s, size_t n)
{
    const char *end = s + n, *p = s;
    int blanks = 0;
    bool first = true;
    while (p < end || first) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *b = p, *t = nl ? nl : end;
        if (!first)
            while (b < t && *b == ' ')
                b++;
        if (nl)
            while (t > b && t[-1] == ' ')
                t--;
        if (!first && nl && b == t) {
            blanks++;
        } else {
            if (!first && !blanks)
                sb_addc(sb, ' ');
            for (; blanks; blanks--)
                sb_addc(sb, '\n');
            sb_add(sb, b, (size_t)(t - b));
            first = false;
        }
        if (!nl)
            break;
        p = nl + 1;
        if (p == end) { /* the closing quote begins a line */
            if (!blanks)
                sb_addc(sb, ' ');
            for (; blanks; blanks--)
                sb_addc(sb, '\n');
            break;
        }
    }
}

static void unescape_double(strbuf *sb, const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (s[i] != '\\') {
            sb_addc(sb, s[i]);
            continue;
        }
        char c = s[++i];
        switch (c) {
        case '0': sb_addc(sb, '\0'); break;
        case 'a': sb_addc(sb, '\a'); break;
        case 'b': sb_addc(sb, '\b'); break;
        case 't': sb_addc(sb, '\t'); break;
        case 'n': sb_addc(sb, '\n'); break;
        case 'v': sb_addc(sb, '\v'); break;
        case 'f': sb_addc(sb, '\f'); break;
        case 'r': sb_addc(sb, '\r'); break;
        case 'e': sb_addc(sb, '\x1b'); break;
        default: sb_addc(sb, c); break; /* " and \ */
        }
    }
}

/* libyaml's yaml_parser_scan_block_scalar, from the first content line. */
static void block_value(strbuf *sb, const ys_event *ev)
{
    const char *p = ev->raw, *end = ev->raw + ev->rawlen;
    bool folded = ev->style == YS_FOLDED, leading_blank = false;
    size_t k = (size_t)ev->indent;
    int leading_break = 0, trailing_breaks = 0;
    while (k && p < end) {
        /* a line: indentation, then content or nothing */
        const char *t = p;
        size_t c = 0;
        while (t < end && *t == ' ' && c < k)
            t++, c++;
        if (c < k || t == end || *t == '\n') { /* a blank line */
            if (t < end) /* a break only where there is one: not for spaces at the end of the text */
                trailing_breaks++;
            p = t < end ? t + 1 : t;
            continue;
        }
        bool trailing_blank = *t == ' ' || *t == '\t'; /* libyaml's IS_BLANK */
        if (folded && leading_break && !leading_blank && !trailing_blank) {
            if (!trailing_breaks)
                sb_addc(sb, ' ');
        } else if (leading_break) {
            sb_addc(sb, '\n');
        }
        leading_break = 0;
        for (; trailing_breaks; trailing_breaks--)
            sb_addc(sb, '\n');
        leading_blank = trailing_blank;
        const char *nl = memchr(t, '\n', (size_t)(end - t));
        sb_add(sb, t, (size_t)((nl ? nl : end) - t));
        if (!nl)
            break;
        leading_break = 1;
        p = nl + 1;
    }
    if (ev->chomp != '-' && leading_break)
        sb_addc(sb, '\n');
    if (ev->chomp == '+')
        for (; trailing_breaks; trailing_breaks--)
            sb_addc(sb, '\n');
}

char *yaml_scan_value(arena *a, const ys_event *ev, size_t *len)
{
    if (ev->style == YS_PLAIN && !ev->multi) {
        *len = ev->rawlen;
        return arena_strndup(a, ev->raw, ev->rawlen);
    }
    strbuf sb = STRBUF_INIT;
    switch (ev->style) {
    case YS_PLAIN:
        fold_plain(&sb, ev->raw, ev->rawlen);
        break;
    case YS_SINGLE:
    case YS_DOUBLE: {
        const char *raw = ev->raw;
        size_t n = ev->rawlen;
        strbuf folded = STRBUF_INIT;
        if (ev->multi) {
            fold_quoted(&folded, raw, n);
            raw = sb_str(&folded);
            n = folded.len;
        }
        if (ev->style == YS_DOUBLE) {
            unescape_double(&sb, raw, n);
        } else {
            for (size_t i = 0; i < n; i++) {
                sb_addc(&sb, raw[i]);
                if (raw[i] == '\'')
                    i++;
            }
        }
        sb_release(&folded);
        break;
    }
    case YS_LITERAL:
    case YS_FOLDED:
        block_value(&sb, ev);
        break;
    default:
        break;
    }
    *len = sb.len;
    char *v = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}
