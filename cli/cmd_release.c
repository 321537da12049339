/* cmd_release.c — the commands about one release or all of them: rollback,
 * uninstall, status, history, list, with Helm's flags and -o table|json|yaml. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"
#include "progress_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum {
    O_OUTPUT = 'o', O_KEEP_HISTORY = 3100, O_WAIT, O_TIMEOUT, O_DRY_RUN, O_DESCRIPTION, O_ALL_NS, O_REVISION, O_MAX,
    O_CASCADE, O_IGNORE_NOT_FOUND, O_NO_HOOKS, O_DEPLOYED, O_FAILED, O_PENDING, O_SUPERSEDED, O_UNINSTALLED,
    O_UNINSTALLING, O_OFFSET, O_NO_HEADERS, O_TIME_FORMAT, O_LOGS, O_FILTER, O_HISTORY_MAX, O_WAIT_FOR_JOBS,
    O_CLEANUP_ON_FAIL, O_FORCE_CONFLICTS, O_FORCE_REPLACE, O_SERVER_SIDE,
};

static const struct option longopts[] = {
    FLAGS_KUBE_LONGOPTS,
    {"output", required_argument, NULL, 'o'},
    {"keep-history", no_argument, NULL, O_KEEP_HISTORY},
    {"wait", optional_argument, NULL, O_WAIT},
    {"wait-for-jobs", no_argument, NULL, O_WAIT_FOR_JOBS},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"dry-run", optional_argument, NULL, O_DRY_RUN},
    {"description", required_argument, NULL, O_DESCRIPTION},
    {"all-namespaces", no_argument, NULL, 'A'},
    PROGRESS_LONGOPTS,
    {"revision", required_argument, NULL, O_REVISION},
    {"cascade", required_argument, NULL, O_CASCADE},
    {"ignore-not-found", no_argument, NULL, O_IGNORE_NOT_FOUND},
    {"no-hooks", no_argument, NULL, O_NO_HOOKS},
    {"deployed", no_argument, NULL, O_DEPLOYED},
    {"failed", no_argument, NULL, O_FAILED},
    {"pending", no_argument, NULL, O_PENDING},
    {"superseded", no_argument, NULL, O_SUPERSEDED},
    {"uninstalled", no_argument, NULL, O_UNINSTALLED},
    {"uninstalling", no_argument, NULL, O_UNINSTALLING},
    {"date", no_argument, NULL, 'd'},
    {"reverse", no_argument, NULL, 'r'},
    {"max", required_argument, NULL, 'm'},
    {"offset", required_argument, NULL, O_OFFSET},
    {"filter", required_argument, NULL, 'f'},
    {"selector", required_argument, NULL, 'l'},
    {"short", no_argument, NULL, 'q'},
    {"no-headers", no_argument, NULL, O_NO_HEADERS},
    {"time-format", required_argument, NULL, O_TIME_FORMAT},
    {"history-max", required_argument, NULL, O_HISTORY_MAX},
    {"logs", no_argument, NULL, O_LOGS},
    {"cleanup-on-fail", no_argument, NULL, O_CLEANUP_ON_FAIL},
    {"force-conflicts", no_argument, NULL, O_FORCE_CONFLICTS},
    {"force-replace", no_argument, NULL, O_FORCE_REPLACE},
    {"server-side", required_argument, NULL, O_SERVER_SIDE},
    {NULL, 0, NULL, 0},
};

typedef struct parsed {
    capstan_kube_opts kube;
    const char *output;
    bool output_set;
    bool keep_history, wait, dry_run, all, ignore_not_found, no_hooks, logs, force_conflicts, cleanup_on_fail;
    bool force_replace;
    const char *server_side;
    long timeout_ms;
    const char *description, *cascade, *test_filter;
    progress_mode progress;
    long log_lines;
    bool progress_set, log_lines_set;
    int revision, history_max, max;
    bool max_set;
    capstan_list_opts list;
    const char **test_filters;     /* test --filter, split at commas */
    size_t n_test_filters;
    char **args;
    int nargs;
} parsed;

/* An int flag as pflag parses one: strconv.ParseInt's message when it is not. */
static int int_flag(const char *flag, const char *arg, int *out)
{
    char *end;
    long v = strtol(arg, &end, 10);
    if (!*arg || *end || v < -2147483647L || v > 2147483647L) {
        cli_error("invalid argument \"%s\" for \"%s\" flag: strconv.ParseInt: parsing \"%s\": invalid syntax", arg,
                  flag, arg);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* test --filter, a string slice: comma-separated, repeatable */
static void add_test_filters(parsed *p, const char *arg)
{
    char *copy = strdup(arg), *save = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        p->test_filters = realloc(p->test_filters, (p->n_test_filters + 1) * sizeof *p->test_filters);
        p->test_filters[p->n_test_filters++] = t;
    }
}

static int parse(const char *cmd, int argc, char **argv, parsed *p)
{
    memset(p, 0, sizeof *p);
    p->output = "table";
    p->list.size = sizeof p->list;
    p->list.max = 256;
    p->history_max = flags_max_history_env();
    if (p->history_max < 0)
        return -1;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:o:Adrm:f:l:q", longopts, NULL)) != -1) {
        if (c == ':') {
            flags_missing(argv[optind - 1]);
            return -1;
        }
        if (flags_kube(c, optarg, &p->kube))
            continue;
        int pf = progress_flag(c, optarg, &p->progress, &p->log_lines);
        if (pf < 0)
            return -1;
        if (pf) {
            p->progress_set |= c == PV_PROGRESS;
            p->log_lines_set |= c == PV_LOG_LINES;
            continue;
        }
        switch (c) {
        case 'o': p->output = optarg; p->output_set = true; break;
        case 'A': p->list.all_namespaces = true; break;
        case 'd': p->list.by_date = true; break;
        case 'r': p->list.reverse = true; break;
        case 'q': p->list.short_ = true; break;
        case 'f': /* list: a regular expression; test: name=N filters */
            p->list.filter = optarg;
            add_test_filters(p, optarg);
            break;
        case 'l': p->list.selector = optarg; break;
        case O_DEPLOYED: p->list.deployed = true; break;
        case O_FAILED: p->list.failed = true; break;
        case O_PENDING: p->list.pending = true; break;
        case O_SUPERSEDED: p->list.superseded = true; break;
        case O_UNINSTALLED: p->list.uninstalled = true; break;
        case O_UNINSTALLING: p->list.uninstalling = true; break;
        case O_NO_HEADERS: p->list.no_headers = true; break;
        case O_TIME_FORMAT: p->list.time_format = optarg; break;
        case 'm':
            if (int_flag(strcmp(cmd, "list") == 0 ? "-m, --max" : "--max", optarg, &p->max) < 0)
                return -1;
            p->max_set = true;
            break;
        case O_OFFSET:
            if (int_flag("--offset", optarg, &p->list.offset) < 0)
                return -1;
            break;
        case O_REVISION:
            if (int_flag("--revision", optarg, &p->revision) < 0)
                return -1;
            break;
        case O_LOGS: p->logs = true; break;
        case O_HISTORY_MAX:
            if (int_flag("--history-max", optarg, &p->history_max) < 0)
                return -1;
            break;
        case O_KEEP_HISTORY: p->keep_history = true; break;
        case O_WAIT:
            if (cli_wait_strategy(optarg, &p->wait) < 0)
                return -1;
            break;
        case O_WAIT_FOR_JOBS: break; /* rollback waits as the revision's install did */
        case O_DRY_RUN: {
            bool server;
            if (strcmp(cmd, "rollback") != 0) /* uninstall's is a plain bool */
                p->dry_run = !optarg || strcmp(optarg, "none") != 0;
            else if (flags_dry_run(optarg, &p->dry_run, &server) < 0)
                return -1;
            break;
        }
        case O_DESCRIPTION: p->description = optarg; break;
        case O_IGNORE_NOT_FOUND: p->ignore_not_found = true; break;
        case O_NO_HOOKS: p->no_hooks = true; break;
        case O_FORCE_CONFLICTS: p->force_conflicts = true; break;
        case O_CLEANUP_ON_FAIL: p->cleanup_on_fail = true; break;
        case O_FORCE_REPLACE: p->force_replace = true; break;
        case O_SERVER_SIDE: p->server_side = optarg; break;
        case O_CASCADE:
            if (strcmp(optarg, "background") != 0 && strcmp(optarg, "foreground") != 0 &&
                strcmp(optarg, "orphan") != 0) {
                cli_error("invalid cascade value (%s). Must be \"background\", \"foreground\", or \"orphan\"", optarg);
                return -1;
            }
            p->cascade = optarg;
            break;
        case O_TIMEOUT:
            p->timeout_ms = flags_duration_ms(optarg);
            if (p->timeout_ms < 0) {
                flags_duration_error("--timeout", optarg);
                return -1;
            }
            break;
        default:
            flags_unknown(argv[optind - 1]);
            return -1;
        }
    }
    if (strcmp(p->output, "table") != 0 && strcmp(p->output, "json") != 0 && strcmp(p->output, "yaml") != 0) {
        cli_error("invalid argument \"%s\" for \"-o, --output\" flag: invalid format type", p->output);
        return -1;
    }
    flags_kube_env(&p->kube);
    p->list.kube = p->kube;
    p->list.format = p->output;
    if (p->max_set)
        p->list.max = p->max;
    p->args = argv + optind;
    p->nargs = argc - optind;
    (void)cmd;
    return 0;
}

static int fail(capstan_error *e) { return cli_fail(e); }

/* The operation failed: end the progress view (json: the error is its last event). */
static int fail_view(progress_view *view, capstan_error *e)
{
    char *m = capstan_error_message(e);
    int ended = progress_view_end(view, m);
    free(m);
    if (!ended)
        return fail(e);
    capstan_error_clear(e);
    return EXIT_ERR;
}

int cmd_rollback(int argc, char **argv)
{
    parsed p;
    if (parse("rollback", argc, argv, &p) < 0)
        return EXIT_USAGE;
    if (flags_exclusive(p.force_replace, p.force_conflicts) < 0)
        return EXIT_USAGE;
    if (p.nargs < 1 || p.nargs > 2) {
        cli_error(p.nargs < 1 ? "\"capstan rollback\" requires at least 1 argument"
                              : "\"capstan rollback\" accepts at most 2 arguments");
        return EXIT_USAGE;
    }
    capstan_install_opts o = {0};
    o.kube = p.kube;
    o.wait = p.wait;
    o.timeout_ms = p.timeout_ms;
    o.description = p.description;
    o.dry_run = p.dry_run;
    o.no_hooks = p.no_hooks;
    o.force_conflicts = p.force_conflicts;
    o.cleanup_on_fail = p.cleanup_on_fail;
    if (p.server_side && strcmp(p.server_side, "true") != 0 && strcmp(p.server_side, "false") != 0 &&
        strcmp(p.server_side, "auto") != 0) {
        cli_error("invalid/unknown release server-side apply method: %s", p.server_side);
        return EXIT_ERR;
    }
    /* capstan applies server-side; a client-side replace (--server-side=false) is its apply too */
    o.force_replace = p.force_replace && !(p.server_side && strcmp(p.server_side, "false") == 0);
    o.history_max = p.history_max;
    int to = 0;
    if (p.nargs == 2) {
        char *end;
        long v = strtol(p.args[1], &end, 10);
        if (!*p.args[1] || *end) {
            cli_error("could not convert revision to a number: strconv.Atoi: parsing \"%s\": invalid syntax", p.args[1]);
            return EXIT_ERR;
        }
        to = (int)v;
    }
    o.log_lines = p.log_lines;
    progress_view *view = progress_view_new(p.progress, stderr);
    if (!view)
        return EXIT_ERR;
    o.log = progress_view_log(view);
    o.progress = progress_view_event;
    o.progress_ctx = view;
    if (p.dry_run)
        return cli_dry_run_rollback(p.args[0], to, &o, p.output_set ? p.output : NULL);
    capstan_error e = {0};
    int rev;
    int rc = capstan_rollback(p.args[0], to, &o, &rev, &e);
    if (rc < 0)
        return fail_view(view, &e);
    progress_view_end(view, NULL);
    printf("Rollback was a success! Happy Helming!\n");
    return EXIT_OK;
}

int cmd_uninstall(int argc, char **argv)
{
    parsed p;
    if (parse("uninstall", argc, argv, &p) < 0)
        return EXIT_USAGE;
    if (p.nargs < 1) {
        cli_error("\"capstan uninstall\" requires at least 1 argument");
        return EXIT_USAGE;
    }
    for (int i = 0; i < p.nargs; i++) {
        progress_view *view = progress_view_new(p.progress, stderr);
        if (!view)
            return EXIT_ERR;
        capstan_uninstall_opts o = {.kube = p.kube, .keep_history = p.keep_history, .wait = p.wait,
                                    .timeout_ms = p.timeout_ms, .dry_run = p.dry_run, .description = p.description,
                                    .log = progress_view_log(view), .progress = progress_view_event,
                                    .progress_ctx = view, .log_lines = p.log_lines,
                                    .ignore_not_found = p.ignore_not_found, .no_hooks = p.no_hooks,
                                    .cascade = p.cascade};
        capstan_error e = {0};
        if (capstan_uninstall(p.args[i], &o, &e) < 0)
            return fail_view(view, &e);
        progress_view_end(view, NULL);
        printf("release \"%s\" uninstalled\n", p.args[i]);
    }
    return EXIT_OK;
}

/* history, list and status show no progress (and only status diagnostics). */
static bool refuse_progress_flags(const char *cmd, const parsed *p, bool log_lines_ok)
{
    if (!p->progress_set && (log_lines_ok || !p->log_lines_set))
        return false;
    cli_error("%s: unknown flag \"--%s\"", cmd, p->progress_set ? "progress" : "log-lines");
    return true;
}

static int print_records(int rc, char *text, capstan_error *e)
{
    if (rc < 0)
        return fail(e);
    if (text)
        fputs(text, stdout);
    free(text);
    return EXIT_OK;
}

int cmd_history(int argc, char **argv)
{
    parsed p;
    if (parse("history", argc, argv, &p) < 0 || refuse_progress_flags("history", &p, false))
        return EXIT_USAGE;
    if (p.nargs != 1) {
        cli_error("\"capstan history\" requires 1 argument");
        return EXIT_USAGE;
    }
    char *text = NULL;
    capstan_error e = {0};
    capstan_history_opts o = {.size = sizeof o, .kube = p.kube, .format = p.output};
    o.max = !p.max_set ? 0 : p.max > 0 ? p.max : -1;
    int rc = capstan_history_show(p.args[0], &o, &text, &e);
    return print_records(rc, text, &e);
}

int cmd_list(int argc, char **argv)
{
    parsed p;
    if (parse("list", argc, argv, &p) < 0 || refuse_progress_flags("list", &p, false))
        return EXIT_USAGE;
    char *text = NULL;
    capstan_error e = {0};
    if (p.nargs != 0) {
        cli_error("\"capstan list\" accepts no arguments");
        return EXIT_USAGE;
    }
    int rc = capstan_list_show(&p.list, &text, &e);
    if (rc != 0 && e.code == CAPSTAN_EAUTH && e.msg && e.msg[0] == '/' && strstr(e.msg, ": ")) {
        /* the API server's refusal in helm's words (its storage driver's List): the request
         * path gives way to "list: failed to list: " */
        cli_error("list: failed to list: %s", strstr(e.msg, ": ") + 2);
        capstan_error_clear(&e);
        free(text);
        return EXIT_ERR;
    }
    return print_records(rc, text, &e);
}

int cmd_status(int argc, char **argv)
{
    parsed p;
    if (parse("status", argc, argv, &p) < 0 || refuse_progress_flags("status", &p, true))
        return EXIT_USAGE;
    if (p.nargs != 1) {
        cli_error("\"capstan status\" requires 1 argument");
        return EXIT_USAGE;
    }
    char *text = NULL;
    capstan_error e = {0};
    capstan_status_opts o = {.size = sizeof o, .kube = p.kube, .format = p.output, .log_lines = p.log_lines,
                             .revision = p.revision};
    int rc = capstan_status_run(p.args[0], &o, &text, &e);
    return print_records(rc, text, &e);
}

int cmd_test(int argc, char **argv)
{
    parsed p;
    if (parse("test", argc, argv, &p) < 0)
        return EXIT_USAGE;
    if (p.nargs != 1) {
        cli_error("\"capstan test\" requires 1 argument");
        return EXIT_USAGE;
    }
    progress_view *view = progress_view_new(p.progress, stderr);
    if (!view)
        return EXIT_ERR;
    capstan_test_opts o = {.size = sizeof o, .kube = p.kube, .timeout_ms = p.timeout_ms,
                           .log = progress_view_log(view), .progress = progress_view_event, .progress_ctx = view,
                           .log_lines = p.log_lines, .filters = p.test_filters, .n_filters = p.n_test_filters};
    capstan_error e = {0};
    int rc = capstan_test_run(p.args[0], &o, &e);
    if (rc < 0 && e.code == CAPSTAN_ENOTFOUND)
        return fail_view(view, &e);
    progress_view_end(view, NULL);
    /* as helm: the release's status (notes hidden), then the tests' error if any */
    cli_print_status(p.args[0], &p.kube, "table", 0, true);
    if (p.logs) { /* helm: a blank line, then each test pod's log */
        putchar('\n');
        char *logs = NULL;
        capstan_error le = {0};
        if (capstan_test_logs(p.args[0], &o, &logs, &le) < 0) {
            if (rc < 0)
                cli_fail(&e);
            return fail(&le);
        }
        fputs(logs, stdout);
        free(logs);
    }
    return rc < 0 ? fail(&e) : EXIT_OK;
}

int cli_print_status(const char *release, const capstan_kube_opts *kube, const char *format, int revision,
                     bool hide_notes)
{
    capstan_status_opts o = {.size = sizeof o, .kube = *kube, .format = format, .revision = revision,
                             .hide_notes = hide_notes, .with_chart = true, .no_resources = true};
    char *text = NULL;
    capstan_error e = {0};
    int rc = capstan_status_run(release, &o, &text, &e); /* before text is read */
    return print_records(rc, text, &e) == EXIT_OK ? 0 : -1;
}
