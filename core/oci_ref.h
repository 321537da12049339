/* oci_ref.h — OCI / Docker image and artifact references, without network.
 *
 * Grammar (distribution/reference, as oras-go and containerd read it):
 *     [HOST[:PORT]/]PATH[:TAG][@ALGO:HEX]
 * The first component is a host when it contains '.' or ':' or is
 * "localhost"; otherwise the reference is a Docker Hub one: the registry is
 * "docker.io" and a single-component path gets "library/" in front
 * ("nginx" -> docker.io/library/nginx:latest when defaults are applied).
 * PATH components: [a-z0-9]+ joined by '.', '_', '__' or runs of '-'.
 * TAG: [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}. DIGEST: sha256:<64 hex> (sha512
 * with 128 hex is accepted too). An "oci://" prefix is removed.
 *
 * This lives in core/ (pure string code) so that the renderer can rewrite
 * image references when it renders from a bundle; the registry client is
 * installer/net/oci.h.
 *
 * Ownership: oci_ref_parse fills a caller-owned struct whose strings are
 * malloc'd; oci_ref_release() frees them. Formatting returns malloc'd text.
 */
#ifndef CAPSTAN_OCI_REF_H
#define CAPSTAN_OCI_REF_H

#include <stdbool.h>

#include "core/err.h"

typedef struct oci_ref {
    char *registry;   /* "docker.io", "127.0.0.1:5000", "ghcr.io" (never NULL after a parse) */
    char *repository; /* "library/nginx", "org/charts/mychart" */
    char *tag;        /* NULL when none was given (and no default applied) */
    char *digest;     /* "sha256:<hex>" or NULL */
} oci_ref;

enum {
    OCI_REF_DEFAULT_TAG = 1, /* no tag and no digest: tag "latest" */
    OCI_REF_PLUS_TAG = 2,    /* helm: '+' in the tag becomes '_' before parsing */
    OCI_REF_NEED_HOST = 4,   /* the first component must be a host (helm's oci:// refs):
                              * no docker.io default, no library/ */
};

/* Parse s. On error returns -1 with a message naming the reference and the
 * problem ("invalid reference \"x\": ..."), and *out is left zeroed. */
int oci_ref_parse(const char *s, int flags, oci_ref *out, cap_err *err);
void oci_ref_release(oci_ref *r);
/* Deep copy. */
void oci_ref_copy(oci_ref *dst, const oci_ref *src);

/* "HOST/REPO[:TAG][@DIGEST]" — the full form (docker.io spelled out). */
char *oci_ref_format(const oci_ref *r);
/* Docker's familiar form: docker.io/library/x -> x, docker.io/u/x -> u/x. */
char *oci_ref_familiar(const oci_ref *r);
/* HOST/REPO alone. */
char *oci_ref_name(const oci_ref *r);
/* The tag or else the digest: what the manifests endpoint takes. NULL when neither. */
const char *oci_ref_reference(const oci_ref *r);

/* The host to connect to: docker.io -> registry-1.docker.io, otherwise the
 * registry itself. Static or r's own storage. */
const char *oci_ref_endpoint(const oci_ref *r);
/* True when the registry is on loopback (localhost, 127.x, [::1]): helm and
 * oras talk plain HTTP to those only when told; capstan does the same, this
 * is for messages and defaults of callers. */
bool oci_host_is_loopback(const char *registry);

/* Rewrite an image reference to live in another registry, keeping the path,
 * tag and digest: ("nginx:1.25", "reg.local:5000") ->
 * "reg.local:5000/library/nginx:1.25". `prefix` may carry a path
 * ("reg.local:5000/mirror" -> reg.local:5000/mirror/library/nginx:1.25).
 * Returns malloc'd text or NULL with err set when image does not parse. */
char *oci_ref_rehost(const char *image, const char *prefix, cap_err *err);

/* Digests: "sha256:" + 64 lowercase hex. */
bool oci_digest_valid(const char *d);

#endif
