/* cmd_diff.c — `capstan diff upgrade|install|rollback|revision|release`, with
 * helm-diff's flags and output (stdout), its environment variables
 * (HELM_DIFF_COLOR, HELM_DIFF_OUTPUT, HELM_DIFF_OUTPUT_CONTEXT) and NO_COLOR.
 * Exit status: 0; 1 on any error, usage errors too; 2 with --detailed-exitcode
 * when something changed. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum {
    O_CONTEXT = 'C', O_OUTPUT = 'o', O_SUPPRESS_SECRETS = 'q',
    O_NO_COLOR = 3200, O_COLOR, O_SUPPRESS, O_SHOW_SECRETS, O_SHOW_DECODED, O_DETAILED, O_STRIP_CR, O_NORMALIZE,
    O_INCLUDE_TESTS, O_INCLUDE_CRDS, O_NO_HOOKS, O_ALLOW_UNRELEASED, O_LIVE, O_SKIP_SCHEMA, O_KUBE_CONTEXT2,
    O_NAMESPACE2, O_REUSE_VALUES, O_RESET_VALUES, O_RESET_THEN_REUSE,
};

static const struct option longopts[] = {
    FLAGS_VALUES_LONGOPTS,
    FLAGS_KUBE_LONGOPTS,
    {"context", required_argument, NULL, O_CONTEXT},
    {"output", required_argument, NULL, O_OUTPUT},
    {"no-color", no_argument, NULL, O_NO_COLOR},
    {"color", optional_argument, NULL, O_COLOR},
    {"suppress", required_argument, NULL, O_SUPPRESS},
    {"suppress-secrets", no_argument, NULL, O_SUPPRESS_SECRETS},
    {"show-secrets", no_argument, NULL, O_SHOW_SECRETS},
    {"show-secrets-decoded", no_argument, NULL, O_SHOW_DECODED},
    {"detailed-exitcode", no_argument, NULL, O_DETAILED},
    {"strip-trailing-cr", no_argument, NULL, O_STRIP_CR},
    {"normalize-manifests", no_argument, NULL, O_NORMALIZE},
    {"include-tests", no_argument, NULL, O_INCLUDE_TESTS},
    {"include-crds", no_argument, NULL, O_INCLUDE_CRDS},
    {"no-hooks", no_argument, NULL, O_NO_HOOKS},
    {"install", no_argument, NULL, O_ALLOW_UNRELEASED},
    {"allow-unreleased", no_argument, NULL, O_ALLOW_UNRELEASED},
    {"live", no_argument, NULL, O_LIVE},
    {"skip-schema-validation", no_argument, NULL, O_SKIP_SCHEMA},
    {"kube-context2", required_argument, NULL, O_KUBE_CONTEXT2},
    {"namespace2", required_argument, NULL, O_NAMESPACE2},
    {"reuse-values", no_argument, NULL, O_REUSE_VALUES},
    {"reset-values", no_argument, NULL, O_RESET_VALUES},
    {"reset-then-reuse-values", no_argument, NULL, O_RESET_THEN_REUSE},
    {NULL, 0, NULL, 0},
};

typedef struct diff_cli {
    capstan_install_opts io;
    capstan_diff_opts d;
    const char *suppress[64];
    int color;           /* -1: decide from the terminal */
    bool detailed;
    const char *context2, *namespace2;
} diff_cli;

static bool env_bool(const char *name, bool *out)
{
    const char *v = getenv(name);
    if (!v)
        return false;
    if (!strcmp(v, "1") || !strcasecmp(v, "t") || !strcasecmp(v, "true"))
        return *out = true, true;
    if (!strcmp(v, "0") || !strcasecmp(v, "f") || !strcasecmp(v, "false"))
        return *out = false, true;
    return false;
}

static int parse_int(const char *s, const char *what, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < -1 || v > 1000000) {
        cli_error("invalid argument \"%s\" for \"%s\"", s, what);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* p zeroed: filled from the environment and the flags. */
static int parse(int argc, char **argv, diff_cli *p)
{
    p->d.size = sizeof p->d;
    p->d.context = -1;
    p->d.suppress = p->suppress;
    p->color = -1;
    p->io.render.log = cli_loader_log;
    p->io.render.max_render_memory = DEFAULT_MAX_RENDER_MEMORY;
    p->io.render.render_timeout_ms = DEFAULT_RENDER_TIMEOUT_MS;
    const char *v = getenv("HELM_DIFF_OUTPUT");
    if (v && *v)
        p->d.output = v;
    char *end;
    long env_ctx = (v = getenv("HELM_DIFF_OUTPUT_CONTEXT")) ? strtol(v, &end, 10) : -1;
    if (v && *v && !*end && env_ctx >= -1 && env_ctx <= 1000000) /* as helm-diff: ignored unless a number */
        p->d.context = (int)env_ctx;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":f:n:o:C:q", longopts, NULL)) != -1) {
        if (flags_values(c, optarg, &p->io.render) || flags_kube(c, optarg, &p->io.kube))
            continue;
        switch (c) {
        case O_CONTEXT:
            if (parse_int(optarg, "--context", &p->d.context) < 0)
                return -1;
            break;
        case O_OUTPUT: p->d.output = optarg; break;
        case O_NO_COLOR: p->color = 0; break;
        case O_COLOR: p->color = !optarg || strcmp(optarg, "false") != 0; break;
        case O_SUPPRESS:
            if (p->d.n_suppress == sizeof p->suppress / sizeof *p->suppress) {
                cli_error("diff: too many --suppress flags");
                return -1;
            }
            p->suppress[p->d.n_suppress++] = optarg;
            break;
        case O_SUPPRESS_SECRETS: p->d.suppress_secrets = true; break;
        case O_SHOW_SECRETS: p->d.show_secrets = true; break;
        case O_SHOW_DECODED: p->d.show_secrets_decoded = true; break;
        case O_DETAILED: p->detailed = true; break;
        case O_STRIP_CR: p->d.strip_trailing_cr = true; break;
        case O_NORMALIZE: p->d.normalize_manifests = true; break;
        case O_INCLUDE_TESTS: p->d.include_tests = true; break;
        case O_INCLUDE_CRDS: p->d.include_crds = true; break;
        case O_NO_HOOKS: p->d.no_hooks = true; break;
        case O_ALLOW_UNRELEASED: p->d.allow_unreleased = true; break;
        case O_LIVE: p->d.live = true; break;
        case O_SKIP_SCHEMA: p->io.render.skip_schema_validation = true; break;
        case O_KUBE_CONTEXT2: p->context2 = optarg; break;
        case O_NAMESPACE2: p->namespace2 = optarg; break;
        case O_REUSE_VALUES: p->io.reuse_values = true; break;
        case O_RESET_VALUES: p->io.reset_values = true; break;
        case O_RESET_THEN_REUSE: p->io.reset_then_reuse_values = true; break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return -1;
        }
    }
    const char *f = p->d.output;
    if (f && strcmp(f, "diff") && strcmp(f, "simple") && strcmp(f, "template") && strcmp(f, "json")) {
        cli_error("invalid output format \"%s\": use diff, simple, template or json", f); /* before the cluster */
        return -1;
    }
    bool env;
    if (p->color < 0 && env_bool("HELM_DIFF_COLOR", &env))
        p->color = env;
    if (p->color < 0) {
        const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
        p->color = isatty(STDOUT_FILENO) && !(nc && *nc) && !(term && strcmp(term, "dumb") == 0);
    }
    p->d.color = p->color == 1;
    return 0;
}

static int revision_arg(const char *s, int *out)
{
    char *end;
    long v = strtol(s, &end, 10);
    if (!*s || *end || v < 1 || v > 1000000000) {
        cli_error("diff: invalid revision \"%s\": a positive number", s);
        return -1;
    }
    *out = (int)v;
    return 0;
}

/* helm-diff's `diff release` names a release NS/NAME; NAME alone is in -n's namespace. */
static const char *release_ref(char *arg, capstan_kube_opts *k)
{
    char *slash = strchr(arg, '/');
    if (!slash)
        return arg;
    *slash = '\0';
    k->namespace_ = arg;
    return slash + 1;
}

static int usage_error(const char *msg)
{
    cli_error("diff: %s (see capstan diff --help)", msg);
    return EXIT_ERR;
}

static int diff_main(int argc, char **argv, diff_cli *p);

/* The values flags' allocations are freed here, whichever way diff_main returns. */
int cmd_diff(int argc, char **argv)
{
    diff_cli p;
    memset(&p, 0, sizeof p);
    int rc = diff_main(argc, argv, &p);
    flags_values_free(&p.io.render);
    return rc;
}

static int diff_main(int argc, char **argv, diff_cli *p)
{
    if (parse(argc, argv, p) < 0)
        return EXIT_ERR;
    char **args = argv + optind;
    int nargs = argc - optind;
    if (nargs < 1)
        return usage_error("a subcommand is required: upgrade, install, rollback, revision or release");
    const char *sub = args[0];
    args++, nargs--;
    capstan_error err = {0};
    char *out = NULL;
    size_t outlen = 0;
    bool changed = false;
    int rc;
    if (!strcmp(sub, "upgrade") || !strcmp(sub, "install")) {
        if (nargs != 2)
            return usage_error("\"diff upgrade\" and \"diff install\" take RELEASE and CHART");
        if (!strcmp(sub, "install"))
            p->d.allow_unreleased = true;
        rc = capstan_diff_upgrade(args[0], args[1], &p->io, &p->d, &out, &outlen, &changed, &err);
    } else if (!strcmp(sub, "rollback")) {
        int rev = 0;
        if (nargs < 1 || nargs > 2)
            return usage_error("\"diff rollback\" takes RELEASE [REVISION]");
        if (nargs == 2 && revision_arg(args[1], &rev) < 0)
            return EXIT_ERR;
        rc = capstan_diff_rollback(args[0], rev, &p->io.kube, &p->d, &out, &outlen, &changed, &err);
    } else if (!strcmp(sub, "revision")) {
        int a = 0, b = 0;
        if (nargs < 2 || nargs > 3)
            return usage_error("\"diff revision\" takes RELEASE REVISION1 [REVISION2]");
        if (revision_arg(args[1], &a) < 0 || (nargs == 3 && revision_arg(args[2], &b) < 0))
            return EXIT_ERR;
        rc = capstan_diff_revision(args[0], a, b, &p->io.kube, &p->d, &out, &outlen, &changed, &err);
    } else if (!strcmp(sub, "release")) {
        if (nargs != 2)
            return usage_error("\"diff release\" takes two releases, [NS/]RELEASE1 [NS/]RELEASE2");
        capstan_kube_opts k1 = p->io.kube, k2 = p->io.kube;
        if (p->context2)
            k2.context = p->context2;
        if (p->namespace2)
            k2.namespace_ = p->namespace2;
        const char *r1 = release_ref(args[0], &k1), *r2 = release_ref(args[1], &k2);
        rc = capstan_diff_release(r1, &k1, r2, &k2, &p->d, &out, &outlen, &changed, &err);
    } else {
        cli_error("diff: unknown subcommand \"%s\": use upgrade, install, rollback, revision or release", sub);
        return EXIT_ERR;
    }
    if (rc < 0)
        return cli_fail(&err);
    if (outlen && fwrite(out, 1, outlen, stdout) != outlen) {
        free(out);
        cli_error("error writing the output");
        return EXIT_ERR;
    }
    free(out);
    if (fflush(stdout) != 0) {
        cli_error("error writing the output");
        return EXIT_ERR;
    }
    if (p->detailed && changed) {
        cli_error("identified at least one change, exiting with non-zero exit code (detailed-exitcode parameter "
                  "enabled)");
        return 2;
    }
    return EXIT_OK;
}
