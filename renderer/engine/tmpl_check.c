/* tmpl_check.c — the quick check of a body the lazy parse leaves for later
 * (see tmpl_check.h). One pass over the bytes, with Go's grammar (parse.go:
 * itemList, action, pipeline, command, operand, term; lex.go for what ends a
 * word and where "}}" and " -}}" are) for the forms charts use; every other
 * form, and every error, answers "not sure" (false). */
#include "renderer/engine/tmpl_check.h"
#include "core/xalloc.h"

#include <string.h>

#define CHECK_MAX_NEST 64   /* controls open inside the body */
#define CHECK_MAX_VARS 128  /* variables declared inside the body */
#define CHECK_MAX_PAREN 32  /* ( ) inside one another */

enum { OP_FAIL, OP_OTHER, OP_CONST }; /* an operand; CONST: bool, dot, nil, number, string */
enum { CX_COMMAND, CX_IF, CX_WITH, CX_RANGE, CX_TEMPLATE, CX_PAREN };
enum { F_IF, F_WITH, F_RANGE };

typedef struct frame {
    size_t varmark;     /* variables before the control's pipeline */
    size_t body;        /* its body in *bodies (the one open) */
    unsigned char kind;
    bool in_else, ranged, chained;
} frame;

typedef struct ck {
    const unsigned char *in, *p, *e;
    const tmpl_check *c;
    tmpl_var vars[CHECK_MAX_VARS];
    size_t nvars;
    int ranges;
    int parens;
    size_t dlen;               /* the length of the "}}" or " -}}" a pipeline ended with */
    struct { const unsigned char *s; size_t n; } known[16]; /* functions hasfn said exist, by fn_slot */
    const unsigned char *lpos; /* newlines are counted up to here: line */
    int line;
} ck;

/* A-Z a-z 0-9 _ : the bytes of an ASCII word */
static const unsigned char wordc[256] = {
    ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1, ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1,
    ['A'] = 2, ['B'] = 2, ['C'] = 2, ['D'] = 2, ['E'] = 2, ['F'] = 2, ['G'] = 2, ['H'] = 2, ['I'] = 2,
    ['J'] = 2, ['K'] = 2, ['L'] = 2, ['M'] = 2, ['N'] = 2, ['O'] = 2, ['P'] = 2, ['Q'] = 2, ['R'] = 2,
    ['S'] = 2, ['T'] = 2, ['U'] = 2, ['V'] = 2, ['W'] = 2, ['X'] = 2, ['Y'] = 2, ['Z'] = 2, ['_'] = 2,
    ['a'] = 2, ['b'] = 2, ['c'] = 2, ['d'] = 2, ['e'] = 2, ['f'] = 2, ['g'] = 2, ['h'] = 2, ['i'] = 2,
    ['j'] = 2, ['k'] = 2, ['l'] = 2, ['m'] = 2, ['n'] = 2, ['o'] = 2, ['p'] = 2, ['q'] = 2, ['r'] = 2,
    ['s'] = 2, ['t'] = 2, ['u'] = 2, ['v'] = 2, ['w'] = 2, ['x'] = 2, ['y'] = 2, ['z'] = 2,
};

static inline bool sp(unsigned c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

/* "}}" or " -}}" at q: its length; else 0. */
static inline size_t rdelim(const ck *k, const unsigned char *q)
{
    if (k->e - q >= 2 && q[0] == '}' && q[1] == '}')
        return 2;
    if (k->e - q >= 4 && sp(q[0]) && q[1] == '-' && q[2] == '}' && q[3] == '}')
        return 4;
    return 0;
}

/* The lexer's spaces: they stop before a space that starts " -}}". */
static inline void skip_sp(ck *k)
{
    const unsigned char *q = k->p, *e = k->e;
    while (q < e && sp(*q)) {
        if (e - q >= 4 && q[1] == '-' && q[2] == '}' && q[3] == '}')
            break;
        q++;
    }
    k->p = q;
}

/* lex.go atTerminator, after a word, field or variable */
static inline bool term_ok(const ck *k, const unsigned char *q)
{
    if (q >= k->e)
        return true;
    switch (*q) {
    case ' ': case '\t': case '\r': case '\n': case '.': case ',': case '|': case ':': case ')': case '(':
        return true;
    case '}':
        return q + 1 < k->e && q[1] == '}';
    default:
        return false;
    }
}

static inline const unsigned char *word_end(const unsigned char *q, const unsigned char *e)
{
    while (e - q >= 4) {
        if (!wordc[q[0]])
            return q;
        if (!wordc[q[1]])
            return q + 1;
        if (!wordc[q[2]])
            return q + 2;
        if (!wordc[q[3]])
            return q + 3;
        q += 4;
    }
    while (q < e && wordc[*q])
        q++;
    return q;
}

/* ".a.b" from q (a '.' and a letter): the fields of a chain */
static const unsigned char *fields(const unsigned char *q, const unsigned char *e)
{
    while (e - q >= 2 && q[0] == '.' && wordc[q[1]] == 2)
        q = word_end(q + 2, e);
    return q;
}

static bool defined(const ck *k, const unsigned char *s, size_t n)
{
    for (size_t i = k->nvars; i-- > 0;)
        if (k->vars[i].len == n && memcmp(k->vars[i].s, s, n) == 0)
            return true;
    for (size_t i = k->c->nvars; i-- > 0;)
        if (k->c->vars[i].len == n && memcmp(k->c->vars[i].s, s, n) == 0)
            return true;
    return false;
}

static bool declare(ck *k, const unsigned char *s, size_t n)
{
    if (k->nvars == CHECK_MAX_VARS)
        return false;
    k->vars[k->nvars++] = (tmpl_var){ (const char *)s, n };
    return true;
}

/* the word s (n bytes) is the keyword lit */
#define is_kw(s, n, lit) ((n) == sizeof(lit) - 1 && memcmp((s), (lit), sizeof(lit) - 1) == 0)

/* Words that are not identifiers: Go's keywords, true and false. */
static bool keyword(const unsigned char *s, size_t n)
{
    switch (n) {
    case 2: return s[0] == 'i' && s[1] == 'f';
    case 3: return (s[0] == 'e' && s[1] == 'n' && s[2] == 'd') || (s[0] == 'n' && s[1] == 'i' && s[2] == 'l');
    case 4: return !memcmp(s, "else", 4) || !memcmp(s, "with", 4) || !memcmp(s, "true", 4);
    case 5: return !memcmp(s, "range", 5) || !memcmp(s, "block", 5) || !memcmp(s, "break", 5) ||
                   !memcmp(s, "false", 5);
    case 6: return !memcmp(s, "define", 6);
    case 8: return !memcmp(s, "template", 8) || !memcmp(s, "continue", 8);
    default: return false;
    }
}

static bool pipeline(ck *k, int cx);

/* hasfn, remembering the names it said yes to (charts call a few functions
 * many times): a slot by length and first and last byte. */
static bool known_fn(ck *k, const unsigned char *s, size_t n)
{
    unsigned h = ((unsigned)n * 7 + s[0] * 3 + s[n - 1]) & 15;
    if (k->known[h].n == n && memcmp(k->known[h].s, s, n) == 0)
        return true;
    if (!k->c->hasfn(k->c->hasfn_ctx, (const char *)s, n))
        return false;
    k->known[h].s = s;
    k->known[h].n = n;
    return true;
}

/* A "..." from q: its end, or NULL (a newline, EOF or a bad escape). */
static const unsigned char *dquoted(const unsigned char *q, const unsigned char *e)
{
    const unsigned char *s = q++;
    bool esc = false;
    for (;;) {
        if (q >= e || *q == '\n')
            return NULL;
        if (*q == '"')
            break;
        if (*q == '\\') {
            esc = true;
            if (++q >= e || *q == '\n')
                return NULL;
        }
        q++;
    }
    q++;
    if (esc && !tmpl_unquote_ok((const char *)s, (size_t)(q - s)))
        return NULL;
    return q;
}

/* A "..." or `...` from q: its end, or NULL. (A raw string always unquotes:
 * strconv.Unquote drops its carriage returns.) */
static const unsigned char *quoted(const unsigned char *q, const unsigned char *e)
{
    if (*q == '"')
        return dquoted(q, e);
    const unsigned char *close = memchr(q + 1, '`', (size_t)(e - q - 1));
    return close ? close + 1 : NULL;
}

/* One operand at k->p (which starts one): OP_CONST, OP_OTHER or OP_FAIL. */
static int operand(ck *k)
{
    const unsigned char *q = k->p, *e = k->e;
    int t = OP_OTHER;
    unsigned c = *q;
    if (c == '.') {
        if (q + 1 < e && wordc[q[1]] == 2) {
            q = fields(q, e);
        } else if (q + 1 < e && wordc[q[1]] == 1) {
            return OP_FAIL; /* a number such as .5 */
        } else {
            q++;
            t = OP_CONST;
        }
    } else if (c == '$') {
        const unsigned char *v = q;
        q = word_end(q + 1, e);
        if (!defined(k, v, (size_t)(q - v)))
            return OP_FAIL;
        q = fields(q, e);
    } else if (c == '"' || c == '`') {
        q = quoted(q, e);
        if (!q)
            return OP_FAIL;
        t = OP_CONST;
    } else if (wordc[c] == 1) { /* 0 or [1-9][0-9]* as Go's integers; other numbers are not ours */
        const unsigned char *s = q;
        while (q < e && *q >= '0' && *q <= '9')
            q++;
        if ((c == '0' && q - s > 1) || q - s > 18)
            return OP_FAIL;
        t = OP_CONST;
    } else if (wordc[c] == 2) {
        const unsigned char *s = q;
        q = word_end(q, e);
        size_t n = (size_t)(q - s);
        if (!term_ok(k, q))
            return OP_FAIL;
        if (keyword(s, n)) {
            if (!is_kw(s, n, "true") && !is_kw(s, n, "false") && !is_kw(s, n, "nil"))
                return OP_FAIL;
            t = OP_CONST;
        } else {
            if (k->c->hasfn && !known_fn(k, s, n))
                return OP_FAIL;
            q = fields(q, e); /* a chain: f.x */
        }
    } else if (c == '(') {
        if (k->parens >= CHECK_MAX_PAREN)
            return OP_FAIL;
        k->parens++;
        k->p = q + 1;
        if (!pipeline(k, CX_PAREN))
            return OP_FAIL;
        k->parens--;
        q = fields(k->p, e);
    } else {
        return OP_FAIL;
    }
    k->p = q;
    return t;
}

static inline bool operand_start(unsigned c)
{
    return wordc[c] || c == '.' || c == '$' || c == '"' || c == '`' || c == '(';
}

/* "$x :=", "$x =" (and in a range "$k, $v :=") at the start of a pipeline:
 * declared, and k->p after them; anything else leaves k->p alone. */
static bool decls(ck *k, int cx)
{
    const unsigned char *e = k->e, *v = k->p;
    if (v >= e || *v != '$')
        return true;
    const unsigned char *q = word_end(v + 1, e);
    if (!term_ok(k, q))
        return false;
    k->p = q;
    skip_sp(k);
    const unsigned char *r = k->p;
    if (r < e && (*r == '=' || (*r == ':' && r + 1 < e && r[1] == '='))) {
        k->p = r + (*r == ':' ? 2 : 1);
        return declare(k, v, (size_t)(q - v));
    }
    if (r < e && *r == ',') {
        if (cx != CX_RANGE || !declare(k, v, (size_t)(q - v)))
            return false;
        k->p = r + 1;
        skip_sp(k);
        const unsigned char *w = k->p;
        if (w >= e || *w != '$')
            return false;
        q = word_end(w + 1, e);
        if (!term_ok(k, q))
            return false;
        k->p = q;
        skip_sp(k);
        r = k->p;
        if (r < e && (*r == '=' || (*r == ':' && r + 1 < e && r[1] == '='))) {
            k->p = r + (*r == ':' ? 2 : 1);
            return declare(k, w, (size_t)(q - w));
        }
        return false;
    }
    k->p = v;
    return true;
}

/* Go's pipeline(context, end) from k->p, up to and past its end: "}}" or
 * " -}}", or ")" for CX_PAREN. */
static bool pipeline(ck *k, int cx)
{
    const unsigned char *e = k->e;
    skip_sp(k);
    if (!decls(k, cx))
        return false;
    int ncmd = 0;
    for (;;) {
        skip_sp(k);
        if (cx == CX_PAREN) {
            if (k->p < e && *k->p == ')') {
                k->p++;
                break;
            }
        } else {
            size_t d = rdelim(k, k->p);
            if (d) {
                k->p += d;
                k->dlen = d;
                break;
            }
        }
        if (k->p >= e || !operand_start(*k->p))
            return false;
        int first = 0; /* the command's first operand */
        for (;;) {
            skip_sp(k);
            if (k->p >= e)
                return false;
            if (operand_start(*k->p)) {
                int t = operand(k);
                if (t == OP_FAIL || k->p >= e)
                    return false;
                if (!first)
                    first = t;
                if (sp(*k->p) && !rdelim(k, k->p))
                    continue;
            }
            unsigned c = *k->p;
            if (c == '|') {
                k->p++;
                break;
            }
            if (c == ')' || rdelim(k, k->p))
                break;
            return false;
        }
        if (ncmd > 0 && first == OP_CONST)
            return false; /* non executable command in pipeline stage N */
        ncmd++;
    }
    return ncmd > 0;
}

/* The line at q (q never goes back). */
static int line_at(ck *k, const unsigned char *q)
{
    for (const unsigned char *s = k->lpos; (s = memchr(s, '\n', (size_t)(q - s))) != NULL; s++)
        k->line++;
    k->lpos = q;
    return k->line;
}

/* After a control's "}}": where its body starts (the lexer skipped the spaces
 * after " -}}"). */
static void open_body(ck *k, tmpl_body **bodies, size_t *nbodies, size_t *cap, size_t *slot)
{
    if (*nbodies == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *bodies = xrealloc(*bodies, *cap * sizeof **bodies);
    }
    *slot = (*nbodies)++;
    (*bodies)[*slot] = (tmpl_body){ (int)(k->p - k->in), line_at(k, k->p), 0, 0 };
}

static void close_body(ck *k, tmpl_body *b, const unsigned char *at)
{
    b->end = (int)(at - k->in);
    b->end_line = line_at(k, at);
}

/* after " -}}" the lexer skips the spaces that follow */
static void after_rdelim(ck *k, size_t d)
{
    if (d == 4)
        while (k->p < k->e && sp(*k->p))
            k->p++;
}

/* the "}}" that must come now (after spaces); false if it does not */
static bool expect_rdelim(ck *k)
{
    skip_sp(k);
    size_t d = rdelim(k, k->p);
    if (!d)
        return false;
    k->p += d;
    after_rdelim(k, d);
    return true;
}

/* A pipeline that ends with the action: k->p after it (and its trim). */
static bool action_pipeline(ck *k, int cx)
{
    if (!pipeline(k, cx))
        return false;
    after_rdelim(k, k->dlen);
    return true;
}

bool tmpl_check_body(const tmpl_check *c, size_t start, int line, tmpl_body **bodies, size_t *nbodies,
                     size_t *cap, tmpl_check_out *out)
{
    ck k;
    k.in = (const unsigned char *)c->text;
    k.e = k.in + c->len;
    k.p = k.in + start;
    k.c = c;
    k.nvars = 0;
    k.ranges = 0;
    k.parens = 0;
    k.dlen = 0;
    memset(k.known, 0, sizeof k.known);
    k.lpos = k.p;
    k.line = line;
    frame st[CHECK_MAX_NEST];
    int depth = 0;
    size_t nb0 = *nbodies;
    bool nonempty = false;
    int room = c->nest_room < CHECK_MAX_NEST ? c->nest_room : CHECK_MAX_NEST;
    const unsigned char *e = k.e, *term = NULL;
    for (;;) {
        /* text up to the next "{{" */
        const unsigned char *t = k.p, *o = t;
        for (;;) {
            o = memchr(o, '{', (size_t)(e - o));
            if (!o || o + 1 >= e)
                goto unsure; /* EOF inside the body */
            if (o[1] == '{')
                break;
            o++;
        }
        if (!nonempty && !tmpl_text_blank((const char *)t, (size_t)(o - t)))
            nonempty = true;
        term = o;
        k.p = o + 2;
        if (k.p < e && *k.p == '-') {
            if (e - k.p < 2 || !sp(k.p[1]))
                goto unsure; /* a negative number */
            k.p += 2;
        }
        if (e - k.p >= 2 && k.p[0] == '/' && k.p[1] == '*') { /* a comment: then "}}" or " -}}" at once */
            const unsigned char *x = memmem(k.p + 2, (size_t)(e - k.p - 2), "*/", 2);
            size_t d;
            if (!x || !(d = rdelim(&k, x + 2)))
                goto unsure;
            k.p = x + 2 + d;
            after_rdelim(&k, d);
            continue;
        }
        skip_sp(&k);
        const unsigned char *w = k.p, *we = word_end(w, e);
        size_t n = (size_t)(we - w);
        if (n && wordc[*w] == 2 && keyword(w, n)) {
            if (!term_ok(&k, we))
                goto unsure;
            k.p = we;
            if (is_kw(w, n, "end")) {
                if (depth == 0)
                    goto done;
                frame *f = &st[depth - 1];
                close_body(&k, &(*bodies)[f->body], term); /* the others of a chain closed at their {{else}} */
                do { /* an else-if chain ends at one {{end}} */
                    f = &st[--depth];
                    if (f->ranged)
                        k.ranges--;
                    k.nvars = f->varmark;
                } while (f->chained);
                if (!expect_rdelim(&k))
                    goto unsure;
                nonempty = true;
                continue;
            }
            if (is_kw(w, n, "else")) {
                if (depth == 0)
                    goto done;
                frame *f = &st[depth - 1];
                if (f->in_else)
                    goto unsure; /* expected end; found {{else}} */
                close_body(&k, &(*bodies)[f->body], term);
                if (f->ranged) { /* a range's {{else}} is outside it */
                    k.ranges--;
                    f->ranged = false;
                }
                skip_sp(&k);
                const unsigned char *w2 = k.p, *we2 = word_end(w2, e);
                if ((is_kw(w2, (size_t)(we2 - w2), "if") && f->kind == F_IF) ||
                    (is_kw(w2, (size_t)(we2 - w2), "with") && f->kind == F_WITH)) {
                    if (!term_ok(&k, we2) || depth == room)
                        goto unsure;
                    f->in_else = true;
                    k.p = we2;
                    frame *g = &st[depth++];
                    *g = (frame){ k.nvars, 0, f->kind, false, false, true };
                    if (!action_pipeline(&k, f->kind == F_IF ? CX_IF : CX_WITH))
                        goto unsure;
                    open_body(&k, bodies, nbodies, cap, &g->body);
                    nonempty = true;
                    continue;
                }
                if (!expect_rdelim(&k))
                    goto unsure;
                f->in_else = true;
                open_body(&k, bodies, nbodies, cap, &f->body);
                nonempty = true;
                continue;
            }
            if (is_kw(w, n, "if") || is_kw(w, n, "with") || is_kw(w, n, "range")) {
                if (depth == room)
                    goto unsure;
                int kind = w[0] == 'i' ? F_IF : w[0] == 'w' ? F_WITH : F_RANGE;
                frame *g = &st[depth++];
                *g = (frame){ k.nvars, 0, (unsigned char)kind, false, kind == F_RANGE, false };
                if (!action_pipeline(&k, kind == F_IF ? CX_IF : kind == F_WITH ? CX_WITH : CX_RANGE))
                    goto unsure;
                if (kind == F_RANGE)
                    k.ranges++;
                open_body(&k, bodies, nbodies, cap, &g->body);
                nonempty = true;
                continue;
            }
            if (is_kw(w, n, "template")) {
                skip_sp(&k);
                const unsigned char *q = k.p < e && (*k.p == '"' || *k.p == '`') ? quoted(k.p, e) : NULL;
                if (!q)
                    goto unsure; /* a name that is not a string constant */
                k.p = q;
                skip_sp(&k);
                size_t d = rdelim(&k, k.p);
                if (d) {
                    k.p += d;
                    after_rdelim(&k, d);
                } else if (!action_pipeline(&k, CX_TEMPLATE)) {
                    goto unsure;
                }
                nonempty = true;
                continue;
            }
            if (is_kw(w, n, "break") || is_kw(w, n, "continue")) {
                if (!(w[0] == 'b' ? c->break_ok : c->continue_ok) || c->range_depth + k.ranges == 0 ||
                    !expect_rdelim(&k))
                    goto unsure;
                nonempty = true;
                continue;
            }
            if (!is_kw(w, n, "nil") && !is_kw(w, n, "true") && !is_kw(w, n, "false"))
                goto unsure; /* define, block */
            k.p = w;
        }
        if (!action_pipeline(&k, CX_COMMAND))
            goto unsure;
        nonempty = true;
    }
done:
    if (k.nvars > sizeof out->decl / sizeof *out->decl)
        goto unsure;
    out->end = (size_t)(term - k.in);
    out->end_line = line_at(&k, term);
    out->nonempty = nonempty;
    memcpy(out->decl, k.vars, k.nvars * sizeof *k.vars);
    out->ndecl = k.nvars;
    return true;
unsure:
    *nbodies = nb0;
    return false;
}
