/* chart.h — a Helm chart in memory: loading (directory or .tgz), Chart.yaml,
 * .helmignore, dependencies, .Files and .Capabilities.
 *
 * Ownership: a chart and everything it points to live in the arena given to
 * chart_load(); there is no chart_free. Strings are NUL-terminated (file data
 * too, though it may also contain NUL bytes: len is the truth).
 */
#ifndef CAPSTAN_CHART_H
#define CAPSTAN_CHART_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

/* Limits, as Helm's loader/archive sets them. */
#define CHART_MAX_FILE_SIZE (5L * 1024 * 1024)      /* one decompressed file */
#define CHART_MAX_TOTAL_SIZE (100L * 1024 * 1024)   /* a whole decompressed chart */
#define CHART_MAX_FILES 20000                       /* files in one chart */
#define CHART_MAX_DEPTH 32                          /* nesting of subcharts / dirs */

typedef struct chart_file {
    const char *name;   /* path relative to the chart, with '/', e.g. "templates/a.yaml" */
    const char *data;
    size_t len;
    long long mtime;    /* seconds since the epoch, rounded as Go's tar writer (0: unknown) */
} chart_file;

typedef struct chart_maintainer {
    const char *name, *email, *url;
} chart_maintainer;

typedef struct chart_dep {
    const char *name, *version, *repository, *condition, *alias;
    const char **tags;
    size_t ntags;
    bool enabled;
    cval *import_values;  /* a list (strings or maps {child, parent}) or NULL */
} chart_dep;

typedef struct chart_meta {
    const char *api_version, *name, *home, *version, *description, *icon;
    const char *condition, *tags, *app_version, *kube_version, *type;
    const char **sources;
    size_t nsources;
    const char **keywords;
    size_t nkeywords;
    chart_maintainer *maintainers;
    size_t nmaintainers;
    bool deprecated;
    cval *annotations;    /* map of strings, or NULL (Go's nil map) */
    chart_dep **deps;
    size_t ndeps;
    bool has_deps;        /* Go's Dependencies != nil */
} chart_meta;

typedef struct chart chart;
/* A sink for helm's log lines (slog's text form, see capstan_render_opts.log). */
typedef struct chart_log {
    void (*fn)(void *ctx, const char *line);
    void *ctx;
} chart_log;

struct chart {
    chart_meta *meta;
    cval *values;             /* values.yaml as a map (empty when absent) */
    const char *values_raw;   /* the file's text, NULL when absent (for `show values`) */
    size_t values_raw_len;
    const char *schema;       /* values.schema.json, or NULL */
    size_t schema_len;
    chart_file *templates;
    size_t ntemplates;
    chart_file *files;        /* every other file (what .Files sees, crds/, README...) */
    size_t nfiles;
    chart **deps;             /* subcharts, as loaded from charts/ (then as processed) */
    size_t ndeps;
    chart *parent;
    const char *source;       /* where it was loaded from, for messages */
    /* for `package`: the mtimes of Chart.yaml, values.yaml, values.schema.json and
     * the lock file's text (Chart.lock, or requirements.lock as helm reads it) */
    long long meta_mtime, values_mtime, schema_mtime;
    const char *lock_raw;
    size_t lock_len;
    /* where helm's log lines go (set on the root chart; NULL: nowhere) */
    const chart_log *log;
};

/* Load a chart from a directory or a .tgz. `path` names it in errors. */
int chart_load(arena *a, const char *path, chart **out, cap_err *err);
/* chart_load, and for a directory early(ctx, chart name, file) with each of
 * the chart's own templates/ files as soon as it and Chart.yaml are read,
 * before the rest of the chart (so they can be parsed meanwhile). The files
 * stay where they are for the chart's life. Archives load as chart_load does,
 * without the calls. */
typedef void (*chart_early_fn)(void *ctx, const char *name, const chart_file *template_file);
/* link(ctx, path, resolved) for each symbolic link the walk of a directory
 * follows, in walk order, as helm's loader logs them ("found symbolic link in
 * path..."): path below the absolute root, resolved its real path. */
typedef void (*chart_link_fn)(void *ctx, const char *path, const char *resolved);
int chart_load_early(arena *a, const char *path, chart_early_fn early, chart_link_fn link, void *ctx, chart **out,
                     cap_err *err);
/* Load from an in-memory gzipped tar (for subcharts in charts/). */
int chart_load_archive(arena *a, const void *data, size_t len, const char *name, chart **out, cap_err *err);
/* The files of a chart directory as helm's LoadDir reads them (.helmignore applied,
 * sorted walk, BOM trimmed, mtimes set), or of a .tgz as LoadArchive reads them
 * (top directory stripped, mtimes from the headers); no chart is built. */
int chart_list_dir(arena *a, const char *path, chart_file **out, size_t *n, cap_err *err);
/* chart_list_dir, and early(ctx, chart name, file) with each of the chart's
 * own templates/ files as soon as it and Chart.yaml are read, before the rest
 * (early NULL: no calls; none either when Chart.yaml cannot be read or parsed,
 * and none after a template that cannot be read: then the listing fails, or
 * the load, as without them). */
int chart_dir_read(arena *a, const char *path, chart_early_fn early, chart_link_fn link, void *ctx, chart_file **out,
                   size_t *n, cap_err *err);
/* "dir/name", into the arena. */
char *chart_path_join(arena *a, const char *dir, const char *name);
/* Go's path.Clean ("a/./b/../c/" -> "a/c"), into the arena. */
char *chart_clean_path(arena *a, const char *p);
/* A file whole, into the arena (big files mapped, unmapped with the arena). */
int chart_read_path(arena *a, const char *path, char **out, size_t *len, cap_err *err);
int chart_list_archive(arena *a, const void *data, size_t len, const char *name, chart_file **out, size_t *n,
                       cap_err *err);
/* What is left of the limits for one load, shared by the archives nested in
 * it (archives in charts/ of archives in charts/...): the limits hold for
 * the whole, not for each archive. */
typedef struct chart_budget {
    size_t bytes;   /* of CHART_MAX_TOTAL_SIZE, decompressed */
    size_t files;   /* of CHART_MAX_FILES */
} chart_budget;
#define CHART_BUDGET_INIT { (size_t)CHART_MAX_TOTAL_SIZE, CHART_MAX_FILES }
/* chart_list_archive, taking what it reads from *left. */
int chart_list_archive_within(arena *a, const void *data, size_t len, const char *name, chart_budget *left,
                              chart_file **out, size_t *n, cap_err *err);
/* Build a chart from files (names relative to the chart root), as Helm's LoadFiles. */
int chart_load_files(arena *a, chart_file *files, size_t n, const char *name, chart **out, cap_err *err);

/* Chart.yaml (and requirements.yaml for apiVersion v1). */
int chart_meta_parse(arena *a, const char *text, size_t len, const char *file, chart_meta **out, cap_err *err);
int chart_meta_merge_requirements(arena *a, chart_meta *m, const char *text, size_t len, const char *file, cap_err *err);
int chart_meta_validate(chart_meta *m, cap_err *err);
/* .Chart: the metadata as the map Helm's MetadataAsMap makes (plus IsRoot). */
cval *chart_meta_to_map(arena *a, const chart_meta *m, bool is_root);

/* chart.Metadata as encoding/json (and so `helm show chart`, `helm package`) writes it:
 * JSON field names, empty fields left out. */
cval *chart_meta_to_json(arena *a, const chart_meta *m);

/* helm's values file reading (multi-document, merged): LoadValues. */
int chart_read_values(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);
/* loader.MergeMaps(a, b): a new map; b wins, nested maps merged. */
cval *chart_merge_maps(arena *a, cval *x, cval *y);

/* ".helmignore" rules. */
typedef struct chart_ignore chart_ignore;
chart_ignore *chart_ignore_parse(arena *a, const char *text, size_t len, cap_err *err);
/* Helm's defaults (templates/.helmignore is never ignored... and .helmignore itself). */
bool chart_ignore_match(const chart_ignore *ig, const char *path, bool is_dir);

/* The chart's name (alias applied after processing). */
static inline const char *chart_name(const chart *c) { return c->meta ? c->meta->name : ""; }
/* Log a line as helm's slog text handler writes it: level=LEVEL msg=MSG, then
 * each key=value pair of kv (NULL-terminated), quoted where slog quotes. Goes
 * to the log of c's root chart; nothing when it has none. */
void chart_logf(const chart *c, const char *level, const char *msg, const char *const *kv);
/* One value of a log line, quoted as slog's text handler quotes it. */
void chart_log_value(strbuf *sb, const char *v);
/* The loader's line for a symbolic link it followed, with a newline. */
void chart_log_symlink(strbuf *sb, const char *path, const char *resolved);
/* "root/charts/sub/charts/subsub" as Helm's ChartFullPath. */
const char *chart_full_path(arena *a, const chart *c);
bool chart_is_library(const chart *c);

/* Every dependency in Chart.yaml must be in charts/ (Helm's CheckDependencies). */
int chart_check_deps(arena *a, const chart *c, cap_err *err);
/* ProcessDependencies: aliases, conditions, tags, import-values. Changes the chart. */
int chart_process_deps(arena *a, chart *c, cval *vals, cap_err *err);

/* Masterminds semver: does version satisfy the constraint? false when either is invalid. */
bool chart_semver_check(const char *constraint, const char *version);
/* The same, with the constraint grammar compiled once into *g (NULL at first;
 * the caller frees it with semver_grammar_free) for many checks. */
typedef struct semver_grammar semver_grammar;
bool chart_semver_check_with(semver_grammar **g, const char *constraint, const char *version);
bool chart_semver_valid(const char *version);

/* .Files of a chart (a native object with Get, GetBytes, Glob, Lines, AsConfig, AsSecrets). */
cval *chart_files_object(arena *a, const chart_file *files, size_t n);

/* .Capabilities. kube_version NULL: Helm's default. api_versions are added. */
typedef struct chart_caps chart_caps;
int chart_caps_new(arena *a, const char *kube_version, const char **api_versions, size_t n,
                   chart_caps **out, cap_err *err);
cval *chart_caps_object(arena *a, chart_caps *caps);
const char *chart_caps_kube_version(const chart_caps *caps); /* "v1.35.0" (normalized) */
const char *chart_caps_kube_git_version(const chart_caps *caps);

#endif
