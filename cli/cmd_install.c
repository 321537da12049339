/* cmd_install.c — `capstan install [NAME] CHART` and `capstan upgrade NAME CHART`,
 * with Helm's flags. SIGINT and SIGTERM stop the operation cleanly: the
 * revision is marked failed (and rolled back with --rollback-on-failure). */
#include "cli.h"
#include "capstan.h"
#include "flags.h"
#include "progress_view.h"

#include <ctype.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

static volatile int interrupted;

static void on_signal(int sig)
{
    (void)sig;
    interrupted = 1;
}

enum {
    O_CREATE_NS = 3000, O_WAIT, O_TIMEOUT, O_ATOMIC, O_DRY_RUN, O_FORCE_CONFLICTS, O_DESCRIPTION,
    O_SKIP_CRDS, O_NO_HOOKS, O_SKIP_SCHEMA, O_KUBE_VERSION_IGNORED, O_SERVER_SIDE, O_WAIT_FOR_JOBS,
    O_REGISTRY, O_PLAIN_HTTP, O_WAIT_FOR_LB, O_FAIL_GRACE, O_HISTORY_MAX, O_HIDE_NOTES, O_NAME_TEMPLATE,
    O_POST_RENDERER, O_POST_RENDERER_ARGS, O_DISABLE_OPENAPI,
    O_REUSE_VALUES, O_RESET_VALUES, O_RESET_THEN_REUSE,
    O_TAKE_OWNERSHIP, O_FORCE_REPLACE, O_CLEANUP_ON_FAIL, O_HIDE_SECRET, O_SUBCHART_NOTES, O_ENABLE_DNS, O_REPLACE,
};

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    FLAGS_KUBE_LONGOPTS,
    CLI_CHART_LONGOPTS,
    {"install", no_argument, NULL, 'i'},
    {"create-namespace", no_argument, NULL, O_CREATE_NS},
    {"wait", optional_argument, NULL, O_WAIT},
    {"wait-for-jobs", no_argument, NULL, O_WAIT_FOR_JOBS},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"rollback-on-failure", no_argument, NULL, O_ATOMIC},
    {"atomic", no_argument, NULL, O_ATOMIC},
    {"dry-run", optional_argument, NULL, O_DRY_RUN},
    {"force-conflicts", no_argument, NULL, O_FORCE_CONFLICTS},
    {"description", required_argument, NULL, O_DESCRIPTION},
    {"skip-crds", no_argument, NULL, O_SKIP_CRDS},
    {"no-hooks", no_argument, NULL, O_NO_HOOKS},
    {"skip-schema-validation", no_argument, NULL, O_SKIP_SCHEMA},
    {"server-side", optional_argument, NULL, O_SERVER_SIDE},
    {"generate-name", no_argument, NULL, 'g'},
    {"registry", required_argument, NULL, O_REGISTRY},
    {"plain-http", no_argument, NULL, O_PLAIN_HTTP},
    {"wait-for-load-balancer", no_argument, NULL, O_WAIT_FOR_LB},
    {"fail-grace", required_argument, NULL, O_FAIL_GRACE},
    {"history-max", required_argument, NULL, O_HISTORY_MAX},
    {"hide-notes", no_argument, NULL, O_HIDE_NOTES},
    {"output", required_argument, NULL, 'o'},
    {"name-template", required_argument, NULL, O_NAME_TEMPLATE},
    {"post-renderer", required_argument, NULL, O_POST_RENDERER},
    {"post-renderer-args", required_argument, NULL, O_POST_RENDERER_ARGS},
    {"disable-openapi-validation", no_argument, NULL, O_DISABLE_OPENAPI},
    PROGRESS_LONGOPTS,
    {"reuse-values", no_argument, NULL, O_REUSE_VALUES},
    {"reset-values", no_argument, NULL, O_RESET_VALUES},
    {"reset-then-reuse-values", no_argument, NULL, O_RESET_THEN_REUSE},
    {"labels", required_argument, NULL, 'l'},
    {"take-ownership", no_argument, NULL, O_TAKE_OWNERSHIP},
    {"force-replace", no_argument, NULL, O_FORCE_REPLACE},
    {"cleanup-on-fail", no_argument, NULL, O_CLEANUP_ON_FAIL},
    {"hide-secret", no_argument, NULL, O_HIDE_SECRET},
    {"render-subchart-notes", no_argument, NULL, O_SUBCHART_NOTES},
    {"enable-dns", no_argument, NULL, O_ENABLE_DNS},
    {"replace", no_argument, NULL, O_REPLACE},
    {NULL, 0, NULL, 0},
};

/* The flags helm has on one of the two commands only: the other refuses them as unknown. */
static bool foreign_flag(int c, bool upgrade)
{
    static const int upgrade_only[] = {'i', O_HISTORY_MAX, O_REUSE_VALUES, O_RESET_VALUES, O_RESET_THEN_REUSE,
                                       O_CLEANUP_ON_FAIL};
    static const int install_only[] = {'g', O_NAME_TEMPLATE, O_REPLACE};
    const int *v = upgrade ? install_only : upgrade_only;
    size_t n = upgrade ? sizeof install_only / sizeof *install_only : sizeof upgrade_only / sizeof *upgrade_only;
    for (size_t i = 0; i < n; i++)
        if (v[i] == c)
            return true;
    return false;
}

/* helm's words for an error: PREFIX then TEXT, replacing (freeing) old; old stays when
 * memory runs out. */
static char *reworded(char *old, const char *prefix, const char *text)
{
    size_t n = strlen(prefix) + strlen(text) + 1;
    char *s = malloc(n);
    if (!s)
        return old;
    snprintf(s, n, "%s%s", prefix, text);
    free(old);
    return s;
}

/* What install_main allocates besides the options: run frees it whichever way install_main returns. */
typedef struct owned {
    const char **pargs, **labels; /* --post-renderer-args, --labels (flags_labels) */
    size_t npargs, nlabels;
    char *located, *rendered_name; /* the chart's path, --name-template's name */
} owned;

static int install_main(int argc, char **argv, bool upgrade, capstan_install_opts *o, owned *w)
{
    o->render.log = cli_loader_log;
    o->render.max_render_memory = DEFAULT_MAX_RENDER_MEMORY;
    o->render.render_timeout_ms = DEFAULT_RENDER_TIMEOUT_MS;
    bool generate = false, plain_http = false, dep_update = false, client_side = false;
    /* -o: the status after the operation (NULL: table); with --dry-run, the plan's format */
    const char *output = NULL, *name_template = NULL, *post_renderer = NULL;
    progress_mode pmode = PROGRESS_AUTO;
    capstan_chart_opts co;
    cli_chart_opts_init(&co);
    int hm = flags_max_history_env();
    if (hm < 0)
        return EXIT_ERR;
    o->history_max = hm == 0 ? -1 : hm; /* helm's 0: no limit (the library's 0 is helm's default, 10) */
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:n:igo:l:", longopts, NULL)) != -1) {
        if (c == ':') {
            flags_missing(argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (foreign_flag(c, upgrade)) {
            flags_unknown(argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (c == FL_INSECURE) /* helm's flag is the chart download's; capstan's the cluster's too */
            co.insecure_skip_tls_verify = true;
        if (flags_values(c, optarg, &o->render) || flags_kube(c, optarg, &o->kube) ||
            cli_chart_flag(c, optarg, &co, &dep_update))
            continue;
        int pf = progress_flag(c, optarg, &pmode, &o->log_lines);
        if (pf < 0)
            return EXIT_USAGE;
        if (pf)
            continue;
        switch (c) {
        case 'i': o->install = true; break;
        case 'g': generate = true; break;
        case O_CREATE_NS: o->create_namespace = true; break;
        case O_WAIT:
            if (cli_wait_strategy(optarg, &o->wait) < 0)
                return EXIT_ERR;
            break;
        case 'o':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "json") != 0 && strcmp(optarg, "yaml") != 0) {
                cli_error("invalid argument \"%s\" for \"-o, --output\" flag: invalid format type", optarg);
                return EXIT_ERR;
            }
            output = optarg;
            break;
        case O_HISTORY_MAX: {
            char *end;
            long v = strtol(optarg, &end, 10);
            if (!*optarg || *end || v < 0 || v > 1000000) {
                cli_error("invalid argument \"%s\" for \"--history-max\" flag: strconv.ParseInt: parsing \"%s\": "
                          "invalid syntax", optarg, optarg);
                return EXIT_ERR;
            }
            o->history_max = v == 0 ? -1 : (int)v; /* helm's 0: no limit */
            break;
        }
        case O_HIDE_NOTES: o->hide_notes = true; break;
        case O_NAME_TEMPLATE: name_template = optarg; break;
        case O_POST_RENDERER: post_renderer = optarg; break;
        case O_POST_RENDERER_ARGS:
            w->pargs = realloc(w->pargs, (w->npargs + 1) * sizeof *w->pargs);
            w->pargs[w->npargs++] = optarg;
            break;
        case O_DISABLE_OPENAPI: break; /* capstan validates nothing client-side: the API server does */
        case O_WAIT_FOR_JOBS: o->wait = true; o->wait_for_jobs = true; break;
        case O_TIMEOUT:
        case O_FAIL_GRACE: {
            long ms = flags_duration_ms(optarg);
            const char *flag = c == O_TIMEOUT ? "timeout" : "fail-grace";
            if (ms < 0) {
                char fl[32];
                snprintf(fl, sizeof fl, "--%s", flag);
                flags_duration_error(fl, optarg);
                return EXIT_USAGE;
            }
            if (c == O_TIMEOUT)
                o->timeout_ms = ms;
            else
                o->fail_grace_ms = ms;
            break;
        }
        case O_WAIT_FOR_LB: o->wait_for_load_balancer = true; break;
        case O_ATOMIC:
            if (strcmp(argv[optind - 1], "--atomic") == 0)
                fputs("Flag --atomic has been deprecated, use --rollback-on-failure instead\n", stderr);
            o->rollback_on_failure = true;
            o->wait = true;
            break;
        case O_DRY_RUN:
            if (flags_dry_run(optarg, &o->dry_run, &o->dry_run_server) < 0)
                return EXIT_ERR;
            break;
        case O_FORCE_CONFLICTS: o->force_conflicts = true; break;
        case O_DESCRIPTION: o->description = optarg; break;
        case O_SKIP_CRDS: o->skip_crds = true; break;
        case O_NO_HOOKS: o->render.no_hooks = true; break;
        case O_SKIP_SCHEMA: o->render.skip_schema_validation = true; break;
        case O_SERVER_SIDE: /* capstan always applies server-side: a client-side replace is its apply too */
            if (upgrade && !optarg) { /* upgrade's is a string flag (no bare form): the next word */
                if (optind >= argc) {
                    flags_missing("--server-side");
                    return EXIT_USAGE;
                }
                optarg = argv[optind++];
            }
            if (flags_server_side(optarg, upgrade) < 0)
                return EXIT_ERR;
            client_side = optarg && (strcmp(optarg, "false") == 0 || strcmp(optarg, "0") == 0 ||
                                     strcmp(optarg, "f") == 0 || strcmp(optarg, "F") == 0 ||
                                     strcasecmp(optarg, "false") == 0);
            break;
        case 'l':
            if (flags_labels(optarg, &w->labels, &w->nlabels) < 0)
                return EXIT_USAGE;
            break;
        case O_TAKE_OWNERSHIP: o->take_ownership = true; break;
        case O_FORCE_REPLACE: o->force_replace = true; break;
        case O_CLEANUP_ON_FAIL: o->cleanup_on_fail = true; break;
        case O_HIDE_SECRET: o->hide_secret = true; break;
        case O_REPLACE: o->replace = true; break;
        case O_SUBCHART_NOTES: o->render.subchart_notes = true; break;
        case O_ENABLE_DNS: o->render.enable_dns = true; break;
        case O_REGISTRY: o->render.registry = optarg; break;
        case O_PLAIN_HTTP: plain_http = true; break;
        case O_REUSE_VALUES: o->reuse_values = true; break;
        case O_RESET_VALUES: o->reset_values = true; break;
        case O_RESET_THEN_REUSE: o->reset_then_reuse_values = true; break;
        default:
            flags_unknown(argv[optind - 1]);
            return EXIT_ERR;
        }
    }
    if (flags_exclusive(o->force_replace, o->force_conflicts) < 0)
        return EXIT_USAGE;
    o->force_replace = o->force_replace && !client_side;
    o->labels = w->labels;
    o->n_labels = w->nlabels;
    o->registry_plain_http = plain_http;
    co.plain_http = plain_http;
    flags_kube_env(&o->kube);
    int nargs = argc - optind;
    const char *name, *chart;
    char genname[512];
    if (!upgrade && nargs == 1 && name_template) {
        capstan_error nerr = {0};
        if (capstan_render_name(name_template, &w->rendered_name, &nerr) != 0) {
            cli_error("%s", nerr.msg ? nerr.msg : "cannot render --name-template");
            capstan_error_clear(&nerr);
            return EXIT_ERR;
        }
        name = w->rendered_name;
        chart = argv[optind];
    } else if (!upgrade && generate && nargs == 1) {
        /* helm: the chart's base name (up to its first dot) and the Unix time */
        chart = argv[optind];
        size_t cl = strlen(chart);
        while (cl > 1 && chart[cl - 1] == '/')
            cl--;
        const char *b = chart + cl;
        while (b > chart && b[-1] != '/')
            b--;
        size_t bl = strcspn(b, ".");
        if (bl > (size_t)(chart + cl - b))
            bl = (size_t)(chart + cl - b);
        snprintf(genname, sizeof genname, "%.*s-%ld", (int)(bl ? bl : 5), bl ? b : "chart", (long)time(NULL));
        name = genname;
    } else if (nargs == 2) {
        name = argv[optind];
        chart = argv[optind + 1];
    } else if (upgrade) {
        cli_error("\"capstan upgrade\" requires 2 arguments");
        return EXIT_USAGE;
    } else if (nargs == 0) {
        cli_error("\"capstan install\" requires at least 1 argument");
        return EXIT_USAGE;
    } else {
        cli_error("INSTALLATION FAILED: %s", nargs == 1 ? "must either provide a name or specify --generate-name"
                                                        : "expected at most two arguments, unexpected arguments: ...");
        return EXIT_ERR;
    }
    int lrc = cli_chart_locate(argc, argv, chart, &co, dep_update, &w->located);
    if (lrc != EXIT_OK)
        return lrc;
    chart = w->located;
    if (o->dry_run)
        return cli_dry_run(name, chart, upgrade, o, output);
    if (!output)
        output = "table";
    progress_view *view = progress_view_new(pmode, stderr);
    if (!view) {
        cli_error("out of memory");
        return EXIT_ERR;
    }
    o->log = progress_view_log(view);
    o->progress = progress_view_event;
    o->progress_ctx = view;
    o->cancel = &interrupted;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    /* helm reads the values files before it starts an upgrade: their errors come unprefixed */
    for (size_t i = 0; upgrade && i < o->render.n_value_files; i++) {
        const char *f = o->render.value_files[i];
        if (strcmp(f, "-") != 0 && !strstr(f, "://") && access(f, R_OK) != 0) {
            char why[128];
            snprintf(why, sizeof why, "%s", strerror(errno));
            why[0] = (char)tolower((unsigned char)why[0]); /* Go's wording: "no such file or directory" */
            cli_error("open %s: %s", f, why);
            progress_view_end(view, NULL);
            return EXIT_ERR;
        }
    }
    capstan_post_renderer *pr = NULL;
    if (post_renderer && *post_renderer) {
        capstan_error perr = {0};
        if (capstan_post_renderer_find(post_renderer, w->pargs, w->npargs, &pr, &perr) != 0) {
            cli_error("invalid argument \"%s\" for \"--post-renderer\" flag: %s", post_renderer, perr.msg ? perr.msg : "");
            capstan_error_clear(&perr);
            progress_view_end(view, NULL);
            return EXIT_ERR;
        }
        o->render.post_render = capstan_post_renderer_run;
        o->render.post_render_ctx = pr;
    }
    if (!upgrade && o->hide_secret) /* helm's install logs it before it fails (its upgrade does not) */
        fputs("level=ERROR msg=\"hiding Kubernetes secrets requires a dry-run mode\"\n", stderr);
    capstan_error err = {0};
    int revision = 0;
    char *notes = NULL;
    int rc = upgrade ? capstan_upgrade(name, chart, o, &revision, &notes, &err)
                     : capstan_install(name, chart, o, &revision, &notes, &err);
    capstan_post_renderer_free(pr);
    char *emsg = rc < 0 ? capstan_error_message(&err) : NULL;
    const char *namechk = "release name check failed: ", *unreachable = "kubernetes cluster unreachable: ";
    if (emsg && !upgrade && strncmp(emsg, namechk, strlen(namechk)) == 0) /* helm's install logs it first */
        cli_slog("ERROR", "release name check failed", "error", emsg + strlen(namechk));
    if (emsg && !upgrade && strncmp(emsg, unreachable, strlen(unreachable)) == 0) {
        /* helm's install checks the cluster first, logs the failure, then fails with it */
        emsg = reworded(emsg, "cluster reachability check failed: ", emsg);
        cli_slog("ERROR", emsg, NULL, NULL);
    }
    bool bad_name = emsg && upgrade && strncmp(emsg, namechk, strlen(namechk)) == 0;
    if (bad_name) /* helm's upgrade words it so ("UPGRADE FAILED: " only without --install) */
        emsg = reworded(emsg, "release name is invalid: ", name);
    int ended = progress_view_end(view, emsg); /* json: the error was its last event */
    if (rc < 0 && !ended)
        cli_error("%s%s", !upgrade ? "INSTALLATION FAILED: " : bad_name && o->install ? "" : "UPGRADE FAILED: ", emsg);
    free(emsg);
    if (rc < 0 || ended) {
        capstan_error_clear(&err);
        return EXIT_ERR;
    }
    free(notes);
    if (upgrade && !o->dry_run && strcmp(output, "table") == 0) {
        if (revision == 1)
            printf("Release \"%s\" does not exist. Installing it now.\n", name);
        else
            printf("Release \"%s\" has been upgraded. Happy Helming!\n", name);
    }
    if (!o->dry_run) /* what helm prints: the release's status, as it is now stored */
        rc = cli_print_status(name, &o->kube, output, revision, o->hide_notes) < 0 ? -1 : 0;
    return rc < 0 ? EXIT_ERR : EXIT_OK;
}

/* install_main, then what it allocated freed: the values flags' in the options, and w's. */
static int run(int argc, char **argv, bool upgrade)
{
    capstan_install_opts o = {0};
    owned w = {0};
    int rc = install_main(argc, argv, upgrade, &o, &w);
    flags_values_free(&o.render);
    flags_labels_free(w.labels, w.nlabels);
    free(w.pargs);
    free(w.located);
    free(w.rendered_name);
    return rc;
}

int cmd_install(int argc, char **argv) { return run(argc, argv, false); }
int cmd_upgrade(int argc, char **argv) { return run(argc, argv, true); }
