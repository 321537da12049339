/* test_fn_util.c — Go's strconv parsers and spf13/cast as Sprig uses them.
 * Expected values come from Go (cast v1.7.0, strconv) and helm v4.1.4. */
#include "unit.h"
#include "renderer/funcs/fn_util.h"

#include <math.h>
#include <string.h>

static int pint(const char *s, int64_t *out) { return fn_parse_int(s, strlen(s), 0, out); }
static int pflt(const char *s, double *out) { return fn_parse_float(s, strlen(s), out); }

static void parse_int_base0(void **state)
{
    (void)state;
    int64_t v;
    assert_int_equal(pint("0x10", &v), FN_PARSE_OK); assert_int_equal(v, 16);
    assert_int_equal(pint("0X1F", &v), FN_PARSE_OK); assert_int_equal(v, 31);
    assert_int_equal(pint("08", &v), FN_PARSE_SYNTAX); assert_int_equal(v, 0);
    assert_int_equal(pint("010", &v), FN_PARSE_OK); assert_int_equal(v, 8);
    assert_int_equal(pint("0o17", &v), FN_PARSE_OK); assert_int_equal(v, 15);
    assert_int_equal(pint("0b101", &v), FN_PARSE_OK); assert_int_equal(v, 5);
    assert_int_equal(pint("1_000", &v), FN_PARSE_OK); assert_int_equal(v, 1000);
    assert_int_equal(pint("0x_1", &v), FN_PARSE_OK); assert_int_equal(v, 1);
    assert_int_equal(pint("0_1", &v), FN_PARSE_OK); assert_int_equal(v, 1);
    assert_int_equal(pint("1__0", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint("_1", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint("-0x8000000000000000", &v), FN_PARSE_OK); assert_true(v == INT64_MIN);
    assert_int_equal(pint("9223372036854775808", &v), FN_PARSE_RANGE); assert_true(v == INT64_MAX);
    assert_int_equal(pint("-9223372036854775809", &v), FN_PARSE_RANGE); assert_true(v == INT64_MIN);
    assert_int_equal(pint("99999999999999999999999", &v), FN_PARSE_RANGE);
    assert_int_equal(pint("0", &v), FN_PARSE_OK); assert_int_equal(v, 0);
    assert_int_equal(pint("-", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint("", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint("+5", &v), FN_PARSE_OK); assert_int_equal(v, 5);
    assert_int_equal(pint("1e3", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint("0b", &v), FN_PARSE_SYNTAX);
    assert_int_equal(pint(" 1", &v), FN_PARSE_SYNTAX);
    assert_int_equal(fn_parse_int("777", 3, 8, &v), FN_PARSE_OK); assert_int_equal(v, 511);
    assert_int_equal(fn_parse_int("1_0", 3, 10, &v), FN_PARSE_SYNTAX);
}

static void parse_float_go(void **state)
{
    (void)state;
    double f;
    assert_int_equal(pflt("1_000", &f), FN_PARSE_OK); assert_true(f == 1000);
    assert_int_equal(pflt("0x1p-2", &f), FN_PARSE_OK); assert_true(f == 0.25);
    assert_int_equal(pflt("0x1_0p0", &f), FN_PARSE_OK); assert_true(f == 16);
    assert_int_equal(pflt("1e400", &f), FN_PARSE_RANGE); assert_true(isinf(f) && f > 0);
    assert_int_equal(pflt("-1e400", &f), FN_PARSE_RANGE);
    assert_int_equal(pflt("1e-400", &f), FN_PARSE_OK); assert_true(f == 0);
    assert_int_equal(pflt("inf", &f), FN_PARSE_OK); assert_true(isinf(f));
    assert_int_equal(pflt("+Inf", &f), FN_PARSE_OK); assert_true(isinf(f));
    assert_int_equal(pflt("-infinity", &f), FN_PARSE_OK); assert_true(isinf(f) && f < 0);
    assert_int_equal(pflt("nan", &f), FN_PARSE_OK); assert_true(isnan(f));
    assert_int_equal(pflt("+nan", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("infin", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt(".5", &f), FN_PARSE_OK); assert_true(f == 0.5);
    assert_int_equal(pflt("5.", &f), FN_PARSE_OK); assert_true(f == 5);
    assert_int_equal(pflt("1e", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("0x10", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("0x", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("1_", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("_1", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("1__0", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt(" 1", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("1.5e+3", &f), FN_PARSE_OK); assert_true(f == 1500);
    assert_int_equal(pflt("0.1", &f), FN_PARSE_OK); assert_true(f == 0.1);
    assert_int_equal(pflt("", &f), FN_PARSE_SYNTAX);
    assert_int_equal(pflt("1.2.3", &f), FN_PARSE_SYNTAX);
}

static void cast_int64_and_float64(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct { const char *s; int64_t i; double f; } cases[] = {
        {"0x10", 16, 0}, {"08", 0, 8}, {"010", 8, 10}, {"3.0", 3, 3}, {"3.50", 0, 3.5},
        {"-3.00", -3, -3}, {"1e3", 0, 1000}, {" 1", 0, 0}, {"3.7", 0, 3.7},
        {"9223372036854775808", 0, 9.223372036854776e+18}, {"1_000", 1000, 1000},
        {"0b11", 3, 0}, {"", 0, 0}, {"+7", 7, 7},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        cval *v = cv_cstring(a, cases[k].s);
        assert_int_equal(fn_to_int64(v), cases[k].i);
        assert_true(fn_to_float64(v) == cases[k].f);
    }
    assert_int_equal(fn_to_int64(cv_float(a, 3.7)), 3);
    assert_int_equal(fn_to_int64(cv_float(a, -3.7)), -3);
    assert_true(fn_to_int64(cv_float(a, 1e19)) == INT64_MIN);
    assert_true(fn_to_int64(cv_float(a, NAN)) == INT64_MIN);
    assert_int_equal(fn_to_int64(cv_nil()), 0);
    assert_int_equal(fn_to_int64(cv_novalue()), 0);
    assert_int_equal(fn_to_int64(cv_true()), 1);
    assert_int_equal(fn_to_int64(cv_false()), 0);
    assert_int_equal(fn_to_int64(cv_uint(a, UINT64_MAX, NULL)), -1);
    assert_true(fn_to_float64(cv_uint(a, UINT64_MAX, NULL)) == 18446744073709551615.0);
    assert_int_equal(fn_to_int64(cv_bytes(a, "5", 1)), 0);
    assert_int_equal(fn_to_int64(cv_goint(a, 42)), 42);
    /* named types fall outside cast's type switch */
    assert_int_equal(fn_to_int64(cv_int_typed(a, 5, "time.Duration")), 0);
    int64_t i;
    assert_int_equal(fn_cast_int64(cv_list_new(a, 0), &i), -1);
    assert_int_equal(fn_cast_int64(cv_cstring(a, "x"), &i), -1);
    assert_int_equal(fn_cast_int64(cv_cstring(a, "12"), &i), 0);
    assert_int_equal(i, 12);
    double f;
    assert_int_equal(fn_cast_float64(cv_map_new(a), &f), -1);
    assert_int_equal(fn_cast_float64(cv_cstring(a, "1e400"), &f), -1);
    assert_true(f == 0);
    arena_free(a);
}

static void slices_and_kinds(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *b = cv_bytes(a, "hi", 2);
    assert_true(fn_is_slice(b));
    assert_int_equal(fn_slice_len(b), 2);
    cval *e = fn_slice_at(a, b, 1);
    assert_int_equal(e->kind, CV_UINT);
    assert_int_equal(e->u.u, 'i');
    assert_string_equal(cv_gotype(e), "uint8");
    cval *raw = fn_to_raw_list(a, b);
    assert_int_equal(cv_list_len(raw), 2);
    assert_false(fn_is_slice(cv_cstring(a, "x")));
    assert_false(fn_is_slice(cv_map_new(a)));
    assert_string_equal(fn_kind_name(cv_goint(a, 1)), "int");
    assert_string_equal(fn_kind_name(cv_float(a, 1)), "float64");
    assert_string_equal(fn_kind_name(cv_map_new(a)), "map");
    assert_string_equal(fn_kind_name(cv_list_new(a, 0)), "slice");
    const char *items[] = {"a", "b"};
    cval *sl = fn_string_list(a, 2, items);
    assert_string_equal(cv_gotype(sl), "[]string");
    cval *ss = fn_strslice(a, sl);
    assert_int_equal(cv_list_len(ss), 2);
    assert_string_equal(cv_list_get(ss, 1)->u.str.s, "b");
    assert_int_equal(cv_list_len(fn_strslice(a, cv_nil())), 0);
    cval *one = fn_strslice(a, cv_cstring(a, "x"));
    assert_int_equal(cv_list_len(one), 1);
    arena_free(a);
}

static void strval_like_sprig(void **state)
{
    (void)state;
    arena *a = arena_new();
    size_t n;
    assert_string_equal(fn_strval_a(a, cv_cstring(a, "x"), &n), "x");
    assert_string_equal(fn_strval_a(a, cv_bytes(a, "hi", 2), &n), "hi");
    assert_string_equal(fn_strval_a(a, cv_nil(), &n), "<nil>");
    assert_string_equal(fn_strval_a(a, cv_novalue(), &n), "<nil>");
    assert_string_equal(fn_strval_a(a, cv_float(a, 1e6), &n), "1e+06");
    assert_string_equal(fn_strval_a(a, cv_float(a, 0.1), &n), "0.1");
    assert_string_equal(fn_strval_a(a, cv_int(a, -5), &n), "-5");
    assert_string_equal(fn_strval_a(a, cv_true(), &n), "true");
    cval *l = cv_list_new(a, 2);
    cv_list_push(l, cv_goint(a, 1));
    cv_list_push(l, cv_cstring(a, "a"));
    assert_string_equal(fn_strval_a(a, l, &n), "[1 a]");
    cval *m = cv_map_new(a);
    cv_map_set(m, "b", cv_nil());
    cv_map_set(m, "a", l);
    assert_string_equal(fn_strval_a(a, m, &n), "map[a:[1 a] b:<nil>]");
    assert_int_equal(n, strlen("map[a:[1 a] b:<nil>]"));
    cval *ts = fn_tostring(a, cv_float(a, 2.5));
    assert_int_equal(ts->kind, CV_STRING);
    assert_string_equal(ts->u.str.s, "2.5");
    const char *s;
    assert_int_equal(fn_cast_string(a, cv_float(a, 1e21), &s, &n), 0);
    assert_string_equal(s, "1000000000000000000000");
    assert_int_equal(fn_cast_string(a, cv_nil(), &s, &n), 0);
    assert_string_equal(s, "");
    assert_int_equal(fn_cast_string(a, cv_map_new(a), &s, &n), -1);
    assert_string_equal(fn_cast_errmsg(a, cv_cstring(a, "x"), "int64"), "unable to cast \"x\" of type string to int64");
    arena_free(a);
}

static void utf8_and_unicode(void **state)
{
    (void)state;
    size_t sz;
    assert_int_equal(fn_utf8_decode("\xc3\xa9", 2, &sz), 0xE9);
    assert_int_equal(sz, 2);
    assert_int_equal(fn_utf8_decode("\xc3", 1, &sz), FN_RUNE_ERROR);
    assert_int_equal(sz, 1);
    assert_int_equal(fn_utf8_decode("\xed\xa0\x80", 3, &sz), FN_RUNE_ERROR); /* surrogate */
    assert_int_equal(fn_utf8_decode("\xc0\xaf", 2, &sz), FN_RUNE_ERROR);     /* overlong */
    assert_int_equal(fn_utf8_decode_last("a\xc3\xa9", 3, &sz), 0xE9);
    assert_int_equal(sz, 2);
    assert_int_equal(fn_utf8_decode_last("a\xa9", 2, &sz), FN_RUNE_ERROR);
    assert_int_equal(sz, 1);
    strbuf sb = STRBUF_INIT;
    fn_utf8_put(&sb, 0xD800);
    fn_utf8_put(&sb, 0x1F600);
    assert_int_equal(sb.len, 7);
    assert_memory_equal(sb.buf, "\xef\xbf\xbd\xf0\x9f\x98\x80", 7);
    sb_release(&sb);
    assert_int_equal(fn_to_upper(0x01C6), 0x01C4); /* ǆ -> Ǆ */
    assert_int_equal(fn_to_title(0x01C6), 0x01C5); /* ǆ -> ǅ */
    assert_int_equal(fn_to_lower(0x0130), 'i');    /* İ -> i */
    assert_int_equal(fn_to_upper(0x00DF), 0x00DF); /* ß has no simple upper case */
    assert_true(fn_is_space(0x3000) && fn_is_space(0x85) && !fn_is_space(0x200B));
    assert_true(fn_is_title(0x01C5) && !fn_is_upper(0x01C5));
    assert_true(fn_is_punct('!') && !fn_is_punct('$'));
    assert_true(fn_is_number(0x00B2) && fn_is_letter(0x65E5));
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(strval_like_sprig),
    cmocka_unit_test(utf8_and_unicode),
    cmocka_unit_test(parse_int_base0),
    cmocka_unit_test(parse_float_go),
    cmocka_unit_test(cast_int64_and_float64),
    cmocka_unit_test(slices_and_kinds),
};

UNIT_MAIN(tests)
