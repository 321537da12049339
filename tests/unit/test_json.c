/* test_json.c — encoding/json's Marshal, MarshalIndent and Encoder output and
 * Unmarshal's values and error messages, against Go's own (json_cases.h). */
#include "unit.h"
#include "core/json.h"
#include "core/gofmt.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "json_cases.h"
#include "tagged_values.h"


static int check(const char *what, const char *in, const strbuf *got, const char *want)
{
    if (strlen(want) == got->len && memcmp(sb_str(got), want, got->len) == 0)
        return 0;
    printf("MISMATCH %s %s\n   got  [%s]\n   want [%s]\n", what, in, sb_str(got), want);
    return 1;
}

static void emit_result(strbuf *out, int rc, cap_err *err)
{
    if (rc < 0) {
        sb_reset(out);
        sb_adds(out, "ERR:");
        sb_adds(out, err->msg);
        cap_err_clear(err);
    }
}

static int run_emit(const struct json_case *c)
{
    arena *a = arena_new();
    json_error_t jerr;
    json_t *spec = json_loads(c->in, JSON_DECODE_ANY | JSON_ALLOW_NUL, &jerr);
    cval *v = tagged_value(a, spec);
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    int bad = 0;
    emit_result(&out, json_emit(&out, v, 0, &err), &err);
    bad += check("Marshal", c->in, &out, c->w1);
    sb_reset(&out);
    emit_result(&out, json_emit_indent(&out, v, "", "  ", 0, &err), &err);
    bad += check("MarshalIndent", c->in, &out, c->w2);
    sb_reset(&out);
    emit_result(&out, json_emit(&out, v, JSON_RAW, &err), &err);
    bad += check("raw", c->in, &out, c->w3);
    sb_release(&out);
    json_decref(spec);
    arena_free(a);
    return bad;
}

static void unmarshal_result(strbuf *out, arena *a, const char *in, int into)
{
    cap_err err = CAP_ERR_INIT;
    cval *v = NULL;
    if (json_unmarshal(a, in, strlen(in), into, &v, &err) < 0) {
        sb_adds(out, "ERR:");
        sb_adds(out, err.msg);
        sb_addc(out, '|');
    }
    gofmt_value(out, v);
    cap_err_clear(&err);
}

static int run_parse(const struct json_case *c)
{
    arena *a = arena_new();
    strbuf out = STRBUF_INIT;
    int bad = 0;
    const char *want[] = { c->w1, c->w2, c->w3 };
    const int into[] = { JSON_INTO_ANY, JSON_INTO_MAP, JSON_INTO_LIST };
    const char *name[] = { "Unmarshal any", "Unmarshal map", "Unmarshal list" };
    for (int k = 0; k < 3; k++) {
        sb_reset(&out);
        unmarshal_result(&out, a, c->in, into[k]);
        bad += check(name[k], strlen(c->in) > 60 ? "(long)" : c->in, &out, want[k]);
    }
    sb_release(&out);
    arena_free(a);
    return bad;
}

static void go_cases(const char *kind)
{
    int n = 0, bad = 0;
    for (size_t i = 0; i < sizeof json_cases / sizeof json_cases[0]; i++) {
        const struct json_case *c = &json_cases[i];
        if (strcmp(c->kind, kind))
            continue;
        n++;
        bad += !strcmp(kind, "emit") ? run_emit(c) : run_parse(c);
    }
    printf("%s: %d cases, %d mismatches\n", kind, n, bad);
    assert_true(n > 0);
    assert_int_equal(bad, 0);
}

static void go_marshal(void **state) { (void)state; go_cases("emit"); }
static void go_unmarshal(void **state) { (void)state; go_cases("parse"); }

static void parse_error_location(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *text = "{\n  \"a\": 1,\n  \"b\": tru\n}";
    assert_int_equal(json_parse(a, text, strlen(text), "values.json", &v, &err), -1);
    assert_string_equal(err.msg, "invalid character '\\n' in literal true (expecting 'e')");
    assert_string_equal(err.file, "values.json");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 11);
    char *f = cap_err_format(&err);
    assert_string_equal(f, "values.json:3:11: invalid character '\\n' in literal true (expecting 'e')");
    free(f);
    cap_err_clear(&err);
    assert_int_equal(json_parse(a, "[1,", 3, NULL, &v, &err), -1);
    assert_string_equal(err.msg, "unexpected end of JSON input");
    assert_int_equal(err.line, 1);
    assert_int_equal(err.col, 4);
    cap_err_clear(&err);
    arena_free(a);
}

static void parse_values(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *text = "{\"n\": 12, \"big\": 9007199254740993, \"s\": \"a\\u0000b\", \"l\": [null, false]}";
    assert_int_equal(json_parse(a, text, strlen(text), NULL, &v, &err), 0);
    assert_int_equal(v->kind, CV_MAP);
    cval *n = cv_map_get(v, "n");
    assert_int_equal(n->kind, CV_FLOAT); /* numbers are float64, as in Go */
    assert_true(n->u.f == 12.0);
    assert_true(cv_map_get(v, "big")->u.f == 9007199254740992.0);
    cval *s = cv_map_get(v, "s");
    assert_int_equal(s->u.str.len, 3);
    assert_memory_equal(s->u.str.s, "a\0b", 3);
    cval *l = cv_map_get(v, "l");
    assert_int_equal(cv_list_len(l), 2);
    assert_int_equal(cv_list_get(l, 0)->kind, CV_NIL);
    assert_int_equal(cv_list_get(l, 1)->kind, CV_BOOL);
    /* a NUL byte outside a string is an error, not the end of the input */
    assert_int_equal(json_parse(a, "1\0", 2, NULL, &v, &err), -1);
    assert_string_equal(err.msg, "invalid character '\\x00' after top-level value");
    cap_err_clear(&err);
    /* range errors keep the value, with nil in place of the number */
    assert_int_equal(json_unmarshal(a, "{\"a\":1e999,\"b\":2}", 17, JSON_INTO_MAP, &v, &err), -1);
    assert_string_equal(err.msg, "json: cannot unmarshal number 1e999 into Go value of type float64");
    assert_int_equal(cv_map_len(v), 2);
    cap_err_clear(&err);
    arena_free(a);
}

static void emit_round_trip(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *text = "{\"a\":[1,2.5,\"x\",null,true,{}],\"b\":{\"c\":\"\\u003c\\u2028\"},\"d\":1e+21,\"e\":1e-7}";
    cval *v;
    assert_int_equal(json_parse(a, text, strlen(text), NULL, &v, &err), 0);
    strbuf out = STRBUF_INIT;
    assert_int_equal(json_emit(&out, v, 0, &err), 0);
    assert_string_equal(sb_str(&out), text);
    sb_reset(&out);
    assert_int_equal(json_emit_indent(&out, v, "> ", "\t", 0, &err), 0);
    assert_string_equal(sb_str(&out),
                        "{\n> \t\"a\": [\n> \t\t1,\n> \t\t2.5,\n> \t\t\"x\",\n> \t\tnull,\n> \t\ttrue,\n> \t\t{}\n> \t],\n"
                        "> \t\"b\": {\n> \t\t\"c\": \"\\u003c\\u2028\"\n> \t},\n> \t\"d\": 1e+21,\n> \t\"e\": 1e-7\n> }");
    sb_release(&out);
    arena_free(a);
}

static void emit_failure_leaves_output_alone(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    strbuf out = STRBUF_INIT;
    sb_adds(&out, "keep");
    cval *l = cv_list_new(a, 0);
    cv_list_push(l, cv_int(a, 1));
    cv_list_push(l, cv_float(a, -INFINITY));
    assert_int_equal(json_emit(&out, l, 0, &err), -1);
    assert_string_equal(err.msg, "json: unsupported value: -Inf");
    assert_string_equal(sb_str(&out), "keep");
    cap_err_clear(&err);
    /* a map that holds itself: Go reports a cycle */
    cval *m = cv_map_new(a);
    cv_map_set(m, "self", m);
    assert_int_equal(json_emit(&out, m, 0, &err), -1);
    assert_string_equal(err.msg, "json: unsupported value: encountered a cycle via map[string]interface {}");
    assert_string_equal(sb_str(&out), "keep");
    cap_err_clear(&err);
    /* objects and "no value" */
    static const cv_class cls = { "*chart.Metadata", "ptr", NULL, NULL, NULL, NULL };
    cval *o = cv_map_new(a);
    cv_map_set(o, "obj", cv_object(a, &cls, NULL));
    cv_map_set(o, "none", cv_novalue());
    sb_reset(&out);
    assert_int_equal(json_emit(&out, o, 0, &err), 0);
    assert_string_equal(sb_str(&out), "{\"none\":null,\"obj\":{}}");
    sb_release(&out);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(go_marshal),
    cmocka_unit_test(go_unmarshal),
    cmocka_unit_test(parse_error_location),
    cmocka_unit_test(parse_values),
    cmocka_unit_test(emit_round_trip),
    cmocka_unit_test(emit_failure_leaves_output_alone),
};

UNIT_MAIN(tests)
