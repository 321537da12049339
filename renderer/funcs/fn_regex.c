/* fn_regex.c — Sprig's regex functions, with Go's regexp (RE2 syntax)
 * semantics, run by PCRE2.
 *
 * A Go pattern is first read by a small parser that follows Go's
 * regexp/syntax: it rejects what Go rejects, with Go's messages
 * ("error parsing regexp: invalid or unsupported Perl syntax: `(?=`"), and
 * writes an equivalent PCRE2 pattern in which every literal is spelled out
 * (\x{..}), Go's \s becomes [\t\n\f\r ] and `{` that is not a repeat is a
 * literal. PCRE2 runs with UTF, DOLLAR_ENDONLY ($ is the end of text unless
 * (?m)), LF newlines, duplicate names allowed, and invalid UTF-8 tolerated.
 * Both engines are leftmost-first, so matches agree; Go's rules for empty
 * matches in FindAll, ReplaceAll and Split are reproduced by the loops below.
 * A render keeps its compiled patterns in a bounded cache (tmpl_env's
 * regex_cache); outside a render each call compiles and frees its own.
 *
 * PCRE2 backtracks, so a pathological pattern can hit its match, depth or
 * heap limit where Go's RE2 engine runs in linear time: then (and for
 * subjects that are not valid UTF-8) the linear-time engine of regex_nfa.c
 * answers. Where that engine lacks the pattern's syntax (Unicode classes,
 * non-ASCII case folding) and PCRE2 gave up, the call fails with an error
 * naming the limit: it never answers "no match" for a match it did not rule
 * out. Go's limit on nested repeat counts (repeatIsValid, 1000) is checked.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/gofmt.h"
#include "renderer/engine/tmpl_exec.h"
#include "renderer/funcs/regex_nfa.h"
#include "core/strbuf.h"
#include "core/value.h"

/* ---- Go syntax to PCRE2 ----------------------------------------------------- */

typedef struct xlate {
    const char *whole;  /* the whole Go pattern */
    const char *end;
    strbuf *out;
    arena *a;
    const char *err;    /* Go's message, without "error parsing regexp: " */
    bool nomem;         /* err is about memory, not the pattern */
} xlate;

static int fail(xlate *x, const char *code, const char *expr, size_t n)
{
    x->err = arena_printf(x->a, "%s: `%.*s`", code, (int)n, expr);
    return -1;
}

static bool isalnum_a(int c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

static void emit_lit(strbuf *o, int32_t r)
{
    if (r < 0x80 && isalnum_a(r))
        sb_addc(o, (char)r);
    else
        sb_addf(o, "\\x{%x}", (unsigned)r);
}

static int unhex(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Go's parseEscape: *pp points at the backslash. */
static int parse_escape(xlate *x, const char **pp, int32_t *out)
{
    const char *s = *pp, *t = s + 1;
    if (t >= x->end) {
        x->err = "trailing backslash at end of expression: ``";
        return -1;
    }
    int w;
    int32_t c = rx_decode_rune(t, x->end, &w);
    t += w;
    if (c < 0x80 && !isalnum_a(c)) {
        *out = c;
        *pp = t;
        return 0;
    }
    switch (c) {
    case '1': case '2': case '3': case '4': case '5': case '6': case '7':
        if (t >= x->end || *t < '0' || *t > '7')
            break;
        /* fallthrough */
    case '0': {
        int32_t r = c - '0';
        for (int i = 1; i < 3; i++) {
            if (t >= x->end || *t < '0' || *t > '7')
                break;
            r = r * 8 + (*t - '0');
            t++;
        }
        *out = r;
        *pp = t;
        return 0;
    }
    case 'x': {
        if (t >= x->end)
            break;
        c = rx_decode_rune(t, x->end, &w);
        t += w;
        if (c == '{') {
            int nhex = 0;
            int32_t r = 0;
            for (;;) {
                if (t >= x->end)
                    goto bad;
                c = rx_decode_rune(t, x->end, &w);
                t += w;
                if (c == '}')
                    break;
                int v = unhex(c);
                if (v < 0)
                    goto bad;
                r = r * 16 + v;
                if (r > 0x10FFFF)
                    goto bad;
                nhex++;
            }
            if (nhex == 0)
                goto bad;
            *out = r;
            *pp = t;
            return 0;
        }
        int hx = unhex(c);
        if (t >= x->end)
            goto bad;
        c = rx_decode_rune(t, x->end, &w);
        t += w;
        int lo = unhex(c);
        if (hx < 0 || lo < 0)
            goto bad;
        *out = hx * 16 + lo;
        *pp = t;
        return 0;
    }
    case 'a': *out = '\a'; *pp = t; return 0;
    case 'f': *out = '\f'; *pp = t; return 0;
    case 'n': *out = '\n'; *pp = t; return 0;
    case 'r': *out = '\r'; *pp = t; return 0;
    case 't': *out = '\t'; *pp = t; return 0;
    case 'v': *out = '\v'; *pp = t; return 0;
    default:
        break;
    }
bad:
    return fail(x, "invalid escape sequence", s, (size_t)(t - s));
}

/* Does PCRE2 know this Unicode property (as Go's tables would)? 1 yes, 0 no,
 * -1 when PCRE2 ran out of memory finding out. */
static int pcre_knows_property(const char *seq, size_t n)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)seq, n, PCRE2_UTF, &ec, &eo, NULL);
    if (!re)
        return ec == PCRE2_ERROR_HEAP_FAILED ? -1 : 0;
    pcre2_code_free(re);
    return 1;
}

/* \p / \P at *pp: copy it through, or fail as Go does. Returns 1 when done,
 * 0 when it is not a Unicode class. */
static int unicode_class(xlate *x, const char **pp)
{
    const char *s = *pp;
    if (x->end - s < 2 || s[0] != '\\' || (s[1] != 'p' && s[1] != 'P'))
        return 0;
    const char *t = s + 2;
    if (t >= x->end)
        return 0; /* Go: nextRune fails silently; then an invalid escape */
    int w;
    int32_t c = rx_decode_rune(t, x->end, &w);
    t += w;
    const char *seq_end;
    if (c != '{') {
        seq_end = t;
    } else {
        const char *close = memchr(s, '}', (size_t)(x->end - s));
        if (!close)
            return fail(x, "invalid character class range", s, (size_t)(x->end - s));
        seq_end = close + 1;
    }
    size_t n = (size_t)(seq_end - s);
    int known = pcre_knows_property(s, n);
    if (known < 0) {
        x->nomem = true;
        return fail(x, "out of memory reading", s, n);
    }
    if (!known)
        return fail(x, "invalid character class range", s, n);
    sb_add(x->out, s, n);
    *pp = seq_end;
    return 1;
}

/* Go's Perl class escapes \d \D \s \S \w \W; in a class or outside one. */
static bool perl_class(xlate *x, const char **pp, bool in_class)
{
    const char *s = *pp;
    if (x->end - s < 2 || s[0] != '\\')
        return false;
    switch (s[1]) {
    case 'd': case 'D': case 'w': case 'W':
        sb_add(x->out, s, 2);
        break;
    case 's':
        sb_adds(x->out, in_class ? "\\t\\n\\f\\r\\x{20}" : "[\\t\\n\\f\\r\\x{20}]");
        break;
    case 'S':
        sb_adds(x->out, in_class ? "\\x{0}-\\x{8}\\x{b}\\x{e}-\\x{1f}\\x{21}-\\x{10ffff}"
                                 : "[^\\t\\n\\f\\r\\x{20}]");
        break;
    default:
        return false;
    }
    *pp = s + 2;
    return true;
}

static const char *const posix_names[] = {
    "alnum", "alpha", "ascii", "blank", "cntrl", "digit", "graph", "lower",
    "print", "punct", "space", "upper", "word", "xdigit",
};

static int parse_class(xlate *x, const char **pp)
{
    const char *s = *pp, *t = s + 1;
    strbuf *o = x->out;
    sb_addc(o, '[');
    if (t < x->end && *t == '^') {
        sb_addc(o, '^');
        t++;
    }
    bool first = true;
    while (t >= x->end || *t != ']' || first) {
        first = false;
        if (x->end - t > 2 && t[0] == '[' && t[1] == ':') {
            const char *close = NULL;
            for (const char *q = t + 2; q + 1 < x->end; q++)
                if (q[0] == ':' && q[1] == ']') {
                    close = q;
                    break;
                }
            if (close) {
                const char *name = t + 2;
                size_t nn = (size_t)(close - name);
                bool neg = nn > 0 && name[0] == '^';
                bool known = false;
                for (size_t i = 0; i < sizeof posix_names / sizeof *posix_names; i++)
                    if (strlen(posix_names[i]) == nn - neg && memcmp(posix_names[i], name + neg, nn - neg) == 0)
                        known = true;
                if (!known)
                    return fail(x, "invalid character class range", t, (size_t)(close + 2 - t));
                sb_add(o, t, (size_t)(close + 2 - t));
                t = close + 2;
                continue;
            }
        }
        int u = unicode_class(x, &t);
        if (u < 0)
            return -1;
        if (u > 0)
            continue;
        if (perl_class(x, &t, true))
            continue;
        const char *rng = t;
        int32_t lo, hi;
        /* parseClassChar */
        if (t >= x->end)
            return fail(x, "missing closing ]", s, (size_t)(x->end - s));
        if (*t == '\\') {
            if (parse_escape(x, &t, &lo) < 0)
                return -1;
        } else {
            int w;
            lo = rx_decode_rune(t, x->end, &w);
            t += w;
        }
        hi = lo;
        if (x->end - t >= 2 && t[0] == '-' && t[1] != ']') {
            t++;
            if (t >= x->end)
                return fail(x, "missing closing ]", s, (size_t)(x->end - s));
            if (*t == '\\') {
                if (parse_escape(x, &t, &hi) < 0)
                    return -1;
            } else {
                int w;
                hi = rx_decode_rune(t, x->end, &w);
                t += w;
            }
            if (hi < lo)
                return fail(x, "invalid character class range", rng, (size_t)(t - rng));
        }
        emit_lit(o, lo);
        if (hi != lo) {
            sb_addc(o, '-');
            emit_lit(o, hi);
        }
    }
    sb_addc(o, ']');
    *pp = t + 1;
    return 0;
}

/* Go's parseRepeat: {n}, {n,}, {n,m}. Returns false when it is not one. */
static bool parse_repeat(const char *s, const char *end, int *min, int *max, const char **after)
{
    const char *t = s + 1;
    if (t >= end || *t < '0' || *t > '9')
        return false;
    long v = 0;
    bool big = false;
    while (t < end && *t >= '0' && *t <= '9') {
        v = v * 10 + (*t - '0');
        if (v > 100000)
            big = true, v = 100000;
        t++;
    }
    *min = big ? -1 : (int)v;
    if (t >= end)
        return false;
    if (*t == ',') {
        t++;
        if (t >= end)
            return false;
        if (*t == '}') {
            *max = -1;
        } else {
            if (*t < '0' || *t > '9')
                return false;
            long m = 0;
            bool mbig = false;
            while (t < end && *t >= '0' && *t <= '9') {
                m = m * 10 + (*t - '0');
                if (m > 100000)
                    mbig = true, m = 100000;
                t++;
            }
            *max = mbig ? 1001 : (int)m;
        }
    } else {
        *max = *min;
    }
    if (t >= end || *t != '}')
        return false;
    *after = t + 1;
    return true;
}

static bool valid_capture_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!(s[i] == '_' || isalnum_a((unsigned char)s[i])))
            return false;
    return true;
}

static void flush_flags(strbuf *o, const char **pending, size_t *n)
{
    if (*pending)
        sb_add(o, *pending, *n);
    *pending = NULL;
    *n = 0;
}

static bool is_flag_start(char c) { return c == 'i' || c == 'm' || c == 's' || c == 'U' || c == '-'; }

/* Translate x->whole into x->out. */
static int translate(xlate *x)
{
    const char *t = x->whole;
    strbuf *o = x->out;
    int depth = 0;
    /* operand: there is something a repeat can apply to (Go: the stack top is
     * not a left paren or a vertical bar) */
    bool operand = false;
    const char *last_repeat = NULL, *repeat = NULL;
    const char *pending = NULL; /* flag groups not yet written (one run of them) */
    size_t npending = 0;
    /* where the last complete item starts in the output (for wrapping it when
     * a repeat reaches it across a flag group), and the open groups' starts */
    size_t atom_start = 0, *opens = NULL, nopen = 0, capopen = 0;
    bool prev_rep = false;
    /* Go's NonGreedy flag (?U) here, and as PCRE2 sees it at the output's end
     * while flag groups are pending; each open group saves it */
    bool cur_u = false, u_at_pending = false, *ustack = NULL;
    /* Go's repeatIsValid: along any path of nested {n,m} repeats the
     * product of their counts may not pass 1000. item_p is that product
     * for the last complete item, group_p the largest among the items
     * before it in the open group; each open group saves its parent's. */
    long item_p = 1, group_p = 1, *pstack = NULL;
    while (t < x->end) {
        last_repeat = repeat;
        repeat = NULL;
        if (pending && *t != '*' && *t != '+' && *t != '?' && *t != '{' && !(t[0] == '(' && t + 2 < x->end && t[1] == '?' && is_flag_start(t[2])))
            flush_flags(o, &pending, &npending);
        size_t tok_start = o->len;
        bool u_before = cur_u;
        int depth_before = depth;
        char c0 = *t;
        switch (*t) {
        case '(':
            if (x->end - t >= 2 && t[1] == '?') {
                const char *s = t;
                bool with_p = x->end - t > 4 && t[2] == 'P' && t[3] == '<';
                bool with_name = x->end - t > 3 && t[2] == '<';
                if (with_p || with_name) {
                    const char *gt = memchr(t, '>', (size_t)(x->end - t));
                    if (!gt)
                        return fail(x, "invalid named capture", s, (size_t)(x->end - s));
                    const char *name = t + (with_p ? 4 : 3);
                    if (!valid_capture_name(name, (size_t)(gt - name)))
                        return fail(x, "invalid named capture", s, (size_t)(gt + 1 - s));
                    sb_adds(o, "(?<");
                    sb_add(o, name, (size_t)(gt - name));
                    sb_addc(o, '>');
                    depth++;
                    operand = false;
                    t = gt + 1;
                    break;
                }
                /* flags */
                const char *p = t + 2;
                int sign = 1;
                bool saw = false, done = false, new_u = cur_u;
                while (p < x->end) {
                    int w;
                    int32_t c = rx_decode_rune(p, x->end, &w);
                    p += w;
                    if (c == 'i' || c == 'm' || c == 's' || c == 'U') {
                        if (c == 'U')
                            new_u = sign > 0;
                        saw = true;
                    } else if (c == '-') {
                        if (sign < 0)
                            break;
                        sign = -1;
                        saw = false;
                    } else if (c == ':' || c == ')') {
                        if (sign < 0 && !saw)
                            break;
                        if (c == ':') {
                            flush_flags(o, &pending, &npending);
                            sb_add(o, t, (size_t)(p - t));
                            depth++;
                            operand = false;
                            cur_u = new_u;
                        } else {
                            if (!pending)
                                u_at_pending = cur_u;
                            cur_u = new_u;
                            /* "(?i)" adds nothing Go's repeat could apply
                             * to: a repeat after it repeats the item before,
                             * so it is written after that repeat */
                            pending = pending ? pending : t;
                            npending = (size_t)(p - pending);
                        }
                        done = true;
                        break;
                    } else {
                        break;
                    }
                }
                if (!done)
                    return fail(x, "invalid or unsupported Perl syntax", s, (size_t)(p - s));
                t = p;
                break;
            }
            sb_addc(o, '(');
            depth++;
            operand = false;
            t++;
            break;
        case '|':
            sb_addc(o, '|');
            operand = false;
            t++;
            break;
        case ')':
            if (depth == 0)
                return fail(x, "unexpected )", x->whole, (size_t)(x->end - x->whole));
            depth--;
            sb_addc(o, ')');
            operand = true;
            t++;
            break;
        case '^': case '$':
            /* grouped, so that a repeat may follow it as Go allows */
            sb_adds(o, *t == '^' ? "(?:^)" : "(?:$)");
            operand = true;
            t++;
            break;
        case '.':
            sb_addc(o, '.');
            operand = true;
            t++;
            break;
        case '[':
            if (parse_class(x, &t) < 0)
                return -1;
            operand = true;
            break;
        case '*': case '+': case '?': case '{': {
            const char *before = t, *after;
            int min = 0, max = 0;
            if (*t == '{') {
                if (!parse_repeat(t, x->end, &min, &max, &after)) {
                    sb_adds(o, "\\x{7b}");
                    operand = true;
                    t++;
                    break;
                }
                if (min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max))
                    return fail(x, "invalid repeat count", before, (size_t)(after - before));
            } else {
                after = t + 1;
            }
            if (after < x->end && *after == '?')
                after++;
            if (last_repeat)
                return fail(x, "invalid nested repetition operator", last_repeat,
                            (size_t)(after - last_repeat));
            if (!operand)
                return fail(x, "missing argument to repetition operator", before,
                            (size_t)(after - before));
            if (*before == '{') {
                long m = max < 0 ? min : max;
                item_p = max == 0 ? 1 : (m > 0 ? m : 1) * item_p;
                if (item_p > 1000) {
                    if (min >= 2 || max >= 2)
                        return fail(x, "invalid repeat count", before, (size_t)(after - before));
                    item_p = 1001;
                }
            }
            if (prev_rep) {
                /* Go: "a*(?i)*" repeats "a*"; PCRE2 needs it grouped */
                strbuf tail = STRBUF_INIT;
                sb_add(&tail, o->buf + atom_start, o->len - atom_start);
                sb_setlen(o, atom_start);
                sb_adds(o, "(?:");
                sb_add(o, tail.buf, tail.len);
                sb_addc(o, ')');
                sb_release(&tail);
            }
            {
                /* the repeat's greediness is Go's flags' here; PCRE2 reads
                 * it with the flags before the pending groups */
                bool pcre_u = pending ? u_at_pending : cur_u;
                size_t oplen = *before == '{' ? (size_t)(memchr(before, '}', (size_t)(after - before)) - (void *)before) + 1 : 1;
                bool lazy = (size_t)(after - before) > oplen;
                sb_add(o, before, oplen);
                if (lazy != (pcre_u != cur_u))
                    sb_addc(o, '?');
            }
            flush_flags(o, &pending, &npending);
            repeat = before;
            t = after;
            break;
        }
        case '\\': {
            if (x->end - t >= 2) {
                char c = t[1];
                if (c == 'A' || c == 'b' || c == 'B' || c == 'z') {
                    sb_adds(o, "(?:");
                    sb_add(o, t, 2);
                    sb_addc(o, ')');
                    t += 2;
                    operand = true;
                    break;
                }
                if (c == 'C')
                    return fail(x, "invalid escape sequence", t, 2);
                if (c == 'Q') {
                    const char *lit = t + 2, *e = lit;
                    while (e < x->end && !(e[0] == '\\' && e + 1 < x->end && e[1] == 'E'))
                        e++;
                    while (lit < e) {
                        int w;
                        int32_t r = rx_decode_rune(lit, e, &w);
                        emit_lit(o, r);
                        lit += w;
                        operand = true;
                    }
                    t = e < x->end ? e + 2 : e;
                    break;
                }
            }
            int u = unicode_class(x, &t);
            if (u < 0)
                return -1;
            if (u > 0) {
                operand = true;
                break;
            }
            if (perl_class(x, &t, false)) {
                operand = true;
                break;
            }
            int32_t r;
            if (parse_escape(x, &t, &r) < 0)
                return -1;
            emit_lit(o, r);
            operand = true;
            break;
        }
        default: {
            int w;
            int32_t r = rx_decode_rune(t, x->end, &w);
            if (r == 0xFFFD && w == 1 && (unsigned char)*t >= 0x80)
                return fail(x, "invalid UTF-8", t, (size_t)(x->end - t));
            emit_lit(o, r);
            operand = true;
            t += w;
            break;
        }
        }
        if (repeat) {
            prev_rep = true;
        } else if (c0 == '(') {
            if (depth > depth_before) {
                if (nopen == capopen) {
                    size_t nc = capopen ? 2 * capopen : 16;
                    opens = arena_realloc(x->a, opens, capopen * sizeof *opens, nc * sizeof *opens);
                    ustack = arena_realloc(x->a, ustack, capopen * sizeof *ustack, nc * sizeof *ustack);
                    pstack = arena_realloc(x->a, pstack, capopen * sizeof *pstack, nc * sizeof *pstack);
                    capopen = nc;
                }
                ustack[nopen] = u_before;
                pstack[nopen] = group_p > item_p ? group_p : item_p;
                group_p = item_p = 1;
                opens[nopen++] = tok_start;
                if (nopen > 1000)
                    return fail(x, "expression nests too deeply", x->whole, (size_t)(x->end - x->whole));
            }
        } else if (c0 == ')') {
            if (nopen) {
                nopen--;
                atom_start = opens[nopen];
                cur_u = ustack[nopen];
                item_p = group_p > item_p ? group_p : item_p;
                group_p = pstack[nopen];
            }
            prev_rep = false;
        } else if (c0 == '|') {
            group_p = group_p > item_p ? group_p : item_p;
            item_p = 1;
            prev_rep = false;
        } else {
            atom_start = tok_start;
            group_p = group_p > item_p ? group_p : item_p;
            item_p = 1;
            prev_rep = false;
        }
    }
    flush_flags(o, &pending, &npending);
    if (depth > 0)
        return fail(x, "missing closing )", x->whole, (size_t)(x->end - x->whole));
    return 0;
}

/* ---- compiled patterns ------------------------------------------------------ */

/* A compiled Go pattern. PCRE2 runs it; where PCRE2 gives up (a match,
 * depth or heap limit) or the subject is not valid UTF-8, the linear-time
 * engine (regex_nfa.c) does, so that no answer is a wrong "no match". All of
 * it is malloc'd (and checked): a render's cache owns it, or the caller frees
 * it after one call. */
typedef struct gorx {
    char *expr;            /* the Go pattern, the cache's key */
    size_t exprlen;
    uint64_t hash;
    char *pcre;            /* its PCRE2 translation */
    size_t pcrelen;
    pcre2_code *code;      /* run with NO_UTF_CHECK on subjects checked once */
    pcre2_code *code_inv;  /* MATCH_INVALID_UTF, for invalid UTF-8 the NFA cannot take */
    pcre2_match_data *md;
    pcre2_match_context *mctx;
    rx_nfa *nfa;
    int nfa_state;         /* -1 not tried; else rx_nfa_compile's result */
    bool prefer_nfa;       /* an empty loop, or PCRE2 hit a limit once: the NFA first */
    uint32_t ncap;         /* capture groups, not counting group 0 */
    bool cached;
} gorx;

static void gorx_destroy(gorx *r)
{
    if (!r)
        return;
    pcre2_match_data_free(r->md);
    pcre2_match_context_free(r->mctx);
    pcre2_code_free(r->code);
    pcre2_code_free(r->code_inv);
    rx_nfa_free(r->nfa);
    free(r->expr);
    free(r->pcre);
    free(r);
}

enum { RX_OK = 0, RX_SYNTAX = 1, RX_RESOURCE = 2 };

static const uint32_t pcre_opts = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_DUPNAMES | PCRE2_NEVER_BACKSLASH_C;

static pcre2_code *pcre_compile(const char *pat, size_t len, uint32_t extra, int *ec)
{
    pcre2_compile_context *cc = pcre2_compile_context_create(NULL);
    if (!cc) {
        *ec = PCRE2_ERROR_HEAP_FAILED;
        return NULL;
    }
    pcre2_set_newline(cc, PCRE2_NEWLINE_LF);
    PCRE2_SIZE eo;
    pcre2_code *code = pcre2_compile((PCRE2_SPTR)pat, len, pcre_opts | extra, ec, &eo, cc);
    pcre2_compile_context_free(cc);
    return code;
}

static char *memdup0(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (p) {
        memcpy(p, s, n);
        p[n] = 0;
    }
    return p;
}

static uint64_t hash_bytes(const char *s, size_t n)
{
    uint64_t h = 1469598103934665603u;
    for (size_t i = 0; i < n; i++)
        h = (h ^ (unsigned char)s[i]) * 1099511628211u;
    return h;
}

/* The Pike VM for r (state in r->nfa_state). Where a repeat applies to
 * something that can match empty, PCRE2 and Go disagree (see regex_nfa.h),
 * so such a pattern runs on the Pike VM from the start. */
static void nfa_compile(gorx *r, bool keep)
{
    r->nfa_state = rx_nfa_compile(r->pcre, r->pcrelen, &r->nfa);
    if (r->nfa_state == RX_NFA_OK && rx_nfa_ncap(r->nfa) != r->ncap) {
        rx_nfa_free(r->nfa);
        r->nfa = NULL;
        r->nfa_state = RX_NFA_UNSUPPORTED;
    }
    if (r->nfa_state == RX_NFA_OK && rx_nfa_empty_loop(r->nfa))
        r->prefer_nfa = true;
    if (r->nfa_state == RX_NFA_NOMEM || (r->nfa_state == RX_NFA_OK && !keep && !r->prefer_nfa)) {
        rx_nfa_free(r->nfa); /* not needed (yet): made again if it is */
        r->nfa = NULL;
        r->nfa_state = -1;
    }
}

/* Compile a Go pattern: RX_OK, or RX_SYNTAX with *err = "error parsing
 * regexp: ...", or RX_RESOURCE with *err saying what ran out. */
static int gorx_compile(arena *a, const char *pat, size_t len, gorx **out, const char **err)
{
    *out = NULL;
    strbuf sb = STRBUF_INIT;
    xlate x = {pat, pat + len, &sb, a, NULL, false};
    if (translate(&x) < 0) {
        sb_release(&sb);
        *err = arena_printf(a, "%s: %s", x.nomem ? "regexp: out of memory" : "error parsing regexp", x.err);
        return x.nomem ? RX_RESOURCE : RX_SYNTAX;
    }
    gorx *r = calloc(1, sizeof *r);
    int ec = 0;
    if (r) {
        r->nfa_state = -1;
        r->exprlen = len;
        r->hash = hash_bytes(pat, len);
        r->pcrelen = sb.len;
        r->expr = memdup0(pat, len);
        r->pcre = memdup0(sb_str(&sb), sb.len);
        if (r->expr && r->pcre)
            r->code = pcre_compile(r->pcre, r->pcrelen, 0, &ec);
    }
    sb_release(&sb);
    if (r && r->pcre && !r->code && ec != PCRE2_ERROR_HEAP_FAILED) {
        PCRE2_UCHAR msg[256];
        pcre2_get_error_message(ec, msg, sizeof msg);
        *err = arena_printf(a, "error parsing regexp: %s: `%.*s`", (const char *)msg, (int)len, pat);
        gorx_destroy(r);
        return RX_SYNTAX;
    }
    if (r && r->code) {
        r->md = pcre2_match_data_create_from_pattern(r->code, NULL);
        r->mctx = pcre2_match_context_create(NULL);
    }
    if (!r || !r->code || !r->md || !r->mctx) {
        gorx_destroy(r);
        *err = arena_printf(a, "regexp: out of memory compiling `%.*s`", (int)len, pat);
        return RX_RESOURCE;
    }
    pcre2_set_match_limit(r->mctx, 10000000);
    pcre2_set_depth_limit(r->mctx, 100000);
    pcre2_set_heap_limit(r->mctx, 64 * 1024); /* KiB; past it the Pike VM runs */
    pcre2_pattern_info(r->code, PCRE2_INFO_CAPTURECOUNT, &r->ncap);
    nfa_compile(r, false);
    *out = r;
    return RX_OK;
}

/* ---- the render's cache of compiled patterns ------------------------------- */

/* Bounded; owned by the render (freed with its arena); a render runs on one
 * thread, so it needs no lock. Replaced first in, first out. */
#define RX_CACHE_SLOTS 64

typedef struct rx_cache {
    gorx *slot[RX_CACHE_SLOTS];
    unsigned next;
} rx_cache;

static void rx_cache_free(void *p)
{
    rx_cache *k = p;
    for (size_t i = 0; i < RX_CACHE_SLOTS; i++)
        gorx_destroy(k->slot[i]);
    free(k);
}

static void *rx_cache_make(void)
{
    return calloc(1, sizeof(rx_cache));
}

/* The render's cache, made when first needed; NULL outside a template
 * render (the schema validator) or when memory is short: then every call
 * compiles its own pattern and frees it (gorx_done). */
static rx_cache *cache_of(cv_call *c)
{
    tmpl_env *env = c->env;
    return tmpl_env_cache(env, env ? &env->regex_cache : NULL, rx_cache_make, rx_cache_free);
}

/* The compiled pattern, from cache k (may be NULL) or new; gorx_done() after use. */
static int gorx_get_in(cv_call *c, rx_cache *k, const char *pat, size_t len, gorx **out, const char **err)
{
    uint64_t h = hash_bytes(pat, len);
    for (size_t i = 0; k && i < RX_CACHE_SLOTS; i++) {
        gorx *r = k->slot[i];
        if (r && r->hash == h && r->exprlen == len && memcmp(r->expr, pat, len) == 0) {
            *out = r;
            return RX_OK;
        }
    }
    int rc = gorx_compile(c->a, pat, len, out, err);
    if (rc == RX_OK && k) {
        gorx_destroy(k->slot[k->next]);
        k->slot[k->next] = *out;
        k->next = (k->next + 1) % RX_CACHE_SLOTS;
        (*out)->cached = true;
    }
    return rc;
}

/* The same with the render's cache. */
static int gorx_get(cv_call *c, const char *pat, size_t len, gorx **out, const char **err)
{
    return gorx_get_in(c, cache_of(c), pat, len, out, err);
}

/* A cached pattern keeps a Pike VM program only while it is small, so that
 * the cache stays bounded (64 x (PCRE2's <= 64 KB + 10,000 instructions)). */
#define RX_CACHE_NFA_MAX 10000

static void gorx_done(gorx *r)
{
    if (r && !r->cached) {
        gorx_destroy(r);
    } else if (r && r->nfa && rx_nfa_size(r->nfa) > RX_CACHE_NFA_MAX) {
        rx_nfa_free(r->nfa);
        r->nfa = NULL;
        r->nfa_state = -1;
    }
}

/* ---- matching ---------------------------------------------------------------- */

/* One subject: its text and whether it is valid UTF-8 (checked once, so
 * that PCRE2 need not check the rest of it at every match: that made the
 * loops below quadratic). */
typedef struct subject {
    const char *s;
    size_t len;
    bool valid;
} subject;

static subject subject_of(const char *s, size_t len)
{
    return (subject){s, len, rx_utf8_valid(s, len)};
}

static const char *limit_name(int rc)
{
    switch (rc) {
    case PCRE2_ERROR_MATCHLIMIT: return "match limit";
    case PCRE2_ERROR_DEPTHLIMIT: return "depth limit";
    case PCRE2_ERROR_HEAPLIMIT: return "heap limit";
    case PCRE2_ERROR_NOMEMORY: return "memory";
    default: return NULL;
    }
}

/* Copy PCRE2's offsets to m (-1 for unset groups). */
static void take_ovector(gorx *r, int rc, long *m)
{
    PCRE2_SIZE *ov = pcre2_get_ovector_pointer(r->md);
    for (uint32_t i = 0; i <= r->ncap; i++) {
        if ((int)i < rc && ov[2 * i] != PCRE2_UNSET) {
            m[2 * i] = (long)ov[2 * i];
            m[2 * i + 1] = (long)ov[2 * i + 1];
        } else {
            m[2 * i] = m[2 * i + 1] = -1;
        }
    }
}

/* PCRE2 on code: 1 match, 0 none, -1 error (*err set), -2 a limit (*why). */
static int pcre_exec(arena *a, gorx *r, pcre2_code *code, const subject *sj, size_t pos, uint32_t opts,
                     long *m, const char **why, const char **err)
{
    int rc = pcre2_match(code, (PCRE2_SPTR)sj->s, sj->len, pos, opts, r->md, r->mctx);
    if (rc >= 0) {
        take_ovector(r, rc, m);
        return 1;
    }
    if (rc == PCRE2_ERROR_NOMATCH)
        return 0;
    if ((*why = limit_name(rc)))
        return -2;
    PCRE2_UCHAR msg[256];
    pcre2_get_error_message(rc, msg, sizeof msg);
    *err = arena_printf(a, "regexp: matching `%.*s`: %s", (int)r->exprlen, r->expr, (const char *)msg);
    return -1;
}

/* First match at or after pos; fills m[0..2*nslots) (at least; -1 for unset
 * groups), m having room for 2*(ncap+1). nslots: how many groups the caller
 * reads (1: only the whole match). 1 match, 0 none, -1 error (*err set). */
static int gorx_exec(arena *a, gorx *r, const subject *sj, size_t pos, long *m, unsigned nslots, const char **err)
{
    const char *why = "UTF-8 check";
    int rc = -2;
    if (sj->valid && !r->prefer_nfa) {
        rc = pcre_exec(a, r, r->code, sj, pos, PCRE2_NO_UTF_CHECK, m, &why, err);
        if (rc != -2)
            return rc;
        r->prefer_nfa = true; /* spare the next calls PCRE2's futile search */
    }
    /* a limit, or invalid UTF-8: the linear engine, if it reads the pattern */
    if (r->nfa_state < 0)
        nfa_compile(r, true);
    if (r->nfa_state < 0) {
        *err = arena_printf(a, "regexp: out of memory compiling `%.*s`", (int)r->exprlen, r->expr);
        return -1;
    }
    if (r->nfa_state == RX_NFA_OK) {
        for (uint32_t i = 0; i <= r->ncap; i++)
            m[2 * i] = m[2 * i + 1] = -1;
        rc = rx_nfa_exec(r->nfa, sj->s, sj->len, pos, m, nslots);
        if (rc >= 0)
            return rc;
        *err = arena_printf(a, "regexp: out of memory matching `%.*s`", (int)r->exprlen, r->expr);
        return -1;
    }
    r->prefer_nfa = false;
    if (!sj->valid) {
        /* PCRE2 skipping invalid UTF-8 (never matching it) */
        int ec = 0;
        if (!r->code_inv && !(r->code_inv = pcre_compile(r->pcre, r->pcrelen, PCRE2_MATCH_INVALID_UTF, &ec))) {
            *err = arena_printf(a, "regexp: out of memory compiling `%.*s`", (int)r->exprlen, r->expr);
            return -1;
        }
        rc = pcre_exec(a, r, r->code_inv, sj, pos, 0, m, &why, err);
        if (rc != -2)
            return rc;
    }
    *err = arena_printf(a, "regexp: `%.*s` reached PCRE2's %s on this input, and the linear-time "
                           "matcher does not support this pattern (Unicode classes or case folding beyond ASCII)",
                        (int)r->exprlen, r->expr, why);
    return -1;
}

/* Go's allMatches: calls cb for each accepted match, at most n (n < 0: all).
 * 0, or -1 with *err set. */
typedef void (*match_cb)(void *ctx, const long *m);
static int all_matches(arena *a, gorx *r, const char *s, size_t len, long n, match_cb cb, void *ctx,
                       const char **err)
{
    long *m = arena_alloc(a, (2 * (size_t)r->ncap + 2) * sizeof *m);
    subject sj = subject_of(s, len);
    if (n < 0)
        n = (long)len + 1;
    long prev_end = -1;
    size_t pos = 0;
    for (long i = 0; i < n && pos <= len;) {
        int rc = gorx_exec(a, r, &sj, pos, m, 1, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        bool accept = true;
        if ((size_t)m[1] == pos) {
            if (m[0] == prev_end)
                accept = false;
            int w;
            rx_decode_rune(s + pos, s + len, &w);
            pos = w > 0 ? pos + (size_t)w : len + 1;
        } else {
            pos = (size_t)m[1];
        }
        prev_end = m[1];
        if (accept) {
            cb(ctx, m);
            i++;
        }
    }
    return 0;
}

/* Go's Regexp.expand for ReplaceAllString: $1, ${1}, $name, ${name}, $$. */
static void expand(strbuf *out, gorx *r, const char *tmpl, size_t tlen, const char *src, const long *m)
{
    const char *t = tmpl, *end = tmpl + tlen;
    while (t < end) {
        const char *dollar = memchr(t, '$', (size_t)(end - t));
        if (!dollar)
            break;
        sb_add(out, t, (size_t)(dollar - t));
        t = dollar + 1;
        if (t < end && *t == '$') {
            sb_addc(out, '$');
            t++;
            continue;
        }
        /* extract */
        const char *p = t;
        bool brace = false;
        if (p < end && *p == '{') {
            brace = true;
            p++;
        }
        const char *name = p;
        while (p < end) {
            int w;
            int32_t c = rx_decode_rune(p, end, &w);
            /* unicode.IsLetter / IsDigit: ASCII exactly; other runes are
             * taken as letters (a simplification of Go's tables) */
            bool ok = c == '_' || (c < 0x80 ? isalnum_a(c) : c != 0xFFFD);
            if (!ok)
                break;
            p += w;
        }
        size_t nlen = (size_t)(p - name);
        if (nlen == 0 || (brace && (p >= end || *p != '}'))) {
            sb_addc(out, '$');
            continue;
        }
        if (brace)
            p++;
        t = p;
        long num = 0;
        for (size_t i = 0; i < nlen; i++) {
            if (name[i] < '0' || name[i] > '9' || num >= 100000000) {
                num = -1;
                break;
            }
            num = num * 10 + (name[i] - '0');
        }
        if (name[0] == '0' && nlen > 1)
            num = -1;
        if (num >= 0) {
            if ((uint32_t)num <= r->ncap && m[2 * num] >= 0)
                sb_add(out, src + m[2 * num], (size_t)(m[2 * num + 1] - m[2 * num]));
        } else {
            /* the first group with this name (Go's subexpNames order) */
            uint32_t count, esize;
            PCRE2_SPTR tab;
            pcre2_pattern_info(r->code, PCRE2_INFO_NAMECOUNT, &count);
            pcre2_pattern_info(r->code, PCRE2_INFO_NAMEENTRYSIZE, &esize);
            pcre2_pattern_info(r->code, PCRE2_INFO_NAMETABLE, &tab);
            for (uint32_t gi = 1; gi <= r->ncap; gi++) {
                bool named = false;
                for (uint32_t k = 0; k < count; k++) {
                    PCRE2_SPTR e = tab + k * esize;
                    uint32_t g = ((uint32_t)e[0] << 8) | e[1];
                    const char *en = (const char *)e + 2;
                    if (g == gi && strlen(en) == nlen && memcmp(en, name, nlen) == 0)
                        named = true;
                }
                if (named && m[2 * gi] >= 0) {
                    sb_add(out, src + m[2 * gi], (size_t)(m[2 * gi + 1] - m[2 * gi]));
                    break;
                }
            }
        }
    }
    sb_add(out, t, (size_t)(end - t));
}

/* Go's replaceAll; literal: ReplaceAllLiteralString, else ReplaceAllString.
 * 0, or -1 with *err set. */
static int replace_all(arena *a, strbuf *out, gorx *r, const char *src, size_t len,
                       const char *repl, size_t rlen, bool literal, const char **err)
{
    long *m = arena_alloc(a, (2 * (size_t)r->ncap + 2) * sizeof *m);
    subject sj = subject_of(src, len);
    size_t last_end = 0, pos = 0;
    while (pos <= len) {
        bool refs = !literal && memchr(repl, '$', rlen); /* expand reads groups */
        int rc = gorx_exec(a, r, &sj, pos, m, refs ? r->ncap + 1 : 1, err);
        if (rc < 0)
            return -1;
        if (rc == 0)
            break;
        sb_add(out, src + last_end, (size_t)m[0] - last_end);
        if ((size_t)m[1] > last_end || m[0] == 0) {
            if (literal)
                sb_add(out, repl, rlen);
            else
                expand(out, r, repl, rlen, src, m);
        }
        last_end = (size_t)m[1];
        int w;
        rx_decode_rune(src + pos, src + len, &w);
        if (pos + (size_t)w > (size_t)m[1])
            pos += (size_t)w;
        else if (pos + 1 > (size_t)m[1])
            pos++;
        else
            pos = (size_t)m[1];
    }
    sb_add(out, src + last_end, len - last_end);
    return 0;
}

/* ---- the template functions --------------------------------------------- */

/* strconv.CanBackquote ? `s` : strconv.Quote(s), for MustCompile's panic. */
static void go_quote(strbuf *o, const char *s, size_t n)
{
    bool back = true;
    for (size_t i = 0; i < n;) {
        int w;
        int32_t c = rx_decode_rune(s + i, s + n, &w);
        if ((c == 0xFFFD && w == 1) || c == '`' || c == 0xFEFF || (c < ' ' && c != '\t') || c == 0x7F)
            back = false;
        i += (size_t)w;
    }
    if (!back) {
        gofmt_quote(o, s, n);
        return;
    }
    sb_addc(o, '`');
    sb_add(o, s, n);
    sb_addc(o, '`');
}

/* The compiled pattern for a must* function (error as Go's Compile returns
 * it) or for a plain one (MustCompile's panic message); NULL after
 * cv_call_fail. Running out of memory is an error for both. */
static gorx *compile_arg(cv_call *c, const cval *pat, bool must)
{
    const char *err;
    gorx *r;
    int rc = gorx_get(c, pat->u.str.s, pat->u.str.len, &r, &err);
    if (rc == RX_OK)
        return r;
    if (must || rc == RX_RESOURCE) {
        cv_call_fail(c, "%s", err);
    } else {
        strbuf q = STRBUF_INIT;
        go_quote(&q, pat->u.str.s, pat->u.str.len);
        cv_call_fail(c, "regexp: Compile(%s): %s", sb_str(&q), err);
        sb_release(&q);
    }
    return NULL;
}

/* The end of a function: r released, err (when res is NULL) reported. */
static cval *finish(cv_call *c, gorx *r, cval *res, const char *err)
{
    gorx_done(r);
    return res ? res : cv_call_fail(c, "%s", err);
}

static cval *match_in(cv_call *c, rx_cache *k, cval **argv, bool must)
{
    const char *err;
    gorx *r;
    int rc = gorx_get_in(c, k, argv[0]->u.str.s, argv[0]->u.str.len, &r, &err);
    if (rc == RX_SYNTAX && !must)
        return cv_false(); /* Sprig's regexMatch ignores the error */
    if (rc != RX_OK)
        return cv_call_fail(c, "%s", err);
    long *m = arena_alloc(c->a, (2 * (size_t)r->ncap + 2) * sizeof *m);
    subject sj = subject_of(argv[1]->u.str.s, argv[1]->u.str.len);
    int found = gorx_exec(c->a, r, &sj, 0, m, 1, &err);
    return finish(c, r, found < 0 ? NULL : cv_bool(found), err);
}
static cval *do_match(cv_call *c, cval **argv, bool must) { return match_in(c, cache_of(c), argv, must); }
static cval *fn_regex_match(cv_call *c, int argc, cval **argv) { (void)argc; return do_match(c, argv, false); }
static cval *fn_must_regex_match(cv_call *c, int argc, cval **argv) { (void)argc; return do_match(c, argv, true); }

cval *funcs_regex_match(cv_call *c, void **cache, cval *pat, cval *s)
{
    if (!*cache)
        *cache = rx_cache_make();
    cval *argv[2] = { pat, s };
    return match_in(c, *cache, argv, true);
}

void funcs_regex_cache_free(void *cache)
{
    if (cache)
        rx_cache_free(cache);
}

typedef struct collect {
    arena *a;
    cval *list;
    const char *s;
} collect;

static void collect_cb(void *ctx, const long *m)
{
    collect *k = ctx;
    cv_list_push(k->list, cv_string(k->a, k->s + m[0], (size_t)(m[1] - m[0])));
}

static cval *string_list(arena *a)
{
    cval *l = cv_list_new(a, 0);
    l->gotype = "[]string";
    return l;
}

static cval *do_find_all(cv_call *c, cval **argv, bool must)
{
    gorx *r = compile_arg(c, argv[0], must);
    if (!r)
        return NULL;
    const char *err = NULL;
    collect k = {c->a, string_list(c->a), argv[1]->u.str.s};
    int rc = all_matches(c->a, r, argv[1]->u.str.s, argv[1]->u.str.len, argv[2]->u.i, collect_cb, &k, &err);
    return finish(c, r, rc < 0 ? NULL : k.list, err);
}
static cval *fn_regex_find_all(cv_call *c, int argc, cval **argv) { (void)argc; return do_find_all(c, argv, false); }
static cval *fn_must_regex_find_all(cv_call *c, int argc, cval **argv) { (void)argc; return do_find_all(c, argv, true); }

static cval *do_find(cv_call *c, cval **argv, bool must)
{
    gorx *r = compile_arg(c, argv[0], must);
    if (!r)
        return NULL;
    const char *err = NULL;
    long *m = arena_alloc(c->a, (2 * (size_t)r->ncap + 2) * sizeof *m);
    const char *s = argv[1]->u.str.s;
    subject sj = subject_of(s, argv[1]->u.str.len);
    int found = gorx_exec(c->a, r, &sj, 0, m, 1, &err);
    cval *res = found < 0 ? NULL : found == 0 ? cv_string(c->a, "", 0) : cv_string(c->a, s + m[0], (size_t)(m[1] - m[0]));
    return finish(c, r, res, err);
}
static cval *fn_regex_find(cv_call *c, int argc, cval **argv) { (void)argc; return do_find(c, argv, false); }
static cval *fn_must_regex_find(cv_call *c, int argc, cval **argv) { (void)argc; return do_find(c, argv, true); }

static cval *do_replace(cv_call *c, cval **argv, bool must, bool literal)
{
    gorx *r = compile_arg(c, argv[0], must);
    if (!r)
        return NULL;
    const char *err = NULL;
    strbuf out = STRBUF_INIT;
    int rc = replace_all(c->a, &out, r, argv[1]->u.str.s, argv[1]->u.str.len, argv[2]->u.str.s,
                         argv[2]->u.str.len, literal, &err);
    cval *v = rc < 0 ? NULL : cv_string(c->a, sb_str(&out), out.len);
    sb_release(&out);
    return finish(c, r, v, err);
}
static cval *fn_regex_replace_all(cv_call *c, int argc, cval **argv) { (void)argc; return do_replace(c, argv, false, false); }
static cval *fn_must_regex_replace_all(cv_call *c, int argc, cval **argv) { (void)argc; return do_replace(c, argv, true, false); }
static cval *fn_regex_replace_all_literal(cv_call *c, int argc, cval **argv) { (void)argc; return do_replace(c, argv, false, true); }
static cval *fn_must_regex_replace_all_literal(cv_call *c, int argc, cval **argv) { (void)argc; return do_replace(c, argv, true, true); }

typedef struct spans {
    arena *a;
    long *v;
    size_t n, cap;
} spans;

static void spans_cb(void *ctx, const long *m)
{
    spans *k = ctx;
    if (k->n == k->cap) {
        size_t nc = k->cap ? 2 * k->cap : 16;
        k->v = arena_realloc(k->a, k->v, k->cap * 2 * sizeof *k->v, nc * 2 * sizeof *k->v);
        k->cap = nc;
    }
    k->v[2 * k->n] = m[0];
    k->v[2 * k->n + 1] = m[1];
    k->n++;
}

/* Go's Regexp.Split */
static cval *do_split(cv_call *c, cval **argv, bool must)
{
    gorx *r = compile_arg(c, argv[0], must);
    if (!r)
        return NULL;
    const char *s = argv[1]->u.str.s, *err = NULL;
    size_t len = argv[1]->u.str.len;
    long n = argv[2]->u.i;
    cval *out = string_list(c->a);
    if (n == 0 || (r->exprlen > 0 && len == 0)) {
        if (n != 0)
            cv_list_push(out, cv_string(c->a, "", 0));
        return finish(c, r, out, NULL);
    }
    spans k = {c->a, NULL, 0, 0};
    if (all_matches(c->a, r, s, len, n, spans_cb, &k, &err) < 0)
        return finish(c, r, NULL, err);
    size_t beg = 0, end = 0;
    for (size_t i = 0; i < k.n; i++) {
        if (n > 0 && (long)cv_list_len(out) >= n - 1)
            break;
        end = (size_t)k.v[2 * i];
        if (k.v[2 * i + 1] != 0)
            cv_list_push(out, cv_string(c->a, s + beg, end - beg));
        beg = (size_t)k.v[2 * i + 1];
    }
    if (end != len)
        cv_list_push(out, cv_string(c->a, s + beg, len - beg));
    return finish(c, r, out, NULL);
}
static cval *fn_regex_split(cv_call *c, int argc, cval **argv) { (void)argc; return do_split(c, argv, false); }
static cval *fn_must_regex_split(cv_call *c, int argc, cval **argv) { (void)argc; return do_split(c, argv, true); }

/* regexp.QuoteMeta */
static cval *fn_regex_quote_meta(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < argv[0]->u.str.len; i++) {
        char ch = argv[0]->u.str.s[i];
        if (strchr("\\.+*?()|[]{}^$", ch) && ch)
            sb_addc(&out, '\\');
        sb_addc(&out, ch);
    }
    cval *v = cv_string(c->a, sb_str(&out), out.len);
    sb_release(&out);
    return v;
}

const cv_fnreg fn_regex_table[] = {
    {"regexMatch", fn_regex_match, "ss"},
    {"mustRegexMatch", fn_must_regex_match, "ss"},
    {"regexFindAll", fn_regex_find_all, "ssi"},
    {"mustRegexFindAll", fn_must_regex_find_all, "ssi"},
    {"regexFind", fn_regex_find, "ss"},
    {"mustRegexFind", fn_must_regex_find, "ss"},
    {"regexReplaceAll", fn_regex_replace_all, "sss"},
    {"mustRegexReplaceAll", fn_must_regex_replace_all, "sss"},
    {"regexReplaceAllLiteral", fn_regex_replace_all_literal, "sss"},
    {"mustRegexReplaceAllLiteral", fn_must_regex_replace_all_literal, "sss"},
    {"regexSplit", fn_regex_split, "ssi"},
    {"mustRegexSplit", fn_must_regex_split, "ssi"},
    {"regexQuoteMeta", fn_regex_quote_meta, "s"},
    {NULL, NULL, NULL},
};
