/* test_tmpl.c — the template engine against helm v4.1.4's own output
 * (tests/unit/tmpl_cases.txt, made by gen_tmpl_cases.py), plus robustness
 * cases: depth limits, recursion, big inputs, options, the fuzz entry. */
#include "unit.h"
#include "renderer/engine/tmpl.h"
#include "renderer/engine/tmpl_ast.h"
#include "core/yaml.h"
#include "core/strbuf.h"

#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef TMPL_CASES
#define TMPL_CASES "tests/unit/tmpl_cases.txt"
#endif

typedef struct tcase {
    char *name;
    char *tmpl;
    size_t tmpl_len;
    char *helpers;
    size_t helpers_len;
    bool is_error;
    char *expect;
} tcase;

static char *values_text;
static size_t values_len;

static cval *make_dot(arena *a)
{
    cval *dot = cv_map_new(a);
    dot->gotype = "common.Values";
    cval *vals = NULL;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse_values(a, values_text ? values_text : "", values_len, "values.yaml", &vals, &e)) {
        fprintf(stderr, "values: %s\n", e.msg);
        cap_err_clear(&e);
        vals = cv_map_new(a);
    }
    vals->gotype = "common.Values";
    cv_map_set(dot, "Values", vals);
    cval *rel = cv_map_new(a);
    cv_map_set(rel, "Name", cv_cstring(a, "t"));
    cv_map_set(rel, "Namespace", cv_cstring(a, "default"));
    cv_map_set(rel, "Service", cv_cstring(a, "Helm"));
    cv_map_set(rel, "IsInstall", cv_true());
    cv_map_set(rel, "IsUpgrade", cv_false());
    cv_map_set(rel, "Revision", cv_goint(a, 1));
    cv_map_set(dot, "Release", rel);
    cval *ch = cv_map_new(a);
    cv_map_set(ch, "Name", cv_cstring(a, "t"));
    cv_map_set(ch, "Version", cv_cstring(a, "0.1.0"));
    cv_map_set(ch, "APIVersion", cv_cstring(a, "v2"));
    cv_map_set(ch, "IsRoot", cv_true());
    cv_map_set(dot, "Chart", ch);
    cv_map_set(dot, "Subcharts", cv_map_new(a));
    return dot;
}

/* Render one chart-like set: t/templates/t.yaml (+ _helpers.tpl). */
static int render_case(arena *a, const char *tmpl, size_t len, const char *helpers, size_t hlen,
                       const tmpl_opts *opts, const char **out, cap_err *err)
{
    cval *dot = make_dot(a);
    tmpl_source src[2];
    size_t n = 0;
    src[n++] = (tmpl_source){ "t/templates/t.yaml", tmpl, len, dot, "t/templates" };
    if (helpers)
        src[n++] = (tmpl_source){ "t/templates/_helpers.tpl", helpers, hlen, dot, "t/templates" };
    tmpl_result *res;
    size_t nres;
    if (tmpl_render(a, src, n, opts, &res, &nres, err))
        return -1;
    *out = "";
    for (size_t i = 0; i < nres; i++)
        if (strcmp(res[i].name, "t/templates/t.yaml") == 0)
            *out = res[i].text;
    return 0;
}

static void run_case(void **state)
{
    const tcase *c = *state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out = NULL;
    int rc = render_case(a, c->tmpl, c->tmpl_len, c->helpers, c->helpers_len, NULL, &out, &err);
    if (c->is_error) {
        if (rc == 0) {
            print_error("case %s: expected error\n  %s\ngot output\n  %s\n", c->name, c->expect, out);
            fail();
        }
        if (strcmp(err.msg, c->expect) != 0) {
            print_error("case %s:\nwant: %s\ngot:  %s\n", c->name, c->expect, err.msg);
            fail();
        }
    } else {
        if (rc != 0) {
            print_error("case %s: unexpected error: %s\nwant: %s\n", c->name, err.msg, c->expect);
            fail();
        }
        /* helm's manifest is trimmed */
        size_t n = strlen(out);
        while (n && (out[n - 1] == '\n' || out[n - 1] == ' '))
            n--;
        if (strlen(c->expect) != n || memcmp(out, c->expect, n) != 0) {
            print_error("case %s:\nwant: %s\ngot:  %.*s\n", c->name, c->expect, (int)n, out);
            fail();
        }
    }
    cap_err_clear(&err);
    arena_free(a);
}

static tcase *cases;
static size_t ncases;

static char *read_blob(FILE *f, const char *want, size_t *len)
{
    char word[32];
    size_t n;
    if (fscanf(f, "%31s %zu", word, &n) != 2 || strcmp(word, want) != 0)
        return NULL;
    fgetc(f);
    char *b = malloc(n + 1);
    if (fread(b, 1, n, f) != n) {
        free(b);
        return NULL;
    }
    b[n] = 0;
    fgetc(f);
    if (len)
        *len = n;
    return b;
}

static int load_cases(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    char line[256];
    if (!fgets(line, sizeof line, f)) /* comment */
        return -1;
    values_text = read_blob(f, "values", &values_len);
    size_t cap = 0;
    for (;;) {
        char name[128];
        if (fscanf(f, " case %127s", name) != 1)
            break;
        fgetc(f);
        if (ncases == cap) {
            cap = cap ? cap * 2 : 64;
            cases = realloc(cases, cap * sizeof *cases);
        }
        tcase *c = &cases[ncases];
        memset(c, 0, sizeof *c);
        c->name = strdup(name);
        c->tmpl = read_blob(f, "template", &c->tmpl_len);
        long pos = ftell(f);
        char word[32];
        if (fscanf(f, "%31s", word) == 1 && strcmp(word, "helpers") == 0) {
            fseek(f, pos, SEEK_SET);
            c->helpers = read_blob(f, "helpers", &c->helpers_len);
            pos = ftell(f);
            if (fscanf(f, "%31s", word) != 1)
                break;
        }
        fseek(f, pos, SEEK_SET);
        c->is_error = strcmp(word, "error") == 0;
        c->expect = read_blob(f, c->is_error ? "error" : "expect", NULL);
        if (!c->tmpl || !c->expect)
            break;
        ncases++;
    }
    fclose(f);
    return 0;
}

/* ---- hand-written cases ---- */

static int render1(arena *a, const char *tmpl, const tmpl_opts *opts, const char **out, cap_err *err)
{
    return render_case(a, tmpl, strlen(tmpl), NULL, 0, opts, out, err);
}

static void expect_out(const char *tmpl, const char *want)
{
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out = NULL;
    if (render1(a, tmpl, NULL, &out, &err)) {
        print_error("%s: unexpected error %s\n", tmpl, err.msg);
        fail();
    }
    assert_string_equal(out, want);
    cap_err_clear(&err);
    arena_free(a);
}

static void expect_err(const char *tmpl, const tmpl_opts *opts, const char *want_substr)
{
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out = NULL;
    if (render1(a, tmpl, opts, &out, &err) == 0) {
        print_error("expected an error, got output\n");
        fail();
    }
    if (!strstr(err.msg, want_substr)) {
        print_error("error %s\ndoes not contain %s\n", err.msg, want_substr);
        fail();
    }
    cap_err_clear(&err);
    arena_free(a);
}

static void strict_mode(void **state)
{
    (void)state;
    tmpl_opts o = { .strict = true };
    expect_err("{{ .Values.nope }}", &o, "map has no entry for key \"nope\"");
    expect_err("{{ $x := .Values.nope }}", &o, "t/templates/t.yaml:1:16");
}

static void lint_mode(void **state)
{
    (void)state;
    tmpl_opts o = { .lint_mode = true };
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out;
    assert_int_equal(render1(a, "[{{ required \"x\" .Values.nope }}{{ fail \"y\" }}]", &o, &out, &err), 0);
    assert_string_equal(out, "[]");
    arena_free(a);
}

static void error_location_filled(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out;
    assert_int_equal(render1(a, "a\nb {{ .Values.x.y }}", NULL, &out, &err), -1);
    assert_string_equal(err.file, "t/templates/t.yaml");
    assert_int_equal(err.line, 2);
    assert_int_equal(err.col, 12);
    cap_err_clear(&err);
    assert_int_equal(render1(a, "a\n\n{{ if }}", NULL, &out, &err), -1);
    assert_int_equal(err.line, 3);
    assert_string_equal(err.msg, "parse error at (t/templates/t.yaml:3): missing value for if");
    cap_err_clear(&err);
    arena_free(a);
}

static char *repeat(const char *s, int n)
{
    size_t l = strlen(s);
    char *r = malloc(l * (size_t)n + 1);
    for (int i = 0; i < n; i++)
        memcpy(r + l * (size_t)i, s, l);
    r[l * (size_t)n] = 0;
    return r;
}

static void deep_if_nesting(void **state)
{
    (void)state;
    char *open = repeat("{{ if true }}", 1500), *close = repeat("{{ end }}", 1500);
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%sx%s", open, close);
    expect_out(sb_str(&sb), "x");
    sb_reset(&sb);
    free(open);
    free(close);
    /* beyond our nesting limit: a clean parse error */
    open = repeat("{{ if true }}", 5000);
    close = repeat("{{ end }}", 5000);
    sb_addf(&sb, "%sx%s", open, close);
    expect_err(sb_str(&sb), NULL, "max nesting depth exceeded");
    free(open);
    free(close);
    sb_release(&sb);
}

static void deep_parens(void **state)
{
    (void)state;
    char *open = repeat("(", 20000), *close = repeat(")", 20000);
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "{{ %s1%s }}", open, close);
    expect_err(sb_str(&sb), NULL, "max expression depth exceeded");
    sb_reset(&sb);
    free(open);
    free(close);
    open = repeat("(", 500);
    close = repeat(")", 500);
    sb_addf(&sb, "{{ %s1%s }}", open, close);
    expect_out(sb_str(&sb), "1");
    free(open);
    free(close);
    sb_release(&sb);
}

static void recursive_template(void **state)
{
    (void)state;
    /* unbounded {{template}} recursion: Go's depth limit, no crash */
    expect_err("{{ define \"r\" }}{{ template \"r\" . }}{{ end }}{{ template \"r\" . }}", NULL,
               "exceeded maximum template depth (100000)");
}

static void recursive_include(void **state)
{
    (void)state;
    expect_err("{{ define \"r\" }}{{ include \"r\" . }}{{ end }}{{ include \"r\" . }}", NULL,
               "rendering template has a nested reference name: r: unable to execute template");
    /* bounded recursion works */
    expect_out("{{ define \"c\" }}{{ with .x }}X{{ include \"c\" . }}{{ end }}{{ end }}"
               "{{ include \"c\" .Values.nested }}", "X");
}

static void big_range_linear(void **state)
{
    (void)state;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out;
    clock_t t0 = clock();
    assert_int_equal(render1(a, "{{ range $i := 100000 }}{{ $i }},{{ end }}", NULL, &out, &err), 0);
    double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
    assert_int_equal(strlen(out), 588890);
    assert_memory_equal(out + strlen(out) - 6, "99999,", 6);
    fprintf(stderr, "# range 100000: %.3fs\n", dt);
    arena_free(a);
}

static void big_template_linear(void **state)
{
    (void)state;
    char *body = repeat("key: {{ .Values.a }} text text text text text text\n", 80000); /* ~4 MB */
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    const char *out;
    clock_t t0 = clock();
    assert_int_equal(render1(a, body, NULL, &out, &err), 0);
    double dt = (double)(clock() - t0) / CLOCKS_PER_SEC;
    fprintf(stderr, "# %zu-byte template: %.3fs\n", strlen(body), dt);
    assert_int_equal(strlen(out), 80000 * strlen("key: 1 text text text text text text\n"));
    free(body);
    arena_free(a);
}

static void order_and_partials(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *dot = make_dot(a);
    tmpl_source src[] = {
        { "c/templates/a.yaml", "{{ template \"x\" }}", 0, dot, "c/templates" },
        { "c/templates/_h.tpl", "{{ define \"x\" }}parent{{ end }}", 0, dot, "c/templates" },
        { "c/charts/s/templates/_h.tpl", "{{ define \"x\" }}sub{{ end }}", 0, dot, "c/charts/s/templates" },
        { "c/templates/b.yaml", "{{ .Template.Name }}|{{ .Template.BasePath }}", 0, dot, "c/templates" },
    };
    for (int i = 0; i < 4; i++)
        src[i].len = strlen(src[i].text);
    tmpl_result *res;
    size_t n;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(tmpl_render(a, src, 4, NULL, &res, &n, &err), 0);
    assert_int_equal(n, 2);
    /* deeper paths are parsed first, so the parent's define wins */
    assert_string_equal(res[0].name, "c/templates/b.yaml");
    assert_string_equal(res[0].text, "c/templates/b.yaml|c/templates");
    assert_string_equal(res[1].text, "parent");
    arena_free(a);
}

static void fuzz_entry(void **state)
{
    (void)state;
    const char *inputs[] = { "", "{{", "}}", "{{ if }}", "{{ (((( }}", "{{ define \"a\" }}{{ end }}",
                             "{{ $x := 1 }}{{ $x }}", "{{/*", "{{- -}}", "{{ 'a }}", "{{ .a.b.c | f 1 2 }}",
                             "\xff\xfe{{ \"\\xff\" }}" };
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++)
        tmpl_parse_only(inputs[i], strlen(inputs[i]));
    assert_int_equal(tmpl_parse_only("{{ .a }}", 8), 0);
    assert_int_equal(tmpl_parse_only("{{ .a ", 6), -1);
}

static void no_value_stripped(void **state)
{
    (void)state;
    expect_out("a{{ .Values.nope }}b{{ print \"<no value>\" }}c", "abc");
}

/* An action that is only a string constant prints its text as a string
 * value would (it makes no value): escapes, a raw string's dropped CR, empty;
 * with an argument it is still Go's error. */
static void string_constant_actions(void **state)
{
    (void)state;
    expect_out("{{ \"x\\ty\\u00e9\" }}|{{ `raw\r\ncr` }}|{{ \"\" }}|{{- \" t \" -}}|{{ \"<no value>\" }}.",
               "x\ty\xc3\xa9|raw\ncr|| t |."); /* helm drops "<no value>" */
    expect_out("{{ define \"d\" }}{{ `in define` }}{{ end }}{{ range list 1 2 }}{{ \"r\" }}{{ end }}{{ template \"d\" }}",
               "rrin define");
    expect_err("{{ \"a\" \"b\" }}", NULL, "can't give argument to non-function");
}

/* ---- native objects (cv_class): fields, methods, nil pointers ---- */

typedef struct fake_caps {
    const char *version;
} fake_caps;

static cval *caps_field(arena *a, void *self, const char *name)
{
    fake_caps *c = self;
    if (strcmp(name, "Version") == 0)
        return cv_cstring(a, c->version);
    return NULL;
}

static cval *caps_has(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    if (strcmp(argv[0]->u.str.s, "boom") == 0)
        return cv_call_fail(c, "boom happened");
    return cv_bool(strcmp(argv[0]->u.str.s, "v1") == 0);
}

static cval *caps_greet(cv_call *c, int argc, cval **argv)
{
    fake_caps *fc = c->self;
    return cv_cstring(c->a, arena_printf(c->a, "%s:%d:%s", fc->version, argc, argc ? argv[0]->u.str.s : ""));
}

static const cv_fnreg caps_methods[] = {
    { "Has", caps_has, "s" },
    { "Greet", caps_greet, "s*" },
    { NULL, NULL, NULL },
};

static void caps_format(strbuf *out, void *self)
{
    sb_addf(out, "&{%s}", ((fake_caps *)self)->version);
}

static const cv_class caps_class = { "*fake.Caps", "ptr", caps_field, caps_methods, caps_format, NULL };

static void render_obj(const char *tmpl, const char *want, const char *want_err)
{
    arena *a = arena_new();
    cval *dot = make_dot(a);
    static fake_caps fc = { "v1.30" };
    cv_map_set(dot, "Caps", cv_object(a, &caps_class, &fc));
    cv_map_set(dot, "NilCaps", cv_object(a, &caps_class, NULL));
    cval *ss = cv_map_new(a);
    ss->gotype = "map[string]string";
    cv_map_set(ss, "k", cv_cstring(a, "v"));
    cv_map_set(dot, "SS", ss);
    tmpl_source src = { "t/templates/t.yaml", tmpl, strlen(tmpl), dot, "t/templates" };
    tmpl_result *res;
    size_t n;
    cap_err err = CAP_ERR_INIT;
    int rc = tmpl_render(a, &src, 1, NULL, &res, &n, &err);
    if (want) {
        if (rc) {
            print_error("%s: %s\n", tmpl, err.msg);
            fail();
        }
        assert_string_equal(res[0].text, want);
    } else {
        assert_int_equal(rc, -1);
        if (!strstr(err.msg, want_err)) {
            print_error("%s\nwant: %s\n", err.msg, want_err);
            fail();
        }
    }
    cap_err_clear(&err);
    arena_free(a);
}

static void objects(void **state)
{
    (void)state;
    render_obj("{{ .Caps.Version }} {{ .Caps.Has \"v1\" }} {{ .Caps.Has \"v2\" }} {{ .Caps }}", "v1.30 true false &{v1.30}", NULL);
    render_obj("{{ .Caps.Greet }}|{{ .Caps.Greet \"a\" \"b\" }}|{{ \"p\" | .Caps.Greet }}", "v1.30:0:|v1.30:2:a|v1.30:1:p", NULL);
    render_obj("{{ $c := .Caps }}{{ $c.Version }}", "v1.30", NULL);
    render_obj("{{ .Caps.Nope }}", NULL, "can't evaluate field Nope in type interface {}");
    render_obj("{{ $c := .Caps }}{{ $c.Nope }}", NULL, "can't evaluate field Nope in type *fake.Caps");
    render_obj("{{ .Caps.Has }}", NULL, "at <.Caps.Has>:\n    wrong number of args for Has: want 1 got 0");
    render_obj("{{ .Caps.Has 1 }}", NULL, "expected string; found 1");
    render_obj("{{ .Caps.Has \"boom\" }}", NULL, "error calling Has: boom happened");
    render_obj("{{ .Caps.Version 1 }}", NULL, "Version has arguments but cannot be invoked as function");
    render_obj("{{ .NilCaps.Version }}", NULL, "nil pointer evaluating interface {}.Version");
    render_obj("{{ $c := .NilCaps }}{{ $c.Version }}", NULL, "nil pointer evaluating *fake.Caps.Version");
    render_obj("{{ .SS.k }}[{{ .SS.nope }}]{{ range $k, $v := .SS }}{{ $k }}{{ $v }}{{ end }}", "v[]kv", NULL);
    render_obj("{{ if .Caps }}t{{ end }}{{ with .Caps }}{{ .Version }}{{ end }}", "tv1.30", NULL);
}

static void tpl_recursion_clean(void **state)
{
    (void)state;
    /* helm itself overflows its goroutine stack here; we fail cleanly */
    expect_err("{{ $t := \"{{ tpl . . }}\" }}{{ tpl $t $t }}", NULL, "exceeded maximum template depth");
}

static void linear_scaling(void **state)
{
    (void)state;
    double t[2];
    for (int k = 0; k < 2; k++) {
        char *body = repeat("{{ if .Values.a }}x: {{ .Values.b | printf \"%s\" }}{{ end }}\n", 40000 * (k + 1));
        arena *a = arena_new();
        cap_err err = CAP_ERR_INIT;
        const char *out;
        clock_t t0 = clock();
        assert_int_equal(render1(a, body, NULL, &out, &err), 0);
        t[k] = (double)(clock() - t0) / CLOCKS_PER_SEC;
        free(body);
        arena_free(a);
    }
    fprintf(stderr, "# 40k actions: %.3fs, 80k actions: %.3fs\n", t[0], t[1]);
}

/* semverCompare keeps a render's parsed constraints (fn_semver.c): the first
 * call made inside a range iteration (whose memory a mark gives back), more
 * distinct constraints than the cache holds, each asked again after it was
 * replaced, and a bad constraint (never kept) asked twice. */
static void semver_compare_cached(void **state)
{
    (void)state;
    expect_out("{{ range list \"1.20.0\" \"1.21.0\" \"1.22.3\" }}{{ semverCompare \">=1.21.0-0\" . }},{{ end }}"
               "{{ semverCompare \">=1.21.0-0\" \"1.21.1\" }}{{ semverCompare \">=1.21.0-0\" \"1.2.1\" }}",
               "false,true,true,truefalse");
    strbuf want = STRBUF_INIT;
    for (int k = 0; k < 2; k++)
        for (int i = 0; i < 40; i++)
            sb_adds(&want, i <= 5 ? "f" : "t");
    expect_out("{{ range until 2 }}{{ range $i := until 40 }}"
               "{{ if semverCompare (printf \"< %d.0.0 || 1.0 - 1.5\" $i) \"5.0.0\" }}t{{ else }}f{{ end }}"
               "{{ end }}{{ end }}",
               sb_str(&want));
    sb_release(&want);
    expect_err("{{ semverCompare \">=1.0\" \"1.2.0\" }}{{ range until 2 }}{{ semverCompare \"nope\" \"1.0.0\" }}{{ end }}",
               NULL, "improper constraint: nope");
}

/* Quoted strings: the lexer's and unquote's fast paths for text without
 * escapes give what the rune-by-rune paths give. */
static void quoted_strings(void **state)
{
    (void)state;
    expect_out("{{ \"plain text, \\u00e9 and h\xc3\xa9llo\" }}|{{ \"tab\\tnl\\n\\x41\\101\" }}|{{ \"\" }}",
               "plain text, \xc3\xa9 and h\xc3\xa9llo|tab\tnl\nAA|");
    expect_out("{{ `raw \\n\r\nline` }}|{{ `w\xc3\xb6rd \"q\"` }}|{{ 'x' }}", "raw \\n\nline|w\xc3\xb6rd \"q\"|120");
    expect_out("{{ \"\xff\xfe bytes\" }}|{{ `a\r\nb\r` }}", "\xff\xfe bytes|a\nb");
    expect_err("{{ \"abc\ndef\" }}", NULL, "unterminated quoted string");
    expect_err("{{ \"abc }}", NULL, "unterminated quoted string");
    expect_err("{{ `abc\n }}", NULL, "unterminated raw quoted string");
    expect_err("{{ \"a\\qb\" }}", NULL, "invalid syntax");
}
/* Field chains whose names end on, before and after 8-byte boundaries
 * (split_idents finds their dots a word at a time), and a map big enough to
 * be hashed, with keys of every length from 1 to 20 (strhash takes 8 bytes
 * a step and then a tail). */
static void field_chains_and_hashed_keys(void **state)
{
    (void)state;
    char *saved = values_text;
    size_t saved_len = values_len;
    strbuf yaml = STRBUF_INIT, tmpl = STRBUF_INIT, want = STRBUF_INIT;
    sb_adds(&yaml, "aaaaaaa:\n  bbbbbbbb:\n    ccccccccccccccc:\n      dddddddddddddddd: deep\n      e: short\n");
    for (int n = 1; n <= 20; n++) {
        sb_addf(&yaml, "%.*s: v%d\n", n, "kxxxxxxxxxxxxxxxxxxxx", n);
        sb_addf(&tmpl, "{{ .Values.%.*s }} {{ index .Values \"%.*s\" }} ", n, "kxxxxxxxxxxxxxxxxxxxx", n,
                "kxxxxxxxxxxxxxxxxxxxx");
        sb_addf(&want, "v%d v%d ", n, n);
    }
    sb_adds(&tmpl, "{{ .Values.aaaaaaa.bbbbbbbb.ccccccccccccccc.dddddddddddddddd }} "
                   "{{ $v := .Values.aaaaaaa }}{{ $v.bbbbbbbb.ccccccccccccccc.e }} "
                   "{{ (.Values.aaaaaaa.bbbbbbbb).ccccccccccccccc.e }} {{ .Values.nope | default \"d\" }}");
    sb_adds(&want, "deep short short d");
    values_text = (char *)sb_str(&yaml);
    values_len = yaml.len;
    expect_out(sb_str(&tmpl), sb_str(&want));
    values_text = saved;
    values_len = saved_len;
    sb_release(&yaml);
    sb_release(&tmpl);
    sb_release(&want);
}

/* Two renders of the same sources agree: both fail with the same message, or
 * both give the same results; their errors are cleared. */
static void assert_same_render(int r1, cap_err *e1, const tmpl_result *want, size_t nwant, int r2, cap_err *e2,
                               const tmpl_result *got, size_t ngot)
{
    assert_int_equal(r2, r1);
    if (r1) {
        assert_string_equal(e2->msg, e1->msg);
    } else {
        assert_int_equal(ngot, nwant);
        for (size_t i = 0; i < ngot; i++) {
            assert_string_equal(got[i].name, want[i].name);
            assert_string_equal(got[i].text, want[i].text);
        }
    }
    cap_err_clear(e1);
    cap_err_clear(e2);
}

/* Parsing ahead: the chart's own sources given early (the parse thread takes
 * them), the subcharts' only to tmpl_render_pre (the calling thread parses
 * them, then helps with the rest), or given with all the others by add_all
 * (which skips those given before: both threads share the rest), must
 * render as tmpl_render does, and a parse error in a late source must be
 * the same error. */
static void prerender_late_sources(void **state)
{
    (void)state;
    enum { N = 120 };
    for (int run = 0; run < 4; run++) {
        int bad = run & 1, all = run >> 1;
        arena *a = arena_new();
        cval *dot = make_dot(a);
        tmpl_source src[N];
        for (int i = 0; i < N; i++) {
            bool sub = i >= N / 3;
            const char *dir = sub ? "c/charts/s/templates" : "c/templates";
            src[i].name = arena_printf(a, "%s/t%03d.yaml", dir, i);
            src[i].text = bad && i == N - 5 ? "{{ if }}" : arena_printf(a, "{{ range until %d }}{{ . }}{{ end }}|{{ .Template.Name }}", i);
            src[i].len = strlen(src[i].text);
            src[i].dot = dot;
            src[i].basepath = dir;
        }
        tmpl_result *want, *got;
        size_t nwant, ngot;
        cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
        int r1 = tmpl_render(a, src, N, NULL, &want, &nwant, &e1);
        tmpl_prerender *pre = tmpl_prerender_new();
        assert_non_null(pre);
        for (int i = 0; i < N / 3; i++)
            tmpl_prerender_add(pre, &src[i]);
        if (all)
            tmpl_prerender_add_all(pre, src, N);
        tmpl_prerender_close(pre);
        int r2 = tmpl_render_pre(pre, a, src, N, NULL, &got, &ngot, &e2);
        assert_int_equal(r1, bad ? -1 : 0);
        assert_same_render(r1, &e1, want, nwant, r2, &e2, got, ngot);
        arena_free(a);
    }
}


/* Results handed to each while the render goes on (in batches of output):
 * every one once, with its own index, whichever thread hands it over. */
typedef struct each_seen {
    _Atomic int calls[64];
    tmpl_result *res[64];
} each_seen;

static void count_each(void *ctx, tmpl_result *r, size_t i, arena *a)
{
    (void)a;
    each_seen *s = ctx;
    if (i < 64) {
        atomic_fetch_add(&s->calls[i], 1);
        s->res[i] = r;
    }
}

static void prerender_each_batches(void **state)
{
    (void)state;
    enum { N = 40 };
    arena *a = arena_new();
    cval *dot = make_dot(a);
    tmpl_source src[N];
    for (int i = 0; i < N; i++) {
        src[i].name = arena_printf(a, "c/templates/t%03d.yaml", i);
        /* 3 bytes to 30 KB each: some batches of one, some of many */
        src[i].text = arena_printf(a, "{{ range until %d }}abc{{ end }}", (i % 5) * (i % 5) * 2500 + 1);
        src[i].len = strlen(src[i].text);
        src[i].dot = dot;
        src[i].basepath = "c/templates";
    }
    each_seen *seen = calloc(1, sizeof *seen);
    assert_non_null(seen);
    tmpl_opts o = { 0 };
    o.each = count_each;
    o.each_ctx = seen;
    tmpl_prerender *pre = tmpl_prerender_new();
    assert_non_null(pre);
    tmpl_prerender_add_all(pre, src, N);
    tmpl_result *got;
    size_t ngot;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(tmpl_render_pre(pre, a, src, N, &o, &got, &ngot, &e), 0);
    assert_int_equal(ngot, N);
    for (size_t i = 0; i < ngot; i++) {
        assert_int_equal(atomic_load(&seen->calls[i]), 1);
        assert_ptr_equal(seen->res[i], &got[i]);
    }
    free(seen);
    arena_free(a);
}

/* A render whose sources were parsed ahead (by either thread, given one by
 * one or all at once) must give tmpl_render's results and errors, whatever
 * the timing (each case runs several times): values set from a file's
 * constants outlive the nodes of the bodies that set them, files included by
 * name before and after their turn, a define named as a file, and parse
 * errors that win over an earlier file's execution error or over a later
 * file's parse error. */
typedef struct named_src { const char *name, *text; } named_src;

static void render_both_ways(const named_src *files, size_t n)
{
    for (int round = 0; round < 6; round++) {
        arena *a = arena_new();
        cval *dot1 = make_dot(a), *dot2 = make_dot(a);
        tmpl_source *s1 = arena_zalloc(a, n * sizeof *s1), *s2 = arena_zalloc(a, n * sizeof *s2);
        for (size_t i = 0; i < n; i++) {
            s1[i] = (tmpl_source){ .name = files[i].name, .text = files[i].text, .len = strlen(files[i].text),
                                   .dot = dot1, .basepath = "c/templates" };
            s2[i] = s1[i];
            s2[i].dot = dot2;
        }
        tmpl_result *want, *got;
        size_t nwant = 0, ngot = 0;
        cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
        int r1 = tmpl_render(a, s1, n, NULL, &want, &nwant, &e1);
        tmpl_prerender *pre = tmpl_prerender_new();
        assert_non_null(pre);
        if (round % 2) /* given one by one, or all at once at the end */
            for (size_t i = 0; i < n; i++)
                tmpl_prerender_add(pre, &s2[i]);
        else
            tmpl_prerender_add_all(pre, s2, n);
        int r2 = tmpl_render_pre(pre, a, s2, n, NULL, &got, &ngot, &e2);
        assert_same_render(r1, &e1, want, nwant, r2, &e2, got, ngot);
        arena_free(a);
    }
}

/* render_both_ways over a whole table of cases (its size counted, not written) */
#define BOTH_WAYS(cases) render_both_ways(cases, sizeof cases / sizeof *cases)

static void prerender_same_as_render(void **state)
{
    (void)state;
    static const named_src values_flow[] = {
        { "c/templates/_helpers.tpl", "{{ define \"h\" }}[h {{ . }}]{{ end }}" },
        { "c/templates/z.yaml", "z {{ include \"h\" 1 }}{{ $_ := set .Values \"k\" \"x\\ty\" }}"
                                "{{ $_ := set .Values \"n\" 12.5 }}{{ $_ := set .Values \"s\" \"plain\" }}"
                                "{{ $_ := set .Values \"c\" 'q' }}{{ $_ := set .Values \"l\" (list `raw` 3) }}"
                                "{{ if true }}{{ $_ := set .Values \"inner\" \"in\\nside\" }}{{ end }}" },
        { "c/templates/y.yaml", "y {{ .Values.k }} {{ .Values.n }} {{ .Values.s }} {{ .Values.c }} {{ .Values.l }} "
                                "{{ .Values.inner }} {{ include \"c/templates/x.yaml\" . | len }}" },
        { "c/templates/x.yaml", "x {{ range $i, $e := list 1 2 3 }}{{ $i }}={{ $e }} {{ end }}{{ template \"h\" \"t\" }}"
                                "{{ include \"c/templates/z.yaml\" . | len }} {{ .Template.Name }}" },
        { "c/templates/w.yaml", "{{ define \"late\" }}late{{ end }}w {{ include \"late\" . }} {{ include \"h\" 2 }}" },
        { "c/templates/NOTES.txt", "notes {{ .Values.k }}" },
    };
    BOTH_WAYS(values_flow);
    static const named_src exec_then_parse_error[] = {
        { "c/templates/z.yaml", "{{ fail \"boom\" }}" },
        { "c/templates/m.yaml", "fine" },
        { "c/templates/a.yaml", "a\n{{ if }}" },
    };
    BOTH_WAYS(exec_then_parse_error);
    static const named_src exec_error_only[] = {
        { "c/templates/z.yaml", "ok" },
        { "c/templates/m.yaml", "{{ fail \"boom\" }}" },
        { "c/templates/a.yaml", "fine {{ .Values.x }}" },
    };
    BOTH_WAYS(exec_error_only);
    static const named_src parse_errors_in_order[] = {
        { "c/templates/z.yaml", "{{ .x | }}" },
        { "c/templates/_h.tpl", "{{ define \"q\" }}{{ end" },
        { "c/templates/a.yaml", "{{ else }}" },
    };
    BOTH_WAYS(parse_errors_in_order);
    static const named_src define_named_as_file[] = {
        { "c/templates/_h.tpl", "{{ define \"c/templates/x.yaml\" }}from the define{{ end }}" },
        { "c/templates/x.yaml", "from the file" },
        { "c/templates/y.yaml", "{{ include \"c/templates/x.yaml\" . }}" },
    };
    BOTH_WAYS(define_named_as_file);
    static const named_src include_bad_file[] = {
        { "c/templates/z.yaml", "{{ include \"c/templates/a.yaml\" . }}" },
        { "c/templates/a.yaml", "{{ end }}" },
    };
    BOTH_WAYS(include_bad_file);
    static const named_src include_missing[] = {
        { "c/templates/z.yaml", "{{ include \"c/templates/nope.yaml\" . }}" },
        { "c/templates/a.yaml", "a" },
    };
    BOTH_WAYS(include_missing);
    /* many files, so that the calling thread parses some ahead */
    enum { N = 60 };
    named_src many[N + 1];
    arena *a = arena_new();
    many[0] = (named_src){ "c/templates/_helpers.tpl", "{{ define \"h\" }}<{{ . }}>{{ end }}" };
    for (int i = 0; i < N; i++) {
        many[i + 1].name = arena_printf(a, "c/templates/t%03d.yaml", i);
        many[i + 1].text = arena_printf(a,
            "{{- if .Values.nothing }}{{ range until 1000 }}never {{ . }}{{ end }}{{ else }}\n"
            "t%d {{ include \"h\" %d }} {{ $_ := set .Values \"v%d\" \"s\\t%d\" }}{{ .Values.v%d }}\n"
            "{{ range $k, $v := until %d }}{{ if eq (mod $v 3) 0 }}{{ $k }} {{ else }}.{{ end }}{{ end }}\n"
            "{{ end }}",
            i, i, i, i, i + 1 < N ? i + 1 : 0, i * 7);
    }
    render_both_ways(many, N + 1);
    arena_free(a);
}

int main(void)
{
    if (load_cases(TMPL_CASES)) {
        fprintf(stderr, "cannot read %s\n", TMPL_CASES);
        return 1;
    }
    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(strict_mode),
        cmocka_unit_test(lint_mode),
        cmocka_unit_test(error_location_filled),
        cmocka_unit_test(deep_if_nesting),
        cmocka_unit_test(deep_parens),
        cmocka_unit_test(recursive_template),
        cmocka_unit_test(recursive_include),
        cmocka_unit_test(big_range_linear),
        cmocka_unit_test(big_template_linear),
        cmocka_unit_test(order_and_partials),
        cmocka_unit_test(fuzz_entry),
        cmocka_unit_test(no_value_stripped),
        cmocka_unit_test(string_constant_actions),
        cmocka_unit_test(prerender_each_batches),
        cmocka_unit_test(prerender_same_as_render),
        cmocka_unit_test(objects),
        cmocka_unit_test(tpl_recursion_clean),
        cmocka_unit_test(linear_scaling),
        cmocka_unit_test(semver_compare_cached),
        cmocka_unit_test(quoted_strings),
        cmocka_unit_test(field_chains_and_hashed_keys),
        cmocka_unit_test(prerender_late_sources),
    };
    size_t nfixed = sizeof fixed / sizeof *fixed;
    size_t n = ncases + nfixed;
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < ncases; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = &cases[i];
    }
    memcpy(tests + ncases, fixed, sizeof fixed);
    int failed = _cmocka_run_group_tests("tmpl", tests, n, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
