/* cmd_search.c — `capstan search repo [KEYWORD...]` (and `search hub`, which needs
 * Artifact Hub on the network: refused with a clear message). */
#include "cli.h"
#include "flags.h"
#include "capstan.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_DEVEL = 3300, O_VERSION, O_MAX_COL, O_FAIL };

int cmd_search(int argc, char **argv)
{
    if (argc < 2 || (strcmp(argv[1], "repo") != 0 && strcmp(argv[1], "hub") != 0)) {
        fputs(cli_find_command("search")->usage, stdout); /* as helm: the help, status 0 */
        return EXIT_OK;
    }
    if (strcmp(argv[1], "hub") == 0) {
        cli_error("unable to perform search against \"https://hub.helm.sh\": capstan does not query Artifact Hub "
                  "(a network service); search the repositories you added with `search repo`");
        return EXIT_ERR;
    }
    static const struct option longopts[] = {
        {"regexp", no_argument, NULL, 'r'},      {"versions", no_argument, NULL, 'l'},
        {"devel", no_argument, NULL, O_DEVEL},   {"version", required_argument, NULL, O_VERSION},
        {"output", required_argument, NULL, 'o'}, {"max-col-width", required_argument, NULL, O_MAX_COL},
        {"fail-on-no-result", no_argument, NULL, O_FAIL}, {NULL, 0, NULL, 0},
    };
    capstan_search_opts o = {.size = sizeof o, .format = "table"};
    int c;
    optind = 1;
    opterr = 0;
    argc--;
    argv++;
    while ((c = getopt_long(argc, argv, ":rlo:", longopts, NULL)) != -1) {
        switch (c) {
        case 'r': o.regexp = true; break;
        case 'l': o.versions = true; break;
        case O_DEVEL: o.devel = true; break;
        case O_VERSION: o.version = optarg; break;
        case O_FAIL: o.fail_on_no_result = true; break;
        case 'o':
            if (strcmp(optarg, "table") != 0 && strcmp(optarg, "json") != 0 && strcmp(optarg, "yaml") != 0) {
                cli_error("invalid argument \"%s\" for \"-o, --output\" flag: invalid format type", optarg);
                return EXIT_ERR;
            }
            o.format = optarg;
            break;
        case O_MAX_COL: {
            char *end;
            unsigned long v = strtoul(optarg, &end, 10);
            if (!*optarg || *end || optarg[0] == '-') {
                cli_error("invalid argument \"%s\" for \"--max-col-width\" flag: strconv.ParseUint: parsing \"%s\": "
                          "invalid syntax", optarg, optarg);
                return EXIT_ERR;
            }
            o.max_col_width = v ? v : (size_t)-1;
            break;
        }
        default:
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_ERR;
        }
    }
    /* the keywords, joined by spaces */
    size_t len = 1;
    for (int i = optind; i < argc; i++)
        len += strlen(argv[i]) + 1;
    char *terms = calloc(1, len);
    for (int i = optind; i < argc; i++) {
        if (i > optind)
            strcat(terms, " ");
        strcat(terms, argv[i]);
    }
    o.terms = optind < argc ? terms : NULL;
    char *text = NULL;
    capstan_error e = {0};
    int rc = capstan_search_repo(&o, &text, &e);
    free(terms);
    if (rc < 0) {
        cli_error("%s", e.msg ? e.msg : "failed");
        capstan_error_clear(&e);
        return EXIT_ERR;
    }
    fputs(text, stdout);
    free(text);
    return EXIT_OK;
}
