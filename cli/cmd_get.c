/* cmd_get.c — `capstan get values|manifest|notes|hooks|metadata|all RELEASE`, as
 * `helm get` (pkg/cmd/get_*.go): --revision, values' --all, -o for values and
 * metadata, all's --template, the cluster flags. */
#include "capstan.h"
#include "cli.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_REVISION = 5300, O_TEMPLATE };

static const struct option longopts[] = {
    FLAGS_KUBE_LONGOPTS,
    {"revision", required_argument, NULL, O_REVISION},
    {"all", no_argument, NULL, 'a'},
    {"output", required_argument, NULL, 'o'},
    {"template", required_argument, NULL, O_TEMPLATE},
    {NULL, 0, NULL, 0},
};

int cmd_get(int argc, char **argv)
{
    static const char *const whats[] = {"values", "manifest", "notes", "hooks", "metadata", "all"};
    if (argc < 2) {
        fputs(cli_find_command("get")->usage, stderr);
        return EXIT_USAGE;
    }
    const char *what = argv[1];
    bool known = false;
    for (size_t i = 0; i < sizeof whats / sizeof *whats; i++)
        known = known || strcmp(what, whats[i]) == 0;
    if (!known) {
        cli_error("unknown command \"%s\" for \"capstan get\"", what);
        return EXIT_USAGE;
    }
    capstan_kube_opts kube = {0};
    capstan_get_opts o = {.size = sizeof o, .kube = &kube};
    bool takes_output = strcmp(what, "values") == 0 || strcmp(what, "metadata") == 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc - 1, argv + 1, takes_output ? ":n:o:a" : ":n:", longopts, NULL)) != -1) {
        if (flags_kube(c, optarg, &kube))
            continue;
        char *end;
        switch (c) {
        case O_REVISION:
            o.revision = (int)strtol(optarg, &end, 10);
            if (*end || !*optarg) {
                cli_error("invalid argument \"%s\" for \"--revision\" flag: strconv.ParseInt: parsing \"%s\": invalid syntax",
                          optarg, optarg);
                return EXIT_USAGE;
            }
            break;
        case 'a': o.all_values = strcmp(what, "values") == 0; break;
        case 'o': o.format = optarg; break;
        case O_TEMPLATE:
            if (strcmp(what, "all") != 0) { /* helm: only `get all` has it */
                cli_error("unknown flag: --template");
                return EXIT_USAGE;
            }
            o.template_ = optarg;
            break;
        default:
            flags_bad_option(c, argv[optind]);
            return EXIT_USAGE;
        }
    }
    flags_kube_env(&kube); /* HELM_NAMESPACE and the rest (it was not read: get ignored -n's variable) */
    if (argc - 1 - optind != 1) {
        cli_error("\"capstan get %s\" requires 1 argument\n\nUsage:  capstan get %s RELEASE_NAME [flags]", what, what);
        return EXIT_USAGE;
    }
    char *text = NULL;
    capstan_error err = {0};
    if (capstan_get(argv[1 + optind], what, &o, &text, &err) != 0) {
        fputs(text ? text : "", stdout); /* --template: what Go wrote before the error */
        free(text);
        fflush(stdout);
        return cli_fail(&err);
    }
    fputs(text, stdout);
    free(text);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
