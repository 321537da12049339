/* test_toml.c — toToml's and fromToml's behaviour against BurntSushi/toml's
 * own output (toml_cases.h), plus the edges Go would not show. */
#include "unit.h"
#include "core/toml.h"
#include "core/gofmt.h"
#include "core/json.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "toml_cases.h"
#include "tagged_values.h"


static int check(const char *what, const char *in, const strbuf *got, const char *want)
{
    if (strlen(want) == got->len && memcmp(sb_str(got), want, got->len) == 0)
        return 0;
    printf("MISMATCH %s %s\n   got  [%s]\n   want [%s]\n", what, in, sb_str(got), want);
    return 1;
}

static int run_emit(const struct toml_case *c)
{
    arena *a = arena_new();
    json_error_t jerr;
    json_t *spec = json_loads(c->in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    cval *v = tagged_value(a, spec);
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    if (toml_emit(&out, v, &err) < 0) {
        assert_int_equal(out.len, 0);
        sb_adds(&out, "ERR:");
        sb_adds(&out, err.msg);
        cap_err_clear(&err);
    }
    int bad = check("toToml", c->in, &out, c->w1);
    sb_release(&out);
    json_decref(spec);
    arena_free(a);
    return bad;
}

static int run_parse(const struct toml_case *c)
{
    arena *a = arena_new();
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    cval *v = NULL;
    int rc = toml_parse(a, c->in, strlen(c->in), NULL, &v, &err);
    if (rc < 0) {
        sb_adds(&out, "ERR:");
        sb_adds(&out, err.msg);
        sb_addc(&out, '|');
        cap_err_clear(&err);
    }
    gofmt_value(&out, v);
    int bad = check("fromToml", c->in, &out, c->w1);
    if (rc == 0 && c->w2[0]) {
        sb_reset(&out);
        if (json_emit(&out, v, 0, &err) < 0) {
            sb_adds(&out, "ERR:");
            sb_adds(&out, err.msg);
            cap_err_clear(&err);
        }
        bad += check("fromToml|toJson", c->in, &out, c->w2);
    }
    sb_release(&out);
    arena_free(a);
    return bad;
}

static void go_cases(const char *kind)
{
    int n = 0, bad = 0;
    for (size_t i = 0; i < sizeof toml_cases / sizeof toml_cases[0]; i++) {
        const struct toml_case *c = &toml_cases[i];
        if (strncmp(c->kind, kind, strlen(kind)))
            continue;
        n++;
        bad += !strcmp(kind, "emit") ? run_emit(c) : run_parse(c);
    }
    printf("%s: %d cases, %d mismatches\n", kind, n, bad);
    assert_true(n > 0);
    assert_int_equal(bad, 0);
}

static void go_encode(void **state) { (void)state; go_cases("emit"); }
static void go_decode(void **state) { (void)state; go_cases("parse"); }

static void parse_types(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *doc = "i = 3\nf = 3.0\n[[t]]\nx = 1\n[s]\nl = [1]\n";
    assert_int_equal(toml_parse(a, doc, strlen(doc), NULL, &v, &err), 0);
    assert_int_equal(cv_map_get(v, "i")->kind, CV_INT);
    assert_int_equal(cv_map_get(v, "f")->kind, CV_FLOAT);
    assert_string_equal(cv_gotype(cv_map_get(v, "t")), "[]map[string]interface {}");
    assert_string_equal(cv_gotype(cv_map_get(cv_map_get(v, "s"), "l")), "[]interface {}");
    arena_free(a);
}

static void parse_errors_are_clean(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *bad[] = { "a = \"\\u12\"", "a = [1,,2]", "a = {x = 1 y = 2}", "[a.]", "a = 1\x01",
                          "\xff = 1", "a = 1979-13-01", "a = 0x", "a = \"\"\"abc", "[[a]\n", "a = +0x10" };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        assert_int_equal(toml_parse(a, bad[i], strlen(bad[i]), "x.toml", &v, &err), -1);
        assert_non_null(err.msg);
        assert_true(strncmp(err.msg, "toml: line ", 11) == 0);
        assert_string_equal(err.file, "x.toml");
        assert_int_equal(cv_map_len(v), 0);
        cap_err_clear(&err);
    }
    arena_free(a);
}

static void deep_nesting_is_bounded(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    strbuf doc = STRBUF_INIT;
    sb_adds(&doc, "a = ");
    for (int i = 0; i < 5000; i++)
        sb_adds(&doc, "[");
    cval *v;
    assert_int_equal(toml_parse(a, doc.buf, doc.len, NULL, &v, &err), -1);
    cap_err_clear(&err);
    sb_reset(&doc);
    sb_adds(&doc, "a = ");
    for (int i = 0; i < 5000; i++)
        sb_adds(&doc, "{b = ");
    assert_int_equal(toml_parse(a, doc.buf, doc.len, NULL, &v, &err), -1);
    cap_err_clear(&err);
    sb_release(&doc);
    /* the encoder refuses a map that holds itself */
    cval *m = cv_map_new(a);
    cval *inner = cv_map_new(a);
    cv_map_set(m, "x", inner);
    cv_map_set(inner, "y", m);
    strbuf out = STRBUF_INIT;
    assert_int_equal(toml_emit(&out, m, &err), -1);
    assert_int_equal(out.len, 0);
    cap_err_clear(&err);
    sb_release(&out);
    arena_free(a);
}

static void round_trip(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *doc = "a = 1\nb = \"x\\ty\"\nc = [1.5, \"two\"]\n\n[[arr]]\n  n = 1\n\n[[arr]]\n  n = 2\n\n[t]\n  k = true\n  [t.u]\n    z = -3\n";
    cval *v;
    assert_int_equal(toml_parse(a, doc, strlen(doc), NULL, &v, &err), 0);
    strbuf out = STRBUF_INIT;
    assert_int_equal(toml_emit(&out, v, &err), 0);
    assert_string_equal(sb_str(&out), doc);
    sb_release(&out);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(go_encode),
    cmocka_unit_test(go_decode),
    cmocka_unit_test(parse_types),
    cmocka_unit_test(parse_errors_are_clean),
    cmocka_unit_test(deep_nesting_is_bounded),
    cmocka_unit_test(round_trip),
};

UNIT_MAIN(tests)
