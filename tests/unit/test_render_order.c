/* test_render_order.c — what capstan does out of Helm's order gives Helm's
 * answers:
 *  - the values schemas are checked while the templates run (Helm checks them
 *    first): invalid values give the schemas' error whatever the templates do
 *    (fail, fail to parse, loop 10^12 times, change .Values), and before the
 *    kubeVersion check's;
 *  - a chart directory's Chart.yaml and templates/ are read before its other
 *    files: a chart with several problems fails on the first in walk order,
 *    and a chart whose Chart.yaml is broken fails on that.
 * The expected messages are helm v4.1.4's (after "Error: "). */
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capstan.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    for (char *s = p + strlen(dir) + 1; (s = strchr(s, '/')); s++) {
        *s = 0;
        mkdir(p, 0755);
        *s = '/';
    }
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static void fresh(void)
{
    if (*dir) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        assert_int_equal(system(cmd), 0);
    }
    snprintf(dir, sizeof dir, "/tmp/capstan-order-XXXXXX");
    assert_non_null(mkdtemp(dir));
}

static const char *const SCHEMA =
    "{\"type\":\"object\",\"properties\":{\"count\":{\"type\":\"integer\",\"maximum\":10}}}";
static const char *const SCHEMA_ERR =
    "values don't meet the specifications of the schema(s) in the following chart(s):\n"
    "c:\n- at '/count': maximum: got 1\u00d710\u00b9\u00b2, want 10\n";

/* Render dir with --set SET (or none); the error message, or NULL with the output in *out. */
static char *render(const char *set, const char *kube, char **out)
{
    capstan_render_opts o = {0};
    const char *sets[1] = {set};
    o.set = sets;
    o.n_set = set ? 1 : 0;
    o.kube_version = kube;
    char *text = NULL;
    size_t n = 0;
    capstan_error e = {0};
    *out = NULL;
    if (capstan_template(dir, &o, &text, &n, &e) != 0) {
        char *m = strdup(e.msg);
        capstan_error_clear(&e);
        return m;
    }
    *out = text;
    return NULL;
}

static void expect_error(const char *set, const char *kube, const char *want)
{
    char *out, *m = render(set, kube, &out);
    if (!m || strcmp(m, want) != 0) {
        fprintf(stderr, "%s: want error\n%s\ngot %s\n%s\n", dir, want, m ? "error" : "output", m ? m : out);
        fail();
    }
    free(m);
    free(out);
}

static void chart(const char *tmpl)
{
    fresh();
    put("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\nkubeVersion: \">=1.20.0\"\n");
    put("values.yaml", "count: 3\n");
    put("values.schema.json", SCHEMA);
    put("templates/a.yaml", tmpl);
}

static void test_schema_first(void **state)
{
    (void)state;
    /* a range that would run 10^12 times: the render is stopped */
    chart("a: {{ range $i := int64 .Values.count }}x{{ end }}\n");
    char *out, *m = render(NULL, NULL, &out);
    assert_null(m);
    assert_string_equal(out, "---\n# Source: c/templates/a.yaml\na: xxx\n");
    free(out);
    expect_error("count=1000000000000", NULL, SCHEMA_ERR);

    /* the template fails, or cannot be parsed */
    chart("{{ if gt (int .Values.count) 10 }}{{ fail \"too many\" }}{{ end }}\n");
    expect_error("count=1000000000000", NULL, SCHEMA_ERR);
    expect_error("count=11.5", NULL,
                 "values don't meet the specifications of the schema(s) in the following chart(s):\n"
                 "c:\n- at '/count': got string, want integer\n");
    chart("{{ if }}\n");
    expect_error("count=1000000000000", NULL, SCHEMA_ERR);
    expect_error(NULL, NULL, "parse error at (c/templates/a.yaml:1): missing value for if");

    /* the kubeVersion check comes after the schemas */
    chart("a: 1\n");
    expect_error("count=1000000000000", "1.10.0", SCHEMA_ERR);
    expect_error(NULL, "1.10.0",
                 "chart requires kubeVersion: >=1.20.0 which is incompatible with Kubernetes v1.10.0");

    /* the schemas see the values as they were before the templates ran */
    chart("{{ $_ := set .Values \"count\" 1000000000000 }}a: {{ .Values.count }}\n");
    m = render(NULL, NULL, &out);
    assert_null(m);
    assert_string_equal(out, "---\n# Source: c/templates/a.yaml\na: 1000000000000\n");
    free(out);
}

static void test_subchart_schema(void **state)
{
    (void)state;
    fresh();
    put("Chart.yaml", "apiVersion: v2\nname: top\nversion: 0.1.0\n");
    put("templates/a.yaml", "a: {{ range until (int .Values.sub.count) }}x{{ end }}\n");
    put("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\n");
    put("charts/sub/values.yaml", "count: 2\n");
    put("charts/sub/values.schema.json", SCHEMA);
    put("charts/sub/templates/b.yaml", "b: {{ range until (int .Values.count) }}y{{ end }}\n");
    char *out, *m = render(NULL, NULL, &out);
    assert_null(m);
    assert_string_equal(out, "---\n# Source: top/charts/sub/templates/b.yaml\nb: yy\n"
                             "---\n# Source: top/templates/a.yaml\na: xx\n");
    free(out);
    expect_error("sub.count=1000000000000", NULL,
                 "values don't meet the specifications of the schema(s) in the following chart(s):\n"
                 "sub:\n- at '/count': maximum: got 1\u00d710\u00b9\u00b2, want 10\n");
}

static void test_walk_order(void **state)
{
    (void)state;
    /* Chart.yaml broken: its error, though templates/ was read first */
    fresh();
    put("Chart.yaml", "apiVersion: v2\nname: c\nversion: [\n");
    put("templates/a.yaml", "a: 1\n");
    char *out, *m = render(NULL, NULL, &out);
    assert_non_null(m);
    assert_non_null(strstr(m, "cannot load Chart.yaml"));
    free(m);

    /* a special file before a file too big: the special file's error */
    fresh();
    put("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    put("templates/a.yaml", "a: 1\n");
    char p[512], want[1024];
    snprintf(p, sizeof p, "%s/a-fifo", dir);
    assert_int_equal(mkfifo(p, 0644), 0);
    snprintf(p, sizeof p, "%s/templates/z-big.yaml", dir);
    FILE *f = fopen(p, "w");
    assert_non_null(f);
    assert_int_equal(ftruncate(fileno(f), 6L * 1024 * 1024), 0);
    fclose(f);
    snprintf(want, sizeof want, "cannot load irregular file %s/a-fifo as it has file mode type bits set", dir);
    expect_error(NULL, NULL, want);

    /* the file too big first: its error */
    snprintf(p, sizeof p, "%s/a-fifo", dir);
    unlink(p);
    snprintf(p, sizeof p, "%s/templates/z-fifo", dir);
    assert_int_equal(mkfifo(p, 0644), 0);
    expect_error(NULL, NULL, "chart file \"z-big.yaml\" is larger than the maximum file size 5242880");

    /* a template that is a directory's symlink, a file's symlink: followed */
    fresh();
    put("Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n");
    put("real/b.yaml", "b: 2\n");
    put("real/c.yaml", "c: 3\n");
    snprintf(p, sizeof p, "%s/templates", dir);
    assert_int_equal(symlink("real", p), 0);
    put("x/d.yaml", "d: 4\n");
    snprintf(p, sizeof p, "%s/real/d.yaml", dir);
    assert_int_equal(symlink("../x/d.yaml", p), 0);
    m = render(NULL, NULL, &out);
    assert_null(m);
    assert_string_equal(out, "---\n# Source: c/templates/b.yaml\nb: 2\n---\n# Source: c/templates/c.yaml\nc: 3\n"
                             "---\n# Source: c/templates/d.yaml\nd: 4\n");
    free(out);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_schema_first),
    cmocka_unit_test(test_subchart_schema),
    cmocka_unit_test(test_walk_order),
};

int main(void)
{
    alarm(120); /* a render that is not stopped would run for hours */
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    if (*dir) {
        char cmd[128];
        snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
        if (system(cmd) != 0)
            fprintf(stderr, "could not remove %s\n", dir);
    }
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
