/* gofmt_float.c — strconv.FormatFloat(f, fmt, prec, 64).
 *
 * Decimal digits come from the C library, whose printf rounds exactly (glibc
 * does): the shortest form tries 1..17 significant digits and keeps the first
 * that reads back as the same double, which is what Go's shortest algorithm
 * finds. The layout of the digits (exponent with at least two digits, %g's
 * switch to exponent form, trimmed zeros) follows strconv.
 */
#include "core/gofmt.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Decimal digits d[0..nd) with the decimal point dp digits from the left:
 * value = 0.d[0]d[1]... * 10^dp. No trailing zeros; zero is nd = 0, dp = 0. */
typedef struct {
    char *d;
    int nd, dp;
    char small[40];
} decim;

static void decim_init(decim *x, size_t need)
{
    x->d = need <= sizeof x->small ? x->small : malloc(need);
    if (!x->d)
        abort();
    x->nd = x->dp = 0;
}

static void decim_free(decim *x)
{
    if (x->d != x->small)
        free(x->d);
}

static void decim_trim(decim *x)
{
    while (x->nd > 0 && x->d[x->nd - 1] == '0')
        x->nd--;
    if (x->nd == 0)
        x->dp = 0;
}

/* Parse printf's "%.*e" output ("d.ddde+XX") of a positive number. */
static void from_e(decim *x, const char *s)
{
    x->nd = 0;
    for (; *s && *s != 'e'; s++)
        if (*s >= '0' && *s <= '9')
            x->d[x->nd++] = *s;
    int e = *s == 'e' ? atoi(s + 1) : 0;
    x->dp = e + 1;
    decim_trim(x);
}

/* value with n significant digits, exactly rounded by printf */
static char *print_e(double a, int n)
{
    int len = snprintf(NULL, 0, "%.*e", n - 1, a);
    char *s = malloc((size_t)len + 1);
    if (!s)
        abort();
    snprintf(s, (size_t)len + 1, "%.*e", n - 1, a);
    return s;
}

/* Add +1 or -1 in the last of nd digits (nd >= 1, digits not trimmed). */
static bool bump(char *d, int nd, int *dp, int dir)
{
    int i = nd - 1;
    if (dir > 0) {
        while (i >= 0 && d[i] == '9')
            d[i--] = '0';
        if (i < 0) {
            memmove(d + 1, d, (size_t)nd - 1);
            d[0] = '1';
            (*dp)++;
            return true;
        }
        d[i]++;
        return true;
    }
    while (i >= 0 && d[i] == '0')
        d[i--] = '9';
    if (i < 0)
        return false;
    d[i]--;
    if (d[0] == '0')
        return false; /* would lose a digit: never the shortest */
    return true;
}

static double read_back(const char *d, int nd, int dp)
{
    char buf[64];
    snprintf(buf, sizeof buf, "0.%.*se%d", nd, d, dp);
    return strtod(buf, NULL);
}

/* The n correctly rounded significant digits of a (a > 0, finite, n <= 17)
 * into d; returns the decimal point position. */
static int nearest(double a, int n, char *d)
{
    char buf[48];
    snprintf(buf, sizeof buf, "%.*e", n - 1, a);
    int nd = 0;
    const char *p = buf;
    for (; *p && *p != 'e'; p++)
        if (*p >= '0' && *p <= '9')
            d[nd++] = *p;
    return atoi(p + 1) + 1;
}

static bool take(decim *x, const char *d, int nd, int dp)
{
    memcpy(x->d, d, (size_t)nd);
    x->nd = nd;
    x->dp = dp;
    decim_trim(x);
    return true;
}

/* Next to a power of two the interval of numbers that read back as a is
 * lopsided: a neighbour of the nearest n-digit decimal may read back when the
 * nearest does not. */
static bool neighbour(decim *x, double a, int n)
{
    char d[24];
    int dp = nearest(a, n, d);
    for (int dir = -1; dir <= 1; dir += 2) {
        char e[24];
        int edp = dp;
        memcpy(e, d, (size_t)n);
        if (bump(e, n, &edp, dir) && read_back(e, n, edp) == a)
            return take(x, e, n, edp);
    }
    return false;
}

/* The shortest digits that read back as a (a > 0, finite); among several of
 * that length, the nearest to a. Reading back is monotonic in the number of
 * digits for the nearest decimal, so a binary search finds the length. */
static void shortest(decim *x, double a, bool pow2)
{
    char d[24];
    if (a < 9007199254740992.0 && a == (double)(int64_t)a) {
        /* below 2^53 every integer is a double and its neighbours are at
         * most 1 away: its own digits are the shortest */
        int n = snprintf(d, sizeof d, "%lld", (long long)a);
        take(x, d, n, n);
        return;
    }
    if (pow2) {
        /* the lopsided case: try every length, nearest first */
        for (int n = 1; n < 17; n++) {
            int dp = nearest(a, n, d);
            if (read_back(d, n, dp) == a) {
                take(x, d, n, dp);
                return;
            }
            if (neighbour(x, a, n))
                return;
        }
    }
    int lo = 1, hi = 17; /* 17 digits always read back */
    while (lo < hi) {
        int mid = (lo + hi) / 2;
        int dp = nearest(a, mid, d);
        if (read_back(d, mid, dp) == a)
            hi = mid;
        else
            lo = mid + 1;
    }
    int dp = nearest(a, lo, d);
    take(x, d, lo, dp);
}

static void add_e(strbuf *out, bool neg, const decim *x, int prec, char fmt)
{
    if (neg)
        sb_addc(out, '-');
    sb_addc(out, x->nd ? x->d[0] : '0');
    if (prec > 0) {
        sb_addc(out, '.');
        int i = 1;
        int m = x->nd < prec + 1 ? x->nd : prec + 1;
        if (i < m) {
            sb_add(out, x->d + i, (size_t)(m - i));
            i = m;
        }
        for (; i <= prec; i++)
            sb_addc(out, '0');
    }
    sb_addc(out, fmt);
    int exp = x->nd ? x->dp - 1 : 0;
    if (exp < 0) {
        sb_addc(out, '-');
        exp = -exp;
    } else {
        sb_addc(out, '+');
    }
    if (exp < 10)
        sb_addc(out, '0');
    sb_addf(out, "%d", exp);
}

static void add_f(strbuf *out, bool neg, const decim *x, int prec)
{
    if (neg)
        sb_addc(out, '-');
    if (x->dp > 0) {
        int m = x->nd < x->dp ? x->nd : x->dp;
        sb_add(out, x->d, (size_t)m);
        sb_addrep(out, '0', (size_t)(x->dp - m));
    } else {
        sb_addc(out, '0');
    }
    if (prec > 0) {
        sb_addc(out, '.');
        for (int i = 0; i < prec; i++) {
            int j = x->dp + i;
            sb_addc(out, j >= 0 && j < x->nd ? x->d[j] : '0');
        }
    }
}

static void add_digits(strbuf *out, bool shortest_, bool neg, const decim *x, int prec, char fmt)
{
    switch (fmt) {
    case 'e':
    case 'E':
        add_e(out, neg, x, prec, fmt);
        return;
    case 'f':
        add_f(out, neg, x, prec);
        return;
    default: { /* g, G */
        int eprec = prec;
        if (eprec > x->nd && x->nd >= x->dp)
            eprec = x->nd;
        if (shortest_)
            eprec = 6;
        int exp = x->dp - 1;
        if (exp < -4 || exp >= eprec) {
            if (prec > x->nd)
                prec = x->nd;
            add_e(out, neg, x, prec - 1, fmt == 'g' ? 'e' : 'E');
            return;
        }
        if (prec > x->dp)
            prec = x->nd;
        add_f(out, neg, x, prec - x->dp > 0 ? prec - x->dp : 0);
    }
    }
}

static void add_b(strbuf *out, bool neg, uint64_t mant, int exp)
{
    if (neg)
        sb_addc(out, '-');
    sb_addf(out, "%llup", (unsigned long long)mant);
    exp -= 52;
    if (exp >= 0)
        sb_addc(out, '+');
    sb_addf(out, "%d", exp);
}

static void add_x(strbuf *out, bool neg, uint64_t mant, int exp, int prec, char fmt)
{
    static const char lower[] = "0123456789abcdef", upper[] = "0123456789ABCDEF";
    const char *hex = fmt == 'X' ? upper : lower;
    const uint64_t one = (uint64_t)1 << 60;
    if (mant == 0)
        exp = 0;
    mant <<= 8; /* the leading bit at bit 60 */
    while (mant != 0 && (mant & one) == 0) {
        mant <<= 1;
        exp--;
    }
    if (prec >= 0 && prec < 15) {
        unsigned shift = (unsigned)prec * 4;
        uint64_t extra = (mant << shift) & (one - 1);
        mant >>= 60 - shift;
        if ((extra | (mant & 1)) > (one >> 1))
            mant++;
        mant <<= 60 - shift;
        if (mant & (one << 1)) {
            mant >>= 1;
            exp++;
        }
    }
    if (neg)
        sb_addc(out, '-');
    sb_addc(out, '0');
    sb_addc(out, fmt);
    sb_addc(out, (char)('0' + ((mant >> 60) & 1)));
    mant <<= 4;
    if (prec < 0 && mant != 0) {
        sb_addc(out, '.');
        while (mant != 0) {
            sb_addc(out, hex[(mant >> 60) & 15]);
            mant <<= 4;
        }
    } else if (prec > 0) {
        sb_addc(out, '.');
        for (int i = 0; i < prec; i++) {
            sb_addc(out, hex[(mant >> 60) & 15]);
            mant <<= 4;
        }
    }
    sb_addc(out, fmt == 'X' ? 'P' : 'p');
    if (exp < 0) {
        sb_addc(out, '-');
        exp = -exp;
    } else {
        sb_addc(out, '+');
    }
    if (exp < 10)
        sb_addc(out, '0');
    sb_addf(out, "%d", exp);
}

void gofmt_float(strbuf *out, double f, char fmt, int prec)
{
    uint64_t bits;
    memcpy(&bits, &f, sizeof bits);
    bool neg = bits >> 63;
    int exp = (int)(bits >> 52) & 0x7ff;
    uint64_t mant = bits & (((uint64_t)1 << 52) - 1);
    if (exp == 0x7ff) {
        sb_adds(out, mant ? "NaN" : neg ? "-Inf" : "+Inf");
        return;
    }
    if (exp == 0)
        exp = 1;
    else
        mant |= (uint64_t)1 << 52;
    exp -= 1023;
    if (fmt == 'b') {
        add_b(out, neg, mant, exp);
        return;
    }
    if (fmt == 'x' || fmt == 'X') {
        add_x(out, neg, mant, exp, prec, fmt);
        return;
    }
    if (!strchr("eEfgG", fmt) || fmt == 0) {
        sb_addc(out, '%');
        sb_addc(out, fmt);
        return;
    }
    double a = fabs(f);
    decim x;
    if (prec < 0) {
        decim_init(&x, 24);
        if (mant != 0)
            shortest(&x, a, (bits & (((uint64_t)1 << 52) - 1)) == 0);
        switch (fmt) {
        case 'e':
        case 'E': prec = x.nd - 1 > 0 ? x.nd - 1 : 0; break;
        case 'f': prec = x.nd - x.dp > 0 ? x.nd - x.dp : 0; break;
        default: prec = x.nd; break;
        }
        add_digits(out, true, neg, &x, prec, fmt);
        decim_free(&x);
        return;
    }
    if (fmt == 'f') {
        int len = snprintf(NULL, 0, "%.*f", prec, a);
        char *s = malloc((size_t)len + 1);
        if (!s)
            abort();
        snprintf(s, (size_t)len + 1, "%.*f", prec, a);
        decim_init(&x, (size_t)len + 1);
        /* "123.45" or "0.0012": skip leading zeros, counting those before
         * and after the point, to place the point relative to the digits */
        const char *point = strchr(s, '.');
        int intdigits = point ? (int)(point - s) : len;
        int zeros = 0;
        bool lead = true;
        for (const char *p = s; *p; p++) {
            if (*p == '.')
                continue;
            if (lead && *p == '0') {
                zeros++;
                continue;
            }
            lead = false;
            x.d[x.nd++] = *p;
        }
        x.dp = intdigits - zeros;
        free(s);
        decim_trim(&x);
        add_digits(out, false, neg, &x, prec, fmt);
        decim_free(&x);
        return;
    }
    int digits = prec;
    if (fmt == 'e' || fmt == 'E') {
        digits = prec + 1;
    } else {
        if (prec == 0)
            prec = 1;
        digits = prec;
    }
    decim_init(&x, (size_t)digits + 8);
    if (mant != 0) {
        char *s = print_e(a, digits);
        from_e(&x, s);
        free(s);
    }
    add_digits(out, false, neg, &x, prec, fmt);
    decim_free(&x);
}

void gofmt_int(strbuf *out, int64_t i)
{
    sb_addf(out, "%lld", (long long)i);
}

void gofmt_uint(strbuf *out, uint64_t u)
{
    sb_addf(out, "%llu", (unsigned long long)u);
}


static int ascii_lower(int c) { return c | ('x' - 'X'); }

/* Go's underscoreOK: '_' only between digits (a base prefix counts as one). */
bool gofmt_underscore_ok(const char *s, size_t n)
{
    char saw = '^';
    size_t i = 0;
    if (n >= 1 && (s[0] == '-' || s[0] == '+')) {
        s++;
        n--;
    }
    bool hex = false;
    if (n >= 2 && s[0] == '0' && (ascii_lower(s[1]) == 'b' || ascii_lower(s[1]) == 'o' || ascii_lower(s[1]) == 'x')) {
        i = 2;
        saw = '0';
        hex = ascii_lower(s[1]) == 'x';
    }
    for (; i < n; i++) {
        if ((s[i] >= '0' && s[i] <= '9') || (hex && ascii_lower(s[i]) >= 'a' && ascii_lower(s[i]) <= 'f')) {
            saw = '0';
            continue;
        }
        if (s[i] == '_') {
            if (saw != '0')
                return false;
            saw = '_';
            continue;
        }
        if (saw == '_')
            return false;
        saw = '!';
    }
    return saw != '_';
}

