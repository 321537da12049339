/* capstan.h — the public C API of libcapstan.
 *
 * libcapstan renders Helm charts exactly as `helm template` does and installs
 * them on a Kubernetes cluster. The capstan program is one client of it.
 *
 * Conventions: functions return 0 on success and -1 on error, filling the
 * caller's capstan_error. Objects a function returns are owned by the caller
 * and released with the matching _free function.
 */
#ifndef CAPSTAN_H
#define CAPSTAN_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define CAPSTAN_VERSION "0.1.0"

/* The version of the library, e.g. "0.1.0". */
const char *capstan_version(void);

/* An error: message, and where it is when known (file NULL, line/col 0 when not).
 * Release with capstan_error_clear(). */
typedef struct capstan_error {
    char *msg;
    char *file;
    int line;
    int col;
} capstan_error;

void capstan_error_clear(capstan_error *e);

/* What to render, with Helm's flags. Arrays are NULL or n-long; strings are
 * borrowed for the duration of the call. Zero-initialise, then fill. */
typedef struct capstan_render_opts {
    const char *release_name;      /* default "release-name" */
    const char *namespace_;        /* default "default" */
    bool is_upgrade;               /* .Release.IsUpgrade instead of IsInstall */
    const char *kube_version;      /* --kube-version; NULL: Helm's default (v1.35.0) */
    const char **api_versions;     /* --api-versions, added to the defaults */
    size_t n_api_versions;
    /* values, applied in Helm's order: files, json, set, set-string, set-file, set-literal */
    const char **value_files;      /* -f; "-" reads stdin */
    size_t n_value_files;
    const char **set_json;
    size_t n_set_json;
    const char **set;
    size_t n_set;
    const char **set_string;
    size_t n_set_string;
    const char **set_file;
    size_t n_set_file;
    const char **set_literal;
    size_t n_set_literal;
    /* output */
    const char **show_only;        /* -s: template paths or globs relative to the chart */
    size_t n_show_only;
    bool include_crds;             /* put crds/ first in the output */
    bool skip_tests;               /* leave test hooks out */
    bool no_hooks;                 /* leave hooks out */
    bool helm3_order;              /* sort kinds as Helm 3 does */
    bool skip_schema_validation;
    unsigned long seed;            /* non-zero: random functions reproducible */
    /* --post-renderer: given every manifest (annotated with its source), return new text
     * (malloc'd) or NULL with *errmsg (malloc'd). NULL: none. */
    char *(*post_render)(void *ctx, const char *in, size_t len, size_t *outlen, char **errmsg);
    void *post_render_ctx;
} capstan_render_opts;

/* One manifest of a rendered release. */
typedef struct capstan_manifest {
    const char *source;      /* "mychart/templates/deploy.yaml" (crds: "mychart/crds/x.yaml") */
    const char *content;     /* the YAML document, without a trailing newline */
    size_t len;
    const char *api_version, *kind, *name;
    bool hook, test;
    const char *hook_events; /* "pre-install,post-install" */
    int hook_weight;
} capstan_manifest;

/* A rendered release, for the installer: manifests in install order, hooks, CRDs, notes. */
typedef struct capstan_release {
    capstan_manifest *manifests;
    size_t n_manifests;
    capstan_manifest *hooks;
    size_t n_hooks;
    capstan_manifest *crds;  /* crds/ of the chart and its enabled subcharts */
    size_t n_crds;
    const char *notes;       /* the chart's NOTES.txt, rendered ("" when none) */
    const char *name, *namespace_, *chart_name, *chart_version, *app_version;
    void *priv_;
} capstan_release;

/* Render a chart (directory or .tgz) into a release. */
int capstan_render(const char *chart_path, const capstan_render_opts *opts, capstan_release **out,
                   capstan_error *err);
void capstan_release_free(capstan_release *r);

/* `helm template`: the text it prints (malloc'd, *out; length *outlen). */
int capstan_template(const char *chart_path, const capstan_render_opts *opts, char **out, size_t *outlen,
                     capstan_error *err);

/* --name-template: the release name the template renders to (malloc'd). */
int capstan_render_name(const char *name_template, char **out, capstan_error *err);

/* `helm show WHAT CHART` (WHAT: chart, values, readme, crds or all): the text it prints. */
int capstan_show(const char *chart_path, const char *what, char **out, size_t *outlen, capstan_error *err);

#ifdef __cplusplus
}
#endif

#endif
