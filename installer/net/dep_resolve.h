/* dep_resolve.h — a chart's dependencies: resolve Chart.yaml's ranges against
 * chart repositories, fill charts/, write and honour Chart.lock, as
 * `helm dependency update|build|list` (helm v4.1.4) do.
 *
 * Repositories of a dependency: "https://…" (a configured repository with that
 * URL, or an unmanaged one cached as helm-manager-SHA256), "@name" or
 * "alias:name" (a repository in repositories.yaml), "file://path" (a chart
 * directory, relative to the chart; packaged into charts/NAME-VERSION.tgz),
 * "oci://…" (installer/net/oci.h: tags listed, chart pulled, digests checked), "" (already in
 * charts/).
 *
 * Unlike helm, nothing here touches the network when charts/ already holds
 * every archive Chart.lock asks for (and a digest-checked cache copy is used
 * before downloading): `build` and `update` work offline.
 *
 * Ownership: dep_opts is borrowed for the call. Progress lines (helm's words:
 * "Saving 2 charts", "Downloading x from repo y") go to opts->out when set; the
 * library never prints. Errors are values (cap_err) naming the file or URL.
 */
#ifndef CAPSTAN_DEP_RESOLVE_H
#define CAPSTAN_DEP_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

typedef void (*dep_out_fn)(void *ud, const char *line);   /* one line, no '\n' */

typedef struct dep_opts {
    const char *repo_config;   /* repositories.yaml; NULL: $HELM_REPOSITORY_CONFIG or helm's default */
    const char *repo_cache;    /* index cache dir; NULL: $HELM_REPOSITORY_CACHE or helm's default */
    bool skip_refresh;         /* --skip-refresh: do not update the repositories' indexes */
    bool offline;              /* never open a connection; fail naming what is missing */
    bool re_resolve;           /* update: resolve again even when Chart.lock is in sync with
                                * Chart.yaml and charts/ holds every locked archive (otherwise
                                * that case needs, and opens, no connection) */
    bool plain_http;           /* oci:// dependencies: plain HTTP (helm's --plain-http) */
    const char *registry_config; /* oci:// credentials; NULL: helm's registry config */
    dep_out_fn out;            /* progress lines, or NULL */
    void *out_ud;
} dep_opts;

/* `helm dependency update CHART_DIR`: resolve every dependency to the best
 * version, download into charts/ (removing outdated archives), write Chart.lock
 * (requirements.lock for apiVersion v1) unless its digest is unchanged. */
int dep_update(const char *chart_dir, const dep_opts *opts, cap_err *err);

/* `helm dependency build CHART_DIR`: install exactly what Chart.lock says (an
 * update when there is no lock). A lock out of sync with Chart.yaml is an error
 * in helm's words. */
int dep_build(const char *chart_dir, const dep_opts *opts, cap_err *err);

/* For `capstan bundle`: make charts/ complete for chart_dir — build from the
 * lock if there is one; without a lock, nothing when charts/ already
 * satisfies every dependency (dep_list's "ok"/"unpacked"), else update.
 * Offline-friendly as above: a complete charts/ opens no connection. */
int dep_ensure(const char *chart_dir, const dep_opts *opts, cap_err *err);

/* `helm dependency list CHART`: one row per dependency. status is helm's:
 * "ok", "missing", "wrong version", "unpacked", "misnamed", "corrupt",
 * "invalid version". Rows and strings are malloc'd: dep_rows_free(). */
typedef struct dep_row {
    char *name, *version, *repository, *status;
} dep_row;
/* Warnings about charts/ (helm's "WARNING: ... is not in Chart.yaml.") go to warn. */
int dep_list(const char *chart_path, dep_row **rows, size_t *nrows, dep_out_fn warn, void *ud, cap_err *err);
void dep_rows_free(dep_row *rows, size_t n);

/* helm's HashReq: "sha256:" + hex SHA-256 of json.Marshal([2][]*Dependency{req, lock}).
 * Exposed for tests. req/lock are JSON arrays already in chart.Dependency's
 * encoding/json form; out gets 72 bytes. */
void dep_hash_req(const char *req_json, const char *lock_json, char out[72]);

#endif
