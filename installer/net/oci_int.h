/* oci_int.h — what the oci_*.c files share (not a public header).
 *
 * One request goes through oci_do(): URL from the registry host (docker.io
 * goes to registry-1.docker.io) and a path or an absolute URL (upload
 * Locations), credentials and tokens per host, retries on 429/5xx and
 * dropped connections, and the 401 dance (Basic or Bearer) once per request.
 */
#ifndef CAPSTAN_OCI_INT_H
#define CAPSTAN_OCI_INT_H

#include "core/digest.h"
#include "installer/net/oci.h"

#include <stdio.h>

#include <curl/curl.h>

#define OCI_MAX_MANIFEST (4L * 1024 * 1024) /* as distribution and oras limit manifests */

/* A descriptor's "size" (a JSON number, so a double) as Go reads it into an
 * int64: a whole number from 0 to 2^63 (exclusive); anything else is a bad
 * descriptor, and must not reach a cast to long long (undefined beyond its range). */
static inline bool oci_size_valid(double f) { return f >= 0 && f < 9223372036854775808.0 && f == (double)(long long)f; }

typedef struct oci_cred {
    char *host;
    char *user, *pass;  /* NULL: anonymous */
    bool looked_up;
    bool basic;         /* the registry asked for Basic: send it up front */
} oci_cred;

typedef struct oci_token {
    char *host, *scope, *token;
} oci_token;

/* Where a blob was last seen on a registry (for cross-repository mounts). */
typedef struct oci_seen {
    char *registry, *repository, *digest;
} oci_seen;

struct oci_client {
    CURL *curl;
    bool plain_http, plain_http_loopback, insecure;
    char **plain_hosts;       /* NULL-terminated, or NULL */
    char *ca_file, *cert_file, *key_file, *username, *password, *config_path;
    long timeout_ms;
    int max_attempts;
    oci_cred *creds;
    size_t ncreds;
    oci_token *tokens;
    size_t ntokens;
    oci_seen *seen;
    size_t nseen;
    oci_stats stats;
};

/* Where a 2xx body goes instead of resp->body: a file, hashed on the way. */
typedef struct oci_sink {
    FILE *f;            /* NULL: into `buf` */
    strbuf *buf;
    digest_sha256_ctx md; /* sha256 of what was written */
    long long n;
    long long limit;    /* 0: none */
    bool over;
} oci_sink;

typedef struct oci_req {
    const char *method;
    const char *registry;     /* HOST[:PORT] as in the reference */
    const char *path;         /* "/v2/..." or an absolute http(s) URL */
    const char *scope;        /* token scope ("repository:NAME:pull"), or NULL */
    const char *accept;
    const char *content_type;
    const char *body;         /* in memory, or NULL */
    size_t body_len;
    FILE *upload;             /* or from a file (rewound on retries) */
    long long upload_len;
    oci_sink *sink;           /* 2xx body goes here; NULL: resp->body */
    bool no_body;             /* HEAD */
} oci_req;

typedef struct oci_resp {
    long status;
    strbuf body;              /* non-2xx bodies always; 2xx when no sink */
    char *location, *digest, *content_type, *www_auth, *link;
    long long content_length; /* -1 unknown */
} oci_resp;

int oci_do(oci_client *c, const oci_req *req, oci_resp *resp, cap_err *err);
void oci_resp_release(oci_resp *r);
/* "METHOD URL: 404 Not Found: manifest unknown" from a failed response. */
int oci_status_error(const oci_req *req, const oci_resp *resp, cap_err *err);
/* The full URL of req (malloc'd). */
char *oci_url(const oci_client *c, const char *registry, const char *path);

/* Credentials for host (from the options, then the registry config). */
oci_cred *oci_cred_for(oci_client *c, const char *host, cap_err *err);

/* Read a whole file (oci_layout.c). */
int oci_read_file(const char *path, strbuf *out, cap_err *err);

/* sha256 helpers. */
void oci_sha256_hex(const void *p, size_t n, char out[72]); /* "sha256:" + 64 hex */
int oci_sink_init(oci_sink *s, FILE *f, strbuf *buf, long long limit);
void oci_sink_digest(oci_sink *s, char out[72]);
void oci_sink_free(oci_sink *s);
size_t oci_sink_write(oci_sink *s, const char *p, size_t n);

/* Blobs and manifests (oci_blob.c). */
int oci_blob_exists(oci_client *c, const oci_ref *r, const char *digest, bool *exists, cap_err *err);
/* Upload data (or the file at path when data is NULL) as digest (POST + PUT). */
int oci_blob_upload(oci_client *c, const oci_ref *r, const char *digest, const char *data, size_t len,
                    const char *path, cap_err *err);
/* Remember that registry/repository holds digest; the repository (other
 * than `not_repo`) where digest was seen on registry, or NULL. */
void oci_seen_add(oci_client *c, const oci_ref *r, const char *digest);
const char *oci_seen_find(const oci_client *c, const char *registry, const char *not_repo, const char *digest);
/* HEAD; then a cross-repository mount when the blob was seen in another
 * repository of the same registry; then upload. */
int oci_blob_push(oci_client *c, const oci_ref *r, const char *digest, const char *data, size_t len,
                  const char *path, cap_err *err);
/* GET a blob into out (verified), at most limit bytes (0: none). */
int oci_blob_get(oci_client *c, const oci_ref *r, const char *digest, long long limit, strbuf *out, cap_err *err);
/* GET a blob into the file at path (written to path.part, verified, renamed). */
int oci_blob_get_file(oci_client *c, const oci_ref *r, const char *digest, const char *path, cap_err *err);
/* GET the manifest at reference (a tag or digest), accepting every manifest
 * and index media type; verified when reference is a digest or the registry
 * sends Docker-Content-Digest. *mt and *digest malloc'd. */
int oci_manifest_get(oci_client *c, const oci_ref *r, const char *reference, strbuf *out, char **mt,
                     char **digest, cap_err *err);
int oci_manifest_put(oci_client *c, const oci_ref *r, const char *reference, const char *mt, const char *data,
                     size_t len, cap_err *err);

#endif
