/* bundle.h — capstan bundles: one gzipped tar that carries a chart across an
 * air gap. Reading and writing need no network (libarchive and OpenSSL only),
 * so `capstan template BUNDLE.tgz` works from the renderer alone.
 *
 * Layout (member order as written):
 *   bundle.json             {"apiVersion":"capstan.dev/v1","kind":"Bundle","chart":{"name","version",
 *                            "file"},"values":[FILE...],"images":"images.json","layout":"images"|""}
 *   chart/NAME-VERSION.tgz  the chart, packaged, with charts/ complete
 *   values/NN-BASENAME      the values files given to `capstan bundle`, in order
 *   images.json             `capstan images -o json` for those values (digests from the layout)
 *   images/oci-layout, images/index.json, images/blobs/sha256/...   with --with-images
 *   SHA256SUMS              "HEX  MEMBER\n" for every other member, sorted by member name
 * Only regular files; names are relative, without "..", each once.
 *
 * Ownership: what bundle_read returns lives in the arena given.
 */
#ifndef CAPSTAN_BUNDLE_H
#define CAPSTAN_BUNDLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

#define BUNDLE_META "bundle.json"
#define BUNDLE_SUMS "SHA256SUMS"
#define BUNDLE_IMAGES "images.json"
#define BUNDLE_LAYOUT "images"

typedef struct bundle {
    const char *path;
    const char *chart_name, *chart_version;
    const char *chart_member;        /* "chart/NAME-VERSION.tgz" */
    const char *chart_data;          /* its bytes */
    size_t chart_len;
    const char **value_members;      /* "values/01-x.yaml" */
    const char **value_data;
    size_t *value_lens;
    size_t nvalues;
    const char *images_json;         /* images.json's text ("" when absent) */
    size_t images_len;
    bool has_layout;                 /* images/ present */
    size_t nmembers;                 /* checked against SHA256SUMS, SHA256SUMS included */
    uint64_t bytes;                  /* uncompressed bytes of every member */
} bundle;

/* True when path is a file whose first member is bundle.json. */
bool bundle_is(const char *path);

/* Read the whole bundle, verify its structure and every member's SHA-256, and
 * keep chart, values and image list in memory. With layout_dir, images/ is
 * extracted there (as an OCI image layout). Errors name the bundle and the
 * member: "corrupt or truncated bundle", "checksum mismatch for MEMBER",
 * "MEMBER is not in SHA256SUMS", "SHA256SUMS lists MEMBER, which is missing". */
int bundle_read(arena *a, const char *path, const char *layout_dir, bundle **out, cap_err *err);

/* What bundle_write packs. Strings borrowed. */
typedef struct bundle_spec {
    const char *chart_path;          /* a chart directory (packaged here) or a chart .tgz (copied) */
    const char *chart_name, *chart_version;
    const char **value_files;        /* paths; "-" is not allowed */
    size_t nvalues;
    const char *images_json;         /* the image list text */
    const char *layout_dir;          /* an OCI image layout to carry, or NULL */
} bundle_spec;

/* Write the bundle to out_path (through a temporary file in the same
 * directory, renamed at the end: no half-written bundle is ever left). */
int bundle_write(arena *a, const bundle_spec *spec, const char *out_path, cap_err *err);

#endif
