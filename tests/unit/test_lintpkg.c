/* test_lintpkg.c — capstan package and capstan lint below the command line: the
 * archive helm's save.go writes (member order, USTAR fields, Chart.lock's time and
 * mtime, the gzip header, nothing left behind on failure) and lint's checks
 * (govalidator's URL and e-mail checks, strict semver, Kubernetes object names,
 * deprecated APIs, apimachinery's document splitting). Expected values were taken
 * from helm v4.1.4 runs (tests/golden/charts-lint, tests/golden/package). */
#include "unit.h"
#include "core/fsutil.h"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "renderer/chart/chart_package.h"
#include "renderer/lint/lint.h"

static void test_request_url(void **state)
{
    (void)state;
    assert_true(lint_is_request_url("https://example.com/icon.png"));
    assert_true(lint_is_request_url("mailto:someone@example.com")); /* opaque: accepted, as by helm */
    assert_false(lint_is_request_url("icon.png"));
    assert_false(lint_is_request_url("example.com/no-scheme"));
    assert_false(lint_is_request_url("https://example.com/a%zz"));
    assert_false(lint_is_request_url("http://a b/"));
    assert_false(lint_is_request_url("/abs/path"));
    assert_false(lint_is_request_url(""));
}

static void test_url_email(void **state)
{
    (void)state;
    assert_true(lint_is_url("https://example.com"));
    assert_true(lint_is_url("example.com/path"));
    assert_false(lint_is_url("not a url"));
    assert_true(lint_is_email("ok@example.com"));
    assert_true(lint_is_email("first.last+tag@sub.example.co.uk"));
    assert_false(lint_is_email("not-an-email"));
    assert_false(lint_is_email("a@localhost"));
    assert_false(lint_is_email("x@y.z1"));
}

static void test_strict_semver(void **state)
{
    (void)state;
    assert_true(lint_is_strict_semver("1.2.3"));
    assert_true(lint_is_strict_semver("0.0.0-alpha"));
    assert_true(lint_is_strict_semver("1.2.3-alpha.1+build.05"));
    assert_false(lint_is_strict_semver("v1.2.3"));
    assert_false(lint_is_strict_semver("1.2"));
    assert_false(lint_is_strict_semver("01.2.3"));
    assert_false(lint_is_strict_semver("1.2.3-01"));
    assert_false(lint_is_strict_semver("1.2.3-"));
}

static void test_names(void **state)
{
    (void)state;
    arena *a = arena_new();
    lint_k8s_obj svc = {"v1", "Service", "Bad_Service", ""};
    const char *m = lint_check_name(a, &svc);
    assert_non_null(m);
    assert_non_null(strstr(m, "\"Bad_Service\": metadata.name: Invalid value: \"Bad_Service\": a DNS-1035 label"));
    lint_k8s_obj role = {"rbac.authorization.k8s.io/v1", "Role", "a/b", ""};
    assert_string_equal(lint_check_name(a, &role),
                        "object name does not conform to Kubernetes naming requirements: \"a/b\": metadata.name: "
                        "Invalid value: \"a/b\": may not contain '/'");
    lint_k8s_obj csr = {"certificates.k8s.io/v1", "CertificateSigningRequest", "ANY_thing", ""};
    assert_null(lint_check_name(a, &csr));
    lint_k8s_obj cm = {"v1", "ConfigMap", "ok.name-1", ""};
    assert_null(lint_check_name(a, &cm));
    lint_k8s_obj ns = {"v1", "namespace", "a.b", ""}; /* kinds compare case-insensitively */
    assert_non_null(lint_check_name(a, &ns));
    arena_free(a);
}

static void test_deprecation(void **state)
{
    (void)state;
    arena *a = arena_new();
    lint_k8s_obj ing = {"extensions/v1beta1", "Ingress", "x", ""};
    assert_string_equal(lint_check_deprecation(a, &ing, NULL),
                        "extensions/v1beta1 Ingress is deprecated in v1.14+, unavailable in v1.22+; use "
                        "networking.k8s.io/v1 Ingress");
    assert_null(lint_check_deprecation(a, &ing, "v1.13.0"));
    lint_k8s_obj cj = {"batch/v1", "CronJob", "x", ""};
    assert_null(lint_check_deprecation(a, &cj, NULL));
    lint_k8s_obj psp = {"policy/v1beta1", "PodSecurityPolicy", "x", ""}; /* gone from client-go: not registered */
    assert_null(lint_check_deprecation(a, &psp, NULL));
    arena_free(a);
}

typedef struct docs {
    int n;
    const char *kinds[8];
} docs;

static int collect(void *ctx, const lint_k8s_obj *o)
{
    docs *d = ctx;
    if (d->n < 8)
        d->kinds[d->n] = o->kind;
    d->n++;
    return 0;
}

static void test_docs(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *why = NULL;
    docs d = {0};
    const char *t = "---\n# only a comment\n---\n\n--- # c\nkind: Pod\nmetadata:\n  name: 1.50\n---\nkind: 5\n";
    assert_int_equal(lint_decode_docs(a, t, strlen(t), collect, &d, &why), 0);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.kinds[0], "Pod");
    assert_string_equal(d.kinds[1], "5");
    t = "a: 1\n---x\n";
    assert_int_equal(lint_decode_docs(a, t, strlen(t), collect, &d, &why), -1);
    assert_string_equal(why, "invalid Yaml document separator: x");
    t = "- a\n";
    assert_int_equal(lint_decode_docs(a, t, strlen(t), collect, &d, &why), -1);
    assert_string_equal(why, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value "
                             "of type rules.k8sYamlStruct");
    memset(&d, 0, sizeof d);
    t = " {\"kind\": \"Service\"}\n{\"kind\": \"Pod\", \"x\": \"}\"}";
    assert_int_equal(lint_decode_docs(a, t, strlen(t), collect, &d, &why), 0);
    assert_int_equal(d.n, 2);
    assert_string_equal(d.kinds[1], "Pod");
    arena_free(a);
}

/* ---- package ----------------------------------------------------------------------- */

static void put(const char *dir, const char *name, const char *text, long mtime)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, name);
    char *sl = strrchr(p, '/');
    *sl = 0;
    assert_int_equal(fsu_mkdirs(p, NULL), 0);
    *sl = '/';
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    struct timespec ts[2] = {{mtime, 600000000}, {mtime, 600000000}}; /* .6 s rounds up */
    utimensat(AT_FDCWD, p, ts, 0);
}

static void test_package(void **state)
{
    (void)state;
    char dir[] = "/tmp/capstan-pkgtest-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char chart[600], out[600];
    snprintf(chart, sizeof chart, "%s/src", dir);
    snprintf(out, sizeof out, "%s/out/deeper", dir);
    put(chart, "Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.0.0\nappVersion: 1.10\nicon: x\n", 1000);
    put(chart, "values.yaml", "\xEF\xBB\xBF" "a: 1\n", 2000);
    put(chart, "templates/b.yaml", "b: 1\n", 3000);
    put(chart, "templates/a.yaml", "a: 1\n", 3000);
    put(chart, "README.md", "readme\n", 4000);
    put(chart, "Chart.lock",
        "dependencies: []\ndigest: sha256:0\ngenerated: \"2021-02-03T04:05:06.700000000-01:00\"\n", 5000);
    put(chart, ".helmignore", "README.md\n", 6000);
    chart_package_opts o = {out, "2.0.0", NULL};
    char *path = NULL;
    cap_err err = CAP_ERR_INIT;
    int prc = chart_package_dir(chart, &o, &path, &err);
    if (prc != 0)
        fprintf(stderr, "%s\n", err.msg);
    assert_int_equal(prc, 0);
    assert_non_null(strstr(path, "/out/deeper/demo-2.0.0.tgz"));
    /* the gzip header helm writes */
    FILE *f = fopen(path, "rb");
    unsigned char h[64];
    assert_int_equal(fread(h, 1, sizeof h, f), sizeof h);
    fclose(f);
    static const unsigned char want[] = {0x1f, 0x8b, 8, 0x14, 0, 0, 0, 0, 0, 0xff, 41, 0, '+', 'a', 'H', 'R'};
    assert_memory_equal(h, want, sizeof want);
    assert_memory_equal(h + 12 + 41, "Helm", 5);
    /* the members */
    static const char *names[] = {"demo/Chart.yaml", "demo/Chart.lock", "demo/values.yaml",
                                  "demo/templates/a.yaml", "demo/templates/b.yaml", "demo/.helmignore"};
    static const long mtimes[] = {1001, 1612328707, 2001, 3001, 3001, 6001};
    struct archive *ar = archive_read_new();
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    assert_int_equal(archive_read_open_filename(ar, path, 4096), ARCHIVE_OK);
    struct archive_entry *e;
    size_t i = 0;
    char buf[1024];
    while (archive_read_next_header(ar, &e) == ARCHIVE_OK) {
        assert_true(i < 6);
        assert_string_equal(archive_entry_pathname(e), names[i]);
        assert_int_equal(archive_entry_mtime(e), mtimes[i]);
        assert_int_equal(archive_entry_perm(e), 0644);
        assert_int_equal(archive_entry_uid(e), 0);
        la_ssize_t n = archive_read_data(ar, buf, sizeof buf - 1);
        buf[n < 0 ? 0 : n] = 0;
        if (i == 0)
            assert_string_equal(buf, "apiVersion: v2\nappVersion: \"1.1\"\nicon: x\nname: demo\nversion: 2.0.0\n");
        if (i == 1)
            assert_string_equal(buf, "dependencies: []\ndigest: sha256:0\ngenerated: \"2021-02-03T04:05:06.7-01:00\"\n");
        if (i == 2)
            assert_string_equal(buf, "a: 1\n"); /* the BOM is gone, the rest as written */
        i++;
    }
    assert_int_equal(i, 6);
    archive_read_free(ar);
    unlink(path);
    free(path);
    /* failures leave nothing behind */
    o.version = "not-a-version";
    assert_int_equal(chart_package_dir(chart, &o, &path, &err), -1);
    assert_non_null(strstr(err.msg, "Invalid Semantic Version"));
    cap_err_clear(&err);
    o.version = NULL;
    char file[700];
    snprintf(file, sizeof file, "%s/Chart.yaml", chart);
    o.dest = file; /* a file where the directory should be */
    assert_int_equal(chart_package_dir(chart, &o, &path, &err), -1);
    cap_err_clear(&err);
    snprintf(file, sizeof file, "rm -rf '%s'", dir);
    assert_int_equal(system(file), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_request_url), cmocka_unit_test(test_url_email), cmocka_unit_test(test_strict_semver),
    cmocka_unit_test(test_names),       cmocka_unit_test(test_deprecation), cmocka_unit_test(test_docs),
    cmocka_unit_test(test_package),
};

UNIT_MAIN(tests)
