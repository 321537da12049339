/* fuzz_oci.c — what capstan reads from OCI registries and layouts. The first
 * byte picks the reader, the rest is its input:
 *   0  a reference (core/oci_ref.c), with the flags in the second byte
 *   1  a WWW-Authenticate header (oci_challenge_parse)
 *   2  a manifest or an image index, read as `pull` reads a chart manifest
 *      (oci_chart.c's read_desc) and as the layout code reads index.json and
 *      its manifests (oci_layout.c's get_desc, entry_name, manifest_mt)
 *   3  a registry config.json (oci_registry_config_lookup), from a file
 * read_desc and its kin are static: this file includes oci_chart.c and
 * oci_layout.c, with their exported functions renamed so that the library's
 * own copies are the ones the rest of the program links. */
#include "fuzz.h"

#define oci_chart_result_release fuzzcopy_oci_chart_result_release
#define oci_chart_artifact fuzzcopy_oci_chart_artifact
#define oci_push_chart fuzzcopy_oci_push_chart
#define oci_list_tags fuzzcopy_oci_list_tags
#define oci_pull_chart fuzzcopy_oci_pull_chart
#define oci_read_file fuzzcopy_oci_read_file
#define oci_copy_image_to_layout fuzzcopy_oci_copy_image_to_layout
#define oci_push_layout_image fuzzcopy_oci_push_layout_image
#include "installer/net/oci_chart.c"
#include "installer/net/oci_layout.c"
#undef oci_read_file

#include "fuzz_tmpfile.h"

static void read_ref(const char *s, int flags)
{
    oci_ref r;
    cap_err err = CAP_ERR_INIT;
    int rc = oci_ref_parse(s, flags, &r, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && r.registry != NULL : rc == -1 && err.msg != NULL);
    if (rc == 0) {
        free(oci_ref_format(&r));
        free(oci_ref_familiar(&r));
        free(oci_ref_name(&r));
        (void)oci_ref_reference(&r);
        (void)oci_ref_endpoint(&r);
        oci_ref_release(&r);
    }
    cap_err_clear(&err);
}

static void read_challenge(const char *s)
{
    oci_challenge ch;
    cap_err err = CAP_ERR_INIT;
    memset(&ch, 0, sizeof ch);
    int rc = oci_challenge_parse(s, &ch, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL : rc == -1 && err.msg != NULL);
    if (rc == 0)
        oci_challenge_release(&ch);
    cap_err_clear(&err);
}

static void read_manifest(const char *s, size_t len)
{
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *m;
    if (json_parse(a, s, len, "manifest", &m, &err) == 0 && cv_is(m, CV_MAP)) {
        desc d;
        (void)manifest_mt(m, NULL);
        (void)read_desc(cv_map_get(m, "config"), &d);
        cval *layers = cv_map_get(m, "layers");
        for (size_t i = 0; cv_is(layers, CV_LIST) && i < cv_list_len(layers); i++)
            if (read_desc(cv_list_get(layers, i), &d) == 0)
                FUZZ_CHECK(d.size >= 0 && oci_digest_valid(d.digest));
        cval *list = cv_map_get(m, "manifests");
        for (size_t i = 0; cv_is(list, CV_LIST) && i < cv_list_len(list); i++) {
            ldesc ld;
            const cval *e = cv_list_get(list, i);
            (void)entry_name(e);
            if (get_desc(e, &ld) == 0) {
                free(blob_path("layout", ld.digest));
                (void)is_index_mt(ld.mt);
                (void)is_manifest_mt(ld.mt);
            }
        }
    }
    cap_err_clear(&err);
    arena_free(a);
}

static void read_registry_config(const uint8_t *data, size_t size)
{
    const char *path = fuzz_tmpfile("config.json", data, size);
    static const char *const hosts[] = {"ghcr.io", "docker.io", "127.0.0.1:5000"};
    for (size_t i = 0; i < sizeof hosts / sizeof *hosts; i++) {
        char *user = NULL, *pass = NULL;
        cap_err err = CAP_ERR_INIT;
        int rc = oci_registry_config_lookup(path, hosts[i], &user, &pass, &err);
        FUZZ_CHECK(rc == 1 ? user && pass : rc == 0 || (rc == -1 && err.msg != NULL));
        free(user);
        free(pass);
        cap_err_clear(&err);
    }
}

FUZZ_TARGET(oci)
{
    if (size < 1)
        return 0;
    char *s = fuzz_cstr(data + 1, size - 1);
    switch (data[0] % 4) {
    case 0: read_ref(size > 1 ? s + 1 : s, size > 1 ? data[1] & 7 : 0); break;
    case 1: read_challenge(s); break;
    case 2: read_manifest(s, size - 1); break;
    case 3: read_registry_config(data + 1, size - 1); break;
    }
    free(s);
    return 0;
}
