/* json_parse.c — json.Unmarshal into interface{}, with Go's error messages.
 *
 * A recursive-descent reader whose errors name the same states as Go's
 * scanner ("invalid character '}' looking for beginning of object key
 * string"), so that Helm's fromJson, which shows the message, prints the same.
 * At the end of the input Go's scanner sees a space, so a token cut short
 * fails with "invalid character ' ' in literal true (expecting 'e')" and
 * anything else with "unexpected end of JSON input".
 */
#include "core/json.h"
#include "core/gofmt.h"

#include <errno.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_NESTING 10000

typedef struct {
    arena *a;
    const char *s;
    size_t len, pos;
    int depth;
    strbuf msg;       /* the syntax error; empty when none */
    size_t err_pos;
    char *range_err;  /* the first number out of range (malloc'd), if any */
    char top;         /* the first byte of the top-level value */
} parser;

/* The byte at i, or the space Go's scanner feeds at the end. */
static unsigned char at(const parser *p, size_t i)
{
    return i < p->len ? (unsigned char)p->s[i] : ' ';
}

/* Go's quoteChar. */
static void quote_char(strbuf *out, unsigned char c)
{
    if (c == '\'') {
        sb_adds(out, "'\\''");
        return;
    }
    if (c == '"') {
        sb_adds(out, "'\"'");
        return;
    }
    strbuf r = STRBUF_INIT, q = STRBUF_INIT;
    gofmt_add_rune(&r, c); /* string(byte) is the rune U+00cc */
    gofmt_quote(&q, r.buf, r.len);
    sb_addc(out, '\'');
    sb_add(out, q.buf + 1, q.len - 2);
    sb_addc(out, '\'');
    sb_release(&r);
    sb_release(&q);
}

/* invalid character C CONTEXT, at position i */
static int bad(parser *p, size_t i, const char *context)
{
    if (p->msg.len)
        return -1;
    sb_adds(&p->msg, "invalid character ");
    quote_char(&p->msg, at(p, i));
    sb_addc(&p->msg, ' ');
    sb_adds(&p->msg, context);
    p->err_pos = i;
    return -1;
}

static int eof(parser *p)
{
    if (!p->msg.len) {
        sb_adds(&p->msg, "unexpected end of JSON input");
        p->err_pos = p->len;
    }
    return -1;
}

static bool is_space(unsigned char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void skip_ws(parser *p)
{
    while (p->pos < p->len && is_space((unsigned char)p->s[p->pos]))
        p->pos++;
}

static int hexval(unsigned char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* Four hex digits at p->s[i]; -1 when they are not all there. */
static int32_t hex4(const parser *p, size_t i)
{
    if (i + 4 > p->len)
        return -1;
    int32_t v = 0;
    for (int k = 0; k < 4; k++) {
        int h = hexval((unsigned char)p->s[i + k]);
        if (h < 0)
            return -1;
        v = v * 16 + h;
    }
    return v;
}

/* A string starting at the opening quote; decoded as Go's unquote does. */
static int parse_string(parser *p, strbuf *out)
{
    p->pos++; /* the opening quote */
    for (;;) {
        if (p->pos >= p->len)
            return eof(p);
        unsigned char c = (unsigned char)p->s[p->pos];
        if (c == '"') {
            p->pos++;
            return 0;
        }
        if (c < 0x20)
            return bad(p, p->pos, "in string literal");
        if (c == '\\') {
            unsigned char e = at(p, p->pos + 1);
            p->pos += 2;
            switch (e) {
            case '"': case '\\': case '/': sb_addc(out, (char)e); continue;
            case 'b': sb_addc(out, '\b'); continue;
            case 'f': sb_addc(out, '\f'); continue;
            case 'n': sb_addc(out, '\n'); continue;
            case 'r': sb_addc(out, '\r'); continue;
            case 't': sb_addc(out, '\t'); continue;
            case 'u': break;
            default: return bad(p, p->pos - 1, "in string escape code");
            }
            for (int k = 0; k < 4; k++)
                if (hexval(at(p, p->pos + (size_t)k)) < 0)
                    return bad(p, p->pos + (size_t)k, "in \\u hexadecimal character escape");
            int32_t r = hex4(p, p->pos);
            p->pos += 4;
            if (r >= 0xD800 && r < 0xE000) {
                /* a surrogate: valid only as the first half of a pair */
                int32_t r2 = -1;
                if (r < 0xDC00 && at(p, p->pos) == '\\' && at(p, p->pos + 1) == 'u')
                    r2 = hex4(p, p->pos + 2);
                if (r2 >= 0xDC00 && r2 < 0xE000) {
                    r = 0x10000 + ((r - 0xD800) << 10) + (r2 - 0xDC00);
                    p->pos += 6;
                } else {
                    r = 0xFFFD;
                }
            }
            gofmt_add_rune(out, r);
            continue;
        }
        if (c < 0x80) {
            /* a run of plain ASCII at once */
            size_t e = p->pos + 1;
            while (e < p->len && (unsigned char)p->s[e] >= 0x20 && (unsigned char)p->s[e] < 0x80 && p->s[e] != '"' &&
                   p->s[e] != '\\')
                e++;
            sb_add(out, p->s + p->pos, e - p->pos);
            p->pos = e;
            continue;
        }
        int32_t r;
        int w = gofmt_decode_rune(p->s + p->pos, p->len - p->pos, &r);
        if (w == 1)
            gofmt_add_rune(out, 0xFFFD);
        else
            sb_add(out, p->s + p->pos, (size_t)w);
        p->pos += (size_t)w;
    }
}

static bool is_digit(unsigned char c)
{
    return c >= '0' && c <= '9';
}

static int parse_number(parser *p, cval **out)
{
    size_t start = p->pos, i = p->pos;
    if (at(p, i) == '-') {
        i++;
        if (!is_digit(at(p, i)))
            return bad(p, i, "in numeric literal");
    }
    if (at(p, i) == '0') {
        i++;
    } else {
        while (is_digit(at(p, i)))
            i++;
    }
    if (at(p, i) == '.') {
        i++;
        if (!is_digit(at(p, i)))
            return bad(p, i, "after decimal point in numeric literal");
        while (is_digit(at(p, i)))
            i++;
    }
    if (at(p, i) == 'e' || at(p, i) == 'E') {
        i++;
        if (at(p, i) == '+' || at(p, i) == '-')
            i++;
        if (!is_digit(at(p, i)))
            return bad(p, i, "in exponent of numeric literal");
        while (is_digit(at(p, i)))
            i++;
    }
    p->pos = i;
    char small[64], *tok = small;
    size_t n = i - start;
    if (n >= sizeof small)
        tok = malloc(n + 1);
    if (!tok)
        abort();
    memcpy(tok, p->s + start, n);
    tok[n] = '\0';
    errno = 0;
    double f = strtod(tok, NULL);
    if (isinf(f)) {
        if (!p->range_err) {
            strbuf m = STRBUF_INIT;
            sb_addf(&m, "json: cannot unmarshal number %s into Go value of type float64", tok);
            p->range_err = sb_detach(&m, NULL);
        }
        *out = cv_nil();
    } else {
        *out = cv_float(p->a, f);
    }
    if (tok != small)
        free(tok);
    return 0;
}

static int parse_literal(parser *p, const char *word, cval *v, cval **out)
{
    size_t n = strlen(word);
    for (size_t k = 1; k < n; k++) {
        if (at(p, p->pos + k) != (unsigned char)word[k]) {
            char ctx[64];
            snprintf(ctx, sizeof ctx, "in literal %s (expecting '%c')", word, word[k]);
            return bad(p, p->pos + k, ctx);
        }
    }
    p->pos += n;
    *out = v;
    return 0;
}

static int parse_value(parser *p, cval **out);

static int push(parser *p)
{
    if (++p->depth > MAX_NESTING)
        return bad(p, p->pos, "exceeded max depth");
    return 0;
}

static int parse_array(parser *p, cval **out)
{
    if (push(p) < 0)
        return -1;
    p->pos++;
    cval *l = cv_list_new(p->a, 0);
    *out = l;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == ']') {
        p->pos++;
        p->depth--;
        return 0;
    }
    for (;;) {
        cval *v;
        if (parse_value(p, &v) < 0)
            return -1;
        cv_list_push(l, v);
        skip_ws(p);
        if (p->pos >= p->len)
            return eof(p);
        char c = p->s[p->pos];
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == ']') {
            p->pos++;
            p->depth--;
            return 0;
        }
        return bad(p, p->pos, "after array element");
    }
}

static int parse_object(parser *p, cval **out)
{
    if (push(p) < 0)
        return -1;
    p->pos++;
    cval *m = cv_map_new(p->a);
    *out = m;
    skip_ws(p);
    if (p->pos < p->len && p->s[p->pos] == '}') {
        p->pos++;
        p->depth--;
        return 0;
    }
    strbuf key = STRBUF_INIT;
    for (;;) {
        skip_ws(p);
        if (p->pos >= p->len)
            goto fail_eof;
        if (p->s[p->pos] != '"') {
            bad(p, p->pos, "looking for beginning of object key string");
            goto fail;
        }
        sb_reset(&key);
        if (parse_string(p, &key) < 0)
            goto fail;
        skip_ws(p);
        if (p->pos >= p->len)
            goto fail_eof;
        if (p->s[p->pos] != ':') {
            bad(p, p->pos, "after object key");
            goto fail;
        }
        p->pos++;
        cval *v;
        if (parse_value(p, &v) < 0)
            goto fail;
        cv_map_setn(m, sb_str(&key), key.len, v);
        skip_ws(p);
        if (p->pos >= p->len)
            goto fail_eof;
        char c = p->s[p->pos];
        if (c == ',') {
            p->pos++;
            continue;
        }
        if (c == '}') {
            p->pos++;
            p->depth--;
            sb_release(&key);
            return 0;
        }
        bad(p, p->pos, "after object key:value pair");
        goto fail;
    }
fail_eof:
    eof(p);
fail:
    sb_release(&key);
    return -1;
}

static int parse_value(parser *p, cval **out)
{
    skip_ws(p);
    if (p->pos >= p->len)
        return eof(p);
    unsigned char c = (unsigned char)p->s[p->pos];
    switch (c) {
    case '{': return parse_object(p, out);
    case '[': return parse_array(p, out);
    case '"': {
        strbuf s = STRBUF_INIT;
        int rc = parse_string(p, &s);
        if (rc == 0)
            *out = cv_string(p->a, sb_str(&s), s.len);
        sb_release(&s);
        return rc;
    }
    case 't': return parse_literal(p, "true", cv_true(), out);
    case 'f': return parse_literal(p, "false", cv_false(), out);
    case 'n': return parse_literal(p, "null", cv_nil(), out);
    default:
        if (c == '-' || is_digit(c))
            return parse_number(p, out);
        return bad(p, p->pos, "looking for beginning of value");
    }
}

/* 1-based line and byte column of position pos */
static void locate(const char *s, size_t pos, int *line, int *col)
{
    int l = 1;
    size_t bol = 0;
    for (size_t i = 0; i < pos; i++)
        if (s[i] == '\n') {
            l++;
            bol = i + 1;
        }
    *line = l;
    *col = (int)(pos - bol) + 1;
}

/* 0: ok; -1: syntax error (msg set); 1: range error (value set, range_err set) */
static int parse_all(parser *p, cval **out)
{
    cval *v = NULL;
    skip_ws(p);
    p->top = p->pos < p->len ? p->s[p->pos] : 0;
    if (parse_value(p, &v) == 0) {
        skip_ws(p);
        if (p->pos < p->len)
            bad(p, p->pos, "after top-level value");
    }
    if (p->msg.len)
        return -1;
    *out = v;
    return p->range_err ? 1 : 0;
}

static void parser_init(parser *p, arena *a, const char *text, size_t len)
{
    memset(p, 0, sizeof *p);
    p->a = a;
    p->s = text ? text : "";
    p->len = text ? len : 0;
}

static void parser_free(parser *p)
{
    sb_release(&p->msg);
    free(p->range_err);
}

int json_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    parser p;
    parser_init(&p, a, text, len);
    *out = cv_nil();
    int rc = parse_all(&p, out);
    if (rc < 0) {
        int line, col;
        locate(p.s, p.err_pos, &line, &col);
        cap_err_at(err, file, line, col, "%s", sb_str(&p.msg));
    } else if (rc > 0) {
        cap_err_at(err, file, 0, 0, "%s", p.range_err);
        rc = -1;
    }
    parser_free(&p);
    return rc;
}

static const char *kind_word(const cval *v)
{
    switch (v->kind) {
    case CV_MAP: return "object";
    case CV_LIST: return "array";
    case CV_STRING: return "string";
    case CV_FLOAT: return "number";
    case CV_BOOL: return "bool";
    default: return "null";
    }
}

int json_unmarshal(arena *a, const char *text, size_t len, int into, cval **out, cap_err *err)
{
    parser p;
    parser_init(&p, a, text, len);
    cval *v = cv_nil();
    int rc = parse_all(&p, &v);
    cval *empty = into == JSON_INTO_MAP ? cv_map_new(a) : into == JSON_INTO_LIST ? cv_list_new(a, 0) : cv_nil();
    if (rc < 0) {
        cap_err_set(err, "%s", sb_str(&p.msg));
        *out = empty;
        parser_free(&p);
        return -1;
    }
    int status = 0;
    bool number = p.top == '-' || (p.top >= '0' && p.top <= '9'); /* perhaps out of range */
    if (into != JSON_INTO_ANY && (number || (v->kind != CV_NIL &&
                                             v->kind != (into == JSON_INTO_MAP ? CV_MAP : CV_LIST)))) {
        cap_err_set(err, "json: cannot unmarshal %s into Go value of type %s", number ? "number" : kind_word(v),
                    into == JSON_INTO_MAP ? "map[string]interface {}" : "[]interface {}");
        v = empty;
        status = -1;
    } else if (rc > 0) {
        cap_err_set(err, "%s", p.range_err);
        status = -1;
    }
    if (v->kind == CV_NIL)
        v = empty;
    *out = v;
    parser_free(&p);
    return status;
}
