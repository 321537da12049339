/* cmd_verify.c — `capstan verify CHART.tgz [--keyring FILE]`, as `helm verify`:
 * CHART.tgz.prov's signature and the archive's hash, helm's three lines on
 * stdout; any failure is helm's message and exit status 1. */
#include "capstan.h"
#include "cli.h"
#include "flags.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

int cmd_verify(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"keyring", required_argument, NULL, 'k'},
        {NULL, 0, NULL, 0},
    };
    const char *keyring = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c == 'k') {
            keyring = optarg;
            continue;
        }
        flags_bad_option(c, argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (argc - optind != 1) {
        cli_error("\"capstan verify\" requires 1 argument");
        return EXIT_USAGE;
    }
    char *report = NULL;
    capstan_error err = {0};
    if (capstan_chart_verify(argv[optind], keyring, &report, &err) != 0)
        return cli_fail(&err);
    fputs(report, stdout);
    free(report);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
