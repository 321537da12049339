/* cmd_lint.c — `capstan lint CHART...`, as `helm lint` (pkg/cmd/lint.go): each chart's
 * findings under "==> Linting PATH", then "N chart(s) linted, F chart(s) failed"
 * (on stderr as an error, exit 1, when a chart failed). */
#include "cli.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_STRICT = 300, O_WITH_SUB, O_QUIET, O_SKIP_SCHEMA, O_KUBE_VERSION };

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    {"strict", no_argument, NULL, O_STRICT},
    {"with-subcharts", no_argument, NULL, O_WITH_SUB},
    {"quiet", no_argument, NULL, O_QUIET},
    {"skip-schema-validation", no_argument, NULL, O_SKIP_SCHEMA},
    {"kube-version", required_argument, NULL, O_KUBE_VERSION},
    {"namespace", required_argument, NULL, 'n'},
    {NULL, 0, NULL, 0},
};

static int lint_main(int argc, char **argv, capstan_render_opts *ro);

/* The values flags' allocations are freed here, whichever way lint_main returns. */
int cmd_lint(int argc, char **argv)
{
    capstan_render_opts ro;
    memset(&ro, 0, sizeof ro);
    int rc = lint_main(argc, argv, &ro);
    flags_values_free(&ro);
    return rc;
}

static int lint_main(int argc, char **argv, capstan_render_opts *ro)
{
    capstan_lint_opts lo;
    memset(&lo, 0, sizeof lo);
    lo.size = sizeof lo;
    lo.values = ro;
    lo.out = stdout;
    lo.log = stderr;
    lo.namespace_ = getenv("HELM_NAMESPACE");
    if (lo.namespace_ && !*lo.namespace_)
        lo.namespace_ = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:n:", longopts, NULL)) != -1) {
        if (flags_values(c, optarg, ro))
            continue;
        switch (c) {
        case O_STRICT: lo.strict = true; break;
        case O_WITH_SUB: lo.with_subcharts = true; break;
        case O_QUIET: lo.quiet = true; break;
        case O_SKIP_SCHEMA: lo.skip_schema_validation = true; break;
        case O_KUBE_VERSION: lo.kube_version = optarg; break;
        case 'n': lo.namespace_ = optarg; break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_ERR; /* helm exits 1 on usage errors */
        }
    }
    if (optind >= argc) {
        cli_error("\"capstan lint\" requires at least 1 argument\n\nUsage:  capstan lint PATH [flags]");
        return EXIT_ERR; /* helm exits 1 on usage errors */
    }
    size_t linted = 0, failed = 0, warned = 0;
    capstan_error err = {0};
    if (capstan_lint((const char *const *)argv + optind, (size_t)(argc - optind), &lo, &linted, &failed, &warned,
                     &err) != 0)
        return cli_fail(&err);
    int rc = EXIT_OK;
    if (failed) {
        fflush(stdout);
        fprintf(stderr, "Error: %zu chart(s) linted, %zu chart(s) failed\n", linted, failed);
        rc = EXIT_ERR;
    } else if (!lo.quiet || warned) {
        printf("%zu chart(s) linted, %zu chart(s) failed\n", linted, failed);
    }
    if (fflush(stdout) != 0)
        rc = EXIT_ERR;
    return rc;
}
