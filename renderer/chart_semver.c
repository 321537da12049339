/* chart_semver.c — versions and constraints as Masterminds/semver v3 checks
 * them for Helm (dependency versions, kubeVersion): =, !=, >, <, >=, <=, ~, ^,
 * x, X or * wildcards, "a - b" ranges, "," or space for AND, "||" for OR;
 * a prerelease version only satisfies a constraint that has a prerelease. */
#include "chart.h"
#include "semver.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct ver {
    long long v[3];
    int given;        /* how many numeric parts were written */
    bool wild[3];     /* x, X or * in that part (or missing, for constraints) */
    char pre[128];
} ver;

static bool ident_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    size_t seg = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '.') {
            if (seg == 0)
                return false;
            seg = 0;
            continue;
        }
        if (!isalnum((unsigned char)s[i]) && s[i] != '-')
            return false;
        seg++;
    }
    return seg > 0;
}

/* Parse "v1.2.3-pre+build"; wildcards allowed when constraint. */
static bool parse_ver(const char *s, size_t n, bool constraint, ver *out)
{
    memset(out, 0, sizeof *out);
    size_t i = 0;
    if (i < n && (s[i] == 'v' || s[i] == 'V'))
        i++;
    for (int part = 0; part < 3; part++) {
        if (part > 0) {
            if (i >= n || s[i] != '.')
                break;
            i++;
        }
        if (constraint && i < n && (s[i] == 'x' || s[i] == 'X' || s[i] == '*')) {
            out->wild[part] = true;
            i++;
        } else {
            if (i >= n || !isdigit((unsigned char)s[i]))
                return false;
            long long v = 0;
            while (i < n && isdigit((unsigned char)s[i])) {
                v = v * 10 + (s[i] - '0');
                if (v > 1000000000000LL)
                    return false;
                i++;
            }
            out->v[part] = v;
        }
        out->given = part + 1;
    }
    for (int part = out->given; part < 3; part++)
        if (constraint)
            out->wild[part] = true;
    if (i < n && s[i] == '-') {
        size_t st = ++i;
        while (i < n && s[i] != '+')
            i++;
        if (!ident_ok(s + st, i - st) || i - st >= sizeof out->pre)
            return false;
        memcpy(out->pre, s + st, i - st);
        out->pre[i - st] = 0;
    }
    if (i < n && s[i] == '+') {
        size_t st = ++i;
        i = n;
        if (!ident_ok(s + st, i - st))
            return false;
    }
    return i == n;
}

static int cmp_pre(const char *a, const char *b)
{
    if (!*a && !*b)
        return 0;
    if (!*a)
        return 1;
    if (!*b)
        return -1;
    while (*a || *b) {
        if (!*a)
            return -1;
        if (!*b)
            return 1;
        size_t la = strcspn(a, "."), lb = strcspn(b, ".");
        bool na = true, nb = true;
        for (size_t i = 0; i < la; i++)
            na = na && isdigit((unsigned char)a[i]);
        for (size_t i = 0; i < lb; i++)
            nb = nb && isdigit((unsigned char)b[i]);
        int c;
        if (na && nb) {
            long long x = atoll(a), y = atoll(b);
            c = x < y ? -1 : x > y;
        } else if (na) {
            c = -1;
        } else if (nb) {
            c = 1;
        } else {
            size_t m = la < lb ? la : lb;
            c = strncmp(a, b, m);
            if (c == 0)
                c = la < lb ? -1 : la > lb;
        }
        if (c)
            return c < 0 ? -1 : 1;
        a += la;
        b += lb;
        if (*a == '.')
            a++;
        if (*b == '.')
            b++;
    }
    return 0;
}

static int cmp(const ver *x, const ver *y)
{
    for (int i = 0; i < 3; i++)
        if (x->v[i] != y->v[i])
            return x->v[i] < y->v[i] ? -1 : 1;
    return cmp_pre(x->pre, y->pre);
}

/* Masterminds' NewVersion (semver.c), so that chart versions are judged as helm's
 * Validate and lint judge them ("1.0.0-01" is not a version). */
bool chart_semver_valid(const char *version)
{
    arena *a = arena_new();
    semver_version v;
    const char *why;
    bool ok = semver_parse(a, version, &v, &why) == 0;
    arena_free(a);
    return ok;
}

static ver bump(const ver *c, int part)
{
    ver r = *c;
    r.pre[0] = 0;
    r.v[part]++;
    for (int i = part + 1; i < 3; i++)
        r.v[i] = 0;
    return r;
}

/* One constraint "OPver" against v. */
static bool check_one(const char *s, size_t n, const ver *v, bool *ok)
{
    while (n && isspace((unsigned char)*s))
        s++, n--;
    while (n && isspace((unsigned char)s[n - 1]))
        n--;
    char op[3] = {0};
    size_t i = 0;
    while (i < n && i < 2 && strchr("=!<>~^", s[i])) {
        op[i] = s[i];
        i++;
    }
    while (i < n && isspace((unsigned char)s[i]))
        i++;
    ver c;
    if (!parse_ver(s + i, n - i, true, &c)) {
        *ok = false;
        return false;
    }
    /* prereleases only match constraints with a prerelease */
    if (v->pre[0] && !c.pre[0])
        return false;
    ver lo = c, hi;
    for (int k = 0; k < 3; k++)
        if (c.wild[k])
            lo.v[k] = 0;
    int firstwild = 3;
    for (int k = 0; k < 3; k++)
        if (c.wild[k]) {
            firstwild = k;
            break;
        }
    if (!strcmp(op, "") || !strcmp(op, "=")) {
        if (firstwild == 0)
            return true;
        if (firstwild == 3)
            return cmp(v, &c) == 0;
        hi = bump(&lo, firstwild - 1);
        return cmp(v, &lo) >= 0 && cmp(v, &hi) < 0;
    }
    if (!strcmp(op, "!=")) {
        if (firstwild == 0)
            return false;
        if (firstwild == 3)
            return cmp(v, &c) != 0;
        hi = bump(&lo, firstwild - 1);
        return !(cmp(v, &lo) >= 0 && cmp(v, &hi) < 0);
    }
    if (!strcmp(op, ">")) {
        if (firstwild == 0)
            return false;
        if (firstwild == 3)
            return cmp(v, &c) > 0;
        hi = bump(&lo, firstwild - 1);
        return cmp(v, &hi) >= 0;
    }
    if (!strcmp(op, ">=") || !strcmp(op, "=>"))
        return cmp(v, &lo) >= 0;
    if (!strcmp(op, "<")) {
        return cmp(v, &lo) < 0;
    }
    if (!strcmp(op, "<=") || !strcmp(op, "=<")) {
        if (firstwild == 0)
            return true;
        if (firstwild == 3)
            return cmp(v, &c) <= 0;
        hi = bump(&lo, firstwild - 1);
        return cmp(v, &hi) < 0;
    }
    if (!strcmp(op, "~") || !strcmp(op, "~>")) {
        if (firstwild == 0)
            return true;
        hi = bump(&lo, c.given >= 2 && !c.wild[1] ? 1 : 0);
        return cmp(v, &lo) >= 0 && cmp(v, &hi) < 0;
    }
    if (!strcmp(op, "^")) {
        if (firstwild == 0)
            return true;
        if (lo.v[0] > 0 || c.given == 1 || c.wild[1])
            hi = bump(&lo, 0);
        else if (lo.v[1] > 0 || c.given == 2 || c.wild[2])
            hi = bump(&lo, 1);
        else
            hi = bump(&lo, 2);
        return cmp(v, &lo) >= 0 && cmp(v, &hi) < 0;
    }
    *ok = false;
    return false;
}

/* An AND group: constraints separated by ',' or spaces; "a - b" ranges. */
static bool check_and(const char *s, size_t n, const ver *v, bool *ok)
{
    /* tokenize */
    char buf[512];
    if (n >= sizeof buf) {
        *ok = false;
        return false;
    }
    memcpy(buf, s, n);
    buf[n] = 0;
    char *toks[64];
    int nt = 0;
    char *p = buf;
    while (*p && nt < 64) {
        while (*p == ' ' || *p == ',' || *p == '\t')
            p++;
        if (!*p)
            break;
        char *st = p;
        /* an operator may be followed by spaces before the version */
        while (*p && strchr("=!<>~^", *p))
            p++;
        while (*p == ' ')
            p++;
        while (*p && *p != ' ' && *p != ',' && *p != '\t')
            p++;
        if (*p)
            *p++ = 0;
        toks[nt++] = st;
    }
    if (nt == 0) {
        *ok = false;
        return false;
    }
    bool all = true;
    for (int i = 0; i < nt; i++) {
        if (i + 2 < nt && strcmp(toks[i + 1], "-") == 0) {
            char r1[160], r2[160];
            snprintf(r1, sizeof r1, ">=%s", toks[i]);
            snprintf(r2, sizeof r2, "<=%s", toks[i + 2]);
            bool a = check_one(r1, strlen(r1), v, ok), b = check_one(r2, strlen(r2), v, ok);
            all = all && a && b;
            i += 2;
            continue;
        }
        bool r = check_one(toks[i], strlen(toks[i]), v, ok);
        all = all && r;
    }
    return all;
}

bool chart_semver_check(const char *constraint, const char *version)
{
    ver v;
    if (!parse_ver(version, strlen(version), false, &v))
        return false;
    bool any = false, ok = true;
    const char *s = constraint;
    for (;;) {
        const char *bar = strstr(s, "||");
        size_t n = bar ? (size_t)(bar - s) : strlen(s);
        if (check_and(s, n, &v, &ok))
            any = true;
        if (!bar)
            break;
        s = bar + 2;
    }
    return ok && any;
}
