/* cmd_bundle.c — `capstan bundle CHART -o FILE [values flags] [--with-images]`
 * and `capstan bundle verify FILE`. Verifying needs no network and runs in the
 * lean program; making a bundle runs in capstan-net. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifndef CAPSTAN_LEAN
enum { O_WITH_IMAGES = 3200, O_PLAIN_HTTP, O_INSECURE, O_QUIET };

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    {"output", required_argument, NULL, 'o'},
    {"with-images", no_argument, NULL, O_WITH_IMAGES},
    {"plain-http", no_argument, NULL, O_PLAIN_HTTP},
    {"insecure-skip-tls-verify", no_argument, NULL, O_INSECURE},
    {"quiet", no_argument, NULL, 'q'},
    {NULL, 0, NULL, 0},
};
#endif

static int fail(capstan_error *err)
{
    char *m = capstan_error_message(err);
    cli_error("%s", m);
    free(m);
    capstan_error_clear(err);
    return EXIT_ERR;
}

static int verify(int argc, char **argv)
{
    if (argc != 2 || argv[1][0] == '-') {
        cli_error("\"capstan bundle verify\" requires 1 argument\n\nUsage:  capstan bundle verify FILE");
        return EXIT_USAGE;
    }
    char *summary = NULL;
    capstan_error err = {0};
    if (capstan_bundle_verify(argv[1], &summary, &err) != 0)
        return fail(&err);
    printf("%s: %s\n", argv[1], summary ? summary : "checksums OK");
    free(summary);
    return EXIT_OK;
}

#ifndef CAPSTAN_LEAN
/* Making a bundle (capstan-net): its options filled from the flags. */
static int bundle_main(int argc, char **argv, capstan_bundle_opts *o)
{
    const char *out = NULL;
    bool quiet = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:o:q", longopts, NULL)) != -1) {
        if (flags_values(c, optarg, &o->render))
            continue;
        switch (c) {
        case 'o': out = optarg; break;
        case O_WITH_IMAGES: o->with_images = true; break;
        case O_PLAIN_HTTP: o->plain_http = true; break;
        case O_INSECURE: o->insecure = true; break;
        case 'q': quiet = true; break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1 || !out) {
        cli_error("\"capstan bundle\" requires a CHART and -o FILE\n\nUsage:  capstan bundle CHART -o FILE.tgz [flags]");
        return EXIT_USAGE;
    }
    o->log = quiet ? NULL : stderr;
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    capstan_error err = {0};
    if (capstan_bundle(argv[optind], out, o, &err) != 0)
        return fail(&err);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    char *summary = NULL;
    if (capstan_bundle_verify(out, &summary, &err) != 0)
        return fail(&err);
    printf("Wrote %s (%s) in %.1fs\n", out, summary ? summary : "",
           (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9);
    free(summary);
    return EXIT_OK;
}
#endif

int cmd_bundle(int argc, char **argv)
{
    if (argc >= 2 && strcmp(argv[1], "verify") == 0)
        return verify(argc - 1, argv + 1);
#ifdef CAPSTAN_LEAN
    return cli_exec_net(argc, argv);
#else
    /* the values flags' allocations are freed here, whichever way bundle_main returns */
    capstan_bundle_opts o = {0};
    int rc = bundle_main(argc, argv, &o);
    flags_values_free(&o.render);
    return rc;
#endif
}
