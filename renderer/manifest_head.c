/* manifest_head.c — the head of a rendered document (apiVersion, kind,
 * metadata.name, the hook annotations) read by a line scanner, without
 * building the document.
 *
 * Helm reads every rendered document into a SimpleHead with sigs.k8s.io/yaml.
 * capstan's full reader (core/yaml_read.c, libyaml plus a tree) does the same
 * and, for charts that print megabytes of CRDs, took most of a render. This
 * scanner accepts only a subset of block YAML whose validity it can check
 * line by line, with libyaml's (and go-yaml's) rules:
 *
 *   - block mappings and sequences by indentation, with compact forms
 *     ("- key: v", "- - x") and sequences at their key's column;
 *   - plain scalars on one line, and their continuation lines (folded);
 *   - single-line quoted scalars (double-quoted with simple escapes only);
 *   - literal and folded block scalars (| > with - or +, no indentation digit);
 *   - [] and {}; comments; UTF-8 text.
 *
 * Anything else — tabs outside block scalars, flow collections, anchors,
 * aliases, tags, "?" keys, multi-line quoted scalars, keys that are not
 * strings, NaN and Inf, head fields that are not plain strings, documents
 * that are not mappings — makes it answer "don't know", and the caller reads
 * the document in full. So when it answers, its answer is the full reader's.
 */
#include "manifest.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

#include "yaml_int.h"

#define MAX_NEST 200     /* deeper documents go to the full reader */
#define MAX_KEY 1000     /* libyaml's simple keys stop at 1024 characters */

enum { NO = -1, OK = 0 };

/* what the node being read is, for the head */
typedef enum role {
    R_NONE,  /* anything valid */
    R_TOP,   /* the document: a mapping */
    R_META,  /* metadata: a mapping */
    R_ANN,   /* metadata.annotations: a mapping of strings (or null, or {}) */
    R_STR,   /* a string scalar (an annotation); its text wanted when want != NULL */
} role;

typedef struct hscan {
    arena *a;
    const char *end;
    int depth;
    manifest_head *h;
} hscan;

static int map_at(hscan *x, const char *t, int col, role r, const char **next);

static bool blank_at(const hscan *x, const char *p) { return p == x->end || *p == ' ' || *p == '\n'; }

static const char *line_end(const hscan *x, const char *p)
{
    const char *e = memchr(p, '\n', (size_t)(x->end - p));
    return e ? e : x->end;
}

static const char *after_line(const hscan *x, const char *p)
{
    const char *e = line_end(x, p);
    return e < x->end ? e + 1 : e;
}

/* Printable UTF-8 as libyaml reads it: no control characters but tab and
 * newline, no DEL, C1 controls, BOM, NEL, line or paragraph separators,
 * surrogates or U+FFFE/U+FFFF, and well-formed sequences only. */
static bool text_ok(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        /* eight printable ASCII bytes at a time: none >= 0x7F, none < 0x20 */
        while (n - i >= 8) {
            uint64_t w;
            memcpy(&w, s + i, 8);
            const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
            uint64_t low = (w - 0x20 * ones) & ~w & highs;        /* a byte < 0x20 (or >= 0x80) */
            uint64_t del = ((w ^ 0x7F * ones) - ones) & ~(w ^ 0x7F * ones) & highs; /* a 0x7F byte */
            if ((w & highs) | low | del)
                break;
            i += 8;
        }
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

/* The next line with content from line start q: 1 with its first character
 * and column, 0 at the end, NO for what the subset leaves out. Blank and
 * comment lines are skipped. */
static int next_line(const hscan *x, const char *q, const char **line, const char **first, int *col)
{
    while (q < x->end) {
        const char *r = q;
        while (r < x->end && *r == ' ')
            r++;
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

/* Characters that cannot start a plain scalar ("-", "?", ":" can, before a non-blank). */
static bool starts_plain(const hscan *x, const char *p)
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

/* go-yaml's resolution of a plain scalar: STR for strings; -1 for what the
 * subset leaves out (NaN, Inf, merge keys). */
static int plain_kind(const char *s, size_t n)
{
    if (n == 2 && s[0] == '<' && s[1] == '<')
        return -1; /* a merge key */
    if (!strchr("+-.0123456789yYnNtTfFoO~", s[0]))
        return YRES_STR;
    yres r = yaml_resolve_plain(s, n);
    if (r.kind == YRES_MERGE || (r.kind == YRES_FLOAT && !isfinite(r.u.f)))
        return -1;
    return (int)r.kind;
}

/* After a quoted scalar or a flow pair: spaces, then the end of the line or a comment. */
static int line_rest(const hscan *x, const char *p, const char **next)
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

/* A quoted scalar at p on one line; *close is the character after it. Its
 * text (unescaped) into *text when text != NULL. */
static int quoted(hscan *x, const char *p, const char **close, const char **text)
{
    char q = *p;
    const char *s = p + 1, *e = s;
    bool esc = false;
    for (;; e++) {
        if (e == x->end || *e == '\n' || *e == '\t')
            return NO;
        if (q == '\'' && *e == '\'') {
            if (e + 1 < x->end && e[1] == '\'') {
                esc = true;
                e++;
                continue;
            }
            break;
        }
        if (q == '"' && *e == '\\') {
            if (e + 1 == x->end || !strchr("0abtnvfre\"\\", e[1]) || !e[1])
                return NO;
            esc = true;
            e++;
            continue;
        }
        if (q == '"' && *e == '"')
            break;
    }
    *close = e + 1;
    if (!text)
        return OK;
    if (q == '"' && esc)
        return NO; /* head strings with escapes go to the full reader */
    if (!esc) {
        *text = arena_strndup(x->a, s, (size_t)(e - s));
        return OK;
    }
    char *o = arena_alloc(x->a, (size_t)(e - s) + 1), *w = o;
    for (const char *c = s; c < e; c++) {
        *w++ = *c;
        if (*c == '\'')
            c++;
    }
    *w = 0;
    *text = o;
    return OK;
}

/* A key at t ("k:" then a blank), plain or quoted, on one line: 1 with the
 * key's text (when the head needs it) and the position after the colon; 0
 * when t is not a key; NO when it cannot tell. */
static int key_at(hscan *x, const char *t, const char **key, size_t *klen, const char **after)
{
    if (*t == '"' || *t == '\'') {
        const char *close, *text = NULL;
        if (quoted(x, t, &close, &text) != OK)
            return NO;
        const char *p = close;
        while (p < x->end && *p == ' ')
            p++;
        if (p == x->end || *p != ':')
            return 0;
        if (!blank_at(x, p + 1))
            return NO;
        *key = text;
        *klen = strlen(text);
        *after = p + 1;
        return 1;
    }
    if (!starts_plain(x, t))
        return 0;
    for (const char *p = t; p < x->end && *p != '\n'; p++) {
        if (*p == '\t')
            return NO;
        if (*p == ' ' && p + 1 < x->end && p[1] == '#')
            return 0;
        if (*p == ':' && blank_at(x, p + 1)) {
            const char *e = p;
            while (e > t && e[-1] == ' ')
                e--;
            if (e - t > MAX_KEY || plain_kind(t, (size_t)(e - t)) != YRES_STR)
                return NO;
            *key = t;
            *klen = (size_t)(e - t);
            *after = p + 1;
            return 1;
        }
    }
    return 0;
}

/* The rest of a plain scalar's line from p: NO on ": " (a mapping where none
 * can be) or a tab. Sets *end past its last character, *comment when a
 * comment ends the line. */
static int plain_line(const hscan *x, const char *p, const char **end, bool *comment)
{
    const char *last = p;
    *comment = false;
    for (; p < x->end && *p != '\n'; p++) {
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
static int plain(hscan *x, const char *p, int ind, role r, const char **want, const char **next)
{
    const char *end;
    bool comment;
    if (plain_line(x, p, &end, &comment) != OK)
        return NO;
    bool multi = false;
    const char *q = after_line(x, end);
    while (!comment && q < x->end) {
        const char *s = q;
        int col = 0;
        while (s < x->end && *s == ' ')
            s++, col++;
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
        if (!starts_plain(x, s) || *s == '-' || *s == '?' || *s == ':')
            return NO;
        const char *e2;
        if (plain_line(x, s, &e2, &comment) != OK || comment)
            return NO;
        multi = true;
        q = after_line(x, e2);
    }
    *next = q;
    if (multi)
        return r == R_STR && !want ? OK : r == R_NONE ? OK : NO;
    int k = plain_kind(p, (size_t)(end - p));
    if (k < 0)
        return NO;
    if (r == R_NONE)
        return OK;
    if (r != R_STR || k != YRES_STR)
        return NO;
    if (want)
        *want = arena_strndup(x->a, p, (size_t)(end - p));
    return OK;
}

/* A block scalar whose header is at p, inside a collection at column ind. */
static int block_scalar(hscan *x, const char *p, int ind, const char **next)
{
    p++;
    if (p < x->end && (*p == '-' || *p == '+'))
        p++;
    if (line_rest(x, p, &p) != OK)
        return NO;
    /* the first line with content sets the indentation; leading blank lines are left out */
    const char *s = p;
    int k = 0;
    while (s < x->end && *s == ' ')
        s++, k++;
    if (s == x->end) {
        *next = s;
        return OK;
    }
    if (*s == '\n' || *s == '\t')
        return NO;
    if (k <= ind) {
        *next = p;
        return OK;
    }
    const char *q = p;
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
    *next = q;
    return OK;
}

/* A flow sequence on one line of scalars: ["get", 'list', watch]. */
static int flow_seq(hscan *x, const char *p, const char **next)
{
    p++;
    for (bool first = true;; first = false) {
        while (p < x->end && *p == ' ')
            p++;
        if (p == x->end)
            return NO;
        if (*p == ']' && first)
            break;
        if (*p == '"' || *p == '\'') {
            if (quoted(x, p, &p, NULL) != OK)
                return NO;
        } else {
            const char *s = p, *e = p;
            if (!starts_plain(x, p))
                return NO;
            for (; p < x->end && !strchr(",[]{}:#\"'\t\n", *p); p++)
                if (*p != ' ')
                    e = p + 1;
            if (e == s || plain_kind(s, (size_t)(e - s)) < 0)
                return NO;
        }
        while (p < x->end && *p == ' ')
            p++;
        if (p < x->end && *p == ']')
            break;
        if (p == x->end || *p != ',')
            return NO;
        p++;
    }
    return line_rest(x, p + 1, next);
}

/* A scalar (or [] / {}) at p on a line already begun, inside a collection at
 * column ind. */
static int scalar_at(hscan *x, const char *p, int ind, role r, const char **want, const char **next)
{
    if (*p == '|' || *p == '>')
        return r == R_NONE || (r == R_STR && !want) ? block_scalar(x, p, ind, next) : NO;
    if (*p == '"' || *p == '\'') {
        const char *close;
        if (quoted(x, p, &close, r == R_STR ? want : NULL) != OK)
            return NO;
        if (r != R_NONE && r != R_STR)
            return NO;
        return line_rest(x, close, next);
    }
    if ((*p == '[' && p + 1 < x->end && p[1] == ']') || (*p == '{' && p + 1 < x->end && p[1] == '}')) {
        if (r != R_NONE && !(r == R_ANN && *p == '{'))
            return NO;
        return line_rest(x, p + 2, next);
    }
    if (*p == '[' && r == R_NONE)
        return flow_seq(x, p, next);
    if (!starts_plain(x, p))
        return NO;
    return plain(x, p, ind, r, want, next);
}

static int seq_at(hscan *x, const char *t, int col, bool indentless, const char **next);

/* A node that begins a line (first at column col), inside a collection at column ind. */
static int node_at(hscan *x, const char *first, int col, int ind, role r, const char **want, const char **next)
{
    if (*first == '-' && blank_at(x, first + 1))
        return r == R_NONE ? seq_at(x, first, col, false, next) : NO;
    const char *key, *after;
    size_t klen;
    int isk = key_at(x, first, &key, &klen, &after);
    if (isk < 0)
        return NO;
    if (isk)
        return r == R_NONE || r == R_TOP || r == R_META || r == R_ANN ? map_at(x, first, col, r, next) : NO;
    if (r == R_TOP || r == R_META || r == R_ANN)
        return NO;
    return scalar_at(x, first, ind, r, want, next);
}

/* The value after "key:" (p just past the colon) of a mapping at column col. */
static int value_at(hscan *x, const char *p, int col, role r, const char **want, const char **next)
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
            return node_at(x, first, c, col, r, want, next);
        if (got && c == col && *first == '-' && blank_at(x, first + 1))
            return r == R_NONE ? seq_at(x, first, c, true, next) : NO;
        /* null: fine for anything but the head's strings and metadata */
        *next = q;
        return r == R_NONE || r == R_ANN ? OK : NO;
    }
    if (*p == '-' && blank_at(x, p + 1))
        return NO;
    return scalar_at(x, p, col, r, want, next);
}

/* The role of the value under key (k, n) in a mapping of role r; resets the
 * head fields a repeated key replaces (the last one wins). */
static role child_role(hscan *x, role r, const char *k, size_t n, const char ***want)
{
    manifest_head *h = x->h;
    *want = NULL;
#define IS(w) (n == sizeof(w) - 1 && memcmp(k, w, n) == 0)
    switch (r) {
    case R_TOP:
        if (IS("apiVersion")) {
            *want = &h->api_version;
            return R_STR;
        }
        if (IS("kind")) {
            *want = &h->kind;
            return R_STR;
        }
        if (IS("metadata")) {
            h->name = NULL;
            h->hook = h->hook_weight = NULL;
            return R_META;
        }
        return R_NONE;
    case R_META:
        if (IS("name")) {
            *want = &h->name;
            return R_STR;
        }
        if (IS("annotations")) {
            h->hook = h->hook_weight = NULL;
            return R_ANN;
        }
        return R_NONE;
    case R_ANN:
        if (IS("helm.sh/hook"))
            *want = &h->hook;
        else if (IS("helm.sh/hook-weight"))
            *want = &h->hook_weight;
        return R_STR;
    default:
        return R_NONE;
    }
#undef IS
}

/* After an entry of a collection at column col, from line start q: 1 with
 * the next entry's line and first character, OK (0) when the collection
 * ends (*next at the line that ends it), NO on a line deeper than col. */
static int next_entry(const hscan *x, const char *q, int col, const char **line, const char **first,
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

/* A block mapping whose first key is at t, column col. */
static int map_at(hscan *x, const char *t, int col, role r, const char **next)
{
    if (++x->depth > MAX_NEST)
        return NO;
    for (;;) {
        const char *key, *after, *vnext;
        size_t klen;
        if (key_at(x, t, &key, &klen, &after) != 1)
            return NO;
        const char **want;
        role cr = child_role(x, r, key, klen, &want);
        if (value_at(x, after, col, cr, want, &vnext) != OK)
            return NO;
        const char *line, *first;
        int more = next_entry(x, vnext, col, &line, &first, next);
        if (more <= 0) {
            x->depth--;
            return more;
        }
        t = first;
    }
}

/* A block sequence whose first "-" is at t, column col; an indentless one
 * (at its key's column) ends at the first line there that is not an entry. */
static int seq_at(hscan *x, const char *t, int col, bool indentless, const char **next)
{
    if (++x->depth > MAX_NEST)
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
                if (node_at(x, first, c, col, R_NONE, NULL, &inext) != OK)
                    return NO;
            } else {
                inext = q;
            }
        } else if (*u == '-' && blank_at(x, u + 1)) {
            if (seq_at(x, u, cu, false, &inext) != OK)
                return NO;
        } else {
            const char *key, *after;
            size_t klen;
            int isk = key_at(x, u, &key, &klen, &after);
            if (isk < 0)
                return NO;
            if ((isk ? map_at(x, u, cu, R_NONE, &inext) : scalar_at(x, u, col, R_NONE, NULL, &inext)) != OK)
                return NO;
        }
        const char *line, *first;
        int more = next_entry(x, inext, col, &line, &first, next);
        if (more <= 0) {
            x->depth--;
            return more;
        }
        if (!(*first == '-' && blank_at(x, first + 1))) {
            if (!indentless)
                return NO;
            *next = line;
            x->depth--;
            return OK;
        }
        t = first;
    }
}

int manifest_head_scan(arena *a, const char *doc, size_t len, manifest_head *h)
{
    memset(h, 0, sizeof *h);
    if (!text_ok((const unsigned char *)doc, len))
        return 0;
    hscan x = {a, doc + len, 0, h};
    const char *line, *first, *next;
    int col, got = next_line(&x, doc, &line, &first, &col);
    if (got < 0)
        return 0;
    if (!got) {
        h->empty = true;
        return 1;
    }
    if (map_at(&x, first, col, R_TOP, &next) != OK)
        return 0;
    got = next_line(&x, next, &line, &first, &col);
    return got == 0;
}
