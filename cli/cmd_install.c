/* cmd_install.c — `capstan install [NAME] CHART` and `capstan upgrade NAME CHART`,
 * with Helm's flags. SIGINT and SIGTERM stop the operation cleanly: the
 * revision is marked failed (and rolled back with --rollback-on-failure). */
#include "cli.h"
#include "capstan.h"
#include "flags.h"
#include "progress_view.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
    O_REGISTRY, O_PLAIN_HTTP, O_WAIT_FOR_LB, O_FAIL_GRACE, O_HISTORY_MAX,
    O_REUSE_VALUES, O_RESET_VALUES, O_RESET_THEN_REUSE,
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
    {"output", required_argument, NULL, 'o'},
    PROGRESS_LONGOPTS,
    {"history-max", required_argument, NULL, O_HISTORY_MAX},
    {"reuse-values", no_argument, NULL, O_REUSE_VALUES},
    {"reset-values", no_argument, NULL, O_RESET_VALUES},
    {"reset-then-reuse-values", no_argument, NULL, O_RESET_THEN_REUSE},
    {NULL, 0, NULL, 0},
};

static int run(int argc, char **argv, bool upgrade)
{
    capstan_install_opts o = {0};
    o.render.log = cli_loader_log;
    o.render.max_render_memory = DEFAULT_MAX_RENDER_MEMORY;
    o.render.render_timeout_ms = DEFAULT_RENDER_TIMEOUT_MS;
    bool generate = false, plain_http = false, dep_update = false;
    const char *output = NULL; /* -o: only with --dry-run (cmd_plan.c) */
    progress_mode pmode = PROGRESS_AUTO;
    const char *history_max = getenv("HELM_MAX_HISTORY"); /* --history-max's default, as helm's */
    capstan_chart_opts co;
    cli_chart_opts_init(&co);
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:n:igo:", longopts, NULL)) != -1) {
        if (c == FL_INSECURE) /* helm's flag is the chart download's; capstan's the cluster's too */
            co.insecure_skip_tls_verify = true;
        if (flags_values(c, optarg, &o.render) || flags_kube(c, optarg, &o.kube) ||
            cli_chart_flag(c, optarg, &co, &dep_update))
            continue;
        int pf = progress_flag(c, optarg, &pmode, &o.log_lines);
        if (pf < 0)
            return EXIT_USAGE;
        if (pf)
            continue;
        switch (c) {
        case 'i': o.install = true; break;
        case 'g': generate = true; break;
        case 'o': output = optarg; break;
        case O_CREATE_NS: o.create_namespace = true; break;
        case O_WAIT:
            if (optarg && strcmp(optarg, "false") == 0)
                o.wait = false;
            else
                o.wait = true; /* --wait, --wait=watcher, --wait=true */
            break;
        case O_WAIT_FOR_JOBS: o.wait = true; o.wait_for_jobs = true; break;
        case O_TIMEOUT:
        case O_FAIL_GRACE: {
            long ms = flags_duration_ms(optarg);
            const char *flag = c == O_TIMEOUT ? "timeout" : "fail-grace";
            if (ms < 0) {
                cli_error("invalid argument \"%s\" for \"--%s\" flag: time: invalid duration \"%s\"", optarg, flag,
                          optarg);
                return EXIT_USAGE;
            }
            if (c == O_TIMEOUT)
                o.timeout_ms = ms;
            else
                o.fail_grace_ms = ms;
            break;
        }
        case O_WAIT_FOR_LB: o.wait_for_load_balancer = true; break;
        case O_ATOMIC: o.rollback_on_failure = true; o.wait = true; break;
        case O_DRY_RUN: o.dry_run = true; break;
        case O_FORCE_CONFLICTS: o.force_conflicts = true; break;
        case O_DESCRIPTION: o.description = optarg; break;
        case O_SKIP_CRDS: o.skip_crds = true; break;
        case O_NO_HOOKS: o.render.no_hooks = true; break;
        case O_SKIP_SCHEMA: o.render.skip_schema_validation = true; break;
        case O_SERVER_SIDE: break; /* capstan always applies server-side */
        case O_REGISTRY: o.render.registry = optarg; break;
        case O_PLAIN_HTTP: plain_http = true; break;
        case O_HISTORY_MAX: history_max = optarg; break;
        case O_REUSE_VALUES: o.reuse_values = true; break;
        case O_RESET_VALUES: o.reset_values = true; break;
        case O_RESET_THEN_REUSE: o.reset_then_reuse_values = true; break;
        default:
            cli_error("%s: unknown flag \"%s\"", upgrade ? "upgrade" : "install", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    o.registry_plain_http = plain_http;
    if (history_max && *history_max) {
        char *end;
        long h = strtol(history_max, &end, 10);
        if (*end || h < 0 || h > 1000000) {
            cli_error("invalid argument \"%s\" for \"--history-max\" flag: strconv.ParseInt: parsing \"%s\": invalid syntax",
                      history_max, history_max);
            return EXIT_USAGE;
        }
        o.history_max = h == 0 ? -1 : (int)h; /* helm's 0: no limit */
    }
    co.plain_http = plain_http;
    int nargs = argc - optind;
    const char *name, *chart;
    char genname[64];
    if (generate && nargs == 1) {
        snprintf(genname, sizeof genname, "chart-%ld", (long)time(NULL));
        name = genname;
        chart = argv[optind];
    } else if (nargs == 2) {
        name = argv[optind];
        chart = argv[optind + 1];
    } else {
        cli_error("%s: \"capstan %s\" requires 2 arguments: NAME and CHART", upgrade ? "upgrade" : "install",
                  upgrade ? "upgrade" : "install");
        return EXIT_USAGE;
    }
    char *located = NULL;
    int lrc = cli_chart_locate(argc, argv, chart, &co, dep_update, &located);
    if (lrc != EXIT_OK)
        return lrc;
    chart = located;
    if (o.dry_run) {
        int drc = cli_dry_run(name, chart, upgrade, &o, output);
        free(located);
        return drc;
    }
    if (output) {
        free(located);
        cli_error("%s: -o is only supported with --dry-run", upgrade ? "upgrade" : "install");
        return EXIT_USAGE;
    }
    progress_view *view = progress_view_new(pmode, stderr);
    if (!view) {
        free(located);
        cli_error("out of memory");
        return EXIT_ERR;
    }
    o.log = progress_view_log(view);
    o.progress = progress_view_event;
    o.progress_ctx = view;
    o.cancel = &interrupted;
    struct sigaction sa = {0};
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    capstan_error err = {0};
    int revision = 0;
    char *notes = NULL;
    int rc = upgrade ? capstan_upgrade(name, chart, &o, &revision, &notes, &err)
                     : capstan_install(name, chart, &o, &revision, &notes, &err);
    free(located);
    char *emsg = rc < 0 ? capstan_error_message(&err) : NULL;
    int ended = progress_view_end(view, emsg);
    free(emsg);
    if (ended) {
        capstan_error_clear(&err);
        return EXIT_ERR;
    }
    if (rc < 0)
        return cli_fail(&err);
    if (!o.dry_run) {
        printf("NAME: %s\nNAMESPACE: %s\nSTATUS: deployed\nREVISION: %d\n", name,
               o.kube.namespace_ ? o.kube.namespace_ : "default", revision);
        if (notes)
            printf("NOTES:\n%s", notes);
    }
    free(notes);
    return EXIT_OK;
}

int cmd_install(int argc, char **argv) { return run(argc, argv, false); }
int cmd_upgrade(int argc, char **argv) { return run(argc, argv, true); }
