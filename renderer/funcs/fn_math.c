/* fn_math.c — Sprig's arithmetic (functions.go, numeric.go).
 *
 * Integer functions convert through cast.ToInt64 and wrap around as Go's
 * int64 does. The float functions addf/subf/mulf/divf/add1f go through
 * shopspring/decimal as Sprig does: each operand becomes the shortest decimal
 * that round-trips its float64, the arithmetic is exact (division rounds half
 * away from zero at 16 decimal places), and the result is the float64 nearest
 * the exact decimal. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/gofmt.h"
#include "core/xalloc.h"

/* ---- integers ---------------------------------------------------------- */

static int64_t wrap_add(int64_t a, int64_t b) { return (int64_t)((uint64_t)a + (uint64_t)b); }
static int64_t wrap_sub(int64_t a, int64_t b) { return (int64_t)((uint64_t)a - (uint64_t)b); }
static int64_t wrap_mul(int64_t a, int64_t b) { return (int64_t)((uint64_t)a * (uint64_t)b); }

static cval *f_add1(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_int(c->a, wrap_add(fn_to_int64(argv[0]), 1));
}

static cval *f_add(cv_call *c, int argc, cval **argv)
{
    int64_t s = 0;
    for (int i = 0; i < argc; i++)
        s = wrap_add(s, fn_to_int64(argv[i]));
    return cv_int(c->a, s);
}

static cval *f_sub(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_int(c->a, wrap_sub(fn_to_int64(argv[0]), fn_to_int64(argv[1])));
}

static cval *f_mul(cv_call *c, int argc, cval **argv)
{
    int64_t p = fn_to_int64(argv[0]);
    for (int i = 1; i < argc; i++)
        p = wrap_mul(p, fn_to_int64(argv[i]));
    return cv_int(c->a, p);
}

#define DIV_ZERO "runtime error: integer divide by zero"

static cval *f_div(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t a = fn_to_int64(argv[0]), b = fn_to_int64(argv[1]);
    if (b == 0)
        return cv_call_fail(c, DIV_ZERO);
    if (b == -1)
        return cv_int(c->a, wrap_sub(0, a));
    return cv_int(c->a, a / b);
}

static cval *f_mod(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t a = fn_to_int64(argv[0]), b = fn_to_int64(argv[1]);
    if (b == 0)
        return cv_call_fail(c, DIV_ZERO);
    if (b == -1)
        return cv_int(c->a, 0);
    return cv_int(c->a, a % b);
}

static cval *f_max(cv_call *c, int argc, cval **argv)
{
    int64_t m = fn_to_int64(argv[0]);
    for (int i = 1; i < argc; i++) {
        int64_t x = fn_to_int64(argv[i]);
        if (x > m)
            m = x;
    }
    return cv_int(c->a, m);
}

static cval *f_min(cv_call *c, int argc, cval **argv)
{
    int64_t m = fn_to_int64(argv[0]);
    for (int i = 1; i < argc; i++) {
        int64_t x = fn_to_int64(argv[i]);
        if (x < m)
            m = x;
    }
    return cv_int(c->a, m);
}

/* Go's math.Max / math.Min: NaN wins, and +0 > -0. */
static double go_max(double x, double y)
{
    if (isinf(x) && x > 0) return x;
    if (isinf(y) && y > 0) return y;
    if (isnan(x) || isnan(y)) return NAN;
    if (x == 0 && x == y) return signbit(x) ? y : x;
    return x > y ? x : y;
}

static double go_min(double x, double y)
{
    if (isinf(x) && x < 0) return x;
    if (isinf(y) && y < 0) return y;
    if (isnan(x) || isnan(y)) return NAN;
    if (x == 0 && x == y) return signbit(x) ? x : y;
    return x < y ? x : y;
}

static cval *f_maxf(cv_call *c, int argc, cval **argv)
{
    double m = fn_to_float64(argv[0]);
    for (int i = 1; i < argc; i++)
        m = go_max(m, fn_to_float64(argv[i]));
    return cv_float(c->a, m);
}

static cval *f_minf(cv_call *c, int argc, cval **argv)
{
    double m = fn_to_float64(argv[0]);
    for (int i = 1; i < argc; i++)
        m = go_min(m, fn_to_float64(argv[i]));
    return cv_float(c->a, m);
}

static cval *f_floor(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_float(c->a, floor(fn_to_float64(argv[0])));
}

static cval *f_ceil(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_float(c->a, ceil(fn_to_float64(argv[0])));
}

static cval *f_round(cv_call *c, int argc, cval **argv)
{
    double on = argc > 2 ? argv[2]->u.f : .5;
    double val = fn_to_float64(argv[0]);
    double p = pow(10, (double)argv[1]->u.i);
    double digit = p * val, ip;
    double frac = modf(digit, &ip);
    double r = frac >= on ? ceil(digit) : floor(digit);
    return cv_float(c->a, r / p);
}

static cval *f_int(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_goint(c->a, fn_to_int(argv[0]));
}

static cval *f_int64(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_int(c->a, fn_to_int64(argv[0]));
}

static cval *f_float64(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return cv_float(c->a, fn_to_float64(argv[0]));
}

static cval *f_atoi(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t i;
    if (fn_parse_int(argv[0]->u.str.s, argv[0]->u.str.len, 10, &i) == FN_PARSE_SYNTAX)
        i = 0;
    return cv_goint(c->a, i);
}

static cval *f_to_decimal(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT; /* fmt.Sprint(v) */
    if (argv[0]->kind == CV_STRING)
        sb_add(&sb, argv[0]->u.str.s, argv[0]->u.str.len);
    else
        fn_strval(&sb, argv[0]->kind == CV_BYTES ? cv_list_new(c->a, 0) : argv[0]);
    int64_t i;
    if (fn_parse_int(sb_str(&sb), sb.len, 8, &i) != FN_PARSE_OK)
        i = 0;
    sb_release(&sb);
    return cv_int(c->a, i);
}

/* ---- shopspring/decimal, as far as Sprig uses it ----------------------- */

/* An exact decimal: (-1)^neg * mag * 10^exp, mag in decimal digits, least
 * significant first, no leading (high) zeros; zero has nd == 0. */
typedef struct {
    bool neg;
    long exp;
    unsigned char *d;
    size_t nd;
} dec;

static void dec_free(dec *x) { free(x->d); x->d = NULL; x->nd = 0; }

static void dec_trim(dec *x)
{
    while (x->nd && x->d[x->nd - 1] == 0)
        x->nd--;
    if (!x->nd)
        x->neg = false;
}

/* NewFromFloat: the shortest round-tripping decimal of f. */
static void dec_from_float(dec *x, double f)
{
    memset(x, 0, sizeof *x);
    if (f == 0)
        return;
    strbuf sb = STRBUF_INIT;
    gofmt_float(&sb, fabs(f), 'e', -1); /* d.ddde±xx */
    const char *s = sb_str(&sb);
    const char *e = strchr(s, 'e');
    long ex = strtol(e + 1, NULL, 10);
    size_t nd = 0;
    x->d = xmalloc((size_t)(e - s) + 1);
    for (const char *p = e; p > s; p--)
        if (p[-1] != '.')
            x->d[nd++] = (unsigned char)(p[-1] - '0');
    x->nd = nd;
    x->exp = ex - (long)(nd - 1);
    x->neg = f < 0;
    sb_release(&sb);
    dec_trim(x);
}

/* mag * 10^k */
static void mag_shift(dec *x, long k)
{
    if (k <= 0 || !x->nd)
        return;
    unsigned char *d = xmalloc(x->nd + (size_t)k);
    memset(d, 0, (size_t)k);
    memcpy(d + k, x->d, x->nd);
    free(x->d);
    x->d = d;
    x->nd += (size_t)k;
}

static int mag_cmp(const unsigned char *a, size_t an, const unsigned char *b, size_t bn)
{
    if (an != bn)
        return an < bn ? -1 : 1;
    for (size_t i = an; i > 0; i--)
        if (a[i - 1] != b[i - 1])
            return a[i - 1] < b[i - 1] ? -1 : 1;
    return 0;
}

static void dec_copy(dec *dst, const dec *src)
{
    *dst = *src;
    dst->d = xmalloc(src->nd + 1);
    if (src->nd)
        memcpy(dst->d, src->d, src->nd);
}

/* Bring x and y (copies) to the same exponent. */
static void align(dec *x, dec *y)
{
    if (!x->nd)
        x->exp = y->exp;
    if (!y->nd)
        y->exp = x->exp;
    if (x->exp > y->exp) {
        mag_shift(x, x->exp - y->exp);
        x->exp = y->exp;
    } else if (y->exp > x->exp) {
        mag_shift(y, y->exp - x->exp);
        y->exp = x->exp;
    }
}

/* r = a + b (magnitudes, same exponent); subtract when sub (a >= b). */
static void mag_addsub(dec *r, const dec *a, const dec *b, bool sub)
{
    size_t n = (a->nd > b->nd ? a->nd : b->nd) + 1;
    r->d = xmalloc(n);
    int carry = 0;
    for (size_t i = 0; i < n; i++) {
        int da = i < a->nd ? a->d[i] : 0, db = i < b->nd ? b->d[i] : 0;
        int v = sub ? da - db - carry : da + db + carry;
        carry = sub ? v < 0 : v > 9;
        if (sub && v < 0)
            v += 10;
        else if (!sub && v > 9)
            v -= 10;
        r->d[i] = (unsigned char)v;
    }
    r->nd = n;
    dec_trim(r);
}

static void dec_add(dec *r, const dec *x0, const dec *y0, bool negate_y)
{
    dec x, y;
    dec_copy(&x, x0);
    dec_copy(&y, y0);
    if (negate_y && y.nd)
        y.neg = !y.neg;
    align(&x, &y);
    memset(r, 0, sizeof *r);
    r->exp = x.exp;
    if (x.neg == y.neg) {
        mag_addsub(r, &x, &y, false);
        r->neg = x.neg;
    } else if (mag_cmp(x.d, x.nd, y.d, y.nd) >= 0) {
        mag_addsub(r, &x, &y, true);
        r->neg = x.neg;
    } else {
        mag_addsub(r, &y, &x, true);
        r->neg = y.neg;
    }
    dec_trim(r);
    dec_free(&x);
    dec_free(&y);
}

static void dec_mul(dec *r, const dec *x, const dec *y)
{
    memset(r, 0, sizeof *r);
    if (!x->nd || !y->nd)
        return;
    size_t n = x->nd + y->nd;
    unsigned *acc = xcalloc(n + 1, sizeof *acc);
    for (size_t i = 0; i < x->nd; i++)
        for (size_t j = 0; j < y->nd; j++)
            acc[i + j] += (unsigned)x->d[i] * y->d[j];
    r->d = xmalloc(n + 1);
    unsigned carry = 0;
    for (size_t i = 0; i <= n; i++) {
        unsigned v = acc[i] + carry;
        r->d[i] = (unsigned char)(v % 10);
        carry = v / 10;
    }
    free(acc);
    r->nd = n + 1;
    r->exp = x->exp + y->exp;
    r->neg = x->neg != y->neg;
    dec_trim(r);
}

/* Magnitude long division: q = a / b, rem = a % b (b non-zero). */
static void mag_divmod(const dec *a, const dec *b, dec *q, dec *rem)
{
    memset(q, 0, sizeof *q);
    memset(rem, 0, sizeof *rem);
    q->d = xmalloc(a->nd + 1);
    rem->d = xmalloc(b->nd + 2);
    size_t qn = a->nd;
    for (size_t i = a->nd; i > 0; i--) {
        /* rem = rem * 10 + digit */
        memmove(rem->d + 1, rem->d, rem->nd);
        rem->d[0] = a->d[i - 1];
        rem->nd++;
        dec_trim(rem);
        int digit = 0;
        while (mag_cmp(rem->d, rem->nd, b->d, b->nd) >= 0) {
            dec t = {false, 0, NULL, 0};
            mag_addsub(&t, rem, b, true);
            memcpy(rem->d, t.d, t.nd);
            rem->nd = t.nd;
            free(t.d);
            digit++;
        }
        q->d[i - 1] = (unsigned char)digit;
    }
    q->nd = qn;
    dec_trim(q);
}

#define DIV_PREC 16

/* DivRound(y, 16); false on division by zero. */
static bool dec_div(dec *r, const dec *x, const dec *y)
{
    if (!y->nd)
        return false;
    memset(r, 0, sizeof *r);
    if (!x->nd) {
        r->exp = -DIV_PREC;
        return true;
    }
    dec aa, bb;
    dec_copy(&aa, x);
    dec_copy(&bb, y);
    long e = x->exp - y->exp + DIV_PREC, restexp;
    if (e < 0) {
        mag_shift(&bb, -e);
        restexp = x->exp;
    } else {
        mag_shift(&aa, e);
        restexp = -DIV_PREC + y->exp;
    }
    dec q, rem;
    mag_divmod(&aa, &bb, &q, &rem);
    q.exp = -DIV_PREC;
    q.neg = x->neg != y->neg;
    dec_trim(&q);
    /* compare 2*|rem| * 10^(restexp+16) with |y| */
    dec r2 = rem, yabs;
    r2.neg = false;
    dec two = {false, 0, (unsigned char[]){2}, 1};
    dec r2x;
    dec_mul(&r2x, &r2, &two);
    r2x.exp = restexp + DIV_PREC;
    dec_copy(&yabs, y);
    yabs.neg = false;
    align(&r2x, &yabs);
    int cmp = r2x.nd ? mag_cmp(r2x.d, r2x.nd, yabs.d, yabs.nd) : -1;
    if (cmp >= 0) {
        dec unit = {x->neg != y->neg, -DIV_PREC, (unsigned char[]){1}, 1};
        dec_add(r, &q, &unit, false);
        dec_free(&q);
    } else {
        *r = q;
    }
    dec_free(&aa);
    dec_free(&bb);
    dec_free(&rem);
    dec_free(&r2x);
    dec_free(&yabs);
    return true;
}

/* Rat().Float64(): the nearest float64. */
static double dec_to_float(const dec *x)
{
    if (!x->nd)
        return 0;
    strbuf sb = STRBUF_INIT;
    if (x->neg)
        sb_addc(&sb, '-');
    for (size_t i = x->nd; i > 0; i--)
        sb_addc(&sb, (char)('0' + x->d[i - 1]));
    sb_addf(&sb, "e%ld", x->exp);
    double f = strtod(sb_str(&sb), NULL);
    sb_release(&sb);
    return f;
}

enum { OP_ADD, OP_SUB, OP_MUL, OP_DIV };

/* execDecimalOp(a, b, op); NULL after failing c. */
static cval *decimal_op(cv_call *c, double a, int n, cval **rest, const double *extra, int op)
{
    if (isnan(a) || isinf(a))
        goto bad_a;
    dec acc;
    dec_from_float(&acc, a);
    for (int i = 0; i < n; i++) {
        double f = rest ? fn_to_float64(rest[i]) : extra[i];
        if (isnan(f) || isinf(f)) {
            dec_free(&acc);
            a = f;
            goto bad_a;
        }
        dec x, r;
        dec_from_float(&x, f);
        switch (op) {
        case OP_ADD: dec_add(&r, &acc, &x, false); break;
        case OP_SUB: dec_add(&r, &acc, &x, true); break;
        case OP_MUL: dec_mul(&r, &acc, &x); break;
        default:
            if (!dec_div(&r, &acc, &x)) {
                dec_free(&x);
                dec_free(&acc);
                return cv_call_fail(c, "decimal division by 0");
            }
        }
        dec_free(&x);
        dec_free(&acc);
        acc = r;
    }
    double res = dec_to_float(&acc);
    dec_free(&acc);
    return cv_float(c->a, res);
bad_a: {
        strbuf sb = STRBUF_INIT;
        gofmt_float(&sb, a, 'g', -1);
        cval *r = cv_call_fail(c, "Cannot create a Decimal from %s", sb_str(&sb));
        sb_release(&sb);
        return r;
    }
}

static cval *f_add1f(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const double one = 1;
    return decimal_op(c, fn_to_float64(argv[0]), 1, NULL, &one, OP_ADD);
}

static cval *f_addf(cv_call *c, int argc, cval **argv)
{
    return decimal_op(c, 0, argc, argv, NULL, OP_ADD);
}

static cval *f_subf(cv_call *c, int argc, cval **argv)
{
    return decimal_op(c, fn_to_float64(argv[0]), argc - 1, argv + 1, NULL, OP_SUB);
}

static cval *f_mulf(cv_call *c, int argc, cval **argv)
{
    return decimal_op(c, fn_to_float64(argv[0]), argc - 1, argv + 1, NULL, OP_MUL);
}

static cval *f_divf(cv_call *c, int argc, cval **argv)
{
    return decimal_op(c, fn_to_float64(argv[0]), argc - 1, argv + 1, NULL, OP_DIV);
}

const cv_fnreg fn_math_table[] = {
    {"add1", f_add1, "v"},
    {"add", f_add, "v*"},
    {"sub", f_sub, "vv"},
    {"div", f_div, "vv"},
    {"mod", f_mod, "vv"},
    {"mul", f_mul, "vv*"},
    {"add1f", f_add1f, "v"},
    {"addf", f_addf, "v*"},
    {"subf", f_subf, "vv*"},
    {"divf", f_divf, "vv*"},
    {"mulf", f_mulf, "vv*"},
    {"biggest", f_max, "vv*"},
    {"max", f_max, "vv*"},
    {"min", f_min, "vv*"},
    {"maxf", f_maxf, "vv*"},
    {"minf", f_minf, "vv*"},
    {"ceil", f_ceil, "v"},
    {"floor", f_floor, "v"},
    {"round", f_round, "vif*"},
    {"int", f_int, "v"},
    {"int64", f_int64, "v"},
    {"float64", f_float64, "v"},
    {"atoi", f_atoi, "s"},
    {"toDecimal", f_to_decimal, "v"},
    {NULL, NULL, NULL},
};
