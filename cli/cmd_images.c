/* cmd_images.c — `capstan images CHART [values flags] [-o text|json]`: every
 * image the chart can run with those values (renderer/images/images.h). */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { O_KUBE_VERSION = 3100, O_REGISTRY };

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    {"namespace", required_argument, NULL, 'n'},
    {"output", required_argument, NULL, 'o'},
    {"kube-version", required_argument, NULL, O_KUBE_VERSION},
    {"registry", required_argument, NULL, O_REGISTRY},
    {"api-versions", required_argument, NULL, 'a'},
    {NULL, 0, NULL, 0},
};

static int images_main(int argc, char **argv, capstan_render_opts *o);

/* What the flags allocate (the values flags', --api-versions) is freed here, whichever
 * way images_main returns. */
int cmd_images(int argc, char **argv)
{
    capstan_render_opts o = {0};
    int rc = images_main(argc, argv, &o);
    flags_values_free(&o);
    free(o.api_versions);
    return rc;
}

static int images_main(int argc, char **argv, capstan_render_opts *o)
{
    const char *format = "text";
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:n:o:a:", longopts, NULL)) != -1) {
        if (flags_values(c, optarg, o))
            continue;
        switch (c) {
        case 'n': o->namespace_ = optarg; break;
        case 'o': format = optarg; break;
        case O_KUBE_VERSION: o->kube_version = optarg; break;
        case O_REGISTRY: o->registry = optarg; break;
        case 'a':
            o->api_versions = realloc(o->api_versions, (o->n_api_versions + 1) * sizeof *o->api_versions);
            o->api_versions[o->n_api_versions++] = optarg;
            break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (strcmp(format, "text") != 0 && strcmp(format, "json") != 0) {
        cli_error("images: invalid output format \"%s\": use text or json", format);
        return EXIT_USAGE;
    }
    int nargs = argc - optind;
    if (nargs < 1 || nargs > 2) {
        cli_error("\"capstan images\" requires 1 argument\n\nUsage:  capstan images [NAME] CHART [flags]");
        return EXIT_USAGE;
    }
    o->release_name = nargs == 2 ? argv[optind] : "release-name";
    const char *chart = argv[optind + nargs - 1];
    char *out = NULL;
    size_t len = 0;
    capstan_error err = {0};
    int rc = capstan_images(chart, o, format, &out, &len, &err);
    if (rc != 0) {
        char *m = capstan_error_message(&err);
        cli_error("%s", m);
        free(m);
        capstan_error_clear(&err);
        return EXIT_ERR;
    }
    fwrite(out, 1, len, stdout);
    free(out);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
