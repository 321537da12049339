/* cmd_release.c — the commands about one release or all of them: rollback,
 * uninstall, status, history, list, with Helm's flags and -o table|json|yaml. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"
#include "progress_view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_OUTPUT = 'o', O_KEEP_HISTORY = 3100, O_WAIT, O_TIMEOUT, O_DRY_RUN, O_DESCRIPTION, O_ALL_NS };

static const struct option longopts[] = {
    FLAGS_KUBE_LONGOPTS,
    {"output", required_argument, NULL, 'o'},
    {"keep-history", no_argument, NULL, O_KEEP_HISTORY},
    {"wait", optional_argument, NULL, O_WAIT},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"dry-run", optional_argument, NULL, O_DRY_RUN},
    {"description", required_argument, NULL, O_DESCRIPTION},
    {"all-namespaces", no_argument, NULL, 'A'},
    PROGRESS_LONGOPTS,
    {NULL, 0, NULL, 0},
};

typedef struct parsed {
    capstan_kube_opts kube;
    const char *output;
    bool output_set;
    bool keep_history, wait, dry_run, all;
    long timeout_ms;
    const char *description;
    progress_mode progress;
    long log_lines;
    bool progress_set, log_lines_set;
    char **args;
    int nargs;
} parsed;

static int parse(const char *cmd, int argc, char **argv, parsed *p)
{
    memset(p, 0, sizeof *p);
    p->output = "table";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "n:o:A", longopts, NULL)) != -1) {
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
        case 'A': p->all = true; break;
        case O_KEEP_HISTORY: p->keep_history = true; break;
        case O_WAIT: p->wait = true; break;
        case O_DRY_RUN: p->dry_run = true; break;
        case O_DESCRIPTION: p->description = optarg; break;
        case O_TIMEOUT:
            p->timeout_ms = flags_duration_ms(optarg);
            if (p->timeout_ms < 0) {
                cli_error("invalid argument \"%s\" for \"--timeout\" flag", optarg);
                return -1;
            }
            break;
        default:
            cli_error("%s: unknown flag \"%s\"", cmd, argv[optind - 1]);
            return -1;
        }
    }
    if (strcmp(p->output, "table") != 0 && strcmp(p->output, "json") != 0 && strcmp(p->output, "yaml") != 0) {
        cli_error("invalid format type \"%s\": use table, json or yaml", p->output);
        return -1;
    }
    p->args = argv + optind;
    p->nargs = argc - optind;
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
    if (p.nargs < 1 || p.nargs > 2) {
        cli_error("rollback: requires RELEASE and an optional REVISION");
        return EXIT_USAGE;
    }
    capstan_install_opts o = {0};
    o.kube = p.kube;
    o.wait = p.wait;
    o.timeout_ms = p.timeout_ms;
    o.description = p.description;
    o.dry_run = p.dry_run;
    o.log_lines = p.log_lines;
    progress_view *view = progress_view_new(p.progress, stderr);
    if (!view)
        return EXIT_ERR;
    o.log = progress_view_log(view);
    o.progress = progress_view_event;
    o.progress_ctx = view;
    int to = p.nargs == 2 ? atoi(p.args[1]) : 0;
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
        cli_error("uninstall: requires at least one RELEASE");
        return EXIT_USAGE;
    }
    for (int i = 0; i < p.nargs; i++) {
        progress_view *view = progress_view_new(p.progress, stderr);
        if (!view)
            return EXIT_ERR;
        capstan_uninstall_opts o = {.kube = p.kube, .keep_history = p.keep_history, .wait = p.wait,
                                    .timeout_ms = p.timeout_ms, .dry_run = p.dry_run, .description = p.description,
                                    .log = progress_view_log(view), .progress = progress_view_event,
                                    .progress_ctx = view, .log_lines = p.log_lines};
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
        cli_error("history: requires one RELEASE");
        return EXIT_USAGE;
    }
    char *text = NULL;
    capstan_error e = {0};
    int rc = capstan_history(p.args[0], &p.kube, p.output, &text, &e);
    return print_records(rc, text, &e);
}

int cmd_list(int argc, char **argv)
{
    parsed p;
    if (parse("list", argc, argv, &p) < 0 || refuse_progress_flags("list", &p, false))
        return EXIT_USAGE;
    char *text = NULL;
    capstan_error e = {0};
    int rc = capstan_list(&p.kube, p.all, p.output, &text, &e);
    return print_records(rc, text, &e);
}

int cmd_status(int argc, char **argv)
{
    parsed p;
    if (parse("status", argc, argv, &p) < 0 || refuse_progress_flags("status", &p, true))
        return EXIT_USAGE;
    if (p.nargs != 1) {
        cli_error("status: requires one RELEASE");
        return EXIT_USAGE;
    }
    char *text = NULL;
    capstan_error e = {0};
    capstan_status_opts o = {.size = sizeof o, .kube = p.kube, .format = p.output, .log_lines = p.log_lines};
    int rc = capstan_status_run(p.args[0], &o, &text, &e);
    return print_records(rc, text, &e);
}

int cmd_test(int argc, char **argv)
{
    parsed p;
    if (parse("test", argc, argv, &p) < 0)
        return EXIT_USAGE;
    if (p.nargs != 1) {
        cli_error("test: requires one RELEASE");
        return EXIT_USAGE;
    }
    /* helm prints the test suites (and hook logs) on stdout; progress goes to stderr */
    progress_view *view = progress_view_new(p.progress, stderr);
    if (!view)
        return EXIT_ERR;
    capstan_test_opts o = {.size = sizeof o, .kube = p.kube, .timeout_ms = p.timeout_ms, .log = stdout,
                           .progress = progress_view_event, .progress_ctx = view, .log_lines = p.log_lines};
    capstan_error e = {0};
    int rc = capstan_test_run(p.args[0], &o, &e);
    if (rc < 0)
        return fail_view(view, &e);
    progress_view_end(view, NULL);
    return EXIT_OK;
}
