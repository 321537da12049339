/* oci_layout.c — images between registries and OCI image layouts
 * (image-spec's image-layout.md: oci-layout, index.json, blobs/sha256/HEX).
 * Copies keep every byte as it is, so digests survive the trip. */
#include "core/fsutil.h"
#include "installer/net/oci_int.h"
#include "core/json.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define REF_NAME "org.opencontainers.image.ref.name"

static bool is_index_mt(const char *mt)
{
    return mt && (strcmp(mt, OCI_MT_INDEX) == 0 || strcmp(mt, OCI_MT_DOCKER_LIST) == 0);
}

static bool is_manifest_mt(const char *mt)
{
    return mt && (strcmp(mt, OCI_MT_MANIFEST) == 0 || strcmp(mt, OCI_MT_DOCKER_MANIFEST) == 0);
}

static char *blob_path(const char *dir, const char *digest)
{
    strbuf p = STRBUF_INIT;
    const char *colon = strchr(digest, ':');
    sb_addf(&p, "%s/blobs/%.*s/%s", dir, (int)(colon - digest), digest, colon + 1);
    return sb_detach(&p, NULL);
}

int oci_read_file(const char *path, strbuf *out, cap_err *err) { return fsu_read_file(path, out, err); }

static int spit(const char *path, const char *data, size_t len, cap_err *err)
{
    return fsu_write_atomic(path, data, len, 0644, err);
}

static bool file_has_size(const char *path, long long size)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISREG(st.st_mode) && (size < 0 || (long long)st.st_size == size);
}

/* A descriptor's fields (strings in the parse arena). */
typedef struct ldesc {
    const char *mt, *digest;
    long long size;
} ldesc;

static int get_desc(const cval *m, ldesc *d)
{
    if (!cv_is(m, CV_MAP))
        return -1;
    cval *mt = cv_map_get(m, "mediaType"), *dg = cv_map_get(m, "digest"), *sz = cv_map_get(m, "size");
    d->mt = cv_is(mt, CV_STRING) ? mt->u.str.s : NULL;
    d->digest = cv_is(dg, CV_STRING) ? dg->u.str.s : NULL;
    if (cv_is(sz, CV_FLOAT) && !oci_size_valid(sz->u.f))
        return -1;
    d->size = cv_is(sz, CV_FLOAT) ? (long long)sz->u.f : -1;
    return d->digest && oci_digest_valid(d->digest) && strncmp(d->digest, "sha256:", 7) == 0 ? 0 : -1;
}

/* The media type of a manifest: its mediaType field, else what the registry said. */
static const char *manifest_mt(const cval *m, const char *fallback)
{
    cval *mt = cv_is(m, CV_MAP) ? cv_map_get(m, "mediaType") : NULL;
    if (cv_is(mt, CV_STRING))
        return mt->u.str.s;
    if (fallback)
        return fallback;
    return cv_is(m, CV_MAP) && cv_map_get(m, "manifests") ? OCI_MT_INDEX : OCI_MT_MANIFEST;
}

/* ---- registry -> layout ------------------------------------------------ */

static int fetch_manifest_tree(oci_client *c, const oci_ref *r, const char *dir, const char *reference, int depth,
                               char **digest_out, char **mt_out, long long *size_out, cap_err *err);

static int fetch_image_blobs(oci_client *c, const oci_ref *r, const char *dir, const cval *m, cap_err *err)
{
    ldesc d;
    if (get_desc(cv_map_get(m, "config"), &d) < 0)
        return cap_err_set(err, "%s/%s: a manifest without a valid config descriptor", r->registry, r->repository);
    cval *layers = cv_map_get(m, "layers");
    size_t nl = cv_is(layers, CV_LIST) ? cv_list_len(layers) : 0;
    for (size_t i = 0; i <= nl; i++) {
        if (i > 0 && get_desc(cv_list_get(layers, i - 1), &d) < 0)
            return cap_err_set(err, "%s/%s: a manifest with an invalid layer descriptor", r->registry, r->repository);
        if (i > 0 && cv_is(cv_list_get(layers, i - 1), CV_MAP) && cv_map_get(cv_list_get(layers, i - 1), "urls"))
            continue; /* a foreign layer: it is fetched from its URLs, not copied */
        char *p = blob_path(dir, d.digest);
        int rc = file_has_size(p, d.size) ? 0 : oci_blob_get_file(c, r, d.digest, p, err);
        free(p);
        if (rc < 0)
            return -1;
    }
    return 0;
}

static int fetch_manifest_tree(oci_client *c, const oci_ref *r, const char *dir, const char *reference, int depth,
                               char **digest_out, char **mt_out, long long *size_out, cap_err *err)
{
    if (depth > 4)
        return cap_err_set(err, "%s/%s: image indexes nested too deep", r->registry, r->repository);
    strbuf body = STRBUF_INIT;
    char *mt = NULL, *digest = NULL;
    arena *a = arena_new();
    int rc = oci_manifest_get(c, r, reference, &body, &mt, &digest, err);
    cval *m = NULL;
    if (rc == 0 && (json_parse(a, sb_str(&body), body.len, reference, &m, err) < 0 || !cv_is(m, CV_MAP)))
        rc = cap_err_set(err, "%s/%s@%s: the manifest is not a JSON object", r->registry, r->repository, reference);
    const char *kind = rc == 0 ? manifest_mt(m, mt) : NULL;
    if (rc == 0 && is_index_mt(kind)) {
        cval *ms = cv_map_get(m, "manifests");
        for (size_t i = 0; rc == 0 && cv_is(ms, CV_LIST) && i < cv_list_len(ms); i++) {
            ldesc d;
            if (get_desc(cv_list_get(ms, i), &d) < 0) {
                rc = cap_err_set(err, "%s/%s: an index with an invalid manifest descriptor", r->registry,
                                 r->repository);
                break;
            }
            char *cd = NULL, *cmt = NULL;
            long long cs;
            rc = fetch_manifest_tree(c, r, dir, d.digest, depth + 1, &cd, &cmt, &cs, err);
            free(cd);
            free(cmt);
        }
    } else if (rc == 0 && is_manifest_mt(kind))
        rc = fetch_image_blobs(c, r, dir, m, err);
    else if (rc == 0)
        rc = cap_err_set(err, "%s/%s@%s: unsupported manifest media type \"%s\"", r->registry, r->repository,
                         reference, kind ? kind : "");
    if (rc == 0) {
        char *p = blob_path(dir, digest);
        rc = spit(p, body.buf, body.len, err);
        free(p);
    }
    if (rc == 0) {
        *digest_out = digest;
        *mt_out = xstrdup(kind);
        *size_out = (long long)body.len;
        digest = NULL;
    }
    free(digest);
    free(mt);
    sb_release(&body);
    arena_free(a);
    return rc;
}

/* Read index.json (or an empty index when there is none). */
static int read_index(arena *a, const char *dir, cval **out, cap_err *err)
{
    strbuf p = STRBUF_INIT, body = STRBUF_INIT;
    sb_addf(&p, "%s/index.json", dir);
    int rc = 0;
    if (access(p.buf, F_OK) != 0) {
        *out = cv_map_new(a);
        cv_map_set(*out, "schemaVersion", cv_float(a, 2));
        cv_map_set(*out, "mediaType", cv_cstring(a, OCI_MT_INDEX));
        cv_map_set(*out, "manifests", cv_list_new(a, 1));
    } else if (oci_read_file(p.buf, &body, err) < 0)
        rc = -1;
    else if (json_parse(a, sb_str(&body), body.len, p.buf, out, err) < 0)
        rc = -1;
    else if (!cv_is(*out, CV_MAP) || !cv_is(cv_map_get(*out, "manifests"), CV_LIST))
        rc = cap_err_set(err, "%s: not an OCI image index", p.buf);
    sb_release(&p);
    sb_release(&body);
    return rc;
}

static const char *entry_name(const cval *e)
{
    cval *an = cv_is(e, CV_MAP) ? cv_map_get(e, "annotations") : NULL;
    cval *n = cv_is(an, CV_MAP) ? cv_map_get(an, REF_NAME) : NULL;
    return cv_is(n, CV_STRING) ? n->u.str.s : NULL;
}

static int layout_init(const char *dir, cap_err *err)
{
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s/blobs/sha256", dir);
    int rc = fsu_mkdirs(p.buf, err);
    sb_reset(&p);
    sb_addf(&p, "%s/oci-layout", dir);
    static const char layout[] = "{\"imageLayoutVersion\":\"1.0.0\"}";
    if (rc == 0 && access(p.buf, F_OK) != 0)
        rc = spit(p.buf, layout, sizeof layout - 1, err);
    sb_release(&p);
    return rc;
}

int oci_copy_image_to_layout(oci_client *c, const char *src_ref, const char *layout_dir, const char *ref_name,
                             char **digest_out, cap_err *err)
{
    oci_ref r;
    if (digest_out)
        *digest_out = NULL;
    if (oci_ref_parse(src_ref, OCI_REF_DEFAULT_TAG, &r, err) < 0)
        return -1;
    char *name = ref_name ? xstrdup(ref_name) : oci_ref_format(&r);
    char *digest = NULL, *mt = NULL;
    long long size = 0;
    arena *a = arena_new();
    int rc = layout_init(layout_dir, err);
    if (rc == 0)
        rc = fetch_manifest_tree(c, &r, layout_dir, r.digest ? r.digest : r.tag, 0, &digest, &mt, &size, err);
    cval *idx = NULL;
    if (rc == 0)
        rc = read_index(a, layout_dir, &idx, err);
    if (rc == 0) {
        cval *old = cv_map_get(idx, "manifests");
        cval *ms = cv_list_new(a, cv_list_len(old) + 1);
        for (size_t i = 0; i < cv_list_len(old); i++) {
            const char *n = entry_name(cv_list_get(old, i));
            if (!n || strcmp(n, name) != 0)
                cv_list_push(ms, cv_list_get(old, i));
        }
        cval *e = cv_map_new(a), *an = cv_map_new(a);
        cv_map_set(e, "mediaType", cv_cstring(a, mt));
        cv_map_set(e, "digest", cv_cstring(a, digest));
        cv_map_set(e, "size", cv_float(a, (double)size));
        cv_map_set(an, REF_NAME, cv_cstring(a, name));
        cv_map_set(e, "annotations", an);
        cv_list_push(ms, e);
        cv_map_set(idx, "manifests", ms);
        strbuf out = STRBUF_INIT, p = STRBUF_INIT;
        rc = json_emit(&out, idx, JSON_RAW, err);
        sb_addf(&p, "%s/index.json", layout_dir);
        if (rc == 0)
            rc = spit(p.buf, out.buf, out.len, err);
        sb_release(&out);
        sb_release(&p);
    }
    if (rc == 0 && digest_out) {
        *digest_out = digest;
        digest = NULL;
    }
    free(digest);
    free(mt);
    free(name);
    arena_free(a);
    oci_ref_release(&r);
    return rc;
}

/* ---- layout -> registry ------------------------------------------------ */

/* Read a manifest blob from the layout and check its digest. */
static int read_manifest_blob(arena *a, const char *dir, const char *digest, strbuf *body, cval **m, cap_err *err)
{
    char *p = blob_path(dir, digest);
    int rc = oci_read_file(p, body, err);
    if (rc == 0) {
        char got[72];
        oci_sha256_hex(body->buf ? body->buf : "", body->len, got);
        if (strcmp(got, digest) != 0)
            rc = cap_err_set(err, "%s: content has digest %s, not the %s its name says", p, got, digest);
    }
    if (rc == 0 && (json_parse(a, sb_str(body), body->len, p, m, err) < 0 || !cv_is(*m, CV_MAP)))
        rc = cap_err_set(err, "%s: not a JSON manifest", p);
    free(p);
    return rc;
}

static int push_blob_from_layout(oci_client *c, const oci_ref *dst, const char *dir, const ldesc *d, cap_err *err)
{
    char *p = blob_path(dir, d->digest);
    int rc = 0;
    if (!file_has_size(p, d->size))
        rc = cap_err_set(err, "%s: blob %s is missing from the layout (or has the wrong size)", dir, d->digest);
    else
        rc = oci_blob_push(c, dst, d->digest, NULL, 0, p, err);
    free(p);
    return rc;
}

static int push_manifest_tree(oci_client *c, const oci_ref *dst, const char *dir, const char *digest,
                              const char *mt_hint, const char *tag, int depth, cap_err *err)
{
    if (depth > 4)
        return cap_err_set(err, "%s: image indexes nested too deep", dir);
    arena *a = arena_new();
    strbuf body = STRBUF_INIT;
    cval *m = NULL;
    int rc = read_manifest_blob(a, dir, digest, &body, &m, err);
    const char *mt = rc == 0 ? manifest_mt(m, mt_hint) : NULL;
    if (rc == 0 && is_index_mt(mt)) {
        cval *ms = cv_map_get(m, "manifests");
        for (size_t i = 0; rc == 0 && cv_is(ms, CV_LIST) && i < cv_list_len(ms); i++) {
            ldesc d;
            if (get_desc(cv_list_get(ms, i), &d) < 0)
                rc = cap_err_set(err, "%s: an index with an invalid manifest descriptor", dir);
            else
                rc = push_manifest_tree(c, dst, dir, d.digest, d.mt, NULL, depth + 1, err);
        }
    } else if (rc == 0 && is_manifest_mt(mt)) {
        ldesc d;
        if (get_desc(cv_map_get(m, "config"), &d) < 0)
            rc = cap_err_set(err, "%s: manifest %s has no valid config descriptor", dir, digest);
        else
            rc = push_blob_from_layout(c, dst, dir, &d, err);
        cval *layers = cv_map_get(m, "layers");
        for (size_t i = 0; rc == 0 && cv_is(layers, CV_LIST) && i < cv_list_len(layers); i++) {
            cval *l = cv_list_get(layers, i);
            if (get_desc(l, &d) < 0)
                rc = cap_err_set(err, "%s: manifest %s has an invalid layer descriptor", dir, digest);
            else if (!cv_map_get(l, "urls"))
                rc = push_blob_from_layout(c, dst, dir, &d, err);
        }
    } else if (rc == 0)
        rc = cap_err_set(err, "%s: manifest %s has unsupported media type \"%s\"", dir, digest, mt ? mt : "");
    if (rc == 0)
        rc = oci_manifest_put(c, dst, tag ? tag : digest, mt, body.buf, body.len, err);
    sb_release(&body);
    arena_free(a);
    return rc;
}

int oci_push_layout_image(oci_client *c, const char *layout_dir, const char *key, const char *dst_ref,
                          char **digest_out, cap_err *err)
{
    if (digest_out)
        *digest_out = NULL;
    oci_ref dst;
    if (oci_ref_parse(dst_ref, OCI_REF_DEFAULT_TAG, &dst, err) < 0)
        return -1;
    arena *a = arena_new();
    cval *idx = NULL;
    int rc = read_index(a, layout_dir, &idx, err);
    ldesc found = {0};
    if (rc == 0) {
        cval *ms = cv_map_get(idx, "manifests");
        for (size_t i = 0; i < cv_list_len(ms) && !found.digest; i++) {
            ldesc d;
            if (get_desc(cv_list_get(ms, i), &d) < 0)
                continue;
            const char *n = entry_name(cv_list_get(ms, i));
            if ((n && strcmp(n, key) == 0) || strcmp(d.digest, key) == 0)
                found = d;
        }
        if (!found.digest)
            rc = cap_err_set(err, "%s: no image \"%s\" in the layout's index.json", layout_dir, key);
    }
    if (rc == 0 && dst.digest && strcmp(dst.digest, found.digest) != 0)
        rc = cap_err_set(err, "%s: the image %s has digest %s, not %s", dst_ref, key, found.digest, dst.digest);
    if (rc == 0)
        rc = push_manifest_tree(c, &dst, layout_dir, found.digest, found.mt, dst.tag, 0, err);
    if (rc == 0 && digest_out)
        *digest_out = xstrdup(found.digest);
    arena_free(a);
    oci_ref_release(&dst);
    return rc;
}
