/* test_tmpl_lazy.c — lazy parsing (renderer/engine/tmpl_parse.c): a render
 * parses the bodies of controls and defines only when they first run, yet
 * reports every parse error of the whole text as Go does; the trees it builds
 * on demand print (Node.String()) the same as a full parse's. */
#include "unit.h"
#include "renderer/engine/tmpl.h"
#include "renderer/engine/tmpl_ast.h"
#include "renderer/engine/tmpl_check.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* Inputs whose lazy parse must equal the full one (tmpl_parse_only: -2 when not). */
static void lazy_equals_full(void **state)
{
    (void)state;
    static const struct { const char *text; int rc; } cases[] = {
        { "a{{ if .x }}b{{ else if .y }}c{{ else }}d{{ end }}e", 0 },
        { "{{ with .x }}{{ . }}{{ else with .y }}{{ .z }}{{ end }}", 0 },
        { "{{ range $i, $v := .l }}{{ if $i }}{{ break }}{{ end }}{{ $v }}{{ continue }}{{ else }}none{{ end }}", 0 },
        { "{{ $x := 1 }}{{ if .a }}{{ if .b }}{{ $x }}{{ $x = 2 }}{{ end }}{{ end }}{{ $x }}", 0 },
        { "{{- define \"a\" -}}\n  {{ if .x -}} x {{- end }}\n{{- end -}}\n{{ template \"a\" . }}", 0 },
        { "{{ block \"b\" . }}{{ if .x }}in{{ end }}{{ end }}after", 0 },
        { "{{ if .x }}{{/* a comment */}}{{ `raw\nwith lines` }}{{ end }}\n{{ .y }}", 0 },
        { "{{ define \"e\" }} \n {{ end }}{{ define \"e\" }}full{{ end }}", 0 },
        { "{{ define \"e\" }}one{{ end }}{{ define \"e\" }}two{{ end }}", -1 },
        { "{{ if .x }}{{ nofunc }}{{ end }}", 0 }, /* every function name is accepted here */
        { "{{ if .x }}{{ xfn }}{{ end }}", -1 },    /* but those starting with 'x' */
        { "{{ define \"d\" }}{{ if .a }}{{ .b | xq }}{{ end }}{{ end }}", -1 },
        { "{{ if .x }}{{ $nope }}{{ end }}", -1 },
        { "{{ if .x }}{{ break }}{{ end }}", -1 },
        { "{{ if .x }}{{ end }}{{ end }}", -1 },
        { "{{ if .x }}{{ .y", -1 },
        { "{{ define \"a\" }}{{ if .x }}{{ else }}{{ else }}{{ end }}{{ end }}", -1 },
        { "{{ range .x }}{{ with .y }}{{ if .z }}deep{{ end }}{{ end }}{{ end }}", 0 },
        { "{{ if .a }}1{{ else if .b }}2{{ else if .c }}3{{ else }}4{{ end }}", 0 },
        { "{{ if (and .a (or .b .c)) }}{{ printf \"%d\" 3 | print }}{{ end }}", 0 },
        /* what hides an {{end}} or a "}}" from a body's end, and bodies around variables */
        { "{{ if .x }}{{ \"}}{{end}}\" }}{{ end }}", 0 },
        { "{{ if .x }}{{ '}' }}{{ '\"' }}{{ '\\'' }}{{ end }}", 0 },
        { "{{ if .x }}{{ `a}}{{end}}\n\"b` }}{{ end }}", 0 },
        { "{{ if .x }}{{- /* }} {{end}} \" */ -}} y {{ end }}", 0 },
        { "{{ if .x -}}\n\n  {{ $v := 1 }}{{ if .y -}} \t {{ $v }}{{ end }}{{ end }}", 0 },
        { "{{ if .x }}\n{{ end -}}\n{{ if .y -}}\n{{- end }}", 0 },
        { "{{ if .a }}{{ if .b }}1{{ else }}2{{ end }}{{ end }}", 0 },
        { "{{ if .a }}{{ $x := 1 }}{{ else }}{{ $x }}{{ end }}", 0 },
        { "{{ if .o }}{{ if .a }}{{ $x := 1 }}{{ else if .b }}{{ $x }}{{ $y := 2 }}{{ else }}{{ $y }}{{ end }}{{ end }}", 0 },
        { "{{ if .x }}{{ block \"b\" . }}B{{ end }}{{ end }}", 0 },
        { "{{ if .x }}{{ define \"d\" }}D{{ end }}{{ end }}", -1 },
        { "{{ define \"e\" }} {{/* c */}} {{ end }}{{ define \"e\" }}x{{ end }}", 0 },
        { "{{ define \"e\" }} {{ \"\" }} {{ end }}{{ define \"e\" }}x{{ end }}", -1 },
        { "{{ with $v := .x }}{{ if $v }}{{ range $v }}{{ $v }}{{ continue }}{{ end }}{{ end }}{{ end }}", 0 },
        { "{{ define \"d\" }}{{ if .a }}{{ range .b }}{{ with .c }}{{ if .d }}x{{ else }}y{{ end }}{{ end }}"
          "{{ end }}{{ end }}{{ end }}", 0 },
        { "{{ if .x }}{{ \"unterminated }}{{ end }}", -1 },
        { "{{ if .x }}{{ if .y }}{{ $q }}{{ end }}{{ end }}", -1 },
        { "{{ range .x }}{{ if .y }}{{ with .z }}{{ break }}{{ end }}{{ end }}{{ end }}", 0 },
        { "{{ if .x }}{{ with .y }}{{ break }}{{ end }}{{ end }}", -1 },
        { "{{ if .x }}{{ endx }}{{ end }}", 0 },
        { "{{ if .x }}{{ end.x }}{{ end }}", -1 },
        { "{{ if .x }}{{ ( .y }}{{ end }}", -1 },
        { "{{ if .x }}{{ end }", -1 },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        int rc = tmpl_parse_only(cases[i].text, strlen(cases[i].text));
        if (rc != cases[i].rc)
            fail_msg("case %zu: %s: rc %d, want %d", i, cases[i].text, rc, cases[i].rc);
    }
}

/* Bodies past the quick check's limits (tmpl_check.c: 64 controls open, 128
 * variables, 32 parentheses, 16 variables handed back) go to the parser,
 * with the same result as a full parse; and so does a body with an error
 * at the far end of such a body. */
static void quick_check_limits(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    for (int bad = 0; bad < 2; bad++) {
        for (int shape = 0; shape < 5; shape++) {
            sb_reset(&sb);
            sb_adds(&sb, "{{ if .top }}");
            int n = shape == 0 ? 100 : shape == 1 ? 200 : shape == 2 ? 40 : shape == 3 ? 20 : 300;
            if (shape == 2)
                sb_adds(&sb, "{{ ");
            for (int i = 0; i < n; i++)
                switch (shape) {
                case 0: sb_adds(&sb, "{{ range .l }}x"); break;
                case 1: sb_addf(&sb, "{{ $v%d := %d }}", i, i); break;
                case 2: sb_adds(&sb, "("); break;
                case 3: sb_addf(&sb, "{{ $w%d := .a }}", i); break;
                default: sb_addf(&sb, "{{ if .a%d }}a{{ else if .b }}b", i); break;
                }
            if (shape == 2) {
                sb_adds(&sb, ".x");
                for (int i = 0; i < n; i++)
                    sb_adds(&sb, ")");
                sb_adds(&sb, " }}");
            }
            if (bad)
                sb_adds(&sb, "{{ $undefined }}");
            if (shape == 3) /* the else sees what the body declared */
                sb_addf(&sb, "{{ else }}{{ $w%d }}", n - 1);
            int closes = shape == 0 ? n : shape == 4 ? n : 0;
            for (int i = 0; i < closes; i++)
                sb_adds(&sb, "{{ end }}");
            sb_adds(&sb, "{{ end }}");
            int rc = tmpl_parse_only(sb_str(&sb), sb.len);
            if (rc != (bad ? -1 : 0))
                fail_msg("shape %d%s: rc %d", shape, bad ? " with an error" : "", rc);
        }
    }
    sb_release(&sb);
}

/* Render c/templates/a.yaml and a second file of chart c (its name under
 * c/templates/) with empty values. */
static int render_pair(arena *a, const char *text, const char *name2, const char *text2, tmpl_result **res,
                       size_t *n, cap_err *err)
{
    cval *dot = cv_map_new(a);
    cv_map_set(dot, "Values", cv_map_new(a));
    tmpl_source src[] = {
        { "c/templates/a.yaml", text, strlen(text), dot, "c/templates" },
        { arena_printf(a, "c/templates/%s", name2), text2, strlen(text2), dot, "c/templates" },
    };
    return tmpl_render(a, src, 2, NULL, res, n, err);
}

/* Render one chart template (with a partial) and return the error, or NULL. */
static const char *render_err(arena *a, const char *text, const char *helpers, const char **out)
{
    tmpl_result *res;
    size_t n;
    cap_err err = CAP_ERR_INIT;
    if (render_pair(a, text, "_h.tpl", helpers, &res, &n, &err) != 0) {
        const char *m = arena_strdup(a, err.msg);
        cap_err_clear(&err);
        return m;
    }
    *out = n ? res[0].text : "";
    return NULL;
}

/* Errors in bodies that never run are reported all the same, with Go's words
 * (each message as helm v4.1.4 prints it for the same chart). */
static void errors_in_skipped_bodies(void **state)
{
    (void)state;
    static const struct { const char *text, *helpers, *err; } cases[] = {
        { "ok", "{{ define \"never\" }}{{ if .x }}\n{{ nofunc 1 }}{{ end }}{{ end }}",
          "parse error at (c/templates/_h.tpl:2): function \"nofunc\" not defined" },
        { "{{ if false }}{{ else }}\n\n{{ $y }}{{ end }}", "",
          "parse error at (c/templates/a.yaml:3): undefined variable \"$y\"" },
        { "{{ if false }}{{ range .x }}{{ end }}{{ end }}{{ end }}", "",
          "parse error at (c/templates/a.yaml:1): unexpected {{end}}" },
        { "{{ with .x }}\n{{ .y }\n}}{{ end }}", "",
          "parse error at (c/templates/a.yaml:2): unexpected \"}\" in operand" },
        { "{{ if false }}{{ break }}{{ end }}", "",
          "parse error at (c/templates/a.yaml:1): {{break}} outside {{range}}" },
        { "ok", "{{ define \"a\" }}{{ if .x }}", "parse error at (c/templates/_h.tpl:1): unexpected EOF" },
        /* helm parses every template before it runs one: a parse error wins over an execution error */
        { "{{ fail \"boom\" }}", "{{ define \"never\" }}{{ if .x }}{{ nofunc 1 }}{{ end }}{{ end }}",
          "parse error at (c/templates/_h.tpl:1): function \"nofunc\" not defined" },
        { "{{ if true }}\n{{ nofunc }}{{ end }}", "",
          "parse error at (c/templates/a.yaml:2): function \"nofunc\" not defined" },
        { "{{ if true }}{{ fail \"boom\" }}{{ end }}", "{{ define \"a\" }}{{ if .x }}{{ $nope }}{{ end }}{{ end }}",
          "parse error at (c/templates/_h.tpl:1): undefined variable \"$nope\"" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena *a = arena_new();
        const char *out = NULL;
        const char *e = render_err(a, cases[i].text, cases[i].helpers, &out);
        if (!e || strcmp(e, cases[i].err) != 0)
            fail_msg("case %zu: got %s, want %s", i, e ? e : "(no error)", cases[i].err);
        arena_free(a);
    }
}

/* Bodies parsed on demand see the variables around them, loop, and print their
 * nodes in execution errors as a full parse would. */
static void bodies_parsed_on_demand(void **state)
{
    (void)state;
    static const struct { const char *text, *helpers, *want; } cases[] = {
        { "{{ $x := \"v\" }}{{ if true }}{{ range $i, $e := list 1 2 3 }}{{ if eq $i 2 }}{{ break }}{{ end }}"
          "{{ $x }}{{ $e }}{{ end }}{{ end }}",
          "", "v1v2" },
        { "{{ include \"a\" . }}|{{ include \"a\" . }}", "{{ define \"a\" }}{{ if true }}A{{ else }}B{{ end }}{{ end }}",
          "A|A" },
        { "{{ if false }}no{{ else if true }}{{ with \"w\" }}{{ . }}{{ end }}{{ end }}", "", "w" },
        { "{{ block \"blk\" . }}{{ if true }}in block{{ end }}{{ end }}", "", "in block" },
        { "{{- range list 1 2 -}}\n  {{ . }}\n{{- end }}", "", "12" },
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        arena *a = arena_new();
        const char *out = NULL;
        const char *e = render_err(a, cases[i].text, cases[i].helpers, &out);
        if (e || strcmp(out, cases[i].want) != 0)
            fail_msg("case %zu: got %s, want %s", i, e ? e : out, cases[i].want);
        arena_free(a);
    }
    /* an execution error inside a range prints the range node whole */
    arena *a = arena_new();
    const char *out;
    const char *e = render_err(a, "{{ if true }}{{ range 1.5 }}{{ .x }}{{ end }}{{ end }}", "", &out);
    assert_non_null(e);
    assert_non_null(strstr(e, "range can't iterate over 1.5"));
    arena_free(a);
}

/* A file's top level runs once: the nodes of its bodies are given back after
 * it (tmpl_env_run_once). What its constants put into values outlives them,
 * and the file runs again, parsed anew, when a template calls it by name. */
static void top_level_bodies_given_back(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char b[] = "{{ if true }}{{ $_ := set .Values \"k\" \"x\\ty\" }}{{ $_ := set .Values \"n\" 1.5 }}"
                            "{{ $_ := set .Values \"c\" 2i }}{{ range list 1 2 }}{{ if . }}B{{ end }}{{ end }}{{ end }}";
    static const char a_[] = "{{ if true }}{{ .Values.k }}|{{ .Values.n }}|{{ .Values.c }}|"
                             "{{ template \"c/templates/b.yaml\" . }}|{{ template \"c/templates/b.yaml\" . }}{{ end }}";
    tmpl_result *res;
    size_t n;
    cap_err err = CAP_ERR_INIT;
    if (render_pair(a, a_, "b.yaml", b, &res, &n, &err) != 0)
        fail_msg("render: %s", err.msg);
    assert_int_equal(n, 2);
    assert_string_equal(res[0].name, "c/templates/b.yaml"); /* helm's order: b before a */
    assert_string_equal(res[0].text, "BB");
    assert_string_equal(res[1].text, "x\ty|1.5|(0+2i)|BB|BB");
    arena_free(a);
}

/* Functions the quick check knows in quick_check_says. */
static bool some_fns(void *ctx, const char *name, size_t len)
{
    (void)ctx;
    static const char *const fns[] = { "include", "toYaml", "nindent", "quote", "default", "printf", "and", "not" };
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (strlen(fns[i]) == len && memcmp(fns[i], name, len) == 0)
            return true;
    return false;
}

/* The quick check of a body (tmpl_check.c) says yes to what charts are made
 * of, with the bodies inside recorded where the parser records them, and "not
 * sure" to every error and to the forms it leaves to the parser. The body
 * starts after "{{ if .x }}" (11 bytes) in each case; $v is in scope. */
static void quick_check_says(void **state)
{
    (void)state;
    static const struct { const char *text; bool yes; size_t nbodies; } cases[] = {
        { "{{ if .x }}text{{ end }}", true, 0 },
        { "{{ if .x }}{{- include \"a\" . | nindent 4 }}\n{{ else }}", true, 0 },
        { "{{ if .x }}{{ if .a }}1{{ else if not .b }}2{{ else }}3{{ end }}{{ end }}", true, 3 },
        { "{{ if .x }}{{ range $i, $e := .l }}{{ $e.a.b }}{{ break }}{{ else }}{{ end }}{{ end }}", true, 2 },
        { "{{ if .x }}{{ $y := default \"d\" .y }}{{ with $z := $y }}{{ $z }}{{ $v }}{{ end }}{{ $y }}{{ end }}", true,
          1 },
        { "{{ if .x }}{{/* c */}}{{- /* c */ -}}\n{{ template \"t\" . }}{{ template `t` }}{{ end }}", true, 0 },
        { "{{ if .x }}{{ (printf \"%s\" .a).b | quote }}{{ and true false nil 12 `r` }}{{ end -}}", true, 0 },
        { "{{ if .x }}{{ $v.a }}{{ $.Values.b }}{{ . }}{{ .a | toYaml | nindent 2 }}{{ end }}", true, 0 },
        { "{{ if .x }}{{ \"a\\\"b\\n\" }}{{ end }}", true, 0 },
        /* errors: the parser says what */
        { "{{ if .x }}{{ $nope }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ nofunc }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ break }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ .a | \"s\" }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ .a.}}{{ end }}", false, 0 },
        { "{{ if .x }}{{ \"s\".a }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ if .a }}{{ else }}{{ else }}{{ end }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ with .a }}{{ else if .b }}{{ end }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ (.a }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ .a) }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ if }}{{ end }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ end", true, 0 }, /* the closing action is the parser's to read */
        { "{{ if .x }}{{ if .a }}{{ end", false, 0 },
        { "{{ if .x }}{{ if .a }}", false, 0 },
        { "{{ if .x }}{{ \"\\q\" }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ /* c */ }}{{ end }}", false, 0 },
        { "{{ if .x }}{{/* c */ }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ define \"d\" }}{{ end }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ $a, $b := .l }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ .a\"b\" }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ include(.a) }}{{ end }}", false, 0 },
        /* valid, but left to the parser */
        { "{{ if .x }}{{ 1.5 }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ -1 }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ 'c' }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ block \"b\" . }}{{ end }}{{ end }}", false, 0 },
        { "{{ if .x }}{{ .caf\xc3\xa9 }}{{ end }}", false, 0 },
    };
    static const char v[] = "$v";
    tmpl_var vars[] = { { "$", 1 }, { v, 2 } };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *t = cases[i].text;
        tmpl_check c = { t, strlen(t), vars, 2, 0, 100, true, true, some_fns, NULL };
        tmpl_body *bodies = NULL;
        size_t nb = 0, cap = 0;
        tmpl_check_out out;
        bool yes = tmpl_check_body(&c, 11, 1, &bodies, &nb, &cap, &out);
        size_t last = 0; /* the closing {{end}} or {{else}} is the text's last action */
        for (const char *q = t; (q = strstr(q, "{{")) != NULL; q++)
            last = (size_t)(q - t);
        if (yes != cases[i].yes || (yes && (out.end != last || nb != cases[i].nbodies)))
            fail_msg("case %zu: %s: %s end %zu bodies %zu", i, t, yes ? "yes" : "not sure", yes ? out.end : 0, nb);
        if (!yes && nb != 0)
            fail_msg("case %zu: not sure, yet %zu bodies recorded", i, nb);
        free(bodies);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(quick_check_says),
    cmocka_unit_test(quick_check_limits),
    cmocka_unit_test(lazy_equals_full),
    cmocka_unit_test(errors_in_skipped_bodies),
    cmocka_unit_test(bodies_parsed_on_demand),
    cmocka_unit_test(top_level_bodies_given_back),
};

UNIT_MAIN(tests)
