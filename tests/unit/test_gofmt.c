/* test_gofmt.c — Go's fmt and strconv: %v, Sprintf's verbs and error forms,
 * Sprint/Sprintln spacing, FormatFloat and Quote. The table in gofmt_cases.h
 * holds Go's own output for each case. */
#include "unit.h"
#include "core/gofmt.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "gofmt_cases.h"
#include "tagged_values.h"


static int run_case(const struct gofmt_case *c)
{
    arena *a = arena_new();
    strbuf out = STRBUF_INIT;
    json_error_t jerr;
    json_t *args = json_loads(c->args, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    if (!strcmp(c->kind, "float")) {
        double f = strtod(json_string_value(json_array_get(args, 0)), NULL);
        gofmt_float(&out, f, c->fmt[0], (int)json_integer_value(json_array_get(args, 1)));
    } else if (!strcmp(c->kind, "quote")) {
        char buf[256];
        size_t n = unhex(c->fmt, buf);
        gofmt_quote(&out, buf, n);
    } else {
        size_t n = json_array_size(args);
        cval **argv = arena_alloc(a, (n + 1) * sizeof *argv);
        for (size_t i = 0; i < n; i++)
            argv[i] = tagged_value(a, json_array_get(args, i));
        if (!strcmp(c->kind, "sprintf"))
            gofmt_sprintf(&out, c->fmt, strlen(c->fmt), (int)n, argv);
        else if (!strcmp(c->kind, "sprint"))
            gofmt_sprint(&out, (int)n, argv);
        else
            gofmt_sprintln(&out, (int)n, argv);
    }
    int bad = strcmp(sb_str(&out), c->want) != 0;
    if (bad)
        printf("MISMATCH %s %s %s\n   got  [%s]\n   want [%s]\n", c->kind, c->fmt, c->args, sb_str(&out), c->want);
    json_decref(args);
    sb_release(&out);
    arena_free(a);
    return bad;
}

static void run_kind(const char *kind)
{
    int bad = 0, n = 0;
    for (size_t i = 0; i < sizeof gofmt_cases / sizeof gofmt_cases[0]; i++) {
        if (strcmp(gofmt_cases[i].kind, kind) != 0)
            continue;
        n++;
        bad += run_case(&gofmt_cases[i]);
    }
    printf("%s: %d cases, %d mismatches\n", kind, n, bad);
    assert_true(n > 0);
    assert_int_equal(bad, 0);
}

static void go_format_float(void **state) { (void)state; run_kind("float"); }
static void go_quote(void **state) { (void)state; run_kind("quote"); }
static void go_sprintf(void **state) { (void)state; run_kind("sprintf"); }
static void go_sprint(void **state) { (void)state; run_kind("sprint"); }
static void go_sprintln(void **state) { (void)state; run_kind("sprintln"); }

static char *value_str(const cval *v)
{
    strbuf sb = STRBUF_INIT;
    gofmt_value(&sb, v);
    return sb_detach(&sb, NULL);
}

#define ASSERT_VALUE(v, want)                 \
    do {                                      \
        char *s_ = value_str(v);              \
        assert_string_equal(s_, want);        \
        free(s_);                             \
    } while (0)

static void value_basics(void **state)
{
    (void)state;
    arena *a = arena_new();
    ASSERT_VALUE(cv_novalue(), "<no value>");
    ASSERT_VALUE(cv_nil(), "<nil>");
    ASSERT_VALUE(cv_true(), "true");
    ASSERT_VALUE(cv_int(a, -7), "-7");
    ASSERT_VALUE(cv_float(a, 1e6), "1e+06");
    ASSERT_VALUE(cv_float(a, 100000), "100000");
    ASSERT_VALUE(cv_float(a, 1.5e-7), "1.5e-07");
    ASSERT_VALUE(cv_float(a, 1.0 / 0.0), "+Inf");
    ASSERT_VALUE(cv_cstring(a, "raw \"s\""), "raw \"s\"");
    ASSERT_VALUE(cv_bytes(a, "hi", 2), "[104 105]");
    cval *l = cv_list_new(a, 0);
    cv_list_push(l, cv_cstring(a, "a"));
    cv_list_push(l, cv_novalue());
    cv_list_push(l, cv_nil());
    ASSERT_VALUE(l, "[a <nil> <nil>]");
    cval *m = cv_map_new(a);
    cv_map_set(m, "b", l);
    cv_map_set(m, "a", cv_int(a, 1));
    ASSERT_VALUE(m, "map[a:1 b:[a <nil> <nil>]]");
    arena_free(a);
}

static void fmt_object(strbuf *out, void *self)
{
    sb_addf(out, "&{%s}", (const char *)self);
}

static void value_objects(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const cv_class with = { "*chart.Metadata", "ptr", NULL, NULL, fmt_object, NULL };
    static const cv_class without = { "chartutil.Capabilities", "struct", NULL, NULL, NULL, NULL };
    ASSERT_VALUE(cv_object(a, &with, "x"), "&{x}");
    ASSERT_VALUE(cv_object(a, &without, NULL), "{}");
    cval *l = cv_list_new(a, 0);
    cv_list_push(l, cv_object(a, &with, "y"));
    /* fmt prints &{...} only at the top; inside a list or map, a pointer to a
     * struct is its address (Go's differs from run to run; ours is fixed) */
    ASSERT_VALUE(l, "[0xc000100000]");
    strbuf sb = STRBUF_INIT;
    cval *obj = cv_object(a, &with, "z");
    cval *argv[] = { obj, obj };
    gofmt_sprintf(&sb, "%T %d", 5, 2, argv);
    assert_string_equal(sb_str(&sb), "*chart.Metadata %!d(*chart.Metadata=&{z})");
    sb_reset(&sb);
    /* Stringer-like: widths and quoting apply to the text */
    gofmt_sprintf(&sb, "%6v|%-6s|%q|%x", 14, 4, (cval *[]){ obj, obj, obj, obj });
    assert_string_equal(sb_str(&sb), "  &{z}|&{z}  |\"&{z}\"|267b7a7d");
    sb_release(&sb);
    arena_free(a);
}

static void value_deep_nesting_is_bounded(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = cv_int(a, 1);
    for (int i = 0; i < GOFMT_MAX_DEPTH + 50; i++) {
        cval *l = cv_list_new(a, 1);
        cv_list_push(l, v);
        v = l;
    }
    strbuf sb = STRBUF_INIT;
    gofmt_value(&sb, v);
    assert_non_null(strstr(sb_str(&sb), "..."));
    sb_release(&sb);
    arena_free(a);
}

static void sprintf_novalue_args_act_as_nil(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    cval *argv[] = { cv_novalue(), cv_novalue() };
    gofmt_sprintf(&sb, "%v %d", 5, 2, argv);
    assert_string_equal(sb_str(&sb), "<nil> %!d(<nil>)");
    sb_reset(&sb);
    gofmt_sprint(&sb, 2, argv);
    assert_string_equal(sb_str(&sb), "<nil> <nil>");
    sb_release(&sb);
}

static void sprintf_embedded_nul_and_length(void **state)
{
    (void)state;
    arena *a = arena_new();
    strbuf sb = STRBUF_INIT;
    cval *argv[] = { cv_int(a, 3) };
    gofmt_sprintf(&sb, "a\0%d", 4, 1, argv);
    assert_int_equal(sb.len, 3);
    assert_memory_equal(sb.buf, "a\0" "3", 3);
    sb_reset(&sb);
    gofmt_sprintf(&sb, "%d%d", 2, 1, argv); /* only "%d" is in range */
    assert_string_equal(sb_str(&sb), "3");
    sb_release(&sb);
    arena_free(a);
}

static void utf8_helpers(void **state)
{
    (void)state;
    int32_t r;
    assert_int_equal(gofmt_decode_rune("\xe2\x98\xba", 3, &r), 3);
    assert_int_equal(r, 0x263a);
    assert_int_equal(gofmt_decode_rune("\xe2\x98", 2, &r), 1);
    assert_int_equal(r, 0xfffd);
    assert_int_equal(gofmt_decode_rune("\xed\xa0\x80", 3, &r), 1); /* surrogate */
    assert_int_equal(gofmt_decode_rune("\xc0\xaf", 2, &r), 1);     /* overlong */
    assert_int_equal(gofmt_decode_rune("\xf4\x90\x80\x80", 4, &r), 1);
    assert_int_equal(gofmt_decode_rune("\xf0\x9f\x98\x80", 4, &r), 4);
    assert_int_equal(r, 0x1f600);
    assert_int_equal(gofmt_rune_count("h\xc3\xa9\xff", 4), 3);
    assert_true(gofmt_isprint(' '));
    assert_false(gofmt_isprint('\t'));
    assert_false(gofmt_isprint(0xa0));
    assert_true(gofmt_isprint(0x263a));
    assert_false(gofmt_isprint(0x2028));
    assert_false(gofmt_isprint(0x110000));
    assert_true(gofmt_can_backquote("a\tb", 3));
    assert_false(gofmt_can_backquote("a`b", 3));
    assert_false(gofmt_can_backquote("\xff", 1));
    strbuf sb = STRBUF_INIT;
    gofmt_quote_rune(&sb, 0xd800, false);
    gofmt_quote_rune(&sb, '\'', false);
    gofmt_quote_rune(&sb, 0x263a, true);
    gofmt_quote_ascii(&sb, "\xe2\x98\xba\n", 4);
    assert_string_equal(sb_str(&sb), "'\xef\xbf\xbd''\\'''\\u263a'\"\\u263a\\n\"");
    sb_release(&sb);
}

static void format_ints(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    gofmt_int(&sb, INT64_MIN);
    sb_addc(&sb, ' ');
    gofmt_uint(&sb, UINT64_MAX);
    assert_string_equal(sb_str(&sb), "-9223372036854775808 18446744073709551615");
    sb_release(&sb);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(go_format_float),
    cmocka_unit_test(go_quote),
    cmocka_unit_test(go_sprintf),
    cmocka_unit_test(go_sprint),
    cmocka_unit_test(go_sprintln),
    cmocka_unit_test(value_basics),
    cmocka_unit_test(value_objects),
    cmocka_unit_test(value_deep_nesting_is_bounded),
    cmocka_unit_test(sprintf_novalue_args_act_as_nil),
    cmocka_unit_test(sprintf_embedded_nul_and_length),
    cmocka_unit_test(utf8_helpers),
    cmocka_unit_test(format_ints),
};

UNIT_MAIN(tests)
