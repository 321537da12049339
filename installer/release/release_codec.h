/* release_codec.h — Helm's release records, byte-compatible both ways.
 *
 * Helm stores a release (pkg/release/v1) as JSON, gzip-compressed at best
 * compression, base64-encoded, in the "release" key of a Secret named
 * sh.helm.release.v1.NAME.vREVISION, of type helm.sh/release.v1, with the
 * labels owner=helm, name, status, version (and createdAt, modifiedAt).
 * The Secret's data is base64 again on the wire, so it decodes twice.
 *
 * Ownership: decoded values live in the arena given.
 */
#ifndef CAPSTAN_RELEASE_CODEC_H
#define CAPSTAN_RELEASE_CODEC_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

/* release JSON -> gzip -> base64 (the string helm puts in data.release). */
int release_encode(strbuf *out, const cval *release, cap_err *err);

/* The reverse; accepts uncompressed JSON too, as helm does for old records. */
int release_decode(arena *a, const char *b64, size_t len, cval **release, cap_err *err);

/* "sh.helm.release.v1.NAME.vN" */
char *release_secret_name(arena *a, const char *name, long version);

/* The Secret object for a release (data.release holds the encoded release,
 * base64'd once more as a Secret's data must be). now: unix seconds for the
 * createdAt/modifiedAt labels. */
int release_secret(arena *a, const cval *release, long now, cval **secret, cap_err *err);

/* The same for a driver: configmap true makes helm's configmap driver's
 * ConfigMap (the same name and labels, no type, data.release the encoded
 * release itself). */
int release_object(arena *a, const cval *release, long now, bool configmap, cval **object, cap_err *err);

/* The release inside a Secret object as the API returns it (or a ConfigMap
 * of helm's configmap driver: an object without "type"). */
int release_from_secret(arena *a, const cval *secret, cval **release, cap_err *err);

#endif
