/* cmd_template.c — `capstan template [NAME] CHART [flags]`, with helm template's
 * flags. Output is buffered and printed only when rendering succeeds. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <errno.h>
#include <stdbool.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

typedef struct strv {
    const char **v;
    size_t n;
} strv;

static void push(strv *s, const char *x)
{
    s->v = realloc(s->v, (s->n + 1) * sizeof *s->v);
    s->v[s->n++] = x;
}

/* --api-versions is a string slice: comma-separated values too. */
static strv owned; /* copies made by push_csv, freed at the end of the command */

static void push_csv(strv *s, const char *x)
{
    char *copy = strdup(x);
    push(&owned, copy);
    for (char *tok = strtok(copy, ","); tok; tok = strtok(NULL, ","))
        push(s, tok);
}

enum {
    O_INCLUDE_CRDS = 1000, O_SKIP_CRDS, O_SKIP_TESTS,
    O_NO_HOOKS, O_IS_UPGRADE, O_KUBE_VERSION, O_NAME_TEMPLATE, O_OUTPUT_DIR, O_POST_RENDERER, O_DEBUG,
    O_RELEASE_NAME, O_HELM3_ORDER, O_SKIP_SCHEMA, O_DRY_RUN, O_VALIDATE, O_POST_RENDERER_ARGS, O_DEPENDENCY_UPDATE,
    O_VERSION, O_DEVEL, O_CREATE_NS, O_WAIT, O_TIMEOUT, O_ATOMIC, O_DESCRIPTION, O_REPLACE, O_SEED, O_REGISTRY,
    O_MAX_RENDER_MEMORY, O_RENDER_TIMEOUT,
    O_DISABLE_OPENAPI, O_ENABLE_DNS, O_FORCE_CONFLICTS, O_FORCE_REPLACE, O_HIDE_NOTES, O_SUBCHART_NOTES,
    O_ROLLBACK_ON_FAILURE, O_SERVER_SIDE, O_TAKE_OWNERSHIP, O_WAIT_FOR_JOBS,
};

static const struct option longopts[] = {
    {"namespace", required_argument, NULL, 'n'},
    FLAGS_VALUES_LONGOPTS,
    {"show-only", required_argument, NULL, 's'},
    {"include-crds", no_argument, NULL, O_INCLUDE_CRDS},
    {"skip-crds", no_argument, NULL, O_SKIP_CRDS},
    {"skip-tests", no_argument, NULL, O_SKIP_TESTS},
    {"no-hooks", no_argument, NULL, O_NO_HOOKS},
    {"is-upgrade", no_argument, NULL, O_IS_UPGRADE},
    {"kube-version", required_argument, NULL, O_KUBE_VERSION},
    {"api-versions", required_argument, NULL, 'a'},
    {"generate-name", no_argument, NULL, 'g'},
    {"name-template", required_argument, NULL, O_NAME_TEMPLATE},
    {"output-dir", required_argument, NULL, O_OUTPUT_DIR},
    {"post-renderer", required_argument, NULL, O_POST_RENDERER},
    {"post-renderer-args", required_argument, NULL, O_POST_RENDERER_ARGS},
    {"debug", no_argument, NULL, O_DEBUG},
    {"release-name", no_argument, NULL, O_RELEASE_NAME},
    {"helm3-order", no_argument, NULL, O_HELM3_ORDER},
    {"skip-schema-validation", no_argument, NULL, O_SKIP_SCHEMA},
    {"dry-run", optional_argument, NULL, O_DRY_RUN},
    {"validate", no_argument, NULL, O_VALIDATE},
    CLI_CHART_LONGOPTS,
    {"insecure-skip-tls-verify", no_argument, NULL, FL_CHART_INSECURE},
    {"plain-http", no_argument, NULL, FL_CHART_PLAIN_HTTP},
    {"create-namespace", no_argument, NULL, O_CREATE_NS},
    {"wait", optional_argument, NULL, O_WAIT},
    {"timeout", required_argument, NULL, O_TIMEOUT},
    {"atomic", no_argument, NULL, O_ATOMIC},
    {"description", required_argument, NULL, O_DESCRIPTION},
    {"replace", no_argument, NULL, O_REPLACE},
    {"seed", required_argument, NULL, O_SEED},
    {"registry", required_argument, NULL, O_REGISTRY},
    {"max-render-memory", required_argument, NULL, O_MAX_RENDER_MEMORY},
    {"render-timeout", required_argument, NULL, O_RENDER_TIMEOUT},
    {"labels", required_argument, NULL, 'l'},
    {"disable-openapi-validation", no_argument, NULL, O_DISABLE_OPENAPI},
    {"enable-dns", no_argument, NULL, O_ENABLE_DNS},
    {"force-conflicts", no_argument, NULL, O_FORCE_CONFLICTS},
    {"force-replace", no_argument, NULL, O_FORCE_REPLACE},
    {"hide-notes", no_argument, NULL, O_HIDE_NOTES},
    {"render-subchart-notes", no_argument, NULL, O_SUBCHART_NOTES},
    {"rollback-on-failure", no_argument, NULL, O_ROLLBACK_ON_FAILURE},
    {"server-side", optional_argument, NULL, O_SERVER_SIDE},
    {"take-ownership", no_argument, NULL, O_TAKE_OWNERSHIP},
    {"wait-for-jobs", no_argument, NULL, O_WAIT_FOR_JOBS},
    {NULL, 0, NULL, 0},
};

/* The resource policy (README "Resource limits"): a render may hold this much
 * memory and run this long by default; the flags change them, 0 = no limit. */

/* --max-render-memory: bytes, with an optional unit (Ki, Mi, Gi, K, M, G, with or without B) */
static int parse_size(const char *s, size_t *out)
{
    static const struct { const char *u; unsigned long long m; } units[] = {
        {"", 1}, {"B", 1}, {"K", 1000}, {"KB", 1000}, {"Ki", 1ULL << 10}, {"KiB", 1ULL << 10},
        {"M", 1000000}, {"MB", 1000000}, {"Mi", 1ULL << 20}, {"MiB", 1ULL << 20},
        {"G", 1000000000}, {"GB", 1000000000}, {"Gi", 1ULL << 30}, {"GiB", 1ULL << 30},
    };
    char *end;
    errno = 0;
    if (*s < '0' || *s > '9')
        return -1;
    unsigned long long n = strtoull(s, &end, 10);
    if (errno)
        return -1;
    for (size_t i = 0; i < sizeof units / sizeof *units; i++)
        if (strcmp(end, units[i].u) == 0) {
            if (n > SIZE_MAX / units[i].m)
                return -1;
            *out = (size_t)(n * units[i].m);
            return 0;
        }
    return -1;
}

/* --render-timeout: a Go duration of whole numbers ("5m", "1m30s", "500ms", "0") */
static int parse_duration_ms(const char *s, unsigned long *out)
{
    static const struct { const char *u; unsigned long ms; } units[] = {
        {"ms", 1}, {"h", 3600000}, {"m", 60000}, {"s", 1000},
    };
    unsigned long long total = 0;
    if (strcmp(s, "0") == 0) {
        *out = 0;
        return 0;
    }
    if (!*s)
        return -1;
    while (*s) {
        if (*s < '0' || *s > '9')
            return -1;
        char *end;
        errno = 0;
        unsigned long long n = strtoull(s, &end, 10);
        size_t i = 0;
        while (i < sizeof units / sizeof *units && strncmp(end, units[i].u, strlen(units[i].u)) != 0)
            i++;
        if (errno || i == sizeof units / sizeof *units || n > (1ULL << 40))
            return -1;
        total += n * units[i].ms;
        if (total > (1ULL << 42))
            return -1;
        s = end + strlen(units[i].u);
    }
    *out = (unsigned long)total;
    return 0;
}

static int bad_limit(const char *value, const char *flag, const char *expected)
{
    cli_error("invalid argument \"%s\" for \"%s\" flag: expected %s", value, flag, expected);
    return EXIT_USAGE;
}

static void print_error(const capstan_error *e)
{
    char *m = capstan_error_message(e);
    /* a limit's error names the flag that changes it */
    const char *flag = NULL;
    if (strncmp(m, "render exceeded the memory limit", 32) == 0)
        flag = " (--max-render-memory)";
    else if (strncmp(m, "render exceeded the time limit", 30) == 0)
        flag = " (--render-timeout)";
    cli_error("%s%s", m, flag ? flag : "");
    free(m);
}

static int mkdirs(const char *path)
{
    char *p = strdup(path);
    for (char *s = p + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = 0;
        if (mkdir(p, 0755) != 0 && errno != EEXIST) {
            free(p);
            return -1;
        }
        *s = '/';
    }
    free(p);
    return 0;
}

/* capstan_template_write's writer for stdout */
static int write_stdout(void *ctx, const char *bytes, size_t n)
{
    (void)ctx;
    return fwrite(bytes, 1, n, stdout) == n ? 0 : -1;
}

/* --output-dir: each "---\n# Source: NAME\n..." block into DIR/NAME (appended
 * when the same file gets several), printing "wrote FILE" as helm does. */
static int write_output_dir(const char *relname, const char *dir, const char *text, size_t len)
{
    const char *mark = "---\n# Source: ";
    size_t ml = strlen(mark);
    char **written = NULL;
    size_t nw = 0;
    const char *p = text, *end = text + len;
    int rc = EXIT_OK;
    while (p < end) {
        const char *blk = strstr(p, mark);
        if (!blk)
            break;
        const char *nm = blk + ml;
        const char *eol = strchr(nm, '\n');
        if (!eol)
            break;
        const char *next = strstr(eol, mark);
        if (!next)
            next = end;
        char *name = strndup(nm, (size_t)(eol - nm));
        const char *content = eol + 1;
        size_t clen = (size_t)(next - content);
        char *path;
        if (asprintf(&path, relname ? "%s/%s/%s" : "%s/%s%s", dir, relname ? relname : "", name) < 0)
            return EXIT_ERR;
        if (!relname) {
            free(path);
            if (asprintf(&path, "%s/%s", dir, name) < 0)
                return EXIT_ERR;
        }
        bool again = false;
        for (size_t i = 0; i < nw; i++)
            again = again || strcmp(written[i], path) == 0;
        mkdirs(path);
        FILE *f = fopen(path, again ? "a" : "w");
        if (!f) {
            cli_error("%s: %s", path, strerror(errno));
            rc = EXIT_ERR;
            free(name);
            free(path);
            break;
        }
        fprintf(f, "---\n# Source: %s\n", name);
        fwrite(content, 1, clen, f);
        fclose(f);
        printf("wrote %s\n", path);
        if (!again) {
            written = realloc(written, (nw + 1) * sizeof *written);
            written[nw++] = path;
        } else {
            free(path);
        }
        free(name);
        p = next;
    }
    for (size_t i = 0; i < nw; i++)
        free(written[i]);
    free(written);
    if (rc == EXIT_OK)
        fputs("\n", stdout);
    return rc;
}

typedef struct lists {
    strv show, apis, pargs;
    const char **labels; /* --labels (flags_labels) */
    size_t nlabels;
} lists;

static int template_main(int argc, char **argv, capstan_render_opts *o, lists *L);
static int render(const char *chart, capstan_render_opts *o, lists *L, const char *name, bool use_release_name,
                  const char *output_dir, const char *post_renderer, const capstan_kube_opts *server);

/* The lists, and what the values flags allocate in the options, are freed here, whichever
 * way template_main returns. */
int cmd_template(int argc, char **argv)
{
    capstan_render_opts o;
    memset(&o, 0, sizeof o);
    lists L;
    memset(&L, 0, sizeof L);
    int rc = template_main(argc, argv, &o, &L);
    strv *all[] = {&L.show, &L.apis, &L.pargs};
    for (size_t i = 0; i < sizeof all / sizeof *all; i++)
        free(all[i]->v);
    flags_labels_free(L.labels, L.nlabels);
    flags_values_free(&o);
    for (size_t i = 0; i < owned.n; i++)
        free((char *)owned.v[i]);
    free(owned.v);
    memset(&owned, 0, sizeof owned);
    return rc;
}

static int template_main(int argc, char **argv, capstan_render_opts *o, lists *L)
{
    o->log = cli_loader_log;
    o->max_render_memory = DEFAULT_MAX_RENDER_MEMORY;
    o->render_timeout_ms = DEFAULT_RENDER_TIMEOUT_MS;
    const char *ns = getenv("HELM_NAMESPACE");
    const char *name_template = NULL, *output_dir = NULL, *post_renderer = NULL;
    bool generate = false, debug = false, use_release_name = false, dep_update = false;
    capstan_chart_opts co;
    cli_chart_opts_init(&co);
    int c;
    optind = 1;
    opterr = 0;
    bool force_replace = false, force_conflicts = false, dry_run_server = false;
    while ((c = getopt_long(argc, argv, ":n:f:s:a:gl:", longopts, NULL)) != -1) {
        if (c == ':') {
            flags_missing(argv[optind - 1]);
            return EXIT_USAGE;
        }
        if (flags_values(c, optarg, o))
            continue;
        switch (c) {
        case 'n': ns = optarg; break;
        case 's': push(&L->show, optarg); break;
        case O_INCLUDE_CRDS: o->include_crds = true; break;
        case O_SKIP_CRDS: break; /* template never installs CRDs */
        case O_SKIP_TESTS: o->skip_tests = true; break;
        case O_NO_HOOKS: o->no_hooks = true; break;
        case O_IS_UPGRADE: o->is_upgrade = true; break;
        case O_KUBE_VERSION: o->kube_version = optarg; break;
        case 'a': push_csv(&L->apis, optarg); break;
        case 'g': generate = true; break;
        case O_NAME_TEMPLATE: name_template = optarg; break;
        case O_OUTPUT_DIR: output_dir = optarg; break;
        case O_POST_RENDERER: post_renderer = optarg; break;
        case O_DEBUG: debug = true; break;
        case O_RELEASE_NAME: use_release_name = true; break;
        case O_HELM3_ORDER: o->helm3_order = true; break;
        case O_SKIP_SCHEMA: o->skip_schema_validation = true; break;
        case O_SEED: o->seed = strtoul(optarg, NULL, 10); break;
        case O_REGISTRY: o->registry = optarg; break;
        case O_POST_RENDERER_ARGS: push(&L->pargs, optarg); break;
        case O_MAX_RENDER_MEMORY:
            if (parse_size(optarg, &o->max_render_memory) != 0)
                return bad_limit(optarg, "--max-render-memory", "a size such as 2GiB, 512MiB or 0 (no limit)");
            break;
        case O_RENDER_TIMEOUT:
            if (parse_duration_ms(optarg, &o->render_timeout_ms) != 0)
                return bad_limit(optarg, "--render-timeout", "a duration such as 5m, 30s, 1m30s or 0 (no limit)");
            break;
        case O_ENABLE_DNS: o->enable_dns = true; break;
        case O_SUBCHART_NOTES: o->subchart_notes = true; break; /* template prints no notes */
        case 'l': /* checked as helm's flag parser does; template stores no release */
            if (flags_labels(optarg, &L->labels, &L->nlabels) < 0)
                return EXIT_USAGE;
            break;
        case O_DRY_RUN:
            if (optarg && strcmp(optarg, "client") != 0 && strcmp(optarg, "server") != 0 &&
                strcmp(optarg, "unset") != 0 && strcmp(optarg, "true") != 0) {
                if (strcmp(optarg, "none") == 0 || strcmp(optarg, "false") == 0)
                    cli_error("invalid dry-run value (\"%s\"). Must be \"server\" or \"client\"", optarg);
                else
                    cli_error("invalid dry-run value (\"%s\"). Must be \"none\", \"server\", or \"client\"", optarg);
                return EXIT_ERR;
            }
            dry_run_server = optarg && strcmp(optarg, "server") == 0;
            break;
        case O_WAIT:
            if (cli_wait_strategy(optarg, &(bool){false}) < 0)
                return EXIT_ERR;
            break;
        case O_TIMEOUT:
            if (flags_duration_ms(optarg) < 0) {
                flags_duration_error("--timeout", optarg);
                return EXIT_USAGE;
            }
            break;
        case O_FORCE_CONFLICTS: force_conflicts = true; break;
        case O_FORCE_REPLACE: force_replace = true; break;
        case O_SERVER_SIDE:
            if (flags_server_side(optarg, false) < 0)
                return EXIT_ERR;
            break;
        case O_VALIDATE: case O_CREATE_NS: case O_ATOMIC: case O_DESCRIPTION: case O_REPLACE: case O_DISABLE_OPENAPI:
        case O_HIDE_NOTES: case O_ROLLBACK_ON_FAILURE:
        case O_TAKE_OWNERSHIP: case O_WAIT_FOR_JOBS:
            break;
        default:
            if (cli_chart_flag(c, optarg, &co, &dep_update))
                break;
            if (optopt && optopt < 256)
                cli_error("unknown shorthand flag: '%c' in -%c", optopt, optopt);
            else
                cli_error("unknown flag: %s", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    (void)debug;
    if (flags_exclusive(force_replace, force_conflicts) < 0)
        return EXIT_USAGE;
    capstan_error lerr = {0}; /* helm's template is an install that stores nothing: its labels are checked */
    int lrc0 = capstan_release_labels_check(L->labels, L->nlabels, &lerr);
    if (lrc0 != 0)
        return cli_fail(&lerr);
    int nargs = argc - optind;
    char **args = argv + optind;
    if (nargs < 1) {
        cli_error("\"capstan template\" requires at least 1 argument\n\nUsage:  capstan template [NAME] [CHART] [flags]");
        return EXIT_USAGE;
    }
    if (nargs > 2) {
        cli_error("expected at most two arguments, unexpected arguments: %s", args[2]);
        return EXIT_USAGE;
    }
    /* "CHART/" is the directory CHART: its files are named CHART/x, not CHART//x */
    for (size_t n = strlen(args[nargs - 1]); n > 1 && args[nargs - 1][n - 1] == '/';)
        args[nargs - 1][--n] = '\0';
    const char *name, *chart;
    char *rendered_name = NULL;
    if (nargs == 2) {
        if (generate) {
            cli_error("cannot set --generate-name and also specify a name");
            return EXIT_ERR;
        }
        if (name_template) {
            cli_error("cannot set --name-template and also specify a name");
            return EXIT_ERR;
        }
        name = args[0];
        chart = args[1];
    } else {
        chart = args[0];
        if (name_template) {
            capstan_error nerr = {0};
            if (capstan_render_name(name_template, &rendered_name, &nerr) != 0) {
                print_error(&nerr);
                capstan_error_clear(&nerr);
                return EXIT_ERR;
            }
            name = rendered_name;
        } else {
            /* helm 4.1.4's template renders with "release-name" even with --generate-name */
            name = "release-name";
        }
    }
#ifdef CAPSTAN_LEAN
    if (dry_run_server) { /* the cluster is capstan-net's */
        free(rendered_name);
        return cli_exec_net(argc, argv);
    }
#endif
    char *located = NULL;
    int lrc = cli_chart_locate(argc, argv, chart, &co, dep_update, &located);
    if (lrc != EXIT_OK) {
        free(rendered_name);
        return lrc;
    }
    capstan_kube_opts kube = {.size = sizeof kube, .namespace_ = ns && *ns ? ns : NULL};
    flags_kube_env(&kube);
    chart = located;
    o->release_name = name;
    o->namespace_ = ns && *ns ? ns : "default";
    o->show_only = L->show.v; o->n_show_only = L->show.n;
    o->api_versions = L->apis.v; o->n_api_versions = L->apis.n;
    int rc = render(chart, o, L, name, use_release_name, output_dir, post_renderer, dry_run_server ? &kube : NULL);
    free(located);
    free(rendered_name);
    return rc;
}

/* capstan_template_cluster_write's writer for --output-dir: the whole text, malloc'd */
typedef struct text {
    char *s;
    size_t n;
} text;

static int write_text(void *ctx, const char *bytes, size_t n)
{
    text *t = ctx;
    char *s = realloc(t->s, t->n + n + 1);
    if (!s)
        return -1;
    memcpy(s + t->n, bytes, n);
    t->s = s;
    t->n += n;
    s[t->n] = '\0';
    return 0;
}

/* The rendered text: rendered against the cluster of server (--dry-run=server), or not. */
static int template_out(const char *chart, const capstan_render_opts *o, const capstan_kube_opts *server,
                        capstan_write_fn write, void *ctx, capstan_error *err)
{
#ifndef CAPSTAN_LEAN
    if (server)
        return capstan_template_cluster_write(chart, o, server, write, ctx, err);
#else
    (void)server;
#endif
    return capstan_template_write(chart, o, write, ctx, err);
}

static int render(const char *chart, capstan_render_opts *o, lists *L, const char *name, bool use_release_name,
                  const char *output_dir, const char *post_renderer, const capstan_kube_opts *server)
{
    capstan_post_renderer *pr = NULL;
    if (post_renderer && *post_renderer) {
        capstan_error perr = {0};
        if (capstan_post_renderer_find(post_renderer, L->pargs.v, L->pargs.n, &pr, &perr) != 0) {
            fprintf(stderr, "capstan: invalid argument \"%s\" for \"--post-renderer\" flag: %s\n", post_renderer,
                    perr.msg ? perr.msg : "");
            capstan_error_clear(&perr);
            return EXIT_ERR;
        }
        o->post_render = capstan_post_renderer_run;
        o->post_render_ctx = pr;
    }
    capstan_error err = {0};
    int rc = EXIT_OK;
    if (output_dir) {
        text out = {NULL, 0};
        if (template_out(chart, o, server, write_text, &out, &err) != 0) {
            print_error(&err);
            capstan_error_clear(&err);
            capstan_post_renderer_free(pr);
            free(out.s);
            return EXIT_ERR;
        }
        rc = write_output_dir(use_release_name ? name : NULL, output_dir, out.s ? out.s : "", out.n);
        free(out.s);
    } else {
        /* streamed: the whole output is never held twice */
        if (template_out(chart, o, server, write_stdout, NULL, &err) != 0) {
            print_error(&err);
            capstan_error_clear(&err);
            capstan_post_renderer_free(pr);
            return EXIT_ERR;
        }
        if (fflush(stdout) != 0) {
            fprintf(stderr, "capstan: error writing the output: %s\n", strerror(errno));
            rc = EXIT_ERR;
        }
    }
    capstan_post_renderer_free(pr);
    return rc;
}
