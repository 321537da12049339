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
#include <stdio.h>
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

/* "FILE:LINE:COL: message" (the parts that are known), malloc'd. */
char *capstan_error_message(const capstan_error *e);

/* What to render, with Helm's flags. Arrays are NULL or n-long; strings are
 * borrowed for the duration of the call. Zero-initialise, then fill. */
typedef struct capstan_render_opts {
    const char *release_name;      /* default "release-name" */
    const char *namespace_;        /* default "default" */
    bool is_upgrade;               /* .Release.IsUpgrade instead of IsInstall */
    int revision;                  /* .Release.Revision; 0 means 1 */
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
    /* --registry HOST[:PORT]: every image reference (pod specs, the helm.sh/images and
     * capstan.dev/images annotations, and their copies elsewhere in the same object)
     * re-homed to HOST, keeping repository path, tag and digest. NULL: unchanged. */
    const char *registry;
    /* helm's log lines (warnings about values and dependencies), each in the form of
     * Go's slog text handler without time, e.g. `level=WARN msg="returned non-bool value"
     * path=sub.enabled chart=sub`, or the loader's `level=INFO msg="found symbolic link in
     * path..." path=... resolved=...`), without a newline. NULL: not reported. */
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
    /* Resource limits of the render (0: none): the bytes its memory may reach,
     * and the milliseconds its templates may run. Exceeding one fails with
     * "render exceeded the memory limit of 2 GiB" or "render exceeded the time
     * limit of 5m" (the CLI's defaults and flags: README "Resource limits"). */
    size_t max_render_memory;
    unsigned long render_timeout_ms;
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

/* The same text handed to write(ctx, bytes, n) in pieces as it is assembled
 * (no copy of the whole output; with post_render or show_only, in one piece),
 * only once rendering has succeeded: on failure nothing is written. A write
 * that returns non-zero stops it: -1, "error writing the output". */
typedef int (*capstan_write_fn)(void *ctx, const char *bytes, size_t n);
int capstan_template_write(const char *chart_path, const capstan_render_opts *opts, capstan_write_fn write, void *ctx,
                           capstan_error *err);

/* Helm 4's --post-renderer NAME: the plugin of type postrenderer/v1 named NAME
 * in the plugin directories (HELM_PLUGINS, a ':' list; else
 * $HELM_DATA_HOME/plugins, $XDG_DATA_HOME/helm/plugins or
 * ~/.local/share/helm/plugins), its command chosen for this platform, with
 * args appended (--post-renderer-args). Fails with helm's message
 * ("plugin: {Name:NAME Type:postrenderer/v1} not found"). run has the
 * signature of capstan_render_opts.post_render, with the finder's result as
 * its ctx: the manifests go to the plugin's stdin, its stdout replaces them. */
typedef struct capstan_post_renderer capstan_post_renderer;
int capstan_post_renderer_find(const char *name, const char *const *args, size_t nargs, capstan_post_renderer **out,
                               capstan_error *err);
char *capstan_post_renderer_run(void *post_renderer, const char *in, size_t len, size_t *outlen, char **errmsg);
void capstan_post_renderer_free(capstan_post_renderer *pr);

/* --name-template: the release name the template renders to (malloc'd). */
int capstan_render_name(const char *name_template, char **out, capstan_error *err);

/* `helm show WHAT CHART` (WHAT: chart, values, readme, crds or all): the text it prints. */
int capstan_show(const char *chart_path, const char *what, char **out, size_t *outlen, capstan_error *err);

/* `capstan images`: every image the chart can run with these values (pod specs of every
 * kind, hooks included; helm.sh/images and capstan.dev/images on objects and Chart.yaml),
 * sorted and deduplicated. format "text" (one reference a line) or "json". chart_path may
 * be a bundle (capstan_bundle_*): its values files come first, and its digests are known. */
int capstan_images(const char *chart_path, const capstan_render_opts *opts, const char *format, char **out,
                   size_t *outlen, capstan_error *err);

/* ---- bundles: a chart, its values and its images in one file ------------ */

/* `capstan bundle verify FILE`: read the whole bundle and check its structure and every
 * member's SHA-256. On success *summary (malloc'd, may be NULL) is one line, e.g.
 * "jenkins 0.1.0: 57 members, 3 images, 1 values file, 12345678 bytes, checksums OK".
 * Needs no network. */
int capstan_bundle_verify(const char *path, char **summary, capstan_error *err);

typedef struct capstan_bundle_opts {
    capstan_render_opts render;    /* -f files are packed as they are; --set* become one more values file */
    bool with_images;              /* copy every image into an OCI image layout inside the bundle */
    bool plain_http;               /* source registries over plain HTTP */
    bool insecure;                 /* --insecure-skip-tls-verify for source registries */
    FILE *log;                     /* progress lines; NULL: silent */
} capstan_bundle_opts;

/* `capstan bundle CHART -o FILE`: the chart with its dependencies resolved (charts/
 * filled as `dependency build` would, without network when it is complete), the values
 * files, the image list (images.json) and, with with_images, the images. Needs the
 * network only for missing dependencies and images. */
int capstan_bundle(const char *chart_path, const char *out_path, const capstan_bundle_opts *opts,
                   capstan_error *err);

/* ---- the installer ------------------------------------------------------ */

/* Where the cluster is, as kubectl finds it (KUBECONFIG, ~/.kube/config, in-cluster). */
typedef struct capstan_kube_opts {
    const char *kubeconfig;        /* --kubeconfig */
    const char *context;           /* --kube-context */
    const char *namespace_;        /* -n; default: the context's namespace */
    bool insecure;                 /* --insecure-skip-tls-verify */
    /* helm's global connection flags (and their HELM_* variables), over what the
     * kubeconfig says; NULL: the kubeconfig's. */
    const char *apiserver;         /* --kube-apiserver (HELM_KUBEAPISERVER) */
    const char *token;             /* --kube-token (HELM_KUBETOKEN) */
    const char *ca_file;           /* --kube-ca-file (HELM_KUBECAFILE) */
    const char *tls_server_name;   /* --kube-tls-server-name (HELM_KUBETLS_SERVER_NAME) */
    const char *as_user;           /* --kube-as-user (HELM_KUBEASUSER): Impersonate-User */
    const char *as_groups;         /* --kube-as-group, comma-separated (HELM_KUBEASGROUPS) */
} capstan_kube_opts;

/* install, upgrade and rollback. Zero-initialise, then fill. */
typedef struct capstan_install_opts {
    capstan_kube_opts kube;
    capstan_render_opts render;    /* values and render flags (release name and namespace are set for you) */
    bool install;                  /* upgrade --install: install when there is no release */
    bool wait;                     /* wait for each wave to be ready */
    long timeout_ms;               /* per wait; 0: 5 minutes (Helm's --timeout 5m0s) */
    bool rollback_on_failure;      /* --rollback-on-failure / --atomic */
    bool create_namespace;         /* --create-namespace */
    bool dry_run;                  /* print the plan, change nothing */
    bool force_conflicts;          /* take over fields other field managers own */
    bool skip_crds;                /* --skip-crds: leave crds/ out */
    const char *description;       /* --description */
    FILE *log;                     /* progress lines; NULL: silent */
    bool live;                     /* rewrite progress lines in place (a terminal) */
    volatile int *cancel;          /* set (e.g. by SIGINT) to stop: the revision is marked failed */
    /* chart_path a bundle and render.registry set: its images are pushed to that registry
     * (after the whole bundle is verified, before the cluster is touched) */
    bool registry_plain_http;      /* --plain-http */
    bool registry_insecure;        /* TLS without verification for that registry */
    /* Readiness: a LoadBalancer Service is ready once it has a cluster IP, as
     * helm 4's watcher (kstatus) judges it; true also waits for its address. */
    bool wait_for_load_balancer;   /* --wait-for-load-balancer */
    /* How long a controller's failure (FailedCreate: a missing ServiceAccount,
     * forbidden, a quota; a pod no node can take) may last before the wait
     * fails with its message; 0: 10 s. */
    long fail_grace_ms;            /* --fail-grace */
    /* With wait: a Job of the release must complete (helm's --wait-for-jobs);
     * false: started is enough, as kstatus judges it. Hook Jobs always complete. */
    bool wait_for_jobs;            /* --wait-for-jobs */
    /* --history-max (HELM_MAX_HISTORY): revisions kept per release, older ones pruned
     * after a successful operation; 0: no limit. (Parsed here; the pruning is the
     * storage's, branch charts.) */
    int history_max;
    bool no_hooks;                 /* rollback --no-hooks (install/upgrade: render.no_hooks) */
    bool hide_notes;               /* --hide-notes: *notes stays NULL */
} capstan_install_opts;

/* On success *revision (when not NULL) is the revision written; *notes the
 * rendered NOTES.txt (malloc'd, may be NULL). */
int capstan_install(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err);
int capstan_upgrade(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err);
/* to_revision 0: the one before the current. */
int capstan_rollback(const char *release, int to_revision, const capstan_install_opts *opts, int *revision,
                     capstan_error *err);

typedef struct capstan_uninstall_opts {
    capstan_kube_opts kube;
    bool keep_history;
    bool wait;
    long timeout_ms;
    bool dry_run;
    const char *description;
    FILE *log;
    bool ignore_not_found;         /* --ignore-not-found: no release is not an error */
    bool no_hooks;                 /* --no-hooks: pre-delete and post-delete hooks do not run */
    const char *cascade;           /* --cascade background (NULL), foreground or orphan */
} capstan_uninstall_opts;

int capstan_uninstall(const char *release, const capstan_uninstall_opts *opts, capstan_error *err);

/* `helm test`: run the test hooks of the release's latest revision, wait for
 * each to complete, and record their runs in the release. log gets a line per
 * hook, as helm prints them. */
int capstan_test(const char *release, const capstan_kube_opts *kube, long timeout_ms, FILE *log,
                 capstan_error *err);

/* Release records as text (malloc'd) in one of Helm's output formats:
 * "table", "json" or "yaml". history: every revision of one release; status:
 * its latest revision; list: the latest revision of every release in the
 * namespace (every namespace with all_namespaces). */
int capstan_history(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                    capstan_error *err);
int capstan_status(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                   capstan_error *err);
int capstan_list(const capstan_kube_opts *kube, bool all_namespaces, const char *format, char **text,
                 capstan_error *err);

/* ---- helm's command line: release queries with every flag (cli/cmd_release.c) ----
 * Option structs start with size_t size: the caller sets sizeof(struct); fields
 * added later at the end read as zero for older callers. */

/* `helm status` (and the text after install, upgrade and rollback). */
typedef struct capstan_status_opts {
    size_t size;
    capstan_kube_opts kube;
    const char *format;            /* table (NULL), json, yaml */
    int revision;                  /* --revision; 0: the latest */
    bool hide_notes;               /* --hide-notes */
    bool with_chart;               /* json/yaml: the whole release, chart included (install -o json) */
} capstan_status_opts;
int capstan_status_show(const char *release, const capstan_status_opts *o, char **text, capstan_error *err);

/* `helm history --max N`: the last N revisions (0 or negative: helm's 256). */
typedef struct capstan_history_opts {
    size_t size;
    capstan_kube_opts kube;
    const char *format;
    int max;
} capstan_history_opts;
int capstan_history_show(const char *release, const capstan_history_opts *o, char **text, capstan_error *err);

/* `helm list` with its filters, sorting and formats. */
typedef struct capstan_list_opts {
    size_t size;
    capstan_kube_opts kube;
    const char *format;            /* table (NULL), json, yaml */
    bool all_namespaces;           /* -A */
    bool all;                      /* -a: every status */
    bool deployed, failed, pending, superseded, uninstalled, uninstalling; /* none: every status */
    bool by_date;                  /* -d */
    bool reverse;                  /* -r */
    int max;                       /* -m; 0: no limit (helm's default 256 is the caller's) */
    int offset;                    /* --offset */
    const char *filter;            /* -f: a regular expression on the name */
    const char *selector;          /* -l: key=value, key==value, key!=value, comma-separated */
    bool short_;                   /* -q: names only */
    bool no_headers;               /* --no-headers */
    const char *time_format;       /* --time-format: a Go time layout */
} capstan_list_opts;
int capstan_list_show(const capstan_list_opts *o, char **text, capstan_error *err);

/* `helm create NAME`: helm 4.1.4's scaffold, byte for byte, in the directory NAME
 * (its last element is the chart's name; the directory before it must exist).
 * A file that exists is overwritten after a log line "WARNING: File "PATH" already
 * exists. Overwriting." (helm prints it to stdout). */
typedef struct capstan_create_opts {
    size_t size;
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
} capstan_create_opts;
int capstan_create(const char *path, const capstan_create_opts *o, capstan_error *err);

/* Shell completion's dynamic candidates starting with prefix, one a line as
 * "VALUE" or "VALUE\tDESCRIPTION" (malloc'd): what is "releases" (the namespace's,
 * every status), "namespaces", "contexts" (the kubeconfig's), "charts" (REPO/CHART
 * from the repository caches) or "versions" (of chart, a REPO/CHART). */
int capstan_complete(const char *what, const char *prefix, const char *chart, const capstan_kube_opts *kube,
                     char **text, capstan_error *err);

/* `helm search repo [KEYWORD...]`: the charts of the repositories' cached indexes whose
 * name, REPO/NAME, description or keywords contain the terms (case-insensitive), or
 * match them as a regular expression; best matches first, one version a chart (the
 * newest that satisfies the constraint) unless versions. */
typedef struct capstan_search_opts {
    size_t size;
    const char *terms;             /* the keywords joined by spaces; NULL: every chart */
    bool regexp;                   /* -r, --regexp */
    bool versions;                 /* -l, --versions: every version */
    bool devel;                    /* --devel: prereleases too (>0.0.0-0) */
    const char *version;           /* --version: a constraint (default >0.0.0) */
    const char *format;            /* table (NULL), json, yaml */
    size_t max_col_width;          /* --max-col-width; 0: 50 */
    bool fail_on_no_result;        /* --fail-on-no-result */
} capstan_search_opts;
int capstan_search_repo(const capstan_search_opts *o, char **text, capstan_error *err);

/* `helm test` with its --filter: name=N runs only the hooks named N, !name=N all but them
 * (exclusions win when both are given, as helm); the others stay as they were. */
typedef struct capstan_test_opts {
    size_t size;
    capstan_kube_opts kube;
    long timeout_ms;
    FILE *log;                     /* progress (and, with summary, the TEST SUITE lines); NULL: silent */
    const char **filters;          /* "name=N" or "!name=N" */
    size_t n_filters;
    bool summary;                  /* write the TEST SUITE lines to log (capstan_test does) */
} capstan_test_opts;
int capstan_test_run(const char *release, const capstan_test_opts *o, capstan_error *err);

/* `helm env`: NAME="VALUE" lines, sorted, as helm prints them, from the HELM_*, XDG_*
 * and HOME variables and kube (namespace: kube's, else the kubeconfig context's).
 * bin: the value of HELM_BIN. */
int capstan_helm_env(const capstan_kube_opts *kube, const char *bin, char **text, capstan_error *err);

#ifdef __cplusplus
}
#endif

#endif
