/* cmd_plan.c — install|upgrade|rollback --dry-run: stdout keeps what helm 4
 * prints for the same dry run (install, upgrade: its status text with HOOKS,
 * MANIFEST and NOTES; rollback: its one line), and the plan (waves; each
 * object create, update (N fields), unchanged or delete; what --wait waits
 * for; the hooks) goes to stderr. -o json puts the plan on stdout instead, as
 * one JSON document, and nothing else. */
#include "cli.h"
#include "capstan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int check_output(const char *output, bool *json)
{
    *json = output && strcmp(output, "json") == 0;
    if (output && !*json && strcmp(output, "table") != 0) {
        cli_error("invalid format type \"%s\" for a dry run: use table (helm's text, the plan on stderr) or json "
                  "(the plan)", output);
        return -1;
    }
    return 0;
}

static int print(const char *release_text, const char *plan, bool json)
{
    if (json) {
        fputs(plan, stdout);
    } else {
        fputs(plan, stderr);
        if (release_text)
            fputs(release_text, stdout);
    }
    return fflush(stdout) == 0 ? EXIT_OK : (cli_error("error writing the output"), EXIT_ERR);
}

int cli_dry_run(const char *release, const char *chart, bool upgrade, const capstan_install_opts *o,
                const char *output)
{
    bool json;
    if (check_output(output, &json) < 0)
        return EXIT_USAGE;
    capstan_plan_opts po = {.size = sizeof po, .format = json ? "json" : "text"};
    char *text = NULL, *plan = NULL;
    capstan_error err = {0};
    if (capstan_plan_install(release, chart, upgrade, o, &po, &text, &plan, &err) < 0) {
        char *m = capstan_error_message(&err); /* helm's prefix, as without --dry-run */
        cli_error("%s%s", upgrade ? "UPGRADE FAILED: " : "INSTALLATION FAILED: ", m);
        free(m);
        capstan_error_clear(&err);
        return EXIT_ERR;
    }
    int rc = print(text, plan, json);
    free(text);
    free(plan);
    return rc;
}

int cli_dry_run_rollback(const char *release, int to_revision, const capstan_install_opts *o, const char *output)
{
    bool json;
    if (check_output(output, &json) < 0)
        return EXIT_USAGE;
    capstan_plan_opts po = {.size = sizeof po, .format = json ? "json" : "text"};
    char *plan = NULL;
    capstan_error err = {0};
    if (capstan_plan_rollback(release, to_revision, o, &po, &plan, &err) < 0) {
        cli_fail(&err);
        return EXIT_ERR;
    }
    int rc = print("Rollback was a success! Happy Helming!\n", plan, json);
    free(plan);
    return rc;
}
