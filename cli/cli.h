/* cli.h — the capstan program: one cmd_* function per subcommand, as git's builtin/.
 *
 * Each command gets argv with argv[0] = its own name and returns the process's
 * exit status: 0 ok, 1 error (usage errors included, as helm). Only cli/ prints and exits.
 */
#ifndef CAPSTAN_CLI_H
#define CAPSTAN_CLI_H

#define EXIT_OK 0
#define EXIT_ERR 1
#define EXIT_USAGE 1 /* helm exits 1 for usage errors too (scripts test for it) */

typedef int (*cmd_fn)(int argc, char **argv);

struct cmd {
    const char *name;
    const char *summary;  /* one line, as `helm help` shows it */
    const char *usage;    /* the usage and flags, as `capstan CMD --help` prints them */
    unsigned flags;       /* CMD_NET, or 0 */
};

/* The command talks to the network (libcurl: a cluster, a repository, a
 * registry). The lean `capstan` binary, which renders without loading the
 * network stack, hands such commands to `capstan-net`. */
#define CMD_NET 1u

int cmd_version(int argc, char **argv);
int cmd_template(int argc, char **argv);
int cmd_show(int argc, char **argv);
int cmd_install(int argc, char **argv);
int cmd_upgrade(int argc, char **argv);
int cmd_rollback(int argc, char **argv);
int cmd_uninstall(int argc, char **argv);
int cmd_list(int argc, char **argv);
int cmd_status(int argc, char **argv);
int cmd_history(int argc, char **argv);
int cmd_test(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_bundle(int argc, char **argv);
int cmd_push(int argc, char **argv);
int cmd_registry(int argc, char **argv);
int cmd_oci_copy(int argc, char **argv);
int cmd_repo(int argc, char **argv);
int cmd_pull(int argc, char **argv);
int cmd_dependency(int argc, char **argv);
int cmd_diff(int argc, char **argv);
/* --dry-run of install, upgrade (cmd_plan.c) and rollback: helm's text on stdout, the plan on
 * stderr; output "json": the plan on stdout. Return the exit status. */
#include <stdbool.h>
struct capstan_install_opts;
int cli_dry_run(const char *release, const char *chart, bool upgrade, const struct capstan_install_opts *o,
                const char *output);
int cli_dry_run_rollback(const char *release, int to_revision, const struct capstan_install_opts *o,
                         const char *output);
int cmd_get(int argc, char **argv);
int cmd_env(int argc, char **argv);
int cmd_create(int argc, char **argv);
int cmd_complete(int argc, char **argv);
int cmd_complete_nodesc(int argc, char **argv);
int cmd_search(int argc, char **argv);
int cmd_completion(int argc, char **argv);

/* Run the command in capstan-net (argv[0] is the command's name): execs
 * $CAPSTAN_NET, else capstan-net beside this program, else the installed one
 * in PKGLIBEXECDIR. Returns only on failure, with the exit status. */
int cli_exec_net(int argc, char **argv);
int cmd_package(int argc, char **argv);
int cmd_lint(int argc, char **argv);
int cmd_verify(int argc, char **argv);

/* Print "capstan: message" to stderr (the one place errors are printed). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Print a library error as cli_error does ("capstan: FILE:LINE: message"),
 * clear it, and return EXIT_ERR. */
struct capstan_error;
int cli_fail(struct capstan_error *err);
/* A log line as helm's slog text handler writes it on stderr: level=LEVEL msg=MSG
 * [KEY=VALUE] (KEY NULL: none), MSG and VALUE quoted as Go quotes when they need it. */
void cli_slog(const char *level, const char *msg, const char *key, const char *value);
/* A password read from stdin (--password-stdin), trailing newlines cut; malloc'd, NULL on error. */
char *cli_read_password(void);
/* A render's log line (capstan_render_opts.log: warnings, the loader's symlink line) to stderr, as helm prints it. */
void cli_loader_log(void *ctx, const char *line);

/* helm's uitable: cells row by row (ncols per row), padded, tab-separated. */
#include <stdio.h>
void cli_table_print(FILE *out, const char *const *cells, size_t ncols, size_t nrows);

/* ---- chart references (chart_ref.c) ---- */
#include <getopt.h>
#include <stdbool.h>
#include "capstan.h"
enum {
    FL_CHART_VERSION = 5100, FL_CHART_DEVEL, FL_CHART_REPO, FL_CHART_USERNAME, FL_CHART_PASSWORD,
    FL_CHART_PASS_CREDS, FL_CHART_CA_FILE, FL_CHART_CERT_FILE, FL_CHART_KEY_FILE, FL_CHART_INSECURE,
    FL_CHART_PLAIN_HTTP, FL_CHART_DEP_UPDATE, FL_CHART_VERIFY, FL_CHART_KEYRING,
};
/* helm's flags that choose and fetch a chart; --insecure-skip-tls-verify and
 * --plain-http are left to the command (they may mean more there) */
#define CLI_CHART_LONGOPTS                                            \
    {"version", required_argument, NULL, FL_CHART_VERSION},          \
    {"devel", no_argument, NULL, FL_CHART_DEVEL},                    \
    {"repo", required_argument, NULL, FL_CHART_REPO},                \
    {"username", required_argument, NULL, FL_CHART_USERNAME},        \
    {"password", required_argument, NULL, FL_CHART_PASSWORD},        \
    {"pass-credentials", no_argument, NULL, FL_CHART_PASS_CREDS},    \
    {"ca-file", required_argument, NULL, FL_CHART_CA_FILE},          \
    {"cert-file", required_argument, NULL, FL_CHART_CERT_FILE},      \
    {"key-file", required_argument, NULL, FL_CHART_KEY_FILE},        \
    {"dependency-update", no_argument, NULL, FL_CHART_DEP_UPDATE},   \
    {"verify", no_argument, NULL, FL_CHART_VERIFY},                  \
    {"keyring", required_argument, NULL, FL_CHART_KEYRING}
/* size, out and log set, builtin_charts_dir found (cli_builtin_dir) */
void cli_chart_opts_init(capstan_chart_opts *o);
/* Take opt if it is one of those flags (FL_CHART_INSECURE and
 * FL_CHART_PLAIN_HTTP too); true when it was. */
bool cli_chart_flag(int opt, const char *arg, capstan_chart_opts *o, bool *dependency_update);
/* ref located (capstan_chart_locate; then dependency update of a folder when
 * asked; with --verify, a local archive checked against ARCHIVE.prov as helm's
 * LocateChart does, a downloaded one by capstan_chart_locate) into *path (malloc'd). In the lean capstan, a remote ref hands the
 * whole command (argc, argv) to capstan-net and returns only on failure. */
int cli_chart_locate(int argc, char **argv, const char *ref, capstan_chart_opts *o, bool dependency_update,
                     char **path);
/* PREFIX/share/capstan/WHAT (charts, values) of this program, else
 * $(pkgdatadir)/WHAT, else WHAT beside the program (the build tree); NULL
 * when none exists. A static buffer. */
const char *cli_builtin_dir(const char *what);
/* helm's global flags (--debug, --kube-*, --qps, --repository-config, ...; cli/globals.c),
 * wherever they stand, become the HELM_* variables behind them and leave argv
 * (argc updated). -1 after printing the error of a malformed one. */
#include <stdbool.h>
int cli_take_globals(int *argc, char **argv);
/* The "Global Flags" section every command's --help ends with. */
extern const char cli_global_usage[];
/* --kubeconfig FILE sets KUBECONFIG and this variable too: a file the flag names must
 * exist (helm's "stat FILE: no such file or directory"), one only in $KUBECONFIG need not. */
#define CLI_KUBECONFIG_FLAG_ENV "CAPSTAN_KUBECONFIG_FLAG"
/* --debug or HELM_DEBUG=true. */
bool cli_debug(void);

/* helm's --wait WaitStrategy (watcher, hookOnly, legacy; NULL: the bare flag): 0, or -1 after the error. */
int cli_wait_strategy(const char *arg, bool *wait);
/* The status text helm prints after install, upgrade and rollback (format table, json or yaml;
 * json and yaml with the chart). 0, or -1 after the error. */
struct capstan_kube_opts;
int cli_print_status(const char *release, const struct capstan_kube_opts *kube, const char *format, int revision,
                     bool hide_notes);

/* The run function of a subcommand (dispatch.c); NULL: none. */
cmd_fn cli_command_fn(const char *name);
/* The table of subcommands (their texts), ending with a zeroed row. */
extern const struct cmd cli_commands[];
const struct cmd *cli_find_command(const char *name);

#endif
