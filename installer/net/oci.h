/* oci.h — a client for OCI registries (the distribution / registry v2 API)
 * over libcurl: Helm charts as OCI artifacts, and images copied between
 * registries and OCI image layouts (for air-gapped bundles).
 *
 * Transport: HTTPS by default; plain HTTP with opts.plain_http (helm's
 * --plain-http). TLS: opts.ca_file, client cert/key, insecure_skip_verify.
 * Auth, per registry host: credentials from opts (--username/--password)
 * win, else helm's registry config ($HELM_REGISTRY_CONFIG, default
 * $HELM_CONFIG_HOME/registry/config.json = ~/.config/helm/registry/config.json;
 * docker's config.json format, base64 "auth" or "username"/"password"
 * fields, with "https://HOST" keys and docker.io's index URL understood), else
 * anonymous. A 401 with "WWW-Authenticate: Basic" is answered with basic
 * auth; "Bearer realm=...,service=...,scope=..." with a token fetched from
 * the realm (basic credentials when known) and cached per scope.
 * Everything pulled is verified against its sha256 digest.
 *
 * Ownership: oci_client_new() copies what it needs from oci_opts; free with
 * oci_client_free(). Result structs own their strings; release them with
 * their _release functions. No global state: one client per command.
 */
#ifndef CAPSTAN_OCI_H
#define CAPSTAN_OCI_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/oci_ref.h"
#include "core/strbuf.h"

/* Media types. */
#define OCI_MT_MANIFEST "application/vnd.oci.image.manifest.v1+json"
#define OCI_MT_INDEX "application/vnd.oci.image.index.v1+json"
#define OCI_MT_DOCKER_MANIFEST "application/vnd.docker.distribution.manifest.v2+json"
#define OCI_MT_DOCKER_LIST "application/vnd.docker.distribution.manifest.list.v2+json"
#define OCI_MT_HELM_CONFIG "application/vnd.cncf.helm.config.v1+json"
#define OCI_MT_HELM_CHART "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
#define OCI_MT_HELM_PROV "application/vnd.cncf.helm.chart.provenance.v1.prov"
#define OCI_MT_HELM_CHART_LEGACY "application/tar+gzip"

typedef struct oci_opts {
    bool plain_http;           /* --plain-http: http:// instead of https://, for every registry */
    bool plain_http_loopback;  /* http:// for loopback registries only (localhost, 127.x, [::1]),
                                * as docker treats them; https:// for the others */
    const char *const *plain_http_hosts; /* NULL-terminated HOST[:PORT] list spoken to over http://, or NULL */
    bool insecure_skip_verify; /* --insecure-skip-tls-verify */
    const char *ca_file;       /* --ca-file */
    const char *cert_file;     /* --cert-file (client certificate, PEM) */
    const char *key_file;      /* --key-file */
    const char *username;      /* --username: used for every registry this client talks to */
    const char *password;      /* --password */
    const char *registry_config; /* NULL: $HELM_REGISTRY_CONFIG or helm's default path */
    bool no_registry_config;   /* do not read any registry config file */
    long timeout_ms;           /* per request; 0: 5 minutes (blobs can be large) */
    int max_attempts;          /* retries on 429/5xx/connection errors; 0: 4 */
} oci_opts;

typedef struct oci_client oci_client;

oci_client *oci_client_new(const oci_opts *opts, cap_err *err);
void oci_client_free(oci_client *c);

/* Counters since the client was made (tests, progress, measurements). */
typedef struct oci_stats {
    long requests;        /* HTTP requests sent (including auth and retries) */
    long blobs_uploaded;  /* blobs PUT */
    long blobs_skipped;   /* blobs already there (HEAD 200) */
    long blobs_mounted;   /* blobs mounted from another repository */
    long bytes_down, bytes_up;
} oci_stats;
oci_stats oci_client_stats(const oci_client *c);

/* GET /v2/ on the registry (HOST[:PORT]), authenticating as needed: 0 when
 * the registry accepts us (for `registry login`). */
int oci_ping(oci_client *c, const char *registry, cap_err *err);

/* ---- Helm charts ------------------------------------------------------- */

typedef struct oci_chart_result {
    char *ref;            /* "HOST/REPO/NAME:TAG", as helm prints after Pushed:/Pulled: */
    char *digest;         /* the manifest's digest ("Digest: ...") */
    char *name, *version; /* from the chart (push) or the config blob (pull) */
    strbuf chart;         /* pull: the .tgz bytes (verified) */
    strbuf prov;          /* pull: the .prov bytes when asked for and present */
    strbuf config;        /* the config blob (Chart.yaml as JSON) */
    strbuf manifest;      /* the manifest as pushed / pulled */
} oci_chart_result;
void oci_chart_result_release(oci_chart_result *r);

typedef struct oci_push_opts {
    const char *prov_path;     /* push a provenance layer from this file, or NULL */
    const char *creation_time; /* org.opencontainers.image.created; NULL: now (RFC 3339 UTC) */
    bool no_strict;            /* helm's strict mode checks NAME:VERSION against the ref; always on for oci_push_chart */
} oci_push_opts;

/* helm push CHART.tgz oci://HOST/REPO: the chart goes to
 * HOST/REPO/<name>:<version with + as _>. `remote` is "oci://HOST/REPO" (the
 * prefix is optional). chart/chart_len: the .tgz bytes (its Chart.yaml is
 * read to make the config, tag and annotations as helm v4.1.4 does);
 * `chart_file` names it in errors. Fills out->ref, digest, name, version,
 * config, manifest. */
int oci_push_chart(oci_client *c, const char *chart_file, const char *chart, size_t chart_len,
                   const char *remote, const oci_push_opts *popts, oci_chart_result *out, cap_err *err);

/* The artifact oci_push_chart pushes, made without any network: out->config
 * (Chart.yaml as helm's JSON), out->manifest (annotations as helm v4.1.4,
 * org.opencontainers.image.created = created, NULL: now), out->digest (the
 * manifest's), name and version. prov: the provenance file's bytes or NULL. */
int oci_chart_artifact(const char *chart_file, const char *chart, size_t chart_len, const char *prov,
                       size_t prov_len, const char *created, oci_chart_result *out, cap_err *err);

/* helm pull oci://HOST/REPO/NAME --version V: resolve V (exact tag, or a
 * semver constraint against the tag list, as helm's
 * GetTagMatchingVersionOrConstraint; NULL or "": the newest semver tag; a
 * tag or @digest in `ref` itself wins), fetch the manifest and the chart
 * layer (and the provenance layer when with_prov), verify digests. */
int oci_pull_chart(oci_client *c, const char *ref, const char *version, bool with_prov,
                   oci_chart_result *out, cap_err *err);

/* GET /v2/REPO/tags/list (following Link pagination) into a malloc'd array
 * of malloc'd strings; *n its length. */
int oci_list_tags(oci_client *c, const oci_ref *ref, char ***tags, size_t *n, cap_err *err);
void oci_free_strings(char **v, size_t n);

/* ---- images and OCI image layouts -------------------------------------- */

/* Copy one image (a manifest, or an index / manifest list with every
 * manifest it lists, their configs and layers) from src_ref into the OCI
 * image layout at layout_dir (created when missing: oci-layout, index.json,
 * blobs/sha256/...). Blobs already in the layout are not fetched again. The
 * top manifest is recorded in index.json with the annotation
 * org.opencontainers.image.ref.name = ref_name (NULL: src_ref normalised,
 * "HOST/REPO:TAG" or "HOST/REPO@DIGEST"); an older entry with the same name
 * is replaced. *digest_out (malloc'd, may be NULL) gets the top digest.
 * Every blob and manifest is verified against its digest. */
int oci_copy_image_to_layout(oci_client *c, const char *src_ref, const char *layout_dir,
                             const char *ref_name, char **digest_out, cap_err *err);

/* Push one image from the layout: `ref_name_or_digest` picks the entry of
 * index.json by its ref.name annotation, or by digest ("sha256:..."). Blobs
 * go first (HEAD to skip what the registry has), then the manifests an
 * index lists, then the top manifest, tagged as dst_ref's tag (or pushed by
 * digest when dst_ref has only a digest). *digest_out (malloc'd, may be NULL)
 * gets the pushed top digest (unchanged from the layout: bytes are copied
 * as they are). */
int oci_push_layout_image(oci_client *c, const char *layout_dir, const char *ref_name_or_digest,
                          const char *dst_ref, char **digest_out, cap_err *err);

/* Resolve a reference to its manifest digest (HEAD, then GET when the
 * registry does not send Docker-Content-Digest). */
int oci_resolve(oci_client *c, const char *ref, char **digest_out, cap_err *err);

/* ---- helm's registry config (registry login / logout) ------------------ */

/* The path helm uses: $HELM_REGISTRY_CONFIG, else
 * $HELM_CONFIG_HOME/registry/config.json, else
 * $XDG_CONFIG_HOME/helm/registry/config.json, else
 * ~/.config/helm/registry/config.json. malloc'd. */
char *oci_registry_config_path(void);
/* Store (username, password) for host in the config at path (created with
 * mode 0600), keeping every other entry. */
int oci_registry_config_store(const char *path, const char *host, const char *username,
                              const char *password, cap_err *err);
/* Remove host's entry; -1 with "not logged in to HOST" when there is none. */
int oci_registry_config_remove(const char *path, const char *host, cap_err *err);
/* Look host up: 1 found (*user and *pass malloc'd), 0 not found, -1 error. */
int oci_registry_config_lookup(const char *path, const char *host, char **user, char **pass,
                               cap_err *err);

/* ---- WWW-Authenticate (exposed for tests) ------------------------------ */

typedef struct oci_challenge {
    char *scheme;   /* "basic", "bearer" (lowercased) */
    char *realm, *service, *scope; /* NULL when absent */
} oci_challenge;
/* Parse one WWW-Authenticate header value (quoted strings with escapes,
 * unquoted tokens, any parameter order). */
int oci_challenge_parse(const char *header, oci_challenge *out, cap_err *err);
void oci_challenge_release(oci_challenge *ch);

#endif
