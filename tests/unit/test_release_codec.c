/* test_release_codec.c — Helm's release records: decode one helm v4.1.4 wrote
 * (tests/unit/fixtures/helm4-release-secret.json, from `helm install` on the
 * local control plane), and round-trip our own encoding. */
#include "unit.h"
#include "installer/release/release_codec.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

static char *slurp(const char *rel, size_t *n)
{
    const char *src = getenv("CAPSTAN_SRCDIR");
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", src ? src : ".", rel);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t r;
    while ((r = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, r);
    fclose(f);
    return sb_detach(&sb, n);
}

static const char *s(const cval *m, const char *k)
{
    cval *v = cv_map_get(m, k);
    return v && v->kind == CV_STRING ? v->u.str.s : "(none)";
}

static void decodes_what_helm_wrote(void **state)
{
    arena *a = arena_new();
    size_t n;
    char *text = slurp("tests/unit/fixtures/helm4-release-secret.json", &n);
    cval *secret, *rel;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(json_parse(a, text, n, "fixture", &secret, &err), 0);
    if (release_from_secret(a, secret, &rel, &err) < 0)
        fail_msg("%s", err.msg);
    assert_string_equal(s(rel, "name"), "fixture");
    assert_string_equal(s(rel, "namespace"), "codec-fixture");
    assert_string_equal(s(cv_map_get(rel, "info"), "status"), "deployed");
    assert_string_equal(s(cv_map_get(rel, "info"), "notes"), "Hello from fixture\n");
    assert_string_equal(s(cv_map_get(rel, "config"), "greeting"), "hi");
    assert_non_null(strstr(s(rel, "manifest"), "name: fixture-cm"));
    assert_string_equal(s(cv_map_get(cv_map_get(rel, "chart"), "metadata"), "name"), "tiny");
    assert_true(cv_map_get(rel, "version")->u.f == 1.0);

    /* our Secret for the same record decodes to the same record */
    cval *ours, *back;
    assert_int_equal(release_secret(a, rel, 1795718574, &ours, &err), 0);
    assert_string_equal(s(cv_map_get(ours, "metadata"), "name"), "sh.helm.release.v1.fixture.v1");
    assert_string_equal(s(ours, "type"), "helm.sh/release.v1");
    cval *labels = cv_map_get(cv_map_get(ours, "metadata"), "labels");
    assert_string_equal(s(labels, "owner"), "helm");
    assert_string_equal(s(labels, "status"), "deployed");
    assert_string_equal(s(labels, "version"), "1");
    assert_int_equal(release_from_secret(a, ours, &back, &err), 0);
    assert_true(cv_deep_equal(rel, back));
    free(text);
    arena_free(a);
}

static void bad_records_are_clear_errors(void **state)
{
    arena *a = arena_new();
    cval *rel;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(release_decode(a, "!!!", 3, &rel, &err), -1);
    assert_non_null(strstr(err.msg, "illegal base64 data at input byte 0"));
    cap_err_clear(&err);
    /* gzip magic, then garbage */
    assert_int_equal(release_decode(a, "H4sIAAAAAAAA/wAAAP//", 20, &rel, &err), -1);
    assert_non_null(strstr(err.msg, "corrupt gzip data"));
    cap_err_clear(&err);
    /* uncompressed JSON is accepted, as helm accepts old records */
    assert_int_equal(release_decode(a, "eyJuYW1lIjoieCJ9", 16, &rel, &err), 0); /* {"name":"x"} */
    assert_string_equal(s(rel, "name"), "x");
    cval *nodata = cv_map_new(a);
    assert_int_equal(release_from_secret(a, nodata, &rel, &err), -1);
    assert_non_null(strstr(err.msg, "has no release data"));
    cap_err_clear(&err);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(decodes_what_helm_wrote),
    cmocka_unit_test(bad_records_are_clear_errors),
};

UNIT_MAIN(tests)
