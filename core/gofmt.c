/* gofmt.c — fmt's printing of values: %v, Sprint, Sprintln and Sprintf.
 *
 * The structure follows fmt's own: a printer state (flags, width, precision)
 * and one routine per Go kind; the verbs, flags and error forms behave as
 * fmt's do. Numbers go through gofmt_float.c, quoting through gofmt_quote.c.
 */
#include "core/gofmt.h"

#include <stdlib.h>
#include <string.h>

#define TOO_LARGE 1000000 /* fmt's limit on widths, precisions and indexes */

typedef struct {
    strbuf *out;
    bool wid_present, prec_present;
    bool minus, plus, sharp, space, zero;
    bool plus_v, sharp_v;
    bool erroring; /* inside a %!verb(...) */
    int wid, prec;
} pp;

static const char ldigits[] = "0123456789abcdefx";
static const char udigits[] = "0123456789ABCDEFX";

static void clear_flags(pp *p)
{
    p->wid_present = p->prec_present = false;
    p->minus = p->plus = p->sharp = p->space = p->zero = false;
    p->plus_v = p->sharp_v = false;
    p->wid = p->prec = 0;
}

/* ---- padding ----------------------------------------------------------- */

static void write_padding(pp *p, int n)
{
    if (n <= 0)
        return;
    sb_addrep(p->out, p->zero && !p->minus ? '0' : ' ', (size_t)n);
}

static void pad(pp *p, const char *b, size_t len)
{
    if (!p->wid_present || p->wid == 0) {
        sb_add(p->out, b, len);
        return;
    }
    int width = p->wid - (int)gofmt_rune_count(b, len);
    if (!p->minus) {
        write_padding(p, width);
        sb_add(p->out, b, len);
    } else {
        sb_add(p->out, b, len);
        write_padding(p, width);
    }
}

static void pad_s(pp *p, const char *s)
{
    pad(p, s, strlen(s));
}

/* Pad a buffer's contents, then drop them. */
static void pad_sb(pp *p, strbuf *b)
{
    pad(p, sb_str(b), b->len);
    sb_release(b);
}

/* ---- the fmt routines ---------------------------------------------------- */

static void fmt_boolean(pp *p, bool v)
{
    pad_s(p, v ? "true" : "false");
}

static void fmt_unicode(pp *p, uint64_t u)
{
    strbuf b = STRBUF_INIT;
    int prec = 4;
    if (p->prec_present && p->prec > 4)
        prec = p->prec;
    char digits[20];
    int n = 0;
    uint64_t x = u;
    do {
        digits[n++] = udigits[x & 0xF];
        x >>= 4;
    } while (x);
    sb_adds(&b, "U+");
    if (prec > n)
        sb_addrep(&b, '0', (size_t)(prec - n));
    while (n > 0)
        sb_addc(&b, digits[--n]);
    if (p->sharp && u <= 0x10FFFF && gofmt_isprint((int32_t)u)) {
        sb_adds(&b, " '");
        gofmt_add_rune(&b, (int32_t)u);
        sb_addc(&b, '\'');
    }
    bool old = p->zero;
    p->zero = false;
    pad_sb(p, &b);
    p->zero = old;
}

static void fmt_integer(pp *p, uint64_t u, int base, bool is_signed, int verb, const char *digits)
{
    bool negative = is_signed && (int64_t)u < 0;
    if (negative)
        u = -u;
    int prec = 0;
    if (p->prec_present) {
        prec = p->prec;
        if (prec == 0 && u == 0) {
            bool old = p->zero;
            p->zero = false;
            write_padding(p, p->wid);
            p->zero = old;
            return;
        }
    } else if (p->zero && !p->minus && p->wid_present) {
        prec = p->wid;
        if (negative || p->plus || p->space)
            prec--;
    }
    /* digits, least significant first */
    char small[128];
    size_t cap = 70 + (size_t)(prec > 0 ? prec : 0);
    char *buf = cap <= sizeof small ? small : malloc(cap), *q = buf + cap;
    if (!buf)
        abort();
    switch (base) {
    case 10:
        while (u >= 10) {
            *--q = (char)('0' + u % 10);
            u /= 10;
        }
        break;
    case 16:
        while (u >= 16) {
            *--q = digits[u & 0xF];
            u >>= 4;
        }
        break;
    case 8:
        while (u >= 8) {
            *--q = (char)('0' + (u & 7));
            u >>= 3;
        }
        break;
    default:
        while (u >= 2) {
            *--q = (char)('0' + (u & 1));
            u >>= 1;
        }
    }
    *--q = digits[u];
    while (q > buf + 4 && prec > buf + cap - q)
        *--q = '0';
    if (p->sharp) {
        switch (base) {
        case 2: *--q = 'b'; *--q = '0'; break;
        case 8: if (*q != '0') *--q = '0'; break;
        case 16: *--q = digits[16]; *--q = '0'; break;
        }
    }
    if (verb == 'O') {
        *--q = 'o';
        *--q = '0';
    }
    if (negative)
        *--q = '-';
    else if (p->plus)
        *--q = '+';
    else if (p->space)
        *--q = ' ';
    bool old = p->zero;
    p->zero = false;
    pad(p, q, (size_t)(buf + cap - q));
    p->zero = old;
    if (buf != small)
        free(buf);
}

/* The byte length of s's first n runes (fmt's truncation to a precision). */
static size_t truncate_len(pp *p, const char *s, size_t len)
{
    if (!p->prec_present)
        return len;
    int n = p->prec;
    size_t i = 0;
    int32_t r;
    while (i < len) {
        if (--n < 0)
            return i;
        i += (size_t)gofmt_decode_rune(s + i, len - i, &r);
    }
    return len;
}

static void fmt_s(pp *p, const char *s, size_t len)
{
    pad(p, s, truncate_len(p, s, len));
}

static void fmt_sbx(pp *p, const char *s, size_t len, const char *digits)
{
    size_t length = len;
    if (p->prec_present && (size_t)p->prec < length)
        length = (size_t)p->prec;
    size_t width = 2 * length;
    if (width > 0) {
        if (p->space) {
            if (p->sharp)
                width *= 2;
            width += length - 1;
        } else if (p->sharp) {
            width += 2;
        }
    } else {
        if (p->wid_present)
            write_padding(p, p->wid);
        return;
    }
    if (p->wid_present && (size_t)p->wid > width && !p->minus)
        write_padding(p, p->wid - (int)width);
    strbuf *b = p->out;
    if (p->sharp) {
        sb_addc(b, '0');
        sb_addc(b, digits[16]);
    }
    for (size_t i = 0; i < length; i++) {
        if (p->space && i > 0) {
            sb_addc(b, ' ');
            if (p->sharp) {
                sb_addc(b, '0');
                sb_addc(b, digits[16]);
            }
        }
        unsigned char c = (unsigned char)s[i];
        sb_addc(b, digits[c >> 4]);
        sb_addc(b, digits[c & 0xF]);
    }
    if (p->wid_present && (size_t)p->wid > width && p->minus)
        write_padding(p, p->wid - (int)width);
}

static void fmt_q(pp *p, const char *s, size_t len)
{
    len = truncate_len(p, s, len);
    strbuf b = STRBUF_INIT;
    if (p->sharp && gofmt_can_backquote(s, len)) {
        sb_addc(&b, '`');
        sb_add(&b, s, len);
        sb_addc(&b, '`');
    } else if (p->plus) {
        gofmt_quote_ascii(&b, s, len);
    } else {
        gofmt_quote(&b, s, len);
    }
    pad_sb(p, &b);
}

static void fmt_c(pp *p, uint64_t c)
{
    int32_t r = c > 0x10FFFF ? 0xFFFD : (int32_t)c;
    strbuf b = STRBUF_INIT;
    gofmt_add_rune(&b, r);
    pad_sb(p, &b);
}

static void fmt_qc(pp *p, uint64_t c)
{
    int32_t r = c > 0x10FFFF ? 0xFFFD : (int32_t)c;
    strbuf b = STRBUF_INIT;
    gofmt_quote_rune(&b, r, p->plus);
    pad_sb(p, &b);
}

static void fmt_float(pp *p, double v, int verb, int prec)
{
    if (p->prec_present)
        prec = p->prec;
    strbuf nb = STRBUF_INIT;
    sb_addc(&nb, '+');
    gofmt_float(&nb, v, (char)verb, prec);
    char *num = nb.buf;
    size_t len = nb.len;
    if (len < 2) { /* the '+' and at least a digit, always: a guard for the compiler's range checks */
        sb_release(&nb);
        return;
    }
    if (num[1] == '-' || num[1] == '+') {
        num++;
        len--;
    }
    if (p->space && num[0] == '+' && !p->plus)
        num[0] = ' ';
    if (num[1] == 'I' || num[1] == 'N') {
        bool old = p->zero;
        p->zero = false;
        if (num[1] == 'N' && !p->space && !p->plus) {
            num++;
            len--;
        }
        pad(p, num, len);
        p->zero = old;
        sb_release(&nb);
        return;
    }
    strbuf sharp = STRBUF_INIT;
    if (p->sharp && verb != 'b') {
        int digits = 0;
        if (verb == 'v' || verb == 'g' || verb == 'G' || verb == 'x') {
            digits = prec;
            if (digits == -1)
                digits = 6;
        }
        const char *tail = "";
        size_t tail_len = 0;
        bool has_point = false, nonzero = false;
        for (size_t i = 1; i < len; i++) {
            char c = num[i];
            if (c == '.') {
                has_point = true;
            } else if (c == 'p' || c == 'P' || ((c == 'e' || c == 'E') && verb != 'x' && verb != 'X')) {
                tail = num + i;
                tail_len = len - i;
                len = i;
                break;
            } else {
                if (c != '0')
                    nonzero = true;
                if (nonzero)
                    digits--;
            }
        }
        sb_add(&sharp, num, len);
        if (!has_point) {
            if (len == 2 && num[1] == '0')
                digits--;
            sb_addc(&sharp, '.');
        }
        while (digits > 0) {
            sb_addc(&sharp, '0');
            digits--;
        }
        sb_add(&sharp, tail, tail_len);
        num = sharp.buf;
        len = sharp.len;
    }
    if (p->plus || num[0] != '+') {
        if (p->zero && !p->minus && p->wid_present && (size_t)p->wid > len) {
            sb_addc(p->out, num[0]);
            write_padding(p, p->wid - (int)len);
            sb_add(p->out, num + 1, len - 1);
        } else {
            pad(p, num, len);
        }
    } else {
        pad(p, num + 1, len - 1);
    }
    sb_release(&sharp);
    sb_release(&nb);
}

/* ---- printing values by kind --------------------------------------------- */

static void print_value(pp *p, const cval *v, int verb, int depth);

static bool is_nil(const cval *v)
{
    return !v || v->kind == CV_NIL || v->kind == CV_INVALID;
}

/* %!verb(type=value) */
static void bad_verb(pp *p, const cval *v, int verb)
{
    p->erroring = true;
    sb_adds(p->out, "%!");
    gofmt_add_rune(p->out, verb);
    sb_addc(p->out, '(');
    if (is_nil(v)) {
        sb_adds(p->out, "<nil>");
    } else {
        sb_adds(p->out, cv_gotype(v));
        sb_addc(p->out, '=');
        print_value(p, v, 'v', 0);
    }
    sb_addc(p->out, ')');
    p->erroring = false;
}

static void fmt_0x64(pp *p, uint64_t v, bool leading0x)
{
    bool sharp = p->sharp;
    p->sharp = leading0x;
    fmt_integer(p, v, 16, false, 'v', ldigits);
    p->sharp = sharp;
}

static void print_integer(pp *p, const cval *v, uint64_t u, bool is_signed, int verb)
{
    switch (verb) {
    case 'v':
        if (p->sharp_v && !is_signed)
            fmt_0x64(p, u, true);
        else
            fmt_integer(p, u, 10, is_signed, verb, ldigits);
        break;
    case 'd': fmt_integer(p, u, 10, is_signed, verb, ldigits); break;
    case 'b': fmt_integer(p, u, 2, is_signed, verb, ldigits); break;
    case 'o':
    case 'O': fmt_integer(p, u, 8, is_signed, verb, ldigits); break;
    case 'x': fmt_integer(p, u, 16, is_signed, verb, ldigits); break;
    case 'X': fmt_integer(p, u, 16, is_signed, verb, udigits); break;
    case 'c': fmt_c(p, u); break;
    case 'q': fmt_qc(p, u); break;
    case 'U': fmt_unicode(p, u); break;
    default: bad_verb(p, v, verb);
    }
}

static void print_float(pp *p, const cval *v, int verb)
{
    double f = v->u.f;
    switch (verb) {
    case 'v': fmt_float(p, f, 'g', -1); break;
    case 'b':
    case 'g':
    case 'G':
    case 'x':
    case 'X': fmt_float(p, f, verb, -1); break;
    case 'f':
    case 'e':
    case 'E': fmt_float(p, f, verb, 6); break;
    case 'F': fmt_float(p, f, 'f', 6); break;
    default: bad_verb(p, v, verb);
    }
}

static void print_string(pp *p, const cval *v, const char *s, size_t len, int verb)
{
    switch (verb) {
    case 'v':
        if (p->sharp_v)
            fmt_q(p, s, len);
        else
            fmt_s(p, s, len);
        break;
    case 's': fmt_s(p, s, len); break;
    case 'x': fmt_sbx(p, s, len, ldigits); break;
    case 'X': fmt_sbx(p, s, len, udigits); break;
    case 'q': fmt_q(p, s, len); break;
    default: bad_verb(p, v, verb);
    }
}

static void print_list_items(pp *p, const cval *v, int verb, int depth);

void gofmt_bytes_v(strbuf *out, const char *b, size_t n)
{
    enum { BLOCK = 4096 };
    sb_addc(out, '[');
    for (size_t at = 0; at < n; at += BLOCK) {
        size_t end = n - at < BLOCK ? n : at + BLOCK;
        sb_grow(out, 4 * (end - at));
        char *q = out->buf + out->len;
        for (size_t i = at; i < end; i++) {
            unsigned v = (unsigned char)b[i];
            if (i > 0)
                *q++ = ' ';
            if (v >= 100) {
                *q++ = (char)('0' + v / 100);
                v %= 100;
                *q++ = (char)('0' + v / 10);
            } else if (v >= 10) {
                *q++ = (char)('0' + v / 10);
            }
            *q++ = (char)('0' + v % 10);
        }
        sb_setlen(out, (size_t)(q - out->buf));
    }
    sb_addc(out, ']');
}

char *gofmt_arena_text(arena *a, strbuf *sb, size_t *len)
{
    *len = sb->len;
    if (sb->len < (64u << 10)) {
        char *s = arena_strndup(a, sb_str(sb), sb->len);
        sb_release(sb);
        return s;
    }
    size_t n;
    char *t = sb_detach(sb, &n), *fit = realloc(t, n + 1);
    if (fit)
        t = fit;
    arena_defer(a, free, t);
    return t;
}

static void print_bytes(pp *p, const cval *v, int verb, const char *type)
{
    const unsigned char *b = (const unsigned char *)v->u.str.s;
    size_t n = v->u.str.len;
    switch (verb) {
    case 'v':
    case 'd':
        if (p->sharp_v) {
            sb_adds(p->out, type);
            sb_addc(p->out, '{');
            for (size_t i = 0; i < n; i++) {
                if (i > 0)
                    sb_adds(p->out, ", ");
                fmt_0x64(p, b[i], true);
            }
            sb_addc(p->out, '}');
        } else if (!p->wid_present && !p->prec_present && !p->plus && !p->space) {
            gofmt_bytes_v(p->out, v->u.str.s, n);
        } else {
            sb_addc(p->out, '[');
            for (size_t i = 0; i < n; i++) {
                if (i > 0)
                    sb_addc(p->out, ' ');
                fmt_integer(p, b[i], 10, false, verb, ldigits);
            }
            sb_addc(p->out, ']');
        }
        break;
    case 's': fmt_s(p, v->u.str.s, n); break;
    case 'x': fmt_sbx(p, v->u.str.s, n, ldigits); break;
    case 'X': fmt_sbx(p, v->u.str.s, n, udigits); break;
    case 'q': fmt_q(p, v->u.str.s, n); break;
    default:
        /* each byte as a uint8, the way fmt prints any other slice */
        sb_addc(p->out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                sb_addc(p->out, ' ');
            cval e = { .kind = CV_UINT, .gotype = "uint8", .u.u = b[i] };
            print_integer(p, &e, b[i], false, verb);
        }
        sb_addc(p->out, ']');
    }
}

/* An object prints as a Stringer does: its class's text, formatted as a
 * string under %v %s %x %X %q (so widths and quoting apply). A pointer to a
 * struct without a String method, which fmt prints as &{...} at the top,
 * prints as its address inside a map or list; Go's addresses differ from run
 * to run, so any address of the same width (a Go heap address) is as good. */
static void print_object(pp *p, const cval *v, int verb, int depth)
{
    const cv_class *cls = v->u.obj.cls;
    if (verb == 'v' && !p->sharp_v && !p->wid_present && !p->prec_present && cls->format) {
        size_t at = p->out->len;
        cls->format(p->out, v->u.obj.self); /* the text as it is: straight into the output */
        if (depth > 0 && strcmp(cls->gokind, "ptr") == 0 && p->out->len - at >= 2 &&
            memcmp(p->out->buf + at, "&{", 2) == 0) {
            sb_setlen(p->out, at);
            sb_adds(p->out, "0xc000100000");
        }
        return;
    }
    if (verb == 'v' || verb == 's' || verb == 'x' || verb == 'X' || verb == 'q') {
        strbuf text = STRBUF_INIT;
        if (cls->format)
            cls->format(&text, v->u.obj.self);
        else
            sb_adds(&text, "{}");
        if (verb == 'v' && p->sharp_v)
            sb_add(p->out, text.buf, text.len); /* no GoStringer: the text as it is */
        else
            print_string(p, v, sb_str(&text), text.len, verb);
        sb_release(&text);
        return;
    }
    bad_verb(p, v, verb);
}

/* A nil interface inside a list or map. */
static void print_nil_elem(pp *p)
{
    sb_adds(p->out, p->sharp_v ? "interface {}(nil)" : "<nil>");
}

static void print_list_items(pp *p, const cval *v, int verb, int depth)
{
    size_t n = cv_list_len(v);
    cval **items = cv_list_items(v);
    if (p->sharp_v) {
        sb_adds(p->out, cv_gotype(v));
        sb_addc(p->out, '{');
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                sb_adds(p->out, ", ");
            print_value(p, items[i], verb, depth + 1);
        }
        sb_addc(p->out, '}');
    } else {
        sb_addc(p->out, '[');
        for (size_t i = 0; i < n; i++) {
            if (i > 0)
                sb_addc(p->out, ' ');
            print_value(p, items[i], verb, depth + 1);
        }
        sb_addc(p->out, ']');
    }
}

static void print_map(pp *p, const cval *v, int verb, int depth)
{
    size_t n;
    const cv_entry *e = cv_map_sorted(v, &n);
    if (p->sharp_v) {
        sb_adds(p->out, cv_gotype(v));
        sb_addc(p->out, '{');
    } else {
        sb_adds(p->out, "map[");
    }
    for (size_t i = 0; i < n; i++) {
        if (i > 0)
            sb_adds(p->out, p->sharp_v ? ", " : " ");
        cval key = { .kind = CV_STRING, .u.str = { e[i].key, e[i].keylen } };
        print_value(p, &key, verb, depth + 1);
        sb_addc(p->out, ':');
        print_value(p, e[i].val, verb, depth + 1);
    }
    sb_addc(p->out, p->sharp_v ? '}' : ']');
}

/* fmt's printValue: v is an element (depth > 0) or a value at depth 0. */
static void print_value(pp *p, const cval *v, int verb, int depth)
{
    if (is_nil(v)) {
        if (depth > 0)
            print_nil_elem(p);
        else if (verb == 'v')
            pad_s(p, "<nil>");
        else
            bad_verb(p, v, verb);
        return;
    }
    if (depth > GOFMT_MAX_DEPTH) {
        sb_adds(p->out, "...");
        return;
    }
    switch (v->kind) {
    case CV_BOOL:
        if (verb == 't' || verb == 'v')
            fmt_boolean(p, v->u.b);
        else
            bad_verb(p, v, verb);
        break;
    case CV_INT: print_integer(p, v, (uint64_t)v->u.i, true, verb); break;
    case CV_UINT: print_integer(p, v, v->u.u, false, verb); break;
    case CV_FLOAT: print_float(p, v, verb); break;
    case CV_STRING: print_string(p, v, v->u.str.s, v->u.str.len, verb); break;
    case CV_BYTES: print_bytes(p, v, verb, depth == 0 && !v->gotype ? "[]byte" : cv_gotype(v)); break;
    case CV_LIST: print_list_items(p, v, verb, depth); break;
    case CV_MAP: print_map(p, v, verb, depth); break;
    case CV_OBJECT: print_object(p, v, verb, depth); break;
    default: break;
    }
}

/* fmt's printArg: one operand of Sprint/Sprintf. */
static void print_arg(pp *p, const cval *v, int verb)
{
    if (is_nil(v)) {
        if (verb == 'T' || verb == 'v')
            pad_s(p, "<nil>");
        else
            bad_verb(p, v, verb);
        return;
    }
    if (verb == 'T') {
        const char *t = cv_gotype(v);
        fmt_s(p, t, strlen(t));
        return;
    }
    if (verb == 'p') {
        /* addresses are not reproducible; print what fmt prints for non-pointers */
        bad_verb(p, v, verb);
        return;
    }
    print_value(p, v, verb, 0);
}

/* ---- public entry points ------------------------------------------------- */

static void pp_init(pp *p, strbuf *out)
{
    p->out = out;
    p->erroring = false;
    clear_flags(p);
}

void gofmt_value(strbuf *out, const cval *v)
{
    if (v && v->kind == CV_INVALID) {
        sb_adds(out, "<no value>");
        return;
    }
    pp p;
    pp_init(&p, out);
    print_arg(&p, v, 'v');
}

void gofmt_sprint(strbuf *out, int argc, cval **argv)
{
    pp p;
    pp_init(&p, out);
    bool prev_string = false;
    for (int i = 0; i < argc; i++) {
        bool is_string = argv[i] && argv[i]->kind == CV_STRING;
        if (i > 0 && !is_string && !prev_string)
            sb_addc(out, ' ');
        clear_flags(&p);
        print_arg(&p, argv[i], 'v');
        prev_string = is_string;
    }
}

void gofmt_sprintln(strbuf *out, int argc, cval **argv)
{
    pp p;
    pp_init(&p, out);
    for (int i = 0; i < argc; i++) {
        if (i > 0)
            sb_addc(out, ' ');
        clear_flags(&p);
        print_arg(&p, argv[i], 'v');
    }
    sb_addc(out, '\n');
}

/* fmt's parsenum: a decimal number at s[*i..end). */
static bool parse_num(const char *s, size_t *i, size_t end, int *num)
{
    *num = 0;
    bool isnum = false;
    size_t j = *i;
    if (j >= end)
        return false;
    for (; j < end && s[j] >= '0' && s[j] <= '9'; j++) {
        if (*num > TOO_LARGE || *num < -TOO_LARGE) {
            *num = 0;
            *i = end;
            return false;
        }
        *num = *num * 10 + (s[j] - '0');
        isnum = true;
    }
    *i = j;
    return isnum;
}

/* fmt's intFromArg: a '*' width or precision. */
static bool int_from_arg(int argc, cval **argv, int *argnum, int *num)
{
    *num = 0;
    bool ok = false;
    if (*argnum < argc) {
        const cval *a = argv[*argnum];
        if (a && a->kind == CV_INT && a->u.i >= -2147483648LL && a->u.i <= 2147483647LL) {
            *num = (int)a->u.i;
            ok = true;
        } else if (a && a->kind == CV_UINT && a->u.u <= 2147483647ULL) {
            *num = (int)a->u.u;
            ok = true;
        }
        (*argnum)++;
        if (*num > TOO_LARGE || *num < -TOO_LARGE) {
            *num = 0;
            ok = false;
        }
    }
    return ok;
}

typedef struct {
    bool reordered;
    bool good_argnum;
} fstate;

/* fmt's argNumber: an optional [n] at format[*i]. Returns whether one was
 * found and valid; updates *argnum and *i. */
static bool arg_number(fstate *st, int *argnum, const char *f, size_t *i, size_t end, int argc)
{
    if (*i >= end || f[*i] != '[')
        return false;
    st->reordered = true;
    /* parseArgNumber on f[*i..end) */
    size_t len = end - *i;
    const char *s = f + *i;
    int index = 0;
    size_t wid = 1;
    bool ok = false;
    if (len >= 3) {
        for (size_t k = 1; k < len; k++) {
            if (s[k] == ']') {
                size_t j = 1;
                int width;
                bool isnum = parse_num(s, &j, k, &width);
                if (!isnum || j != k) {
                    wid = k + 1;
                    ok = false;
                } else {
                    index = width - 1;
                    wid = k + 1;
                    ok = true;
                }
                break;
            }
        }
    }
    if (ok && index >= 0 && index < argc) {
        *argnum = index;
        *i += wid;
        return true;
    }
    st->good_argnum = false;
    *i += wid;
    return ok;
}

void gofmt_sprintf(strbuf *out, const char *format, size_t end, int argc, cval **argv)
{
    pp p;
    pp_init(&p, out);
    fstate st = { false, true };
    int argnum = 0;
    bool after_index = false;
    size_t i = 0;
    while (i < end) {
        st.good_argnum = true;
        size_t lasti = i;
        while (i < end && format[i] != '%')
            i++;
        if (i > lasti)
            sb_add(out, format + lasti, i - lasti);
        if (i >= end)
            break;
        i++; /* skip % */
        clear_flags(&p);
        bool simple_done = false;
        for (; i < end; i++) {
            char c = format[i];
            if (c == '#')
                p.sharp = true;
            else if (c == '0')
                p.zero = true;
            else if (c == '+')
                p.plus = true;
            else if (c == '-')
                p.minus = true;
            else if (c == ' ')
                p.space = true;
            else {
                if (c >= 'a' && c <= 'z' && argnum < argc) {
                    if (c == 'v') {
                        p.sharp_v = p.sharp;
                        p.sharp = false;
                        p.plus_v = p.plus;
                        p.plus = false;
                    }
                    print_arg(&p, argv[argnum], c);
                    argnum++;
                    i++;
                    simple_done = true;
                }
                break;
            }
        }
        if (simple_done)
            continue;

        after_index = arg_number(&st, &argnum, format, &i, end, argc);

        if (i < end && format[i] == '*') {
            i++;
            p.wid_present = int_from_arg(argc, argv, &argnum, &p.wid);
            if (!p.wid_present)
                sb_adds(out, "%!(BADWIDTH)");
            if (p.wid < 0) {
                p.wid = -p.wid;
                p.minus = true;
                p.zero = false;
            }
            after_index = false;
        } else {
            p.wid_present = parse_num(format, &i, end, &p.wid);
            if (after_index && p.wid_present)
                st.good_argnum = false;
        }

        if (i + 1 < end && format[i] == '.') {
            i++;
            if (after_index)
                st.good_argnum = false;
            after_index = arg_number(&st, &argnum, format, &i, end, argc);
            if (i < end && format[i] == '*') {
                i++;
                p.prec_present = int_from_arg(argc, argv, &argnum, &p.prec);
                if (p.prec < 0) {
                    p.prec = 0;
                    p.prec_present = false;
                }
                if (!p.prec_present)
                    sb_adds(out, "%!(BADPREC)");
                after_index = false;
            } else {
                p.prec_present = parse_num(format, &i, end, &p.prec);
                if (!p.prec_present) {
                    p.prec = 0;
                    p.prec_present = true;
                }
            }
        }

        if (!after_index)
            after_index = arg_number(&st, &argnum, format, &i, end, argc);

        if (i >= end) {
            sb_adds(out, "%!(NOVERB)");
            break;
        }

        int32_t verb;
        i += (size_t)gofmt_decode_rune(format + i, end - i, &verb);

        if (verb == '%') {
            sb_addc(out, '%');
        } else if (!st.good_argnum) {
            sb_adds(out, "%!");
            gofmt_add_rune(out, verb);
            sb_adds(out, "(BADINDEX)");
        } else if (argnum >= argc) {
            sb_adds(out, "%!");
            gofmt_add_rune(out, verb);
            sb_adds(out, "(MISSING)");
        } else {
            if (verb == 'v') {
                p.sharp_v = p.sharp;
                p.sharp = false;
                p.plus_v = p.plus;
                p.plus = false;
            }
            print_arg(&p, argv[argnum], verb);
            argnum++;
        }
    }
    if (!st.reordered && argnum < argc) {
        clear_flags(&p);
        sb_adds(out, "%!(EXTRA ");
        for (int k = argnum; k < argc; k++) {
            if (k > argnum)
                sb_adds(out, ", ");
            if (is_nil(argv[k])) {
                sb_adds(out, "<nil>");
            } else {
                sb_adds(out, cv_gotype(argv[k]));
                sb_addc(out, '=');
                print_arg(&p, argv[k], 'v');
            }
        }
        sb_addc(out, ')');
    }
}
