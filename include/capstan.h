/* capstan.h — the public C API of libcapstan.
 *
 * libcapstan renders Helm charts exactly as `helm template` does and installs
 * them on a Kubernetes cluster. The capstan program is one client of it.
 *
 * Conventions: functions return 0 on success and -1 on error, filling the
 * caller's capstan_error (see capstan_error: a code, the bare message, and
 * where). Objects a function returns are owned by the caller and released
 * with the matching _free function. Strings and arrays passed in are borrowed
 * for the duration of the call.
 *
 * Options (the one rule): every capstan_*_opts struct begins with
 * `size_t size`, which the caller sets to the sizeof of the struct it was
 * compiled with (CAPSTAN_OPTS_INIT does; 0 means this header's). Fields are
 * only ever appended, so fields past the caller's size read as zero; a
 * caller compiled with a newer header may pass a bigger struct as long as
 * the fields this library does not know are zero (else CAPSTAN_EUSAGE). The
 * two structs that are embedded in others, capstan_render_opts and
 * capstan_kube_opts, end with a reserved tail and grow inside it, so that
 * the fields after them never move. Zero-initialise, set size, then fill:
 *     capstan_render_opts o = CAPSTAN_OPTS_INIT(capstan_render_opts);
 *
 * Threads: a render (capstan_render, capstan_template*, capstan_images,
 * capstan_bundle, install and upgrade) starts threads and joins them before
 * it returns (see capstan_render); capstan_repo_update fetches on up to 8.
 * Nothing else starts threads. The library has no global mutable state: any
 * calls may run at once on different threads, each with its own objects.
 */
#ifndef CAPSTAN_H
#define CAPSTAN_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* An options struct zeroed, with its size set (see the rule above). */
#define CAPSTAN_OPTS_INIT(type) {.size = sizeof(type)}

#include "capstan_version.h"   /* CAPSTAN_VERSION, CAPSTAN_VERSION_NUM */

/* The version of the library, e.g. "0.1.0". */
const char *capstan_version(void);

/* What kind of failure an error is: callers act on the code, never on the
 * message's text. */
typedef enum capstan_code {
    CAPSTAN_OK = 0,
    CAPSTAN_EUSAGE,      /* bad arguments or options: an unknown format, a bad flag value */
    CAPSTAN_ENOTFOUND,   /* no such release, revision, chart, version or file */
    CAPSTAN_ECONFLICT,   /* already exists, another operation holds the release, field conflicts */
    CAPSTAN_EAUTH,       /* refused: 401/403 from a cluster, repository or registry */
    CAPSTAN_EIO,         /* reading or writing files, or the network transport */
    CAPSTAN_ERENDER,     /* the chart, its values or its templates (helm's render errors) */
    CAPSTAN_ECLUSTER,    /* the cluster refused or failed an operation, or a wait timed out */
    CAPSTAN_ECANCELLED,  /* stopped by the caller (capstan_install_opts.cancel) */
    CAPSTAN_ELIMIT,      /* a resource limit: render memory or time, sizes of archives and responses */
} capstan_code;

/* An error. Every function that takes a capstan_error * accepts NULL (the
 * error is then dropped). On failure it is filled: code, the bare message
 * (helm's words where helm has them), and where it is when known (file and
 * key NULL, line/col 0 when not). Zero-initialise it before the first use;
 * release its strings with capstan_error_clear() (a later failure clears it
 * first). */
typedef struct capstan_error {
    char *msg;
    char *file;
    int line;
    int col;
    int code;            /* a capstan_code */
    char *key;           /* the values key or object path, e.g. "controller.image.tag" */
} capstan_error;

void capstan_error_clear(capstan_error *e);

/* "FILE:LINE:COL: message" (the parts that are known), malloc'd. */
char *capstan_error_message(const capstan_error *e);

/* "not found", "conflict"...: the code's name, static. */
const char *capstan_code_name(int code);

/* `helm version --template TEXT`: TEXT as Go's text/template (Go's builtin functions
 * only, as helm's) over capstan's version.BuildInfo {Version, GitCommit, GitTreeState,
 * GoVersion, KubeClientVersion}. *out (malloc'd) holds what was written, on error
 * (-1) too: Go writes up to the failing action. */
int capstan_version_template(const char *text, char **out, capstan_error *err);

/* What to render, with Helm's flags. Arrays are NULL or n-long; strings are
 * borrowed for the duration of the call. Zero-initialise, then fill. */
typedef struct capstan_render_opts {
    size_t size;                   /* sizeof (capstan_render_opts) the caller was built with; 0: this one's */
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
    bool enable_dns;               /* --enable-dns: getHostByName resolves (else it returns "") */
    bool subchart_notes;           /* --render-subchart-notes: the subcharts' NOTES.txt too */
    /* New fields go above, and this reserve shrinks by as many bytes: the
     * struct is embedded in others and keeps its size (core/opts.c checks). */
    void *reserved_[15];
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

/* Render a chart (directory or .tgz) into a release.
 * Threads: a call starts one thread that parses the templates while this one
 * reads the chart and the values, and then executes them (on a large stack),
 * while this one checks values.schema.json and reads the finished manifests;
 * either thread takes over work the other has not begun (parses, manifests)
 * rather than wait for it. Each genCA/genPrivateKey/... RSA key starts one
 * more thread for its second prime when the process may use two CPUs. All
 * end before the call returns. */
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
    size_t size;                   /* sizeof (capstan_bundle_opts); 0: this header's */
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
    size_t size;                   /* sizeof (capstan_kube_opts); 0: this header's */
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
    /* client-go's client-side throttle on the API requests of one connection: a
     * token bucket of burst_limit tokens refilled at qps a second. --qps (HELM_QPS):
     * 0 is helm's default (client-go's 5), negative turns it off; --burst-limit
     * (HELM_BURST_LIMIT): 0 is helm's default, 100. */
    float qps;
    int burst_limit;
    /* New fields go above, and this reserve shrinks by as many bytes: the
     * struct is embedded in others and keeps its size (core/opts.c checks). */
    void *reserved_[9];
} capstan_kube_opts;

/* ---- progress and diagnostics ----------------------------------------- */

/* What an operation reports while it runs (install, upgrade, rollback,
 * uninstall, test), given to capstan_progress_fn as it happens. */
typedef enum capstan_progress_type {
    CAPSTAN_PROGRESS_WAVE_STARTED,  /* wave of nwaves: its objects are being applied */
    CAPSTAN_PROGRESS_WAVE_READY,    /* every object of the wave is ready */
    CAPSTAN_PROGRESS_OBJECT,        /* an object waited on changed state (phase: "wave 2/3",
                                       "hook pre-install", "crds", "delete") */
    CAPSTAN_PROGRESS_HOOK_STARTED,  /* hook kind/name of event phase was created */
    CAPSTAN_PROGRESS_HOOK_FINISHED, /* state "succeeded" or "failed" */
    CAPSTAN_PROGRESS_DIAGNOSTICS,   /* why kind/name failed or is not ready: text (lines, each
                                       ending in \n): its conditions, the Warning events of it
                                       and its pods, the last log lines of failing containers */
    CAPSTAN_PROGRESS_TICK,          /* about once a second while waiting, nothing new: for a
                                       display that shows the elapsed time */
} capstan_progress_type;

/* One event. Strings are borrowed for the duration of the callback; absent ones are NULL. */
typedef struct capstan_progress_event {
    size_t size;                    /* sizeof(capstan_progress_event) */
    capstan_progress_type type;
    long elapsed_ms;                /* since the operation started */
    const char *phase;
    int wave, nwaves;               /* WAVE_*: 1-based; else 0 */
    const char *api_version, *kind, *namespace_, *name;
    /* OBJECT: "waiting" (not seen yet), "progressing", "ready", "failed" or
     * "terminating"; HOOK_FINISHED: "succeeded" or "failed" */
    const char *state;
    const char *message;            /* e.g. "1/3 replicas available", "Job running: 0 active, ..." */
    const char *text;               /* DIAGNOSTICS */
} capstan_progress_event;

typedef void (*capstan_progress_fn)(void *ctx, const capstan_progress_event *ev);

/* The default number of log lines of a failing container in diagnostics. */
#define CAPSTAN_DEFAULT_LOG_LINES 20

/* install, upgrade and rollback. Zero-initialise, then fill. */
typedef struct capstan_install_opts {
    size_t size;                   /* sizeof (capstan_install_opts); 0: this header's */
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
    /* Structured progress: NULL, and the library writes one line per change to
     * log (live rewrites lines in place); set, and waves, objects, hooks and
     * diagnostics go to it instead (other lines still go to log). */
    capstan_progress_fn progress;
    void *progress_ctx;
    /* Diagnostics of what failed or was not ready in time: the last log_lines
     * lines of each failing container; 0: CAPSTAN_DEFAULT_LOG_LINES, <0: no logs. */
    long log_lines;
    /* upgrade and rollback: release records kept, the new one included; the
     * oldest go first, never the newest deployed one (helm's --history-max,
     * as its storage prunes). 0: helm's default, 10; negative: no limit. */
    int history_max;
    /* upgrade: the values of the deployed release, as helm 4's reuseValues
     * takes them. --reset-values: the chart's and the new ones only;
     * --reuse-values: the new ones over the release's, and the release's
     * chart values instead of the new chart's; --reset-then-reuse-values: the
     * new ones over the release's, with the new chart's values; none: the
     * release's when no new values are given. The first set wins. */
    bool reset_values;
    bool reuse_values;
    bool reset_then_reuse_values;
    bool no_hooks;                 /* rollback --no-hooks (install/upgrade: render.no_hooks) */
    bool hide_notes;               /* --hide-notes: *notes stays NULL */
    /* --labels: n_labels pairs (labels[2i] the key, labels[2i+1] the value) stored on the
     * release record's object beside helm's own (name, owner, status, version, createdAt,
     * modifiedAt: refused). Upgrade merges them over the previous revision's ("null"
     * removes one); rollback keeps the target revision's. */
    const char *const *labels;
    size_t n_labels;
    bool take_ownership;           /* adopt objects with another release's or no release's annotations */
    bool force_replace;            /* delete and create an object the API server refuses to update */
    bool cleanup_on_fail;          /* upgrade, rollback: delete the objects this operation created when it fails */
    bool hide_secret;              /* with dry_run: v1 Secrets are not printed (an error without dry_run) */
    bool replace;                  /* install: re-use the name of an uninstalled or failed release */
    bool dry_run_server;           /* with dry_run: render against the cluster, send the objects as a server dry run */
} capstan_install_opts;

/* On success *revision (when not NULL) is the revision written; *notes the
 * rendered NOTES.txt (malloc'd, may be NULL). */
/* helm template --dry-run=server: capstan_template_write() rendering as install does, against
 * the cluster of kube (lookup answered by it; .Capabilities from its discovery, with
 * --kube-version and --api-versions of opts still winning). */
int capstan_template_cluster_write(const char *chart_path, const capstan_render_opts *opts,
                                   const capstan_kube_opts *kube, capstan_write_fn write, void *ctx,
                                   capstan_error *err);

/* helm's check of --labels (labels: n_labels pairs, key then value): 0, or -1 with
 * "user supplied labels contains system reserved label name. System labels: [...]"
 * (CAPSTAN_EUSAGE) when a key is one of the storage's own. install and upgrade check
 * it themselves; template, which stores nothing, checks it as helm does. */
int capstan_release_labels_check(const char *const *labels, size_t n_labels, capstan_error *err);

int capstan_install(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err);
int capstan_upgrade(const char *release, const char *chart_path, const capstan_install_opts *opts, int *revision,
                    char **notes, capstan_error *err);
/* to_revision 0: the one before the current. */
int capstan_rollback(const char *release, int to_revision, const capstan_install_opts *opts, int *revision,
                     capstan_error *err);

typedef struct capstan_uninstall_opts {
    size_t size;                   /* sizeof (capstan_uninstall_opts); 0: this header's */
    capstan_kube_opts kube;
    bool keep_history;
    bool wait;
    long timeout_ms;
    bool dry_run;
    const char *description;
    FILE *log;
    capstan_progress_fn progress;  /* as in capstan_install_opts */
    void *progress_ctx;
    long log_lines;                /* as in capstan_install_opts (a failing delete hook) */
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

/* capstan_test with structured progress and diagnostics of a failed test. */
typedef struct capstan_test_opts {
    size_t size;                   /* sizeof(capstan_test_opts) */
    capstan_kube_opts kube;
    long timeout_ms;
    FILE *log;
    capstan_progress_fn progress;  /* as in capstan_install_opts */
    void *progress_ctx;
    long log_lines;                /* as in capstan_install_opts */
    const char **filters;          /* --filter: "name=N" runs only the hooks named N, "!name=N" all but
                                      them (exclusions win when both are given, as helm) */
    size_t n_filters;
    bool summary;                  /* write the TEST SUITE lines to log (capstan_test does) */
} capstan_test_opts;
int capstan_test_run(const char *release, const capstan_test_opts *opts, capstan_error *err);
/* `helm test --logs`: "POD LOGS: NAME", the log and a blank line for each
 * test hook's pod of the release's latest revision, in hook weight order,
 * as opts->filters select them (*text, malloc'd). */
int capstan_test_logs(const char *release, const capstan_test_opts *opts, char **text, capstan_error *err);

/* Release records as text (malloc'd) in one of Helm's output formats:
 * "table", "json" or "yaml". history: every revision of one release; status:
 * its latest revision; list: the latest revision of every release in the
 * namespace (every namespace with all_namespaces). status as a table also
 * reads the live objects: helm 4's RESOURCES (each object as the API server's
 * table, the pods of workloads as "v1/Pod(related)") and capstan's NOT READY
 * (each object not ready, with its diagnostics: conditions, Warning events,
 * the last CAPSTAN_DEFAULT_LOG_LINES log lines of failing containers). */
int capstan_history(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                    capstan_error *err);
int capstan_status(const char *release, const capstan_kube_opts *kube, const char *format, char **text,
                   capstan_error *err);
/* `helm status` (and the text after install, upgrade and rollback): capstan_status
 * with --revision, --hide-notes, the whole release with its chart (install -o
 * json), and the number of log lines in NOT READY's diagnostics. */
typedef struct capstan_status_opts {
    size_t size;                   /* sizeof(capstan_status_opts) */
    capstan_kube_opts kube;
    const char *format;            /* "table" (NULL), "json" or "yaml" */
    long log_lines;                /* as in capstan_install_opts */
    int revision;                  /* --revision; 0: the latest */
    bool hide_notes;               /* --hide-notes */
    bool with_chart;               /* json/yaml: the whole release, chart included (install -o json) */
    bool no_resources;             /* table: no RESOURCES or NOT READY (what helm prints after install,
                                      upgrade, rollback and test) */
} capstan_status_opts;
int capstan_status_run(const char *release, const capstan_status_opts *opts, char **text, capstan_error *err);
int capstan_list(const capstan_kube_opts *kube, bool all_namespaces, const char *format, char **text,
                 capstan_error *err);

/* ---- diff: what an upgrade or a rollback would change (helm-diff) --------- */

/* How to compare and print, with helm-diff's flags. Zero-initialise, set size
 * to sizeof (capstan_diff_opts), then fill. Arrays are NULL or n-long. */
typedef struct capstan_diff_opts {
    size_t size;                   /* sizeof (capstan_diff_opts), set by the caller */
    const char *output;            /* -o: diff (NULL: the default), simple, template or json */
    int context;                   /* --context: lines around each change; -1 the whole object */
    bool color;                    /* helm-diff's ANSI colours */
    bool show_secrets;             /* Secret values as they are; else masked, "-------- # (N bytes)" */
    bool show_secrets_decoded;     /* Secret values base64-decoded */
    bool suppress_secrets;         /* -q: no lines for Secrets */
    const char *const *suppress;   /* --suppress KIND: no lines for these kinds */
    size_t n_suppress;
    bool strip_trailing_cr;
    bool normalize_manifests;      /* re-marshal each object before comparing */
    bool include_tests;            /* keep test hooks */
    bool include_crds;             /* upgrade: the chart's crds/ too */
    bool no_hooks;                 /* upgrade: leave hooks out */
    bool allow_unreleased;         /* upgrade: a release that does not exist is new (diff install) */
    /* live objects (GET) against a server-side apply dry run of the new
     * manifests, both stripped of status and server-kept metadata */
    bool live;
} capstan_diff_opts;

/* Compare two manifest texts ("---\n# Source: ..." documents, as `helm get
 * manifest` prints them); ns is the namespace of objects that name none. *out
 * (malloc'd, *outlen bytes) is the report; *changed: an object was added,
 * removed or changed (--detailed-exitcode). No cluster. */
int capstan_diff_manifests(const char *old_manifest, const char *new_manifest, const char *ns,
                           const capstan_diff_opts *o, char **out, size_t *outlen, bool *changed, capstan_error *err);

/* `diff upgrade RELEASE CHART`: the latest deployed revision (else the latest)
 * against the chart rendered as upgrade renders it (values and render flags
 * from io->render, against the cluster), hooks included unless no_hooks. */
int capstan_diff_upgrade(const char *release, const char *chart_path, const capstan_install_opts *io,
                         const capstan_diff_opts *o, char **out, size_t *outlen, bool *changed, capstan_error *err);

/* `diff rollback RELEASE [REVISION]`: the latest revision against REVISION (0:
 * the one before it). */
int capstan_diff_rollback(const char *release, int revision, const capstan_kube_opts *k, const capstan_diff_opts *o,
                          char **out, size_t *outlen, bool *changed, capstan_error *err);

/* `diff revision RELEASE A [B]`: revision A against B (0: the latest); the
 * older of the two is the old side. */
int capstan_diff_revision(const char *release, int a, int b, const capstan_kube_opts *k, const capstan_diff_opts *o,
                          char **out, size_t *outlen, bool *changed, capstan_error *err);

/* `diff release A B`: the latest revisions of two releases of one chart, each
 * found with its own cluster options (namespace, context); objects matched
 * by their template. */
int capstan_diff_release(const char *release1, const capstan_kube_opts *k1, const char *release2,
                         const capstan_kube_opts *k2, const capstan_diff_opts *o, char **out, size_t *outlen,
                         bool *changed, capstan_error *err);

/* ---- the --dry-run plan ------------------------------------------------------ */

typedef struct capstan_plan_opts {
    size_t size;                   /* sizeof (capstan_plan_opts), set by the caller */
    const char *format;            /* "text" (NULL) or "json" */
} capstan_plan_opts;

/* install|upgrade --dry-run (io->dry_run is implied; nothing changes): the
 * chart rendered as helm's client-side dry run renders it, put in waves, and
 * each object compared with the cluster: create, update (N leaf fields, from
 * a server-side apply dry run against the live object, as diff --live),
 * unchanged, and the objects of the deployed revision that would be deleted;
 * what each object is waited for (with io->wait) and the hooks.
 * *release_text (malloc'd): what helm 4 prints on stdout for the same dry run
 * (its status text with HOOKS, MANIFEST and NOTES); *plan (malloc'd): the
 * plan, as text or as one JSON document. upgrade with io->install plans an
 * install when the release does not exist. An install's client dry run (not
 * io->dry_run_server) needs no cluster, as helm 4's: when none is reached it
 * renders in io->kube's namespace (or the kubeconfig's, or "default") and
 * *plan says only that nothing was compared. */
int capstan_plan_install(const char *release, const char *chart_path, bool upgrade, const capstan_install_opts *io,
                         const capstan_plan_opts *po, char **release_text, char **plan, capstan_error *err);

/* rollback --dry-run: the same plan for the revision rolled back to (0: the
 * one before the latest). */
int capstan_plan_rollback(const char *release, int to_revision, const capstan_install_opts *io,
                          const capstan_plan_opts *po, char **plan, capstan_error *err);
/* `helm get WHAT RELEASE`, WHAT one of values, manifest, notes, hooks,
 * metadata, all: the text helm prints (*text, malloc'd). values and metadata take
 * format "table" (NULL), "json" or "yaml"; values with all_values are the
 * computed ones (the stored chart's values coalesced with the user's). The
 * records are read with HELM_DRIVER's driver. */
typedef struct capstan_get_opts {
    size_t size;                   /* sizeof(capstan_get_opts) */
    const capstan_kube_opts *kube; /* NULL: kubectl's defaults */
    int revision;                  /* --revision; 0: the latest */
    bool all_values;               /* values --all */
    const char *format;            /* -o */
    /* all --template: Go's text/template (builtin functions only) over {"Release":
     * *release.Release}, helm's fields read from the record; on a template error,
     * *text holds what was written before it (or NULL) */
    const char *template_;
} capstan_get_opts;
int capstan_get(const char *release, const char *what, const capstan_get_opts *opts, char **text,
                capstan_error *err);

/* ---- chart commands: lint, package, repositories, registries, dependencies --
 *
 * The commands helm runs on charts rather than on releases. Their option
 * structs begin with `size_t size`, which the caller sets to sizeof the struct
 * it was compiled with (fields past it read as zero), so that fields can be
 * appended without breaking callers. Zero-initialise, set size, then fill.
 *
 * Output: the text helm prints on stdout is written to opts->out, and helm's
 * progress lines on stderr ("Pulled: ...", "Login Succeeded") to opts->log;
 * both are FILEs the caller owns (NULL: not written). Errors are -1 with err
 * filled: err->msg is the bare message, its file and line in their fields
 * (capstan_error_message() joins them). None of these functions start threads,
 * except capstan_repo_update (one per repository, up to 8, joined before it
 * returns).
 *
 * Files are helm's own: repositories.yaml and the index cache
 * ($HELM_REPOSITORY_CONFIG, $HELM_REPOSITORY_CACHE; defaults
 * ~/.config/helm/repositories.yaml and ~/.cache/helm/repository), the registry
 * credentials ($HELM_REGISTRY_CONFIG or registry_config; default
 * ~/.config/helm/registry/config.json). */

typedef struct capstan_chart_opts {
    size_t size;                     /* sizeof(capstan_chart_opts) */
    /* connection and credentials, with helm's flag names */
    const char *username;            /* --username */
    const char *password;            /* --password */
    const char *ca_file;             /* --ca-file */
    const char *cert_file;           /* --cert-file */
    const char *key_file;            /* --key-file */
    bool insecure_skip_tls_verify;   /* --insecure-skip-tls-verify */
    bool plain_http;                 /* --plain-http (registries) */
    bool pass_credentials;           /* --pass-credentials: send them to every domain */
    const char *registry_config;     /* --registry-config; NULL: helm's */
    /* which chart */
    const char *version;             /* --version: a version or a constraint; NULL: the newest */
    bool devel;                      /* --devel: prereleases too (">0.0.0-0" when no version) */
    const char *repo_url;            /* --repo URL: the chart named by the reference is in it */
    /* dependencies */
    bool skip_refresh;               /* --skip-refresh */
    bool offline;                    /* open no connection (capstan's own) */
    bool refresh;                    /* dependency update: resolve even when the lock is in sync */
    FILE *out;                       /* helm's stdout text */
    FILE *log;                       /* helm's stderr progress lines */
    /* registries over plain HTTP: loopback ones only, or those listed (NULL-ended) */
    bool plain_http_loopback;
    const char *const *plain_http_hosts;
    /* the charts shipped with capstan ($(pkgdatadir)/charts): capstan/NAME */
    const char *builtin_charts_dir;
    /* --verify: check the chart's provenance file against keyring (--keyring;
     * NULL: ~/.gnupg/pubring.gpg) before using it; pull prints helm's lines to out */
    bool verify;
    const char *keyring;
} capstan_chart_opts;

/* Where the chart named by ref is, as helm's LocateChart finds it (template,
 * install, upgrade, show, pull and dependency take the same references):
 *   - a path that exists: a chart folder, a .tgz, a capstan bundle (itself);
 *     a path that does not and starts with '/' or '.': `path "X" not found`;
 *   - capstan/NAME: the chart NAME in opts->builtin_charts_dir, unless
 *     repositories.yaml has a repository named capstan (a real repository
 *     wins, so that helm's meaning of REPO/CHART is kept);
 *   - REPO/CHART (repositories.yaml and the repository's cached index),
 *     CHART with opts->repo_url, https://.../chart.tgz, oci://HOST/REPO/CHART,
 *     with opts->version (a version or a constraint) and devel: downloaded with
 *     opts' credentials into helm's content cache ($HELM_CONTENT_CACHE, default
 *     ~/.cache/helm/content/XX/SHA256.chart, as helm 4 keeps it; a chart whose
 *     index digest is cached is not downloaded again).
 * Errors are helm's ("repo X not found", "chart \"X\" matching V not found in
 * X index. (try 'helm repo update'): ..."). *path (malloc'd) on success. */
int capstan_chart_locate(const char *ref, const capstan_chart_opts *opts, char **path, capstan_error *err);

/* Whether capstan_chart_locate needs the network (or the repository files)
 * for ref: false for a path that exists, or starts with '/' or '.'. Needs
 * no network itself (the lean capstan asks it before handing a command over). */
bool capstan_chart_ref_is_remote(const char *ref, const char *repo_url);

/* `helm repo add NAME URL`: fetch URL/index.yaml into the cache and add the
 * repository (with the credentials and TLS files of opts) to repositories.yaml.
 * force_update: replace an entry of that name. Prints helm's line to out. */
int capstan_repo_add(const char *name, const char *url, bool force_update, const capstan_chart_opts *opts,
                     capstan_error *err);
/* `helm repo remove NAME...`: the entries and their cached index files. */
int capstan_repo_remove(const char *const *names, size_t n, const capstan_chart_opts *opts, capstan_error *err);
/* `helm repo update [NAME...]` (n 0: every repository), in parallel; helm's
 * lines to out. A repository that fails is reported and the call fails. */
int capstan_repo_update(const char *const *names, size_t n, const capstan_chart_opts *opts, capstan_error *err);

/* `helm repo list`: the configured repositories (a missing or unreadable file
 * has none). format "table" (n_rows names and urls only), "json" or "yaml"
 * (*text, malloc'd, as helm prints it). */
typedef struct capstan_repo_list {
    size_t n;
    char **names, **urls;
    char *text;                      /* json or yaml: the whole output; table: NULL */
} capstan_repo_list;
int capstan_repo_list_get(const char *format, const capstan_chart_opts *opts, capstan_repo_list **out,
                          capstan_error *err);
void capstan_repo_list_free(capstan_repo_list *l);

/* `helm pull REF`: REF is REPO/CHART, a chart URL, CHART with opts->repo_url,
 * or oci://HOST/REPO/CHART. The archive goes to dest (created when missing),
 * or unpacked into untardir (relative to dest) with untar. prov: the
 * provenance file too (OCI). "Pulled:"/"Digest:" lines to log (OCI, as helm). */
typedef struct capstan_pull_opts {
    size_t size;                     /* sizeof(capstan_pull_opts) */
    const char *dest;                /* -d; NULL: "." */
    bool untar;                      /* --untar */
    const char *untardir;            /* --untardir; NULL: "." */
    bool prov;                       /* --prov */
} capstan_pull_opts;
int capstan_pull(const char *ref, const capstan_pull_opts *popts, const capstan_chart_opts *opts,
                 capstan_error *err);

/* `helm push CHART.tgz oci://HOST/REPO`: "Pushed:"/"Digest:" lines to log. */
int capstan_push(const char *chart_file, const char *remote, const capstan_chart_opts *opts, capstan_error *err);

/* `helm registry login HOST`: check opts' username and password against the
 * registry, then store them in the registry config; "Login Succeeded" to log. */
int capstan_registry_login(const char *host, const capstan_chart_opts *opts, capstan_error *err);
/* `helm registry logout HOST`: forget the stored credentials (none: no error). */
int capstan_registry_logout(const char *host, const capstan_chart_opts *opts, capstan_error *err);

/* Copy one image between a registry and an OCI image layout
 * ("oci-layout:DIR[:NAME]"), or from a layout to several registries (the
 * debug command `capstan oci-copy`). *digest (malloc'd): the image's digest;
 * *stats (malloc'd, may be NULL): a line of request and blob counters. */
int capstan_image_copy(const char *src, const char *const *dst, size_t ndst, const capstan_chart_opts *opts,
                       char **digest, char **stats, capstan_error *err);

/* `helm dependency update|build CHART_DIR`: resolve Chart.yaml's dependencies
 * (update) or install exactly Chart.lock's (build) into charts/; helm's
 * progress lines to out. */
int capstan_dependency_update(const char *chart_dir, const capstan_chart_opts *opts, capstan_error *err);
int capstan_dependency_build(const char *chart_dir, const capstan_chart_opts *opts, capstan_error *err);

/* `helm dependency list CHART`: one row per dependency (status as helm's:
 * "ok", "missing", "wrong version", "unpacked", ...); warnings: the lines
 * helm prints after the table ("WARNING: ..."), "" when none. */
typedef struct capstan_dependency_list {
    size_t n;
    char **names, **versions, **repositories, **statuses;
    char *warnings;
} capstan_dependency_list;
int capstan_dependency_list_get(const char *chart, capstan_dependency_list **out, capstan_error *err);
void capstan_dependency_list_free(capstan_dependency_list *l);

/* `helm package DIR...` for one chart: the archive (*path, malloc'd: dest/NAME-VERSION.tgz). */
typedef struct capstan_package_opts {
    size_t size;                     /* sizeof(capstan_package_opts) */
    const char *dest;                /* -d; NULL: "." */
    const char *version;             /* --version */
    const char *app_version;         /* --app-version */
    /* --sign: write ARCHIVE.prov with the secret key named key (--key) from
     * keyring (--keyring, binary, as gpg --export-secret-keys writes it). A
     * key protected by a passphrase takes the first line of passphrase_file
     * ("-": stdin), else what passphrase(ctx, identity) returns (malloc'd). */
    bool sign;
    const char *key;
    const char *keyring;
    const char *passphrase_file;
    char *(*passphrase)(void *ctx, const char *identity);
    void *passphrase_ctx;
} capstan_package_opts;
int capstan_package(const char *chart_dir, const capstan_package_opts *opts, char **path, capstan_error *err);

/* `helm lint PATH...`: each chart's findings written to out as helm prints
 * them ("==> Linting PATH", "[ERROR] ...", a blank line), what helm logs while
 * it renders to log. The summary line is the caller's: *linted charts, *failed
 * of them with an error (a warning too with strict), *warned with an error or
 * a warning. -1 only when the values or the kube version are bad. */
typedef struct capstan_lint_opts {
    size_t size;                     /* sizeof(capstan_lint_opts) */
    const capstan_render_opts *values; /* -f, --set... (only the values fields are read); NULL: none */
    const char *namespace_;          /* -n; NULL: "default" */
    const char *kube_version;        /* --kube-version */
    bool strict, with_subcharts, quiet, skip_schema_validation;
    FILE *out, *log;
} capstan_lint_opts;
int capstan_lint(const char *const *paths, size_t n, const capstan_lint_opts *opts, size_t *linted,
                 size_t *failed, size_t *warned, capstan_error *err);
/* ---- helm's command line: release queries with every flag (cli/cmd_release.c) ----
 * Option structs start with size_t size: the caller sets sizeof(struct); fields
 * added later at the end read as zero for older callers. */


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

/* `helm create NAME`: capstan's own chart scaffold (a Deployment, Service,
 * ServiceAccount, optional Ingress and autoscaler, NOTES.txt, helpers and a test pod)
 * in the directory NAME (its last element is the chart's name, checked as helm checks
 * it; the directory before it must exist). A file that exists is overwritten after a
 * log line "WARNING: File "PATH" already exists. Overwriting." (helm prints it to
 * stdout). With starter, helm's `--starter`: that chart (a name under starters_dir,
 * or an absolute path; a folder or a .tgz) is copied instead, named NAME, with
 * "<CHARTNAME>" replaced in values.yaml and the templates and a new Chart.yaml. */
typedef struct capstan_create_opts {
    size_t size;
    void (*log)(void *ctx, const char *line);
    void *log_ctx;
    const char *starter;           /* --starter: NULL for capstan's scaffold */
    const char *starters_dir;      /* NULL: $HELM_DATA_HOME/starters, as helm finds it */
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


/* `helm env`: NAME="VALUE" lines, sorted, as helm prints them, from the HELM_*, XDG_*
 * and HOME variables and kube (namespace: kube's, else the kubeconfig context's).
 * bin: the value of HELM_BIN. */
int capstan_helm_env(const capstan_kube_opts *kube, const char *bin, char **text, capstan_error *err);

/* ---- provenance: helm's .prov files (renderer/chart/chart_prov.c) ----
 * OpenPGP clear signatures by RSA or Ed25519 keys (ECDSA verified too), checked
 * against binary keyrings as gpg --export writes them. */

/* helm's default keyring: $GNUPGHOME/pubring.gpg, else ~/.gnupg/pubring.gpg (malloc'd). */
char *capstan_default_keyring(void);

/* `helm verify CHART.tgz --keyring FILE`: CHART.tgz.prov's signature against
 * keyring (NULL: the default), then the archive's SHA-256 against it. *report
 * (malloc'd): the lines helm prints ("Signed by: ...", "Using Key With
 * Fingerprint: ...", "Chart Hash Verified: sha256:..."). Errors are helm's
 * ("sha256 sum does not match for ...", "openpgp: signature made by unknown
 * entity", "signature block not found", ...). */
int capstan_chart_verify(const char *chart_tgz, const char *keyring, char **report, capstan_error *err);

#ifdef __cplusplus
}
#endif

#endif
