/* oci_blob.c — blobs, manifests, tags and digests on a registry (the
 * distribution API's endpoints), every pulled byte checked against its
 * sha256 digest. See oci_int.h. */
#include "installer/net/oci_int.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#define ACCEPT_MANIFESTS OCI_MT_MANIFEST ", " OCI_MT_INDEX ", " OCI_MT_DOCKER_MANIFEST ", " OCI_MT_DOCKER_LIST

void oci_sha256_hex(const void *p, size_t n, char out[72])
{
    memcpy(out, "sha256:", 7);
    digest_hex(DIGEST_SHA256, p, n, out + 7);
}

void oci_seen_add(oci_client *c, const oci_ref *r, const char *digest)
{
    if (oci_seen_find(c, r->registry, NULL, digest))
        return; /* one place is enough */
    c->seen = xrealloc(c->seen, (c->nseen + 1) * sizeof *c->seen);
    c->seen[c->nseen++] = (oci_seen){xstrdup(r->registry), xstrdup(r->repository), xstrdup(digest)};
}

const char *oci_seen_find(const oci_client *c, const char *registry, const char *not_repo, const char *digest)
{
    for (size_t i = 0; i < c->nseen; i++)
        if (strcmp(c->seen[i].digest, digest) == 0 && strcmp(c->seen[i].registry, registry) == 0 &&
            (!not_repo || strcmp(c->seen[i].repository, not_repo) != 0))
            return c->seen[i].repository;
    return NULL;
}

static char *scope_of(const oci_ref *r, bool push)
{
    strbuf s = STRBUF_INIT;
    sb_addf(&s, "repository:%s:%s", r->repository, push ? "pull,push" : "pull");
    return sb_detach(&s, NULL);
}

int oci_ping(oci_client *c, const char *registry, cap_err *err)
{
    oci_req req = {.method = "GET", .registry = registry, .path = "/v2/"};
    oci_resp resp;
    int rc = oci_do(c, &req, &resp, err);
    if (rc == 0 && resp.status != 200)
        rc = oci_status_error(&req, &resp, err);
    oci_resp_release(&resp);
    return rc;
}

int oci_blob_exists(oci_client *c, const oci_ref *r, const char *digest, bool *exists, cap_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "/v2/%s/blobs/%s", r->repository, digest);
    char *scope = scope_of(r, true);
    oci_req req = {.method = "HEAD", .registry = r->registry, .path = path.buf, .scope = scope, .no_body = true};
    oci_resp resp;
    int rc = oci_do(c, &req, &resp, err);
    if (rc == 0) {
        *exists = resp.status == 200;
        if (resp.status != 200 && resp.status != 404)
            rc = oci_status_error(&req, &resp, err);
        if (*exists)
            oci_seen_add(c, r, digest);
    }
    oci_resp_release(&resp);
    free(scope);
    sb_release(&path);
    return rc;
}

/* POST /v2/NAME/blobs/uploads/ (with ?mount=&from= when `from` is a
 * repository of the same registry that holds the blob): 201 mounted, 202
 * an upload session at resp->location. */
static int upload_start(oci_client *c, const oci_ref *r, const char *digest, const char *from, oci_resp *resp,
                        char **scope, cap_err *err)
{
    strbuf path = STRBUF_INIT, sc = STRBUF_INIT;
    sb_addf(&path, "/v2/%s/blobs/uploads/", r->repository);
    sb_addf(&sc, "repository:%s:pull,push", r->repository);
    if (from) {
        sb_addf(&path, "?mount=%s&from=%s", digest, from);
        sb_addf(&sc, " repository:%s:pull", from);
    }
    *scope = sb_detach(&sc, NULL);
    oci_req req = {.method = "POST", .registry = r->registry, .path = path.buf, .scope = *scope};
    int rc = oci_do(c, &req, resp, err);
    if (rc == 0 && resp->status != 202 && !(from && resp->status == 201))
        rc = oci_status_error(&req, resp, err);
    if (rc == 0 && resp->status == 202 && !resp->location)
        rc = cap_err_set(err, "POST %s%s: 202 without a Location", r->registry, path.buf);
    sb_release(&path);
    return rc;
}

int oci_blob_upload(oci_client *c, const oci_ref *r, const char *digest, const char *data, size_t len,
                    const char *file, cap_err *err)
{
    const char *from = oci_seen_find(c, r->registry, r->repository, digest);
    char *scope = NULL;
    oci_resp resp;
    FILE *f = NULL;
    int rc = upload_start(c, r, digest, from, &resp, &scope, err);
    if (rc < 0 && from) {
        /* a registry that refuses mounts: upload as usual */
        cap_err_clear(err);
        oci_resp_release(&resp);
        free(scope);
        rc = upload_start(c, r, digest, NULL, &resp, &scope, err);
    }
    if (rc == 0 && resp.status == 201) {
        c->stats.blobs_mounted++;
        oci_seen_add(c, r, digest);
        oci_resp_release(&resp);
        free(scope);
        return 0;
    }
    if (rc == 0) {
        strbuf put = STRBUF_INIT;
        sb_addf(&put, "%s%cdigest=%s", resp.location, strchr(resp.location, '?') ? '&' : '?', digest);
        oci_resp_release(&resp);
        oci_req preq = {.method = "PUT", .registry = r->registry, .path = put.buf, .scope = scope,
                        .content_type = "application/octet-stream"};
        if (data) {
            preq.body = data;
            preq.body_len = len;
        } else {
            struct stat st;
            f = fopen(file, "rb");
            if (!f || fstat(fileno(f), &st) != 0)
                rc = cap_err_set(err, "%s: %s", file, strerror(errno));
            preq.upload = f;
            preq.upload_len = f ? (long long)st.st_size : 0;
        }
        if (rc == 0)
            rc = oci_do(c, &preq, &resp, err);
        if (rc == 0 && resp.status != 201)
            rc = oci_status_error(&preq, &resp, err);
        if (rc == 0) {
            c->stats.blobs_uploaded++;
            oci_seen_add(c, r, digest);
        }
        sb_release(&put);
    }
    if (f)
        fclose(f);
    oci_resp_release(&resp);
    free(scope);
    return rc;
}

int oci_blob_push(oci_client *c, const oci_ref *r, const char *digest, const char *data, size_t len,
                  const char *file, cap_err *err)
{
    bool exists = false;
    if (oci_blob_exists(c, r, digest, &exists, err) < 0)
        return -1;
    if (exists) {
        c->stats.blobs_skipped++;
        return 0;
    }
    return oci_blob_upload(c, r, digest, data, len, file, err);
}

/* GET /v2/NAME/blobs/DIGEST into the sink, then check the digest. */
static int blob_fetch(oci_client *c, const oci_ref *r, const char *digest, oci_sink *sink, cap_err *err)
{
    if (!oci_digest_valid(digest) || strncmp(digest, "sha256:", 7) != 0)
        return cap_err_set(err, "%s/%s: unsupported or invalid digest \"%s\"", r->registry, r->repository, digest);
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "/v2/%s/blobs/%s", r->repository, digest);
    char *scope = scope_of(r, false);
    oci_req req = {.method = "GET", .registry = r->registry, .path = path.buf, .scope = scope, .sink = sink};
    oci_resp resp;
    int rc = oci_do(c, &req, &resp, err);
    if (rc == 0 && resp.status != 200)
        rc = oci_status_error(&req, &resp, err);
    if (rc == 0) {
        char got[72];
        oci_sink_digest(sink, got);
        if (strcmp(got, digest) != 0)
            rc = cap_err_set(err, "%s/%s: blob %s has digest %s: the content does not match its digest",
                             r->registry, r->repository, digest, got);
        else
            oci_seen_add(c, r, digest);
    }
    oci_resp_release(&resp);
    free(scope);
    sb_release(&path);
    return rc;
}

int oci_blob_get(oci_client *c, const oci_ref *r, const char *digest, long long limit, strbuf *out, cap_err *err)
{
    oci_sink s;
    oci_sink_init(&s, NULL, out, limit > 0 ? limit : 1); /* a blob said to be empty may not send more */
    int rc = blob_fetch(c, r, digest, &s, err);
    oci_sink_free(&s);
    return rc;
}

int oci_blob_get_file(oci_client *c, const oci_ref *r, const char *digest, const char *path, cap_err *err)
{
    strbuf part = STRBUF_INIT;
    sb_addf(&part, "%s.part", path);
    FILE *f = fopen(part.buf, "w+b");
    if (!f) {
        int rc = cap_err_set(err, "%s: %s", part.buf, strerror(errno));
        sb_release(&part);
        return rc;
    }
    oci_sink s;
    oci_sink_init(&s, f, NULL, 0);
    int rc = blob_fetch(c, r, digest, &s, err);
    oci_sink_free(&s);
    if (fclose(f) != 0 && rc == 0)
        rc = cap_err_set(err, "%s: %s", part.buf, strerror(errno));
    if (rc == 0 && rename(part.buf, path) != 0)
        rc = cap_err_set(err, "%s: %s", path, strerror(errno));
    if (rc < 0)
        unlink(part.buf);
    sb_release(&part);
    return rc;
}

static char *media_type_only(const char *ct)
{
    if (!ct)
        return NULL;
    size_t n = strcspn(ct, ";");
    while (n && ct[n - 1] == ' ')
        n--;
    return xstrndup(ct, n);
}

int oci_manifest_get(oci_client *c, const oci_ref *r, const char *reference, strbuf *out, char **mt,
                     char **digest, cap_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "/v2/%s/manifests/%s", r->repository, reference);
    char *scope = scope_of(r, false);
    oci_sink s;
    oci_sink_init(&s, NULL, out, OCI_MAX_MANIFEST);
    oci_req req = {.method = "GET", .registry = r->registry, .path = path.buf, .scope = scope,
                   .accept = ACCEPT_MANIFESTS, .sink = &s};
    oci_resp resp;
    int rc = oci_do(c, &req, &resp, err);
    if (rc == 0 && resp.status == 404)
        rc = cap_err_set(err, "failed to perform \"FetchReference\" on source: %s/%s:%s: not found", r->registry,
                         r->repository, reference); /* oras' words, which helm prints */
    else if (rc == 0 && resp.status != 200)
        rc = oci_status_error(&req, &resp, err);
    if (rc == 0) {
        char got[72];
        oci_sink_digest(&s, got);
        const char *want = oci_digest_valid(reference) ? reference : resp.digest;
        if (want && strncmp(want, "sha256:", 7) == 0 && strcmp(want, got) != 0)
            rc = cap_err_set(err, "%s/%s@%s: the manifest's content has digest %s: it does not match", r->registry,
                             r->repository, want, got);
        else {
            *digest = xstrdup(got);
            *mt = media_type_only(resp.content_type);
        }
    }
    oci_sink_free(&s);
    oci_resp_release(&resp);
    free(scope);
    sb_release(&path);
    return rc;
}

int oci_manifest_put(oci_client *c, const oci_ref *r, const char *reference, const char *mt, const char *data,
                     size_t len, cap_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "/v2/%s/manifests/%s", r->repository, reference);
    char *scope = scope_of(r, true);
    oci_req req = {.method = "PUT", .registry = r->registry, .path = path.buf, .scope = scope, .content_type = mt,
                   .body = data, .body_len = len};
    oci_resp resp;
    int rc = oci_do(c, &req, &resp, err);
    if (rc == 0 && resp.status != 201)
        rc = oci_status_error(&req, &resp, err);
    oci_resp_release(&resp);
    free(scope);
    sb_release(&path);
    return rc;
}

int oci_resolve(oci_client *c, const char *ref, char **digest_out, cap_err *err)
{
    oci_ref r;
    if (oci_ref_parse(ref, OCI_REF_DEFAULT_TAG, &r, err) < 0)
        return -1;
    if (r.digest) {
        *digest_out = xstrdup(r.digest);
        oci_ref_release(&r);
        return 0;
    }
    strbuf m = STRBUF_INIT;
    char *mt = NULL;
    int rc = oci_manifest_get(c, &r, r.tag, &m, &mt, digest_out, err);
    free(mt);
    sb_release(&m);
    oci_ref_release(&r);
    return rc;
}

void oci_free_strings(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
