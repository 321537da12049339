/* test_bundle.c — bundles written and read back: verification, template from a
 * bundle equal to template from the chart, and every way a bundle can be bad
 * (truncated, corrupt, a member edited, a member added, SHA256SUMS edited). */
#include "unit.h"

#include <archive.h>
#include <archive_entry.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "renderer/images/bundle.h"
#include "capstan.h"

static char dir[64];

static void put(const char *rel, const char *text)
{
    char p[512];
    snprintf(p, sizeof p, "%s/%s", dir, rel);
    for (char *s = p + strlen(dir) + 1; *s; s++)
        if (*s == '/') {
            *s = 0;
            mkdir(p, 0755);
            *s = '/';
        }
    FILE *f = fopen(p, "wb");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static const char *at(const char *rel)
{
    static char p[8][512];
    static int k;
    k = (k + 1) % 8;
    snprintf(p[k], sizeof p[k], "%s/%s", dir, rel);
    return p[k];
}

static int setup(void **state)
{
    (void)state;
    strcpy(dir, "/tmp/capstan-test-bundle-XXXXXX");
    assert_non_null(mkdtemp(dir));
    put("c/Chart.yaml", "apiVersion: v2\nname: demo\nversion: 1.2.3\n"
                        "dependencies:\n  - name: sub\n    version: 0.1.0\n    condition: sub.enabled\n"
                        "annotations:\n  helm.sh/images: |\n    - name: extra\n      image: quay.io/sub/extra:1\n"
                        "      dependency: sub\n");
    put("c/values.yaml", "image: nginx:1.27\nreplicas: 1\n");
    put("c/.helmignore", "*.bak\n");
    put("c/skip.bak", "ignored\n");
    put("c/templates/deploy.yaml",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\nspec:\n  replicas: {{ .Values.replicas }}\n"
        "  template:\n    spec:\n      containers:\n        - name: web\n          image: {{ .Values.image }}\n");
    put("c/charts/sub/Chart.yaml", "apiVersion: v2\nname: sub\nversion: 0.1.0\nannotations:\n"
                                   "  helm.sh/images: |\n    - name: op\n      image: quay.io/sub/operator:2\n");
    put("c/charts/sub/templates/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: sub\n");
    put("v1.yaml", "replicas: 3\n");
    put("layout/oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}");
    put("layout/index.json", "{\"schemaVersion\":2,\"manifests\":[]}");
    put("layout/blobs/sha256/abc", "blob");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

static void write_bundle(const char *out, bool layout)
{
    arena *a = arena_new();
    const char *vals[] = {at("v1.yaml")};
    bundle_spec s = {at("c"), "demo", "1.2.3", vals, 1, "[]\n", layout ? at("layout") : NULL};
    cap_err e = CAP_ERR_INIT;
    if (bundle_write(a, &s, out, &e) != 0)
        fail_msg("bundle_write: %s", e.msg);
    arena_free(a);
}

static char *verify_err(const char *path)
{
    capstan_error e = {0};
    char *sum = NULL;
    if (capstan_bundle_verify(path, &sum, &e) == 0) {
        free(sum);
        return NULL;
    }
    char *m = strdup(e.msg);
    capstan_error_clear(&e);
    return m;
}

static void test_roundtrip(void **state)
{
    (void)state;
    char b[512];
    snprintf(b, sizeof b, "%s", at("b.tgz"));
    write_bundle(b, true);
    assert_true(bundle_is(b));
    assert_false(bundle_is(at("v1.yaml")));
    capstan_error e = {0};
    char *sum = NULL;
    assert_int_equal(capstan_bundle_verify(b, &sum, &e), 0);
    if (!strstr(sum, "demo 1.2.3: 8 members"))
        fail_msg("%s", sum);
    free(sum);
    arena *a = arena_new();
    bundle *bd;
    cap_err ce = CAP_ERR_INIT;
    assert_int_equal(bundle_read(a, b, at("out"), &bd, &ce), 0);
    assert_int_equal(bd->nvalues, 1);
    assert_string_equal(bd->value_members[0], "values/01-v1.yaml");
    assert_true(bd->has_layout);
    struct stat st;
    assert_int_equal(stat(at("out/blobs/sha256/abc"), &st), 0);
    arena_free(a);
    /* template from the bundle == template from the chart with the same values */
    capstan_render_opts o = {0};
    o.seed = 1;
    char *x, *y;
    size_t nx, ny;
    assert_int_equal(capstan_template(b, &o, &x, &nx, &e), 0);
    const char *vals[] = {at("v1.yaml")};
    o.value_files = vals;
    o.n_value_files = 1;
    assert_int_equal(capstan_template(at("c"), &o, &y, &ny, &e), 0);
    assert_string_equal(x, y);
    assert_non_null(strstr(x, "replicas: 3"));
    assert_non_null(strstr(x, "name: sub"));
    free(x);
    /* with --registry, from the bundle */
    o.n_value_files = 0;
    o.registry = "127.0.0.3:5000";
    assert_int_equal(capstan_template(b, &o, &x, &nx, &e), 0);
    assert_non_null(strstr(x, "image: 127.0.0.3:5000/library/nginx:1.27"));
    free(x);
    free(y);
    /* a registry that would be read as a docker.io path is refused */
    o.registry = "myhost";
    assert_int_equal(capstan_template(b, &o, &x, &nx, &e), -1);
    assert_non_null(strstr(e.msg, "invalid --registry \"myhost\""));
    capstan_error_clear(&e);
    o.registry = "127.0.0.3:5000";
    /* capstan images of a bundle */
    assert_int_equal(capstan_images(b, &o, "text", &x, &nx, &e), 0);
    assert_string_equal(x, "127.0.0.3:5000/library/nginx:1.27\n127.0.0.3:5000/sub/extra:1\n127.0.0.3:5000/sub/operator:2\n");
    free(x);
    /* Chart.yaml's helm.sh/images (of a subchart here), with its source */
    o.registry = NULL;
    assert_int_equal(capstan_images(at("c"), &o, "json", &x, &nx, &e), 0);
    assert_non_null(strstr(x, "{\"name\":\"quay.io/sub/operator:2\",\"registry\":\"quay.io\",\"repository\":\"sub/operator\","
                              "\"tag\":\"2\",\"digest\":\"\",\"sources\":[{\"kind\":\"Chart\",\"name\":\"sub\",\"field\":\"helm.sh/images\"}]}"));
    free(x);
    /* HIP-0015 `dependency`: with the subchart disabled, neither its images nor the parent's
     * entries for it are listed */
    const char *off[] = {"sub.enabled=false"};
    o.set = off;
    o.n_set = 1;
    assert_int_equal(capstan_images(at("c"), &o, "text", &x, &nx, &e), 0);
    assert_string_equal(x, "docker.io/library/nginx:1.27\n");
    free(x);
}

/* copy src to dst through libarchive, changing one member's content, adding one, or dropping one */
static void rewrite(const char *src, const char *dst, const char *edit, const char *add, const char *drop)
{
    struct archive *in = archive_read_new(), *out = archive_write_new();
    archive_read_support_filter_gzip(in);
    archive_read_support_format_tar(in);
    archive_write_add_filter_gzip(out);
    archive_write_set_format_pax_restricted(out);
    if (archive_read_open_filename(in, src, 16384) != ARCHIVE_OK)
        fail_msg("%s: %s", src, archive_error_string(in));
    assert_int_equal(archive_write_open_filename(out, dst), ARCHIVE_OK);
    struct archive_entry *e;
    while (archive_read_next_header(in, &e) == ARCHIVE_OK) {
        char buf[65536];
        la_ssize_t n = archive_read_data(in, buf, sizeof buf);
        const char *name = archive_entry_pathname(e);
        if (drop && strcmp(name, drop) == 0)
            continue;
        if (edit && strcmp(name, edit) == 0)
            buf[0] ^= 1;
        archive_write_header(out, e);
        archive_write_data(out, buf, (size_t)n);
    }
    if (add) {
        e = archive_entry_new();
        archive_entry_set_pathname(e, add);
        archive_entry_set_size(e, 1);
        archive_entry_set_filetype(e, AE_IFREG);
        archive_entry_set_perm(e, 0644);
        archive_write_header(out, e);
        archive_write_data(out, "x", 1);
        archive_entry_free(e);
    }
    archive_read_free(in);
    archive_write_free(out);
}

static void expect(const char *path, const char *what)
{
    char *m = verify_err(path);
    if (!m)
        fail_msg("%s: verified, expected \"%s\"", path, what);
    if (!strstr(m, what))
        fail_msg("%s: \"%s\", expected \"%s\"", path, m, what);
    /* template refuses it too, with the same line */
    capstan_render_opts o = {0};
    capstan_error e = {0};
    char *x;
    size_t n;
    assert_int_equal(capstan_template(path, &o, &x, &n, &e), -1);
    assert_non_null(strstr(e.msg, what));
    capstan_error_clear(&e);
    free(m);
}

static void test_bad_bundles(void **state)
{
    (void)state;
    char b[512];
    snprintf(b, sizeof b, "%s", at("b.tgz"));
    write_bundle(b, true);
    rewrite(b, at("edit.tgz"), "values/01-v1.yaml", NULL, NULL);
    expect(at("edit.tgz"), "checksum mismatch for member values/01-v1.yaml");
    rewrite(b, at("edit2.tgz"), "images/blobs/sha256/abc", NULL, NULL);
    expect(at("edit2.tgz"), "checksum mismatch for member images/blobs/sha256/abc");
    rewrite(b, at("add.tgz"), NULL, "extra.txt", NULL);
    expect(at("add.tgz"), "member extra.txt is not in SHA256SUMS");
    rewrite(b, at("drop.tgz"), NULL, NULL, "images.json");
    expect(at("drop.tgz"), "SHA256SUMS lists images.json, which is missing");
    rewrite(b, at("sums.tgz"), "SHA256SUMS", NULL, NULL);
    expect(at("sums.tgz"), "SHA256SUMS");
    rewrite(b, at("nosums.tgz"), NULL, NULL, "SHA256SUMS");
    expect(at("nosums.tgz"), "SHA256SUMS is missing");
    /* truncated: every length short of the whole fails, with one line */
    FILE *f = fopen(b, "rb");
    char *data = malloc(1 << 20);
    size_t len = fread(data, 1, 1 << 20, f);
    fclose(f);
    size_t cuts[] = {len - 1, len - 20, len / 2, 100};
    for (size_t i = 0; i < sizeof cuts / sizeof *cuts; i++) {
        f = fopen(at("trunc.tgz"), "wb");
        fwrite(data, 1, cuts[i], f);
        fclose(f);
        char *m = verify_err(at("trunc.tgz"));
        if (!m)
            fail_msg("truncated at %zu of %zu: verified", cuts[i], len);
        assert_null(strchr(m, '\n'));
        free(m);
    }
    /* corrupt: flip bytes in the middle of the gzip stream */
    data[len / 2] ^= 0x55;
    data[len / 2 + 1] ^= 0x55;
    f = fopen(at("corrupt.tgz"), "wb");
    fwrite(data, 1, len, f);
    fclose(f);
    char *m = verify_err(at("corrupt.tgz"));
    assert_non_null(m);
    free(m);
    free(data);
    /* not a bundle at all */
    m = verify_err(at("v1.yaml"));
    assert_non_null(m);
    free(m);
    m = verify_err(at("nonexistent.tgz"));
    assert_non_null(m);
    free(m);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_roundtrip),
        cmocka_unit_test(test_bad_bundles),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
