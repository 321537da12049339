/* sprig_extra_run.h — run the helm-generated case tables. */
#ifndef SPRIG_EXTRA_RUN_H
#define SPRIG_EXTRA_RUN_H

#include <stdbool.h>
#include <stdlib.h>

#include "sprig_extra_util.h"
#include "sprig_extra_cases.h"

extern const cv_fnreg fn_dates_table[];

static inline cval **xargs(arena *a, const struct xcase *c)
{
    cval **argv = arena_alloc(a, 6 * sizeof *argv);
    for (int i = 0; i < c->argc; i++) {
        const struct xarg *x = &c->argv[i];
        if (x->t == 't') {
            /* (toDate LAYOUT VALUE) */
            cval *tv[2] = {cv_cstring(a, x->s), cv_cstring(a, x->s2)};
            argv[i] = tcall(a, fn_dates_table, "toDate", 2, tv, NULL);
        } else {
            argv[i] = x->t == 's' ? cv_cstring(a, x->s) : cv_goint(a, x->i);
        }
    }
    return argv;
}

/* Run ok cases: each must succeed and print as helm's toJson did.
 * Returns the number of mismatches (each printed). */
static inline int run_ok(const cv_fnreg *table, const struct xcase *cs, size_t n, cval *(*method)(arena *, const struct xcase *, const char **))
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        arena *a = arena_new();
        const char *err = NULL;
        bool to_string = cs[i].fn[0] == '~';
        cval *v = cs[i].fn[0] == '.' && method ? method(a, &cs[i], &err)
                                               : tcall(a, table, cs[i].fn + to_string, cs[i].argc, xargs(a, &cs[i]), &err);
        strbuf sb = STRBUF_INIT;
        if (v && to_string && v->kind == CV_OBJECT) {
            strbuf t = STRBUF_INIT;
            v->u.obj.cls->format(&t, v->u.obj.self);
            tjson_str(&sb, sb_str(&t), t.len);
            sb_release(&t);
        } else if (v) {
            tjson(&sb, v);
        }
        const char *got = v ? sb_str(&sb) : err;
        const char *want = cs[i].want;
        /* Go's nil []string prints null; capstan's value model has no typed nil slice */
        bool nil_ok = v && strcmp(want, "null") == 0 && strcmp(got, "[]") == 0;
        if (strcmp(got, want) != 0 && !nil_ok) {
            printf("case %zu %s(%s): got %s want %s\n", i, cs[i].fn, cs[i].argv[0].s ? cs[i].argv[0].s : "", got, want);
            bad++;
        }
        sb_release(&sb);
        arena_free(a);
    }
    return bad;
}

/* Run error cases: each must fail with helm's message. */
static inline int run_err(const cv_fnreg *table, const struct xcase *cs, size_t n)
{
    int bad = 0;
    for (size_t i = 0; i < n; i++) {
        arena *a = arena_new();
        const char *err = NULL;
        cval *v = tcall(a, table, cs[i].fn, cs[i].argc, xargs(a, &cs[i]), &err);
        if (v || strcmp(err, cs[i].want) != 0) {
            printf("err case %zu %s(%s): got %s want %s\n", i, cs[i].fn, cs[i].argv[0].s, v ? "(success)" : err, cs[i].want);
            bad++;
        }
        arena_free(a);
    }
    return bad;
}

#define NELEM(x) (sizeof(x) / sizeof((x)[0]))

#endif

/* ---- one cmocka test per case ------------------------------------------------ */

typedef struct xrun {
    const cv_fnreg *table;
    const struct xcase *c;
    cval *(*method)(arena *, const struct xcase *, const char **);
    bool is_err;
    const char *tz; /* $TZ for the case (Local) */
} xrun;

static void xrun_one(void **state)
{
    const xrun *r = *state;
    setenv("TZ", r->tz, 1);
    int bad = r->is_err ? run_err(r->table, r->c, 1) : run_ok(r->table, r->c, 1, r->method);
    setenv("TZ", "UTC", 1);
    assert_int_equal(bad, 0);
}

typedef struct xsuite {
    struct CMUnitTest *t;
    size_t n, cap;
} xsuite;

static inline void xsuite_add(xsuite *s, const char *name, CMUnitTestFunction fn, void *state)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 64;
        s->t = realloc(s->t, s->cap * sizeof *s->t);
    }
    s->t[s->n++] = (struct CMUnitTest){name, fn, NULL, NULL, state};
}

/* Add each case of a table as its own test, named "LABEL[i] FN". */
static inline void xsuite_cases(xsuite *s, const char *label, const cv_fnreg *table, const struct xcase *cs,
                                size_t n, cval *(*method)(arena *, const struct xcase *, const char **),
                                bool is_err, const char *tz)
{
    for (size_t i = 0; i < n; i++) {
        xrun *r = malloc(sizeof *r);
        *r = (xrun){table, &cs[i], method, is_err, tz};
        char *name = malloc(strlen(label) + strlen(cs[i].fn) + 32);
        sprintf(name, "%s[%zu] %s", label, i, cs[i].fn);
        xsuite_add(s, name, xrun_one, r);
    }
}

/* Run the suite and print the "N passed, N failed" line. */
static inline int xsuite_run(xsuite *s, const char *group)
{
    int failed = _cmocka_run_group_tests(group, s->t, s->n, NULL, NULL);
    printf("%zu passed, %d failed\n", s->n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
