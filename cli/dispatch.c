/* dispatch.c — which function runs each subcommand. The texts of the
 * commands (usage, flags) are commands.c's: a command may print them
 * without depending on the table of functions. */
#include "cli.h"

#include <string.h>

/* A command marked CMD_NET runs in capstan-net; the lean capstan program,
 * which has no network code linked in, hands it over (cli_exec_net). */
#ifdef CAPSTAN_LEAN
#define NET_FN(fn) cli_exec_net
#else
#define NET_FN(fn) fn
#endif

static const struct {
    const char *name;
    cmd_fn fn;
} fns[] = {
    {"template", cmd_template},
    {"install", NET_FN(cmd_install)},
    {"upgrade", NET_FN(cmd_upgrade)},
    {"rollback", NET_FN(cmd_rollback)},
    {"uninstall", NET_FN(cmd_uninstall)},
    {"list", NET_FN(cmd_list)},
    {"status", NET_FN(cmd_status)},
    {"history", NET_FN(cmd_history)},
    {"test", NET_FN(cmd_test)},
    {"lint", cmd_lint},
    {"package", cmd_package},
    {"verify", cmd_verify},
    {"pull", NET_FN(cmd_pull)},
    {"push", NET_FN(cmd_push)},
    {"registry", NET_FN(cmd_registry)},
    {"oci-copy", NET_FN(cmd_oci_copy)},
    {"repo", NET_FN(cmd_repo)},
    {"dependency", NET_FN(cmd_dependency)},
    {"show", cmd_show},
    {"images", cmd_images},
    {"bundle", cmd_bundle},
    {"diff", NET_FN(cmd_diff)},
    {"get", NET_FN(cmd_get)},
    {"version", cmd_version},
    {"create", cmd_create},
    {"search", NET_FN(cmd_search)},
    {"env", NET_FN(cmd_env)},
    {"completion", cmd_completion},
    {"__complete", NET_FN(cmd_complete)},
    {"__completeNoDesc", NET_FN(cmd_complete_nodesc)},
};

cmd_fn cli_command_fn(const char *name)
{
    for (size_t i = 0; i < sizeof fns / sizeof *fns; i++)
        if (strcmp(fns[i].name, name) == 0)
            return fns[i].fn;
    return NULL;
}
