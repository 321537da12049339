/* test_yaml.c — YAML in and out against helm v4.1.4's own output.
 *
 * yaml_cases.txt (made by gen_yaml_cases.py with real helm) holds values
 * files and what helm prints for {{ toYaml .Values }}, or the error helm
 * gives; every case goes through yaml_parse_values and yaml_emit here. The
 * other tests check types, positions, the --set value kinds, and that no
 * input crashes the reader. */
#include "unit.h"
#include "core/yaml.h"
#include "core/yaml_int.h"
#include "core/strbuf.h"
#include "core/value.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#ifndef YAML_CASES
#define YAML_CASES "tests/unit/yaml_cases.txt"
#endif

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    return sb_detach(&sb, len);
}

static int b64v(int c)
{
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
}

static void b64dec(strbuf *out, const char *s, size_t n)
{
    unsigned v = 0;
    int bits = 0;
    for (size_t i = 0; i < n; i++) {
        int d = b64v((unsigned char)s[i]);
        if (d < 0)
            continue;
        v = v << 6 | (unsigned)d;
        bits += 6;
        if (bits >= 8) {
            bits -= 8;
            sb_addc(out, (char)(v >> bits & 0xff));
        }
    }
}

/* Next line of the file: [*pos, end of line] (without '\n'); false at the end. */
static bool next_line(const char *t, size_t len, size_t *pos, const char **l, size_t *ll)
{
    if (*pos >= len)
        return false;
    const char *nl = memchr(t + *pos, '\n', len - *pos);
    size_t e = nl ? (size_t)(nl - t) : len;
    *l = t + *pos;
    *ll = e - *pos;
    *pos = nl ? e + 1 : len;
    return true;
}

/* yaml_parse_values reads a text that is one document in place; the long
 * way (yaml_parse_values_split) copies each document line by line. Both must
 * give the same values, or the same error at the same line. */
static bool same_as_split(const char *text, size_t len, const char *name)
{
    arena *a = arena_new();
    cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
    cval *v1 = NULL, *v2 = NULL;
    int r1 = yaml_parse_values(a, text, len, "values.yaml", &v1, &e1);
    int r2 = yaml_parse_values_split(a, text, len, "values.yaml", &v2, &e2);
    strbuf o1 = STRBUF_INIT, o2 = STRBUF_INIT;
    bool same = r1 == r2;
    if (same && r1)
        same = e1.msg && e2.msg && !strcmp(e1.msg, e2.msg) && e1.line == e2.line;
    if (same && !r1) {
        cap_err x = CAP_ERR_INIT;
        int q1 = yaml_emit(&o1, v1, &x), q2 = yaml_emit(&o2, v2, &x);
        same = q1 == q2 && o1.len == o2.len && !memcmp(sb_str(&o1), sb_str(&o2), o1.len);
        cap_err_clear(&x);
    }
    if (!same)
        fprintf(stderr, "case %s: read in place and split differ: %s / %s\n", name, r1 ? e1.msg : sb_str(&o1),
                r2 ? e2.msg : sb_str(&o2));
    sb_release(&o1);
    sb_release(&o2);
    cap_err_clear(&e1);
    cap_err_clear(&e2);
    arena_free(a);
    return same;
}

static void values_in_place_as_split(void **state)
{
    (void)state;
    static const char *const texts[] = {
        "a: 1\n", "a: 1", "", "\n", "# only a comment\n", "a: 1\n---\nb: 2\n", "---\na: 1\n",
        "a: 1\n--- # c\nb: 2\n", "a: 1\n--- x\n", "a: 1\n----\nb: 2\n", "a: 1\r\nb: 2\r\n",
        "a: |\n  ---\n  x\n", "a: \"\n---\"\n", "a:\n- 1\n- 2\n", "- 1\n", "a: [1, 2\n",
        "a: 1\n a: 2\n", "a: 1\na: 2\n", "a: &x 1\nb: *x\n", "a: 1\n...\nb: 2\n", "\xEF\xBB\xBF" "a: 1\n",
        "a: b\n---\n", "x: 1\n-- \ny: 2\n", "k: v\n\t- bad\n",
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        char name[16];
        snprintf(name, sizeof name, "text %zu", i);
        assert_true(same_as_split(texts[i], strlen(texts[i]), name));
    }
}

static void helm_cases(void **state)
{
    (void)state;
    size_t len;
    char *t = slurp(YAML_CASES, &len);
    assert_non_null(t);
    size_t pos = 0, ll;
    const char *l;
    int cases = 0, failed = 0, pretty_cases = 0, pretty_failed = 0;
    while (next_line(t, len, &pos, &l, &ll)) {
        if (ll < 9 || memcmp(l, "@@@ case ", 9) != 0)
            continue;
        char name[128];
        size_t nl = ll - 9 < sizeof name - 1 ? ll - 9 : sizeof name - 1;
        memcpy(name, l + 9, nl);
        name[nl] = 0;
        bool b64 = nl > 4 && !strcmp(name + nl - 4, " b64");
        if (b64)
            name[nl - 4] = 0;
        strbuf in = STRBUF_INIT, want = STRBUF_INIT, pretty = STRBUF_INIT;
        bool has_pretty = false, emit_err = false;
        int mode = 0; /* 0 input, 1 expect, 2 error */
        bool is_err = false;
        while (next_line(t, len, &pos, &l, &ll)) {
            if (ll == 10 && !memcmp(l, "@@@ expect", 10)) {
                mode = 1;
                continue;
            }
            if (ll == 9 && !memcmp(l, "@@@ error", 9)) {
                mode = 2;
                is_err = true;
                continue;
            }
            if (ll == 10 && !memcmp(l, "@@@ pretty", 10)) {
                mode = 4;
                has_pretty = true;
                continue;
            }
            if (ll == 14 && !memcmp(l, "@@@ emit-error", 14)) {
                mode = 3;
                emit_err = true;
                continue;
            }
            if (ll == 7 && !memcmp(l, "@@@ end", 7))
                break;
            if (mode == 0 && b64) {
                b64dec(&in, l, ll);
            } else if (mode == 2) {
                sb_add(&want, l, ll);
            } else {
                strbuf *sb = mode == 0 ? &in : mode == 4 ? &pretty : &want;
                sb_add(sb, l, ll);
                sb_addc(sb, '\n');
            }
        }
        cases++;
        arena *a = arena_new();
        cap_err err = CAP_ERR_INIT;
        cval *v = NULL;
        strbuf got = STRBUF_INIT;
        int rc = yaml_parse_values(a, in.buf ? in.buf : "", in.len, "values.yaml", &v, &err);
        bool ok;
        if (is_err) {
            ok = rc != 0 && err.msg && !strcmp(err.msg, sb_str(&want));
            if (!ok)
                fprintf(stderr, "case %s: want error\n  %s\ngot %s\n  %s\n", name, sb_str(&want),
                        rc ? "error" : "success", err.msg ? err.msg : "");
        } else if (rc != 0) {
            ok = false;
            fprintf(stderr, "case %s: unexpected error %s\n", name, err.msg);
        } else {
            cap_err eerr = CAP_ERR_INIT;
            rc = yaml_emit(&got, v, &eerr);
            if (emit_err)
                ok = rc != 0 && eerr.msg && got.len == 0;
            else
                ok = rc == 0 && got.len == want.len && !memcmp(sb_str(&got), sb_str(&want), got.len);
            if (!ok)
                fprintf(stderr, "case %s: want\n%s---- got\n%s----\n", name, sb_str(&want),
                        rc ? eerr.msg : sb_str(&got));
            cap_err_clear(&eerr);
            if (has_pretty) {
                strbuf pg = STRBUF_INIT;
                rc = yaml_emit_pretty(&pg, v, &eerr);
                bool pok = rc == 0 && pg.len == pretty.len && !memcmp(sb_str(&pg), sb_str(&pretty), pg.len);
                if (!pok) {
                    fprintf(stderr, "case %s (pretty): want\n%s---- got\n%s----\n", name, sb_str(&pretty),
                            rc ? eerr.msg : sb_str(&pg));
                    pretty_failed++;
                }
                pretty_cases++;
                sb_release(&pg);
                cap_err_clear(&eerr);
            }
        }
        if (!ok)
            failed++;
        /* the same input read the long way (split into documents, each
         * copied), and with CRLF line ends, which force it: same answer */
        if (!same_as_split(in.buf ? in.buf : "", in.len, name))
            failed++;
        cap_err_clear(&err);
        sb_release(&got);
        sb_release(&in);
        sb_release(&want);
        sb_release(&pretty);
        arena_free(a);
    }
    free(t);
    fprintf(stderr, "helm cases: %d, failed %d; toYamlPretty: %d, failed %d\n", cases, failed, pretty_cases,
            pretty_failed);
    assert_true(cases >= 150);
    assert_true(pretty_cases >= 150);
    assert_int_equal(failed, 0);
    assert_int_equal(pretty_failed, 0);
}

/* ---- reading ------------------------------------------------------------ */

static cval *parse_ok(arena *a, const char *text)
{
    cap_err err = CAP_ERR_INIT;
    cval *v = NULL;
    int rc = yaml_parse(a, text, strlen(text), "t.yaml", &v, &err);
    if (rc)
        fprintf(stderr, "parse %s: %s\n", text, err.msg);
    assert_int_equal(rc, 0);
    cap_err_clear(&err);
    return v;
}

static void numbers_are_float64(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = parse_ok(a, "a: 1000000\nb: 0x10\nc: 1.5\nd: [1, 2]\ne: 18446744073709551615\n");
    assert_int_equal(v->kind, CV_MAP);
    cval *x = cv_map_get(v, "a");
    assert_int_equal(x->kind, CV_FLOAT);
    assert_true(x->u.f == 1e6);
    assert_true(cv_map_get(v, "b")->u.f == 16);
    assert_true(cv_map_get(v, "c")->u.f == 1.5);
    assert_int_equal(cv_list_get(cv_map_get(v, "d"), 1)->kind, CV_FLOAT);
    assert_true(cv_map_get(v, "e")->u.f == 18446744073709551615.0);
    arena_free(a);
}

static void scalars_resolve_as_yaml11(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = parse_ok(a, "a: yes\nb: Off\nc: ~\nd: 2001-12-14\ne: '1'\nf: 1e400\ng: 0o17\nh: 1_000\n"
                          "i: !!str 1\nj: \"on\"\nk: .5\nl: 08\n");
    assert_int_equal(cv_map_get(v, "a")->kind, CV_BOOL);
    assert_true(cv_map_get(v, "a")->u.b);
    assert_false(cv_map_get(v, "b")->u.b);
    assert_int_equal(cv_map_get(v, "c")->kind, CV_NIL);
    assert_string_equal(cv_map_get(v, "d")->u.str.s, "2001-12-14");
    assert_string_equal(cv_map_get(v, "e")->u.str.s, "1");
    assert_string_equal(cv_map_get(v, "f")->u.str.s, "1e400");
    assert_true(cv_map_get(v, "g")->u.f == 15);
    assert_true(cv_map_get(v, "h")->u.f == 1000);
    assert_string_equal(cv_map_get(v, "i")->u.str.s, "1");
    assert_string_equal(cv_map_get(v, "j")->u.str.s, "on");
    assert_true(cv_map_get(v, "k")->u.f == 0.5);
    assert_true(cv_map_get(v, "l")->u.f == 8);
    arena_free(a);
}

/* go-yaml's YAML 1.1 words, as lists (what yaml_resolve_plain looked up
 * before it went by length): 1 true, 0 false, 2 null, -1 a string. */
static int listed_word(const char *s, size_t n)
{
    static const char *const yes[] = {"y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON", NULL};
    static const char *const no[] = {"n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF", NULL};
    static const char *const nul[] = {"~", "null", "Null", "NULL", NULL};
    const char *const *lists[] = {no, yes, nul};
    for (int k = 0; k < 3; k++)
        for (const char *const *w = lists[k]; *w; w++)
            if (strlen(*w) == n && memcmp(*w, s, n) == 0)
                return k;
    return -1;
}

static int resolved_word(const char *s, size_t n)
{
    yres r = yaml_resolve_plain(s, n);
    return r.kind == YRES_BOOL ? (r.u.b ? 1 : 0) : r.kind == YRES_NULL ? 2 : r.kind == YRES_STR ? -1 : 9;
}

/* Every string of one to three letters from the words' letters, and every
 * casing of every word, resolve as the lists say. */
static void words_resolve_as_listed(void **state)
{
    (void)state;
    static const char abc[] = "yYeEsSnNoOtTrRuUfFaAlL~x";
    size_t m = sizeof abc - 1;
    char w[6];
    for (size_t n = 1; n <= 3; n++) {
        size_t total = 1;
        for (size_t i = 0; i < n; i++)
            total *= m;
        for (size_t k = 0; k < total; k++) {
            size_t x = k;
            for (size_t i = 0; i < n; i++, x /= m)
                w[i] = abc[x % m];
            if (resolved_word(w, n) != listed_word(w, n))
                fail_msg("\"%.*s\": %d, listed %d", (int)n, w, resolved_word(w, n), listed_word(w, n));
        }
    }
    static const char *const words[] = {"yes", "true", "on", "no", "false", "off", "null", "nul", "fals", "falsey"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i]);
        for (unsigned mask = 0; mask < 1u << n; mask++) {
            for (size_t j = 0; j < n; j++)
                w[j] = (char)(mask >> j & 1 ? words[i][j] - 32 : words[i][j]);
            if (resolved_word(w, n) != listed_word(w, n))
                fail_msg("\"%.*s\": %d, listed %d", (int)n, w, resolved_word(w, n), listed_word(w, n));
        }
    }
}

static void parse_first_document_and_types(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = parse_ok(a, "- a\n---\n- b\n");
    assert_int_equal(v->kind, CV_LIST);
    assert_int_equal(cv_list_len(v), 1);
    v = parse_ok(a, "");
    assert_int_equal(v->kind, CV_NIL);
    v = parse_ok(a, "# only a comment\n");
    assert_int_equal(v->kind, CV_NIL);
    v = parse_ok(a, "hello");
    assert_string_equal(v->u.str.s, "hello");

    cap_err err = CAP_ERR_INIT;
    assert_int_equal(yaml_parse_map(a, "- a\n", 4, "f", &v, &err), -1);
    assert_string_equal(err.msg, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array "
                                 "into Go value of type map[string]interface {}");
    cap_err_clear(&err);
    assert_int_equal(yaml_parse_list(a, "a: 1\n", 5, "f", &v, &err), -1);
    assert_string_equal(err.msg, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object "
                                 "into Go value of type []interface {}");
    cap_err_clear(&err);
    assert_int_equal(yaml_parse_list(a, "[1, x]", 6, "f", &v, &err), 0);
    assert_int_equal(cv_list_len(v), 2);

    const char *t = "a: 1\n---\n- b\n---\n";
    assert_int_equal(yaml_parse_all(a, t, strlen(t), "f", &v, &err), 0);
    assert_int_equal(cv_list_len(v), 3);
    assert_int_equal(cv_list_get(v, 0)->kind, CV_MAP);
    assert_int_equal(cv_list_get(v, 1)->kind, CV_LIST);
    assert_int_equal(cv_list_get(v, 2)->kind, CV_NIL);
    arena_free(a);
}

/* Chart.yaml's appVersion: 1.10 is "1.1" to Helm, description: 1000000 is
 * "1000000" and home: 1e6 is "1e+06" (checked with helm v4.1.4). */
static void raw_values_and_string_coercion(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *t = "appVersion: 1.10\ndescription: 1000000\nhome: 1e6\nbig: 18446744073709551615\nnn: .nan\nb: on\n";
    assert_int_equal(yaml_parse_raw(a, t, strlen(t), "Chart.yaml", &v, &err), 0);
    assert_int_equal(cv_map_get(v, "description")->kind, CV_INT);
    assert_int_equal(cv_map_get(v, "big")->kind, CV_UINT);
    assert_int_equal(cv_map_get(v, "home")->kind, CV_FLOAT);
    const char *keys[] = {"appVersion", "description", "home", "big", "nn", "b"};
    const char *want[] = {"1.1", "1000000", "1e+06", "18446744073709551615", ".nan", "true"};
    for (int i = 0; i < 6; i++) {
        strbuf sb = STRBUF_INIT;
        assert_int_equal(yaml_string_coerce(&sb, cv_map_get(v, keys[i])), 0);
        assert_string_equal(sb_str(&sb), want[i]);
        sb_release(&sb);
    }
    arena_free(a);
}

/* fromYaml / fromYamlArray as helm v4.1.4 shows them through toJson. */
static void from_yaml_targets(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    assert_int_equal(yaml_parse_map(a, "", 0, NULL, &v, &err), 0);
    assert_int_equal(v->kind, CV_MAP);
    assert_int_equal(yaml_parse_map(a, "~", 1, NULL, &v, &err), 0);
    assert_int_equal(v->kind, CV_MAP);
    assert_int_equal(yaml_parse_list(a, "", 0, NULL, &v, &err), 0);
    assert_int_equal(v->kind, CV_LIST);
    const char *t = "a: 1\n---\nb: 2";
    assert_int_equal(yaml_parse_map(a, t, strlen(t), NULL, &v, &err), 0);
    assert_int_equal(cv_map_len(v), 1);
    struct { const char *in; bool list; const char *msg; } c[] = {
        {"a: [", false, "error converting YAML to JSON: yaml: line 1: did not find expected node content"},
        {"x: 1\ny: .nan", false, "error converting YAML to JSON: json: unsupported value: NaN"},
        {"[1, .inf]", true, "error converting YAML to JSON: json: unsupported value: +Inf"},
        {"a: 1", true, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}"},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        int rc = c[i].list ? yaml_parse_list(a, c[i].in, strlen(c[i].in), NULL, &v, &err)
                           : yaml_parse_map(a, c[i].in, strlen(c[i].in), NULL, &v, &err);
        assert_int_equal(rc, -1);
        assert_string_equal(err.msg, c[i].msg);
        cap_err_clear(&err);
    }
    arena_free(a);
}

static void errors_carry_position(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *t = "a: 1\nb: 2\nc: d: e\n";
    assert_int_equal(yaml_parse(a, t, strlen(t), "vals.yaml", &v, &err), -1);
    assert_string_equal(err.msg, "error converting YAML to JSON: yaml: line 3: mapping values are not allowed in this context");
    assert_string_equal(err.file, "vals.yaml");
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 5);
    cap_err_clear(&err);

    /* the second document of a values file: line counted in the whole file */
    t = "a: 1\n---\nb: 1\nc: [\n";
    assert_int_equal(yaml_parse_values(a, t, strlen(t), "v.yaml", &v, &err), -1);
    assert_string_equal(err.msg, "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: "
                                 "did not find expected node content");
    assert_true(err.line >= 4);
    cap_err_clear(&err);

    t = "a:\n  b: 1\n  c: *nope\n";
    assert_int_equal(yaml_parse(a, t, strlen(t), "x", &v, &err), -1);
    assert_int_equal(err.line, 3);
    assert_int_equal(err.col, 6);
    char *s = cap_err_format(&err);
    assert_non_null(strstr(s, "x:3:6: "));
    free(s);
    cap_err_clear(&err);
    arena_free(a);
}

static void alias_bomb_is_refused(void **state)
{
    (void)state;
    arena *a = arena_new();
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for (int i = 1; i < 10; i++)
        sb_addf(&sb, "a%d: &a%d [*a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d, *a%d]\n", i, i, i - 1,
                i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1, i - 1);
    cap_err err = CAP_ERR_INIT;
    cval *v;
    assert_int_equal(yaml_parse(a, sb.buf, sb.len, "bomb", &v, &err), -1);
    assert_string_equal(err.msg, "error converting YAML to JSON: yaml: document contains excessive aliasing");
    cap_err_clear(&err);
    sb_release(&sb);

    /* deep nesting is an error, not a crash */
    strbuf deep = STRBUF_INIT;
    for (int i = 0; i < 20000; i++)
        sb_addc(&deep, '[');
    assert_int_equal(yaml_parse(a, deep.buf, deep.len, "deep", &v, &err), -1);
    cap_err_clear(&err);
    sb_release(&deep);
    arena_free(a);
}

/* Map keys: taken as they are when they are UTF-8 (the fast path and libyaml's),
 * invalid bytes (a !!binary key) replaced by U+FFFD as encoding/json does. */
static void keys_as_json_reads_them(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v;
    const char *t = "!!binary /w==: a\n!!binary aGk=: b\nplain: c\n\"h\xc3\xa9\": d\n";
    assert_int_equal(yaml_parse(a, t, strlen(t), "f", &v, &err), 0);
    assert_int_equal(cv_map_len(v), 4);
    assert_string_equal(cv_map_get(v, "\xEF\xBF\xBD")->u.str.s, "a");
    assert_string_equal(cv_map_get(v, "hi")->u.str.s, "b");
    assert_string_equal(cv_map_get(v, "h\xc3\xa9")->u.str.s, "d");
    t = "plain: c\n\"h\xc3\xa9\": d\nnested: {k: [1, {x: z}]}\n"; /* the scanner's subset */
    assert_int_equal(yaml_parse(a, t, strlen(t), "f", &v, &err), 0);
    assert_string_equal(cv_map_get(v, "h\xc3\xa9")->u.str.s, "d");
    cval *l = cv_map_get(cv_map_get(v, "nested"), "k");
    assert_string_equal(cv_map_get(cv_list_get(l, 1), "x")->u.str.s, "z");
    arena_free(a);
}

/* Random and truncated inputs: any result, but no crash (run under ASan). */
static void fuzz_does_not_crash(void **state)
{
    (void)state;
    static const char *seeds[] = {
        "a: &x {b: [1, 2, {c: *x}]}\nd: *x\n",
        "a:\n  - b: |\n      text\n    c: >-\n      more\n  - <<: {x: 1}\n",
        "? [a, b]\n: c\n\"q\": 'r'\n!!binary k: !!int 3\n",
        "- - - a\n  - b\n- {a: b, c: [d, e]}\n---\nx\n...\n",
        "a: \"\\u263a \\x41 \\n\"\nb: 'it''s'\nc: 0x1F\nd: .inf\ne: 2001-12-14\n",
    };
    unsigned seed = 12345;
    int n = 0;
    for (size_t s = 0; s < sizeof seeds / sizeof *seeds; s++) {
        size_t len = strlen(seeds[s]);
        for (size_t cut = 0; cut <= len; cut++) {
            arena *a = arena_new();
            cap_err err = CAP_ERR_INIT;
            cval *v;
            if (yaml_parse(a, seeds[s], cut, "f", &v, &err) == 0) {
                strbuf out = STRBUF_INIT;
                cap_err e2 = CAP_ERR_INIT;
                yaml_emit(&out, v, &e2);
                cap_err_clear(&e2);
                sb_release(&out);
            }
            cap_err_clear(&err);
            yaml_parse_values(a, seeds[s], cut, "f", &v, &err);
            cap_err_clear(&err);
            arena_free(a);
            n++;
        }
        for (int k = 0; k < 400; k++) {
            char buf[256];
            size_t m = len < sizeof buf ? len : sizeof buf;
            memcpy(buf, seeds[s], m);
            for (int j = 0; j < 4; j++) {
                seed = seed * 1103515245u + 12345u;
                size_t at = (seed >> 8) % m;
                seed = seed * 1103515245u + 12345u;
                static const char alpha[] = "\n :-?[]{},&*!|>'\"%@#\t\\xa0\x80\xff";
                buf[at] = alpha[(seed >> 8) % (sizeof alpha - 1)];
            }
            arena *a = arena_new();
            cap_err err = CAP_ERR_INIT;
            cval *v;
            if (yaml_parse_values(a, buf, m, "f", &v, &err) == 0) {
                strbuf out = STRBUF_INIT;
                cap_err e2 = CAP_ERR_INIT;
                assert_int_equal(yaml_emit(&out, v, &e2), 0);
                /* what we write, we read back */
                cval *back;
                assert_int_equal(yaml_parse(a, out.buf, out.len, "back", &back, &e2), 0);
                cap_err_clear(&e2);
                sb_release(&out);
            } else {
                assert_non_null(err.msg);
            }
            cap_err_clear(&err);
            arena_free(a);
            n++;
        }
    }
    assert_true(n > 2000);
}

/* ---- writing values that --set and templates make ------------------------ */

static void expect_emit(const cval *v, const char *want)
{
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    int rc = yaml_emit(&out, v, &err);
    if (rc)
        fprintf(stderr, "emit: %s\n", err.msg);
    assert_int_equal(rc, 0);
    assert_string_equal(sb_str(&out), want);
    sb_release(&out);
    cap_err_clear(&err);
}

static void emit_go_values(void **state)
{
    (void)state;
    arena *a = arena_new();
    /* --set a=1 and friends give int64; helm prints them as they are */
    expect_emit(cv_int(a, 1), "1\n");
    expect_emit(cv_int(a, 9223372036854775807LL), "9223372036854775807\n");
    expect_emit(cv_int(a, -5), "-5\n");
    expect_emit(cv_uint(a, 18446744073709551615ULL, NULL), "18446744073709551615\n");
    expect_emit(cv_float(a, 1e6), "1000000\n");
    expect_emit(cv_float(a, 1.5e6), "1500000\n");
    expect_emit(cv_float(a, 1234567.5), "1.2345675e+06\n");
    expect_emit(cv_float(a, 1e21), "1e+21\n");
    expect_emit(cv_float(a, 1e-7), "1e-07\n");
    expect_emit(cv_float(a, 9223372036854775807.0), "9223372036854776000\n");
    expect_emit(cv_float(a, -0.0), "0\n");
    expect_emit(cv_nil(), "null\n");
    expect_emit(cv_novalue(), "null\n");
    expect_emit(cv_true(), "true\n");
    expect_emit(cv_cstring(a, "1.5"), "\"1.5\"\n");
    expect_emit(cv_bytes(a, "hi", 2), "aGk=\n");
    expect_emit(cv_list_new(a, 0), "[]\n");
    expect_emit(cv_map_new(a), "{}\n");
    cval *m = cv_map_new(a);
    cval *l = cv_list_new(a, 2);
    cv_list_push(l, cv_int(a, 1));
    cv_list_push(l, cv_cstring(a, "on"));
    cv_map_set(m, "list", l);
    cv_map_set(m, "b10", cv_nil());
    cv_map_set(m, "b9", cv_false());
    expect_emit(m, "b9: false\nb10: null\nlist:\n- 1\n- \"on\"\n");

    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    sb_adds(&out, "keep");
    assert_int_equal(yaml_emit(&out, cv_float(a, NAN), &err), -1);
    assert_string_equal(err.msg, "error marshaling into JSON: json: unsupported value: NaN");
    assert_string_equal(sb_str(&out), "keep");
    cap_err_clear(&err);
    sb_release(&out);
    arena_free(a);
}

/* toYamlPretty sees Go's own types (checked with helm v4.1.4: --set i=1000000
 * prints 1000000, a values-file 1000000 prints 1e+06). */
static void emit_pretty_go_values(void **state)
{
    (void)state;
    arena *a = arena_new();
    struct { cval *v; const char *want; } c[] = {
        {cv_int(a, 1000000), "1000000\n"},
        {cv_float(a, 1e6), "1e+06\n"},
        {cv_float(a, NAN), ".nan\n"},
        {cv_float(a, -INFINITY), "-.inf\n"},
        {cv_float(a, 1.5), "1.5\n"},
        {cv_nil(), "null\n"},
        {cv_cstring(a, "yes"), "\"yes\"\n"},
        {cv_cstring(a, "a\n\tb"), "|-\n  a\n  \tb\n"},
        {cv_map_new(a), "{}\n"},
    };
    for (size_t i = 0; i < sizeof c / sizeof *c; i++) {
        strbuf out = STRBUF_INIT;
        cap_err err = CAP_ERR_INIT;
        assert_int_equal(yaml_emit_pretty(&out, c[i].v, &err), 0);
        assert_string_equal(sb_str(&out), c[i].want);
        sb_release(&out);
    }
    /* invalid UTF-8 (e.g. from b64dec): v3 writes !!binary (helm v4.1.4's output) */
    cval *bin = cv_map_new(a);
    cv_map_set(bin, "c", cv_string(a, "\xff", 1));
    strbuf big = STRBUF_INIT;
    for (int i = 0; i < 60; i++)
        sb_adds(&big, "ab");
    sb_addc(&big, '\xff');
    cv_map_set(bin, "d", cv_string(a, big.buf, big.len));
    sb_release(&big);
    strbuf bo = STRBUF_INIT;
    cap_err berr = CAP_ERR_INIT;
    assert_int_equal(yaml_emit_pretty(&bo, bin, &berr), 0);
    assert_string_equal(sb_str(&bo),
                        "c: !!binary /w==\nd: !!binary |\n"
                        "  YWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYm\n"
                        "  FiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJhYmFiYWJh\n"
                        "  YmFiYWJhYmFiYWJhYmFi/w==\n");
    sb_release(&bo);
    /* []byte: a list of numbers */
    bo = (strbuf)STRBUF_INIT;
    assert_int_equal(yaml_emit_pretty(&bo, cv_bytes(a, "hi", 2), &berr), 0);
    assert_string_equal(sb_str(&bo), "- 104\n- 105\n");
    sb_release(&bo);

    cval *m = cv_map_new(a), *l = cv_list_new(a, 2), *inner = cv_map_new(a);
    cv_map_set(inner, "x", cv_int(a, 1));
    cv_map_set(inner, "y", cv_list_new(a, 0));
    cv_list_push(l, inner);
    cv_list_push(l, cv_cstring(a, "s"));
    cv_map_set(m, "list", l);
    cv_map_set(m, "k10", cv_true());
    cv_map_set(m, "k9", cv_false());
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(yaml_emit_pretty(&out, m, &err), 0);
    assert_string_equal(sb_str(&out), "k9: false\nk10: true\nlist:\n  - x: 1\n    \"y\": []\n  - s\n");
    sb_release(&out);
    arena_free(a);
}

/* What --set gives (int64, strings, nil, bool, lists), through toYaml and
 * toYamlPretty: the bytes helm v4.1.4 printed for
 * --set a=9223372036854775807 --set b=1000000 --set c=-5 --set-string d=1.5
 * --set e=null --set f=true --set 'g={1,on,x}' */
static void set_values_as_helm(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *m = cv_map_new(a), *g = cv_list_new(a, 3);
    cv_map_set(m, "a", cv_int(a, INT64_MAX));
    cv_map_set(m, "b", cv_int(a, 1000000));
    cv_map_set(m, "c", cv_int(a, -5));
    cv_map_set(m, "d", cv_cstring(a, "1.5"));
    cv_map_set(m, "e", cv_nil());
    cv_map_set(m, "f", cv_true());
    cv_list_push(g, cv_int(a, 1));
    cv_list_push(g, cv_cstring(a, "on"));
    cv_list_push(g, cv_cstring(a, "x"));
    cv_map_set(m, "g", g);
    expect_emit(m, "a: 9223372036854775807\nb: 1000000\nc: -5\nd: \"1.5\"\ne: null\nf: true\ng:\n- 1\n- \"on\"\n- x\n");
    strbuf out = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(yaml_emit_pretty(&out, m, &err), 0);
    assert_string_equal(sb_str(&out),
                        "a: 9223372036854775807\nb: 1000000\nc: -5\nd: \"1.5\"\ne: null\nf: true\ng:\n  - 1\n  - \"on\"\n  - x\n");
    sb_release(&out);
    arena_free(a);
}

/* toYaml's block writer (yaml_emit_block.c) against libyaml's emitter on
 * 20,000 random values: mappings and sequences, nested up to five deep, of
 * words that are simple and words that are not (quoting, indicators, long
 * keys, spaces), numbers, booleans, nulls, empty and nil collections. Where
 * the block writer takes a value, its bytes must be libyaml's; where it does
 * not, it must write nothing. */
static uint64_t rnd_state = 0x9E3779B97F4A7C15ull;
static unsigned rnd(unsigned n)
{
    rnd_state ^= rnd_state << 13;
    rnd_state ^= rnd_state >> 7;
    rnd_state ^= rnd_state << 17;
    return (unsigned)(rnd_state % n);
}

static const char *const block_words[] = {
    "a", "app", "name", "nginx:1.25", "http://x/y", "a.b/c_d-e", "cpu", "100m", "Always", "true", "false",
    "yes", "No", "on", "null", "Null", "1", "-1", "+1", "0x1F", "0o17", "1e3", "1_000", ".5", "1.5", "1:20",
    "190:20:30.15", "1:2:3", "a:b", "=", "a=b", "-x", "x-", "---", "...x", "--x", "..", "2001-12-14",
    "<<", "~", "-", "a b", " a", "a ", "#x", "a#b", "x:", ":x", "[x]", "{x}", "a,b", "'q'", "\"q\"", "a\nb", "",
    "\xc3\xa9t\xc3\xa9", "*ref", "&anc", "!tag", "%x", "@x", "`x", "?x", "|x", ">x",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
};

static cval *random_value(arena *a, int depth, bool simple_only)
{
    size_t nw = sizeof block_words / sizeof *block_words;
    /* words 0..38 are simple (block_words up to "2001-12-14"), the rest are not */
    size_t simple_words = 39;
    /* mostly a collection at the top, sometimes a scalar */
    unsigned k = depth == 0 && rnd(8) ? 6 + rnd(4) : rnd(depth >= 5 ? 6 : 10);
    switch (k) {
    case 0: return cv_nil();
    case 1: return cv_bool(rnd(2));
    case 2: return cv_int(a, (int64_t)rnd(2000000) - 1000000);
    case 3: {
        static const double fl[] = { 0.0, -0.0, 1.0, -1.5, 3100.0, 1e6, 1.5e6, 1e21, 1e-7, 0.1, 123456789.125,
                                     9007199254740993.0, 1e300, -2.5e-300 };
        switch (rnd(3)) {
        case 0: return cv_uint(a, 18446744073709551615ull - rnd(5), NULL);
        default: return cv_float(a, fl[rnd(sizeof fl / sizeof *fl)]);
        }
    }
    case 4: case 5: {
        const char *w = block_words[simple_only ? rnd(simple_words) : rnd(nw)];
        return cv_cstring(a, w);
    }
    case 6: case 7: {
        if (rnd(8) == 0)
            return rnd(2) ? cv_nil_map(a) : cv_map_new(a);
        cval *m = cv_map_new(a);
        unsigned n = rnd(5);
        for (unsigned i = 0; i < n; i++) {
            const char *key = block_words[simple_only ? rnd(simple_words) : rnd(nw)];
            cv_map_set(m, key, random_value(a, depth + 1, simple_only));
        }
        return m;
    }
    default: {
        if (rnd(8) == 0)
            return rnd(2) ? cv_nil_list(a) : cv_list_new(a, 0);
        cval *l = cv_list_new(a, 4);
        unsigned n = rnd(5);
        for (unsigned i = 0; i < n; i++)
            cv_list_push(l, random_value(a, depth + 1, simple_only));
        return l;
    }
    }
}

static void block_writer_as_libyaml(void **state)
{
    (void)state;
    int taken = 0;
    for (int i = 0; i < 20000; i++) {
        arena *a = arena_new();
        cval *v = random_value(a, 0, i % 2 == 0);
        strbuf fast = STRBUF_INIT, slow = STRBUF_INIT;
        cap_err err = {0};
        bool took = yaml_emit_block(&fast, v);
        int rc = yaml_emit_libyaml(&slow, v, &err);
        if (took) {
            taken++;
            assert_int_equal(rc, 0);
            if (fast.len != slow.len || memcmp(fast.buf, slow.buf, fast.len) != 0)
                fail_msg("value %d: block writer\n%s\nlibyaml\n%s", i, sb_str(&fast), sb_str(&slow));
        } else {
            assert_int_equal(fast.len, 0);
        }
        cap_err_clear(&err);
        sb_release(&fast);
        sb_release(&slow);
        arena_free(a);
    }
    /* both kinds are there */
    print_message("the block writer took %d of 20000 values\n", taken);
    if (taken < 4000 || taken == 20000)
        fail_msg("the block writer took %d of 20000 values", taken);
}

/* yaml_float_text writes a whole float64 below 2^53 as its digits at once;
 * the long way (yaml_float_text_json: encoding/json's text, read back by
 * go-yaml's resolve, then written as the int or float it reads as) must give
 * the same, for whole
 * numbers around every power of ten and of two, their negatives, -0, and
 * the limits on both sides of 2^53. */
static void whole_floats_as_json_then_yaml(void **state)
{
    (void)state;
    double xs[800];
    size_t n = 0;
    double p10 = 1, p2 = 1;
    for (int k = 0; k < 60; k++, p10 *= 10, p2 *= 2)
        for (int d = -1; d <= 1; d++) {
            xs[n++] = p10 + d;
            xs[n++] = p2 + d;
        }
    xs[n++] = -0.0;
    xs[n++] = 9007199254740991.0;
    xs[n++] = 9007199254740992.0;
    xs[n++] = 9007199254740994.0;
    xs[n++] = 1.5;
    xs[n++] = 0.1;
    size_t m = n;
    for (size_t i = 0; i < m; i++)
        xs[n++] = -xs[i];
    for (size_t i = 0; i < n; i++) {
        strbuf a = STRBUF_INIT, b = STRBUF_INIT;
        yaml_float_text(&a, xs[i]);
        yaml_float_text_json(&b, xs[i]);
        if (strcmp(sb_str(&a), sb_str(&b)) != 0)
            fail_msg("%.17g: \"%s\", the long way \"%s\"", xs[i], sb_str(&a), sb_str(&b));
        sb_release(&a);
        sb_release(&b);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(helm_cases),
    cmocka_unit_test(numbers_are_float64),
    cmocka_unit_test(scalars_resolve_as_yaml11),
    cmocka_unit_test(words_resolve_as_listed),
    cmocka_unit_test(parse_first_document_and_types),
    cmocka_unit_test(errors_carry_position),
    cmocka_unit_test(from_yaml_targets),
    cmocka_unit_test(raw_values_and_string_coercion),
    cmocka_unit_test(alias_bomb_is_refused),
    cmocka_unit_test(fuzz_does_not_crash),
    cmocka_unit_test(keys_as_json_reads_them),
    cmocka_unit_test(emit_go_values),
    cmocka_unit_test(block_writer_as_libyaml),
    cmocka_unit_test(values_in_place_as_split),
    cmocka_unit_test(whole_floats_as_json_then_yaml),
    cmocka_unit_test(emit_pretty_go_values),
    cmocka_unit_test(set_values_as_helm),
};

UNIT_MAIN(tests)
