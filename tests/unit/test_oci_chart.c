/* test_oci_chart.c — the Helm chart artifact (config and manifest) made
 * offline by oci_chart_artifact, byte for byte against what helm v4.1.4
 * pushed for the same .tgz (tests/unit/oci/README.md). */
#include "unit.h"
#include "installer/net/oci.h"

#include <stdlib.h>
#include <string.h>

static void slurp(const char *name, strbuf *out)
{
    char path[1024];
    snprintf(path, sizeof path, "%s/%s", OCI_DATA, name);
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(out, buf, n);
    fclose(f);
}

static void same(const strbuf *got, const char *golden)
{
    strbuf want = STRBUF_INIT;
    slurp(golden, &want);
    if (got->len != want.len || memcmp(got->buf, want.buf, want.len) != 0)
        fail_msg("differs from %s:\n got: %s\nwant: %s", golden, sb_str(got), sb_str(&want));
    sb_release(&want);
}

static void artifact_as_helm(void **state)
{
    (void)state;
    strbuf tgz = STRBUF_INIT;
    slurp("art.tgz", &tgz);
    oci_chart_result r;
    cap_err err = CAP_ERR_INIT;
    if (oci_chart_artifact("art.tgz", tgz.buf, tgz.len, NULL, 0, "2024-02-29T12:34:56Z", &r, &err) != 0)
        fail_msg("%s", err.msg);
    same(&r.config, "helm-config.json");
    same(&r.manifest, "helm-manifest.json");
    assert_string_equal(r.digest, "sha256:8d2054aa166c38f3b8201f3a82c7bce1b15fb9f0f0f7a7de56bf98e5ef1e79f4");
    assert_string_equal(r.name, "art");
    assert_string_equal(r.version, "2.0.1-beta.3+build.5");
    oci_chart_result_release(&r);
    sb_release(&tgz);
}

static void artifact_with_provenance(void **state)
{
    (void)state;
    strbuf tgz = STRBUF_INIT, prov = STRBUF_INIT;
    slurp("art.tgz", &tgz);
    slurp("art.tgz.prov", &prov);
    oci_chart_result r;
    cap_err err = CAP_ERR_INIT;
    if (oci_chart_artifact("art.tgz", tgz.buf, tgz.len, prov.buf, prov.len, "2024-02-29T12:34:56Z", &r, &err) != 0)
        fail_msg("%s", err.msg);
    same(&r.manifest, "helm-manifest-prov.json");
    assert_string_equal(r.digest, "sha256:f718e3963fe189689a7f9ff07f601e86a0377f9e0d072038a8844b8a5012243d");
    oci_chart_result_release(&r);
    sb_release(&tgz);
    sb_release(&prov);
}

static void created_defaults_to_now(void **state)
{
    (void)state;
    strbuf tgz = STRBUF_INIT;
    slurp("art.tgz", &tgz);
    oci_chart_result r;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(oci_chart_artifact("art.tgz", tgz.buf, tgz.len, NULL, 0, NULL, &r, &err), 0);
    const char *c = strstr(r.manifest.buf, "\"org.opencontainers.image.created\":\"");
    assert_non_null(c);
    c += strlen("\"org.opencontainers.image.created\":\"");
    /* 2026-11-26T21:00:37Z */
    assert_true(strlen(c) > 20 && c[4] == '-' && c[10] == 'T' && c[19] == 'Z');
    oci_chart_result_release(&r);
    sb_release(&tgz);
}

static void bad_archives(void **state)
{
    (void)state;
    strbuf tgz = STRBUF_INIT;
    slurp("art.tgz", &tgz);
    oci_chart_result r;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(oci_chart_artifact("cut.tgz", tgz.buf, 200, NULL, 0, NULL, &r, &err), -1);
    char *m = cap_err_format(&err);
    assert_non_null(strstr(m, "cut.tgz"));
    free(m);
    cap_err_clear(&err);
    assert_int_equal(oci_chart_artifact("junk.tgz", "not a tar", 9, NULL, 0, NULL, &r, &err), -1);
    m = cap_err_format(&err);
    assert_non_null(strstr(m, "junk.tgz"));
    free(m);
    cap_err_clear(&err);
    assert_null(r.manifest.buf);
    sb_release(&tgz);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(artifact_as_helm),
    cmocka_unit_test(artifact_with_provenance),
    cmocka_unit_test(created_defaults_to_now),
    cmocka_unit_test(bad_archives),
};

UNIT_MAIN(tests)
