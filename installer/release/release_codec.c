/* release_codec.c — see release_codec.h. */
#include "installer/release/release_codec.h"
#include "core/value.h"
#include "core/base64.h"
#include "core/json.h"

#include <string.h>
#include <zlib.h>

#define MAX_RELEASE_BYTES (256u << 20) /* refuse to inflate past this */

static int gzip_bytes(strbuf *out, const char *p, size_t n, cap_err *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    /* windowBits 15 + 16: a gzip wrapper, as Go's gzip.Writer writes */
    if (deflateInit2(&zs, Z_BEST_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
        return cap_err_set(err, "gzip: cannot initialise");
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    int rc;
    do {
        sb_grow(out, 65536);
        zs.next_out = (Bytef *)out->buf + out->len;
        zs.avail_out = 65536;
        rc = deflate(&zs, Z_FINISH);
        out->len += 65536 - zs.avail_out;
    } while (rc == Z_OK);
    deflateEnd(&zs);
    out->buf[out->len] = '\0';
    return rc == Z_STREAM_END ? 0 : cap_err_set(err, "gzip: compression failed");
}

static int gunzip_bytes(strbuf *out, const unsigned char *p, size_t n, cap_err *err)
{
    z_stream zs;
    memset(&zs, 0, sizeof zs);
    if (inflateInit2(&zs, 15 + 16) != Z_OK)
        return cap_err_set(err, "gzip: cannot initialise");
    zs.next_in = (Bytef *)p;
    zs.avail_in = (uInt)n;
    int rc;
    do {
        if (out->len > MAX_RELEASE_BYTES) {
            inflateEnd(&zs);
            return cap_err_set(err, "release record: more than %u MiB uncompressed", MAX_RELEASE_BYTES >> 20);
        }
        sb_grow(out, 65536);
        zs.next_out = (Bytef *)out->buf + out->len;
        zs.avail_out = 65536;
        rc = inflate(&zs, Z_NO_FLUSH);
        out->len += 65536 - zs.avail_out;
    } while (rc == Z_OK);
    inflateEnd(&zs);
    out->buf[out->len] = '\0';
    if (rc != Z_STREAM_END)
        return cap_err_set(err, "release record: corrupt gzip data (%s)", zs.msg ? zs.msg : "truncated");
    return 0;
}

int release_encode(strbuf *out, const cval *release, cap_err *err)
{
    strbuf json = STRBUF_INIT, gz = STRBUF_INIT;
    int rc = -1;
    if (json_emit(&json, release, 0, err) < 0)
        goto done;
    if (gzip_bytes(&gz, sb_str(&json), json.len, err) < 0)
        goto done;
    base64_encode(out, gz.buf, gz.len, B64_STD);
    rc = 0;
done:
    sb_release(&json);
    sb_release(&gz);
    return rc;
}

int release_decode(arena *a, const char *b64, size_t len, cval **release, cap_err *err)
{
    strbuf raw = STRBUF_INIT, json = STRBUF_INIT;
    int rc = -1;
    size_t bad;
    if (base64_decode(&raw, b64, len, B64_STD, &bad) < 0) {
        cap_err_set(err, "release record: illegal base64 data at input byte %zu", bad);
        goto done;
    }
    const unsigned char *p = (const unsigned char *)sb_str(&raw);
    if (raw.len > 3 && p[0] == 0x1f && p[1] == 0x8b && p[2] == 0x08) {
        if (gunzip_bytes(&json, p, raw.len, err) < 0)
            goto done;
    } else {
        sb_add(&json, raw.buf, raw.len);
    }
    if (json_parse(a, sb_str(&json), json.len, "release record", release, err) < 0)
        goto done;
    if ((*release)->kind != CV_MAP) {
        cap_err_set(err, "release record: not a JSON object");
        goto done;
    }
    rc = 0;
done:
    sb_release(&raw);
    sb_release(&json);
    return rc;
}

char *release_secret_name(arena *a, const char *name, long version)
{
    return arena_printf(a, "sh.helm.release.v1.%s.v%ld", name, version);
}


static long num(const cval *m, const char *k)
{
    cval *v = m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL;
    if (!v)
        return 0;
    /* a float only within ±2^53 (exact, and far enough from long's ends for
     * the sums made of it): the cast is undefined beyond long and for NaN */
    if (v->kind == CV_FLOAT)
        return v->u.f >= -9007199254740992.0 && v->u.f <= 9007199254740992.0 ? (long)v->u.f : 0;
    return v->kind == CV_INT ? (long)v->u.i : 0;
}

int release_secret(arena *a, const cval *release, long now, cval **secret, cap_err *err)
{
    return release_object(a, release, now, false, secret, err);
}

int release_object(arena *a, const cval *release, long now, bool configmap, cval **secret, cap_err *err)
{
    const char *name = cv_get_str(release, "name"), *ns = cv_get_str(release, "namespace");
    long version = num(release, "version");
    const char *status = cv_get_str(cv_map_get(release, "info"), "status");
    if (!name || !*name || version <= 0)
        return cap_err_set(err, "release record without a name or version");
    strbuf enc = STRBUF_INIT, twice = STRBUF_INIT;
    /* rel["labels"]: the custom labels (release_labels.h), on the object, not in the JSON (helm's json:"-") */
    cval *custom = cv_map_get(release, "labels");
    if (custom)
        cv_map_delete((cval *)release, "labels");
    int erc = release_encode(&enc, release, err);
    if (custom)
        cv_map_set((cval *)release, "labels", custom);
    if (erc < 0) {
        sb_release(&enc);
        return -1;
    }
    if (!configmap)
        base64_encode(&twice, enc.buf, enc.len, B64_STD);
    else /* a ConfigMap's data is text: the encoded release as it is (helm's configmap driver) */
        sb_add(&twice, enc.buf, enc.len);
    cval *s = cv_map_new(a), *meta = cv_map_new(a), *labels = cv_map_new(a), *data = cv_map_new(a);
    cv_map_set(s, "apiVersion", cv_cstring(a, "v1"));
    cv_map_set(s, "kind", cv_cstring(a, configmap ? "ConfigMap" : "Secret"));
    cv_map_set(meta, "name", cv_cstring(a, release_secret_name(a, name, version)));
    if (ns)
        cv_map_set(meta, "namespace", cv_cstring(a, ns));
    size_t ncustom = 0;
    const cv_entry *ce = custom && custom->kind == CV_MAP ? cv_map_sorted(custom, &ncustom) : NULL;
    for (size_t i = 0; i < ncustom; i++)
        if (cv_str(ce[i].val))
            cv_map_set(labels, ce[i].key, ce[i].val);
    cv_map_set(labels, "name", cv_cstring(a, name));
    cv_map_set(labels, "owner", cv_cstring(a, "helm"));
    cv_map_set(labels, "status", cv_cstring(a, status ? status : "unknown"));
    cv_map_set(labels, "version", cv_cstring(a, arena_printf(a, "%ld", version)));
    cv_map_set(labels, "createdAt", cv_cstring(a, arena_printf(a, "%ld", now)));
    cv_map_set(meta, "labels", labels);
    cv_map_set(s, "metadata", meta);
    if (!configmap)
        cv_map_set(s, "type", cv_cstring(a, "helm.sh/release.v1"));
    cv_map_set(data, "release", cv_string(a, sb_str(&twice), twice.len));
    cv_map_set(s, "data", data);
    sb_release(&enc);
    sb_release(&twice);
    *secret = s;
    return 0;
}

int release_from_secret(arena *a, const cval *secret, cval **release, cap_err *err)
{
    bool is_map = secret && secret->kind == CV_MAP; /* a list's item may be anything */
    cval *data = is_map ? cv_map_get(secret, "data") : NULL;
    const char *b = cv_get_str(data, "release");
    const char *sname = cv_get_str(is_map ? cv_map_get(secret, "metadata") : NULL, "name");
    const char *kind = is_map && !cv_map_get(secret, "type") ? "ConfigMap" : "Secret";
    if (!b)
        return cap_err_set(err, "%s %s has no release data", kind, sname ? sname : "?");
    if (*kind == 'C') { /* helm's configmap driver: the encoded release as it is */
        int rc = release_decode(a, b, strlen(b), release, err);
        if (rc < 0)
            cap_err_prefix(err, "ConfigMap %s", sname ? sname : "?");
        return rc;
    }
    strbuf once = STRBUF_INIT;
    size_t bad;
    if (base64_decode(&once, b, strlen(b), B64_STD, &bad) < 0) {
        sb_release(&once);
        return cap_err_set(err, "Secret %s: illegal base64 data at input byte %zu", sname ? sname : "?", bad);
    }
    int rc = release_decode(a, sb_str(&once), once.len, release, err);
    if (rc < 0)
        cap_err_prefix(err, "Secret %s", sname ? sname : "?");
    sb_release(&once);
    return rc;
}
