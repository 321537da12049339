/* fn_lists.c — Sprig's list functions (list.go, seq/until from numeric.go).
 *
 * Sprig takes any slice kind through reflection and answers with a fresh
 * []interface{}; Go's panics (reflect.TypeOf(nil).Kind(), slice bounds,
 * makeslice) come back as the errors Helm prints. The plain and must* forms
 * fail with the same message, as a panic(err) reads like the error. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/gofmt.h"

#define MAX_RANGE (1 << 20) /* elements until/untilStep/seq will make */

/* Every argument that is a native object of slice kind (VersionSet) as its
 * list of elements, as Sprig's reflection sees it. */
static void unwrap_objects(cv_call *c, int argc, cval **argv)
{
    for (int i = 0; i < argc; i++)
        argv[i] = fn_object_slice(c->a, argv[i]);
}

/* Sprig's `tp := reflect.TypeOf(list).Kind()` then a type switch. Returns
 * false after failing c with the panic or with "PREFIX KIND SUFFIX". */
static bool need_slice(cv_call *c, cval **vp, const char *prefix, const char *suffix)
{
    cval *v = *vp = fn_object_slice(c->a, *vp);
    if (cv_is_nil(v)) {
        cv_call_fail(c, "%s", FN_NIL_DEREF_MSG);
        return false;
    }
    if (fn_is_slice(v))
        return true;
    cv_call_fail(c, "%s%s%s", prefix, fn_kind_name(v), suffix);
    return false;
}

static cval *f_list(cv_call *c, int argc, cval **argv)
{
    cval *l = cv_list_new(c->a, (size_t)argc);
    for (int i = 0; i < argc; i++)
        cv_list_push(l, argv[i]);
    return l;
}

static cval *f_push(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot push on type ", ""))
        return NULL;
    cval *l = fn_to_raw_list(c->a, argv[0]);
    cv_list_push(l, argv[1]);
    return l;
}

static cval *f_prepend(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot prepend on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    cval *l = cv_list_new(c->a, n + 1);
    cv_list_push(l, argv[1]);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, fn_slice_at(c->a, argv[0], i));
    return l;
}

static cval *f_first(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find first on type ", ""))
        return NULL;
    if (fn_slice_len(argv[0]) == 0)
        return cv_nil();
    return fn_slice_at(c->a, argv[0], 0);
}

static cval *f_last(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find last on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    if (n == 0)
        return cv_nil();
    return fn_slice_at(c->a, argv[0], n - 1);
}

/* The elements [from, to) of a slice as a new []interface{}. */
static cval *sub_list(cv_call *c, const cval *v, size_t from, size_t to)
{
    cval *l = cv_list_new(c->a, to - from);
    for (size_t i = from; i < to; i++)
        cv_list_push(l, fn_slice_at(c->a, v, i));
    return l;
}

static cval *f_rest(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find rest on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    return n == 0 ? cv_nil_list(c->a) : sub_list(c, argv[0], 1, n);
}

static cval *f_initial(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find initial on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    return n == 0 ? cv_nil_list(c->a) : sub_list(c, argv[0], 0, n - 1);
}

static cval *f_reverse(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find reverse on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    cval *l = cv_list_new(c->a, n);
    for (size_t i = n; i > 0; i--)
        cv_list_push(l, fn_slice_at(c->a, argv[0], i - 1));
    return l;
}

static cval *f_compact(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot compact on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    cval *l = cv_list_new(c->a, n);
    for (size_t i = 0; i < n; i++) {
        cval *e = fn_slice_at(c->a, argv[0], i);
        if (!fn_empty(e))
            cv_list_push(l, e);
    }
    return l;
}

static bool in_list(cval *const *items, size_t n, const cval *needle)
{
    for (size_t i = 0; i < n; i++)
        if (cv_deep_equal(needle, items[i]))
            return true;
    return false;
}

static cval *f_uniq(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (!need_slice(c, &argv[0], "Cannot find uniq on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    cval *l = cv_list_new(c->a, n);
    for (size_t i = 0; i < n; i++) {
        cval *e = fn_slice_at(c->a, argv[0], i);
        if (!in_list(cv_list_items(l), cv_list_len(l), e))
            cv_list_push(l, e);
    }
    return l;
}

static cval *f_without(cv_call *c, int argc, cval **argv)
{
    if (!need_slice(c, &argv[0], "Cannot find without on type ", ""))
        return NULL;
    size_t n = fn_slice_len(argv[0]);
    cval *l = cv_list_new(c->a, n);
    for (size_t i = 0; i < n; i++) {
        cval *e = fn_slice_at(c->a, argv[0], i);
        if (!in_list(argv + 1, (size_t)(argc - 1), e))
            cv_list_push(l, e);
    }
    return l;
}

static cval *f_has(cv_call *c, int argc, cval **argv)
{
    unwrap_objects(c, argc, argv);
    cval *hay = argv[1];
    if (cv_is_nil(hay))
        return cv_false();
    if (!fn_is_slice(hay))
        return cv_call_fail(c, "Cannot find has on type %s", fn_kind_name(hay));
    size_t n = fn_slice_len(hay);
    for (size_t i = 0; i < n; i++)
        if (cv_deep_equal(argv[0], fn_slice_at(c->a, hay, i)))
            return cv_true();
    return cv_false();
}

static cval *f_slice(cv_call *c, int argc, cval **argv)
{
    if (!need_slice(c, &argv[0], "list should be type of slice or array but ", ""))
        return NULL;
    cval *v = argv[0];
    size_t n = fn_slice_len(v);
    if (n == 0)
        return cv_nil();
    int64_t start = 0, end = (int64_t)n;
    if (argc > 1)
        start = fn_to_int(argv[1]);
    if (argc > 2)
        end = fn_to_int(argv[2]);
    if (start < 0 || end < start || end > (int64_t)n)
        return cv_call_fail(c, "reflect.Value.Slice: slice index out of bounds");
    if (v->kind == CV_BYTES)
        return cv_bytes(c->a, v->u.str.s + start, (size_t)(end - start));
    cval *l = sub_list(c, v, (size_t)start, (size_t)end);
    l->gotype = v->gotype; /* the slice keeps its type: []string stays []string */
    return l;
}

static cval *f_concat(cv_call *c, int argc, cval **argv)
{
    unwrap_objects(c, argc, argv);
    cval *l = cv_list_new(c->a, 0);
    for (int i = 0; i < argc; i++) {
        if (cv_is_nil(argv[i]))
            return cv_call_fail(c, "%s", FN_NIL_DEREF_MSG);
        if (!fn_is_slice(argv[i]))
            return cv_call_fail(c, "Cannot concat type %s as list", fn_kind_name(argv[i]));
        size_t n = fn_slice_len(argv[i]);
        for (size_t k = 0; k < n; k++)
            cv_list_push(l, fn_slice_at(c->a, argv[i], k));
    }
    return l;
}

#define MAKESLICE_MSG "runtime error: makeslice: len out of range"

static cval *f_chunk(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t size = argv[0]->u.i;
    if (!need_slice(c, &argv[1], "Cannot chunk type ", ""))
        return NULL;
    cval *v = argv[1];
    int64_t l = (int64_t)fn_slice_len(v);
    int64_t cs = fn_float_to_int64(floor((double)(l - 1) / (double)size) + 1);
    if (cs < 0)
        return cv_call_fail(c, MAKESLICE_MSG);
    cval *out = cv_list_new(c->a, (size_t)cs);
    out->gotype = "[][]interface {}";
    for (int64_t i = 0; i < cs; i++) {
        int64_t clen = size;
        if (i == cs - 1) {
            clen = fn_float_to_int64(floor(fmod((double)l, (double)size)));
            if (clen == 0)
                clen = size;
        }
        if (clen < 0)
            return cv_call_fail(c, MAKESLICE_MSG);
        cval *part = cv_list_new(c->a, (size_t)clen);
        for (int64_t j = 0; j < clen; j++) {
            int64_t ix = i * size + j;
            if (ix < 0 || ix >= l)
                return cv_call_fail(c, "reflect: slice index out of range");
            cv_list_push(part, fn_slice_at(c->a, v, (size_t)ix));
        }
        cv_list_push(out, part);
    }
    return out;
}

/* Sprig's untilStep, as a []int; false when it would be too long. */
static bool until_step(cv_call *c, int64_t start, int64_t stop, int64_t step, cval **out)
{
    cval *l = cv_list_new(c->a, 0);
    l->gotype = "[]int";
    *out = l;
    if (stop < start) {
        if (step >= 0)
            return true;
        for (int64_t i = start; i > stop; i += step) {
            if (cv_list_len(l) >= MAX_RANGE)
                goto toolong;
            cv_list_push(l, cv_goint(c->a, i));
            if (i < INT64_MIN - step)
                break; /* Go would wrap around; stop instead */
        }
        return true;
    }
    if (step <= 0)
        return true;
    for (int64_t i = start; i < stop; i += step) {
        if (cv_list_len(l) >= MAX_RANGE)
            goto toolong;
        cv_list_push(l, cv_goint(c->a, i));
        if (i > INT64_MAX - step)
            break;
    }
    return true;
toolong:
    cv_call_fail(c, "capstan: a range of more than %d numbers is too long", MAX_RANGE);
    return false;
}

static cval *f_until(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t n = argv[0]->u.i;
    cval *l;
    return until_step(c, 0, n, n < 0 ? -1 : 1, &l) ? l : NULL;
}

static cval *f_until_step(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval *l;
    return until_step(c, argv[0]->u.i, argv[1]->u.i, argv[2]->u.i, &l) ? l : NULL;
}

/* seq: numbers joined by spaces, through fmt.Sprint([]int) and Fields. */
static cval *f_seq(cv_call *c, int argc, cval **argv)
{
    int64_t start, end, step, inc = 1;
    switch (argc) {
    case 1:
        start = 1;
        end = argv[0]->u.i;
        if (end < start)
            inc = -1;
        step = inc;
        break;
    case 2:
        start = argv[0]->u.i;
        end = argv[1]->u.i;
        if (end < start)
            inc = -1;
        step = inc;
        break;
    case 3:
        start = argv[0]->u.i;
        end = argv[2]->u.i;
        step = argv[1]->u.i;
        if (end < start) {
            inc = -1;
            if (step > 0)
                return cv_string(c->a, "", 0);
        }
        break;
    default:
        return cv_string(c->a, "", 0);
    }
    cval *l;
    if (!until_step(c, start, (int64_t)((uint64_t)end + (uint64_t)inc), step, &l))
        return NULL;
    strbuf sb = STRBUF_INIT;
    size_t n = cv_list_len(l);
    for (size_t i = 0; i < n; i++)
        sb_addf(&sb, i ? " %lld" : "%lld", (long long)cv_list_get(l, i)->u.i);
    cval *r = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

const cv_fnreg fn_lists_table[] = {
    {"list", f_list, "v*"},
    {"tuple", f_list, "v*"},
    {"append", f_push, "vv"},
    {"push", f_push, "vv"},
    {"mustAppend", f_push, "vv"},
    {"mustPush", f_push, "vv"},
    {"prepend", f_prepend, "vv"},
    {"mustPrepend", f_prepend, "vv"},
    {"first", f_first, "v"},
    {"mustFirst", f_first, "v"},
    {"rest", f_rest, "v"},
    {"mustRest", f_rest, "v"},
    {"last", f_last, "v"},
    {"mustLast", f_last, "v"},
    {"initial", f_initial, "v"},
    {"mustInitial", f_initial, "v"},
    {"reverse", f_reverse, "v"},
    {"mustReverse", f_reverse, "v"},
    {"uniq", f_uniq, "v"},
    {"mustUniq", f_uniq, "v"},
    {"without", f_without, "vv*"},
    {"mustWithout", f_without, "vv*"},
    {"has", f_has, "vv"},
    {"mustHas", f_has, "vv"},
    {"slice", f_slice, "vv*"},
    {"mustSlice", f_slice, "vv*"},
    {"concat", f_concat, "v*"},
    {"chunk", f_chunk, "iv"},
    {"mustChunk", f_chunk, "iv"},
    {"compact", f_compact, "v"},
    {"mustCompact", f_compact, "v"},
    {"seq", f_seq, "i*"},
    {"until", f_until, "i"},
    {"untilStep", f_until_step, "iii"},
    {NULL, NULL, NULL},
};
