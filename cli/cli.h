/* cli.h — the capstan program: one cmd_* function per subcommand, as git's builtin/.
 *
 * Each command gets argv with argv[0] = its own name and returns the process's
 * exit status: 0 ok, 1 error, 2 usage. Only cli/ prints and exits.
 */
#ifndef CAPSTAN_CLI_H
#define CAPSTAN_CLI_H

#define EXIT_OK 0
#define EXIT_ERR 1
#define EXIT_USAGE 2

typedef int (*cmd_fn)(int argc, char **argv);

struct cmd {
    const char *name;
    cmd_fn fn;            /* NULL: not built yet */
    const char *summary;  /* one line, as `helm help` shows it */
    const char *usage;    /* the usage and flags, as `capstan CMD --help` prints them */
};

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
int cmd_package(int argc, char **argv);
int cmd_lint(int argc, char **argv);

/* Print "capstan: message" to stderr (the one place errors are printed). */
void cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* The table of subcommands, ending with a zeroed row. */
extern const struct cmd cli_commands[];
const struct cmd *cli_find_command(const char *name);

#endif
