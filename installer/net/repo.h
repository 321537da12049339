/* repo.h — helm's chart repositories, shared with helm: repositories.yaml,
 * the index cache (NAME-index.yaml, NAME-charts.txt), index.yaml parsing and
 * the choice of a chart version for a constraint, chart downloads checked
 * against the index's digest.
 *
 * Paths as helm's helmpath: $HELM_REPOSITORY_CONFIG, else $HELM_CONFIG_HOME,
 * $XDG_CONFIG_HOME/helm or ~/.config/helm, + /repositories.yaml;
 * $HELM_REPOSITORY_CACHE, else ($HELM_CACHE_HOME, $XDG_CACHE_HOME/helm or
 * ~/.cache/helm) + /repository.
 *
 * Ownership: a repo_file owns its entries (repo_file_free). A repo_index and
 * everything in it lives in the arena given to repo_index_parse/_load.
 */
#ifndef CAPSTAN_REPO_H
#define CAPSTAN_REPO_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "installer/net/http_client.h"
#include "core/semver.h"

/* ---- repositories.yaml ---------------------------------------------------- */

typedef struct repo_entry {
    char *name, *url, *username, *password, *cert_file, *key_file, *ca_file;
    bool insecure_skip_tls_verify, pass_credentials_all;
} repo_entry;

typedef struct repo_file {
    char *api_version;   /* as read ("" for a new file, as helm writes it) */
    char *generated;     /* as read ("0001-01-01T00:00:00Z" for a new file) */
    repo_entry *repos;
    size_t n;
} repo_file;

char *repo_config_path(void);               /* malloc'd */
char *repo_cache_dir(void);                 /* malloc'd */
/* NAME-index.yaml / NAME-charts.txt in the cache dir (malloc'd). */
char *repo_cache_index_path(const char *cache_dir, const char *name);
char *repo_cache_charts_path(const char *cache_dir, const char *name);

/* A missing file is an empty repo_file (*exists false when exists != NULL). */
int repo_file_load(const char *path, repo_file *out, bool *exists, cap_err *err);
/* Written as helm writes it (sigs.k8s.io/yaml, sorted keys, mode 0600),
 * through a temporary file renamed into place. */
int repo_file_save(const repo_file *f, const char *path, cap_err *err);
repo_entry *repo_file_get(const repo_file *f, const char *name);
/* Appends a copy of e, or replaces the entry of that name. */
void repo_file_put(repo_file *f, const repo_entry *e);
bool repo_file_remove(repo_file *f, const char *name);
void repo_file_free(repo_file *f);
void repo_entry_free(repo_entry *e);
bool repo_entry_equal(const repo_entry *a, const repo_entry *b);

/* Take helm's lock on repositories.yaml (repositories.lock beside it, flock).
 * Returns an fd to pass to repo_unlock, or -1 with err. */
int repo_lock(const char *config_path, cap_err *err);
void repo_unlock(int fd);

/* An http_client with the entry's credentials and TLS settings. */
http_client *repo_client(const repo_entry *e, cap_err *err);

/* urlutil.Equal: two repository URLs are the same (trailing '/' ignored). */
bool repo_url_equal(const char *a, const char *b);

/* ---- index.yaml ------------------------------------------------------------ */

typedef struct repo_chart_version {
    const char *name, *version, *digest, *app_version, *description, *api_version;
    const char **urls;
    size_t nurls;
    bool deprecated;
    semver_version sv;
    bool semver_ok;          /* version parsed as semver */
    const char *keywords;    /* the keywords, space-separated (helm search's line) */
} repo_chart_version;

typedef struct repo_index_entry {
    const char *name;
    repo_chart_version *versions;   /* sorted, highest first (helm's SortEntries) */
    size_t n;
} repo_index_entry;

typedef struct repo_index {
    const char *api_version;
    repo_index_entry *entries;      /* sorted by name */
    size_t n;
} repo_index;

/* Parse an index (YAML or JSON, as helm's loadIndex): entries that are not
 * valid charts (no name, a version that is not semver) are skipped as helm
 * skips them. Errors name `file` and the line: "FILE:LINE: ...", and
 * "no API version specified" / "empty index.yaml file" as helm. */
int repo_index_parse(arena *a, const char *text, size_t len, const char *file, repo_index **out, cap_err *err);
int repo_index_load(arena *a, const char *path, repo_index **out, cap_err *err);
const repo_index_entry *repo_index_find(const repo_index *ix, const char *name);

/* The version to use for constraint c as helm picks it: the highest version
 * (with at least one URL when need_urls) that satisfies c; prereleases only
 * when c allows them (Masterminds). c "" means "*". exact_first: as
 * IndexFile.Get (helm pull --version), a version string equal to c wins first.
 * NULL with *why set ("improper constraint: x", "no chart version found for
 * NAME-C") when none. */
const repo_chart_version *repo_index_best(arena *a, const repo_index_entry *e, const char *c, bool need_urls,
                                          bool exact_first, const char **why);

/* helm's IndexFile.Get logs, when a requested version c was not found as it is and
 * constraint c chose v: 'level=WARN msg="unable to find exact version requested;
 * falling back to closest available version" chart=NAME requested=C selected=V'
 * on log (helm's slog text line; nothing when log is NULL or c is empty). */
void repo_index_warn_fallback(FILE *log, const repo_index_entry *e, const char *c, const repo_chart_version *v);

/* helm's ResolveReferenceURL: ref (absolute, or relative to the repository
 * URL taken as a directory; the repository URL's query kept), malloc'd. */
char *repo_resolve_url(const char *repo_url, const char *ref);

/* ---- network ---------------------------------------------------------------- */

/* Download URL/index.yaml for entry e, check it parses, write the cache files
 * (NAME-index.yaml as downloaded, NAME-charts.txt). */
int repo_update_index(const repo_entry *e, const char *cache_dir, cap_err *err);

/* repo_update_index for n entries at once (up to 8 in parallel, as helm
 * updates its repositories concurrently). errs[i] is entry i's error (or
 * clear). Returns how many failed. */
size_t repo_update_indexes(const repo_entry *const *entries, size_t n, const char *cache_dir, cap_err *errs);

/* Download a chart archive from url into dest_path (nothing left on failure).
 * With digest (hex sha256, from the index) non-empty, a mismatch is an error
 * naming the URL and the file is removed. client may be NULL (a plain one). */
int repo_download_chart(http_client *client, const char *url, const char *digest, const char *dest_path,
                        cap_err *err);

#endif
