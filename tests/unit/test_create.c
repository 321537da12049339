/* test_create.c — capstan_create: capstan's scaffold is lint-clean and renders what
 * helm 4.1.4 renders from it (tests/unit/fixtures/create/x-*.yaml, recorded with
 *   capstan create x && helm template r x > x-default.yaml
 *   helm template web x -n apps --set SETS > x-features.yaml   (SETS below);
 * record them again when the scaffold changes; tests/cli/script compares with helm
 * live), helm's name checks and overwrite warnings, and --starter as helm's CreateFrom. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capstan.h"
#include "core/fsutil.h"
#include "core/strbuf.h"

#define FEATURE_SETS                                                                                       \
    "ingress.enabled=true,ingress.className=nginx,ingress.tls[0].secretName=x-tls,"                        \
    "ingress.tls[0].hosts[0]=x.example.test,autoscaling.enabled=true,autoscaling.memoryUtilization=75," \
    "serviceAccount.create=false,podAnnotations.a=b,resources.limits.memory=256Mi,image.tag=1.27.4"

static char tmp[] = "/tmp/capstan-test-create.XXXXXX";

static const char *at(const char *rel)
{
    static char buf[4][1024];
    static int i;
    i = (i + 1) % 4;
    snprintf(buf[i], sizeof buf[i], "%s/%s", tmp, rel);
    return buf[i];
}

static char *slurp(const char *path)
{
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (fsu_read_file(path, &sb, &e) != 0) {
        fail_msg("%s: %s", path, e.msg);
    }
    return sb_detach(&sb, NULL);
}

static void spit(const char *path, const char *text)
{
    assert_int_equal(fsu_mkdirs_for(path, NULL), 0);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *fixture(const char *name)
{
    static char buf[1024];
    const char *src = getenv("CAPSTAN_SRCDIR");
    snprintf(buf, sizeof buf, "%s/tests/unit/fixtures/create/%s", src && *src ? src : ".", name);
    return buf;
}

static void log_line(void *ctx, const char *line)
{
    (void)line;
    ++*(int *)ctx;
}

static void render_equals(const char *chart, const char *release, const char *ns, const char *sets,
                          const char *expected_file)
{
    const char *set[1] = {sets};
    capstan_render_opts ro = {.size = sizeof ro, .release_name = release, .namespace_ = ns};
    if (sets) {
        ro.set = set;
        ro.n_set = 1;
    }
    char *out = NULL;
    size_t len = 0;
    capstan_error e = {0};
    int rc = capstan_template(chart, &ro, &out, &len, &e);
    if (rc != 0)
        fail_msg("template %s: %s", chart, e.msg);
    char *want = slurp(fixture(expected_file));
    assert_string_equal(out, want);
    free(out);
    free(want);
}

static void test_scaffold_lints_and_renders_as_helm(void **state)
{
    (void)state;
    capstan_create_opts o = {.size = sizeof o};
    capstan_error e = {0};
    assert_int_equal(capstan_create(at("x"), &o, &e), 0);
    struct stat st;
    assert_int_equal(stat(at("x/charts"), &st), 0);
    assert_true(S_ISDIR(st.st_mode));
    assert_int_equal(stat(at("x/templates/tests/test-http.yaml"), &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);

    const char *paths[] = {at("x")};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    capstan_lint_opts lo = {.size = sizeof lo, .strict = true, .out = out};
    size_t linted = 0, failed = 9, warned = 9;
    assert_int_equal(capstan_lint(paths, 1, &lo, &linted, &failed, &warned, &e), 0);
    fclose(out);
    assert_int_equal(linted, 1);
    assert_int_equal(failed, 0);
    assert_int_equal(warned, 0);
    assert_null(strstr(text, "[WARNING]"));
    assert_null(strstr(text, "[ERROR]"));
    free(text);

    render_equals(at("x"), "r", NULL, NULL, "x-default.yaml");
    render_equals(at("x"), "web", "apps", FEATURE_SETS, "x-features.yaml");

    /* the chart's name everywhere it goes */
    char *chart = slurp(at("x/Chart.yaml"));
    assert_non_null(strstr(chart, "\nname: x\n"));
    assert_null(strstr(chart, "<CHARTNAME>"));
    free(chart);
}

static void test_overwrite_warnings(void **state)
{
    (void)state;
    int lines = 0;
    capstan_create_opts o = {.size = sizeof o, .log = log_line, .log_ctx = &lines};
    capstan_error e = {0};
    assert_int_equal(capstan_create(at("w"), &o, &e), 0);
    assert_int_equal(lines, 0);
    spit(at("w/extra.txt"), "kept\n");
    assert_int_equal(capstan_create(at("w"), &o, &e), 0);
    assert_int_equal(lines, 11); /* one a file of the scaffold */
    char *kept = slurp(at("w/extra.txt"));
    assert_string_equal(kept, "kept\n");
    free(kept);
}

static void expect_error(const char *path, const capstan_create_opts *o, const char *msg)
{
    capstan_error e = {0};
    assert_int_equal(capstan_create(path, o, &e), -1);
    assert_non_null(e.msg);
    if (!strstr(e.msg, msg))
        fail_msg("error \"%s\" lacks \"%s\"", e.msg, msg);
    capstan_error_clear(&e);
}

static void test_name_checks(void **state)
{
    (void)state;
    capstan_create_opts o = {.size = sizeof o};
    expect_error(at("bad name"), &o, "chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"");
    char longname[300];
    memset(longname, 'a', 251);
    longname[251] = 0;
    expect_error(at(longname), &o, "chart name must be between 1 and 250 characters");
    expect_error(at("missing/dir/c"), &o, "no such file or directory");
    spit(at("afile"), "x");
    expect_error(at("afile"), &o, "already exists and is not a directory");
}

static void make_starter(const char *dir)
{
    char p[1024];
#define PUT(rel, text) (snprintf(p, sizeof p, "%s/%s", dir, rel), spit(p, text))
    PUT("Chart.yaml", "apiVersion: v2\nname: st\nversion: 9.9.9\ndescription: a starter\n");
    PUT("values.yaml", "# values of <CHARTNAME>\nname: <CHARTNAME>\n");
    PUT("values.schema.json", "{\"type\": \"object\"}\n");
    PUT("templates/cm.yaml", "kind: ConfigMap\nmetadata: {name: <CHARTNAME>-{{ .Values.name }}}\n");
    PUT("README.md", "about <CHARTNAME>\n");
    PUT(".helmignore", "*.skip\n");
    PUT("ignored.skip", "left out\n");
    PUT("charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 1.2.3\n");
    PUT("charts/sub/templates/a.yaml", "kind: A <CHARTNAME>\n");
#undef PUT
}

static void test_starter(void **state)
{
    (void)state;
    make_starter(at("data/starters/st"));
    capstan_create_opts o = {.size = sizeof o, .starter = "st", .starters_dir = at("data/starters")};
    capstan_error e = {0};
    /* helm makes the missing parents of a starter's copy */
    assert_int_equal(capstan_create(at("out/deep/web"), &o, &e), 0);
    char *s = slurp(at("out/deep/web/Chart.yaml"));
    assert_string_equal(s, "apiVersion: v2\nappVersion: 0.1.0\ndescription: A Helm chart for Kubernetes\n"
                           "name: web\ntype: application\nversion: 0.1.0\n");
    free(s);
    s = slurp(at("out/deep/web/values.yaml"));
    assert_string_equal(s, "# values of web\nname: web\n");
    free(s);
    s = slurp(at("out/deep/web/templates/cm.yaml"));
    assert_string_equal(s, "kind: ConfigMap\nmetadata: {name: web-{{ .Values.name }}}\n");
    free(s);
    s = slurp(at("out/deep/web/README.md"));
    assert_string_equal(s, "about <CHARTNAME>\n"); /* other files as they are */
    free(s);
    s = slurp(at("out/deep/web/values.schema.json"));
    assert_string_equal(s, "{\"type\": \"object\"}\n");
    free(s);
    struct stat st;
    assert_int_equal(stat(at("out/deep/web/charts/sub-1.2.3.tgz"), &st), 0);
    assert_int_equal(stat(at("out/deep/web/ignored.skip"), &st), -1);
    assert_int_equal(stat(at("out/deep/web/charts/sub"), &st), -1);

    /* an absolute path; no name check for a starter, as helm */
    o.starter = at("data/starters/st");
    o.starters_dir = "/nonexistent";
    assert_int_equal(capstan_create(at("abs"), &o, &e), 0);
    assert_int_equal(stat(at("abs/templates/cm.yaml"), &st), 0);

    o.starter = "nope";
    o.starters_dir = at("data/starters");
    expect_error(at("n"), &o, "could not load ");
    expect_error(at("n"), &o, "/data/starters/nope: no such file or directory");
    o.starter = at("data/starters/st");
    spit(at("taken"), "x");
    expect_error(at("taken"), &o, "already exists and is not a directory");
}

static int setup(void **state)
{
    (void)state;
    return mkdtemp(tmp) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[1100];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmp);
    return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_scaffold_lints_and_renders_as_helm),
        cmocka_unit_test(test_overwrite_warnings),
        cmocka_unit_test(test_name_checks),
        cmocka_unit_test(test_starter),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
