/* test_schema_json.c — values.schema.json is read by a strict JSON reader of
 * its own (numbers kept as written); json_parse, held to Go by its own tests,
 * words the errors. The two must agree on what is JSON: checked on every
 * schema of this repository and on those broken in many small ways. */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/arena.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "renderer/chart/values.h"
#include "yaml_texts.h"

typedef struct found {
    strbuf all[64];
    size_t n;
} found;

static bool is_schema(const char *name) { return !strcmp(name, "values.schema.json"); }

static void keep(void *ctx, const char *text, size_t len)
{
    found *f = ctx;
    if (f->n < 64)
        sb_add(&f->all[f->n++], text, len);
}

/* 1 when the text was taken as JSON; fails the test when the readers disagree */
static int check(const char *t, size_t len)
{
    arena *a = arena_new();
    cval *vals = cv_map_new(a), *j;
    strbuf problems = STRBUF_INIT;
    cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
    int r = values_validate_schema(a, t, len, "c", vals, &problems, &e1);
    int go = json_parse(a, t, len, NULL, &j, &e2);
    /* a number beyond float64 is no syntax error: Helm's decoder keeps numbers as written */
    bool range = go != 0 && e2.msg && strstr(e2.msg, "cannot unmarshal number");
    bool disagree = (e1.msg && strstr(e1.msg, "could not be read")) ||
                    (go != 0 && !range && r >= 0); /* json_parse refused, the schema reader took it */
    if (disagree) {
        fprintf(stderr, "schema reader and json_parse disagree (%s | %s) on:\n%.*s\n", e1.msg ? e1.msg : "ok",
                e2.msg ? e2.msg : "ok", (int)len, t);
        fail();
    }
    cap_err_clear(&e1);
    cap_err_clear(&e2);
    sb_release(&problems);
    arena_free(a);
    return go == 0 || range;
}

static void test_schemas(void **state)
{
    (void)state;
    static const char *const ins[] = {"\"", "\\", "{", "}", "[", "]", ",", ":", " ", "\n", "0", "-", ".", "e", "+",
                                      "x", "t", "\\u12", "\\u00e9", "\x01", "\xff", "01", "1.", "-a", "true", "nul"};
    found *f = calloc(1, sizeof *f);
    each_file("tests", is_schema, keep, f, 0);
    each_file("charts", is_schema, keep, f, 0);
    size_t n = f->n;
    strbuf *all = f->all;
    assert_true(n >= 5);
    strbuf sb = STRBUF_INIT;
    size_t tried = 0, json = 0;
    uint64_t seed = 0x9E3779B97F4A7C15u;
    for (size_t i = 0; i < n; i++) {
        json += (size_t)check(all[i].buf, all[i].len);
        tried++;
        size_t len = all[i].len, step = len / 120 + 1;
        for (size_t at = 0; at < len; at += step)
            for (size_t m = 0; m <= sizeof ins / sizeof ins[0]; m++) {
                mutate_at(&sb, all[i].buf, len, at, m < sizeof ins / sizeof ins[0] ? ins[m] : NULL);
                json += (size_t)check(sb.buf, sb.len);
                tried++;
            }
        for (int v = 0; v < 100; v++) {
            sb_reset(&sb);
            sb_add(&sb, all[i].buf, len);
            mutate_random(&sb, ins, sizeof ins / sizeof ins[0], &seed, 2);
            json += (size_t)check(sb.buf, sb.len);
            tried++;
        }
    }
    fprintf(stderr, "%zu schemas, %zu texts tried, %zu of them JSON\n", n, tried, json);
    sb_release(&sb);
    for (size_t i = 0; i < n; i++)
        sb_release(&all[i]);
    free(f);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_schemas),
};

UNIT_MAIN(tests)
