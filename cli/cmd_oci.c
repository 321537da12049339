/* cmd_oci.c — `capstan push CHART.tgz oci://HOST/REPO`, `capstan pull
 * REF...` (any chart reference: cmd_pull), `capstan registry login|logout`, and the
 * debug command `capstan oci-copy` (images between registries and OCI
 * layouts, for tests). Helm's flag names; like helm, the progress lines
 * (Pushed:, Pulled:, Digest:, Login Succeeded) go to stderr. */
#include "capstan.h"
#include "cli.h"
#include "flags.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

enum {
    O_PLAIN_HTTP = 4000, O_INSECURE, O_CA_FILE, O_CERT_FILE, O_KEY_FILE, O_USERNAME, O_PASSWORD,
    O_REGISTRY_CONFIG, O_VERSION, O_UNTAR, O_UNTARDIR, O_PASSWORD_STDIN, O_PROV, O_DEST, O_REF_NAME, O_DEVEL,
    O_PLAIN_LOOPBACK, O_PLAIN_HOST, O_REPO, O_PASS_CREDS, O_VERIFY, O_KEYRING,
};

#define REGISTRY_LONGOPTS \
    {"plain-http", no_argument, NULL, O_PLAIN_HTTP}, \
    {"insecure-skip-tls-verify", no_argument, NULL, O_INSECURE}, \
    {"insecure", no_argument, NULL, O_INSECURE}, \
    {"ca-file", required_argument, NULL, O_CA_FILE}, \
    {"cert-file", required_argument, NULL, O_CERT_FILE}, \
    {"key-file", required_argument, NULL, O_KEY_FILE}, \
    {"username", required_argument, NULL, O_USERNAME}, \
    {"password", required_argument, NULL, O_PASSWORD}, \
    {"registry-config", required_argument, NULL, O_REGISTRY_CONFIG}

static void opts_init(capstan_chart_opts *o)
{
    memset(o, 0, sizeof *o);
    o->size = sizeof *o;
    o->out = stdout;
    o->log = stderr;
}

/* A registry flag: 1 when taken into o, 0 when not one. */
static int registry_flag(int c, capstan_chart_opts *o)
{
    switch (c) {
    case O_PLAIN_HTTP: o->plain_http = true; return 1;
    case O_INSECURE: o->insecure_skip_tls_verify = true; return 1;
    case O_CA_FILE: o->ca_file = optarg; return 1;
    case O_CERT_FILE: o->cert_file = optarg; return 1;
    case O_KEY_FILE: o->key_file = optarg; return 1;
    case 'u': case O_USERNAME: o->username = optarg; return 1;
    case 'p': case O_PASSWORD: o->password = optarg; return 1;
    case O_REGISTRY_CONFIG: o->registry_config = optarg; return 1;
    default: return 0;
    }
}

/* Parse argv for a command that takes registry flags only; returns the
 * index of the first operand, or -1 after reporting an unknown flag. */
static int registry_flags_only(int argc, char **argv, capstan_chart_opts *o)
{
    static const struct option longopts[] = {REGISTRY_LONGOPTS, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, o))
            continue;
        flags_bad_option(c, argv[optind - 1]);
        return -1;
    }
    return optind;
}

static int usage_of(const char *name)
{
    fputs(cli_find_command(name)->usage, stderr);
    return EXIT_USAGE;
}

int cmd_push(int argc, char **argv)
{
    capstan_chart_opts o;
    opts_init(&o);
    int first = registry_flags_only(argc, argv, &o);
    if (first < 0)
        return EXIT_USAGE;
    if (argc - first != 2)
        return usage_of("push");
    capstan_error err = {0};
    if (capstan_push(argv[first], argv[first + 1], &o, &err) != 0)
        return cli_fail(&err);
    return EXIT_OK;
}

/* ---- pull -------------------------------------------------------------- */

/* -d DEST that does not exist: helm downloads, then fails to create DEST/NAME.tgzRANDOM
 * (its temporary name before the rename) with "open ...: no such file or directory".
 * So here: the pull goes to a scratch folder, which is removed, then helm's error. */
static int pull_to_missing_dest(const char *ref, capstan_pull_opts *p, const capstan_chart_opts *o)
{
    const char *tmpdir = getenv("TMPDIR");
    char scratch[PATH_MAX], name[NAME_MAX + 1] = "";
    snprintf(scratch, sizeof scratch, "%s/capstan-pull-XXXXXX", tmpdir && *tmpdir ? tmpdir : "/tmp");
    if (!mkdtemp(scratch)) {
        cli_error("cannot create a temporary folder in %s: %s", tmpdir && *tmpdir ? tmpdir : "/tmp", strerror(errno));
        return EXIT_ERR;
    }
    const char *dest = p->dest;
    p->dest = scratch;
    capstan_error err = {0};
    int rc = capstan_pull(ref, p, o, &err);
    p->dest = dest;
    DIR *d = opendir(scratch);
    for (struct dirent *e; d && (e = readdir(d));) {
        size_t l = strlen(e->d_name);
        if (l > 4 && strcmp(e->d_name + l - 4, ".tgz") == 0)
            snprintf(name, sizeof name, "%s", e->d_name);
        if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
            unlinkat(dirfd(d), e->d_name, 0);
    }
    if (d)
        closedir(d);
    rmdir(scratch);
    if (rc != 0)
        return cli_fail(&err);
    size_t dl = strlen(dest);
    while (dl > 1 && dest[dl - 1] == '/')
        dl--;
    cli_error("open %.*s/%s%u: no such file or directory", (int)dl, dest, name,
              (unsigned)getpid() * 2654435761u % 1000000000u);
    return EXIT_ERR;
}

/* `capstan pull REF...`: REPO/CHART, a chart URL, CHART with --repo, or
 * oci://...; --verify checks REF's provenance file (helm's lines on stdout),
 * --prov only fetches it. */
int cmd_pull(int argc, char **argv)
{
    static const struct option longopts[] = {
        REGISTRY_LONGOPTS,
        {"version", required_argument, NULL, O_VERSION},
        {"destination", required_argument, NULL, 'd'},
        {"untar", no_argument, NULL, O_UNTAR},
        {"untardir", required_argument, NULL, O_UNTARDIR},
        {"prov", no_argument, NULL, O_PROV},
        {"devel", no_argument, NULL, O_DEVEL},
        {"repo", required_argument, NULL, O_REPO},
        {"pass-credentials", no_argument, NULL, O_PASS_CREDS},
        {"verify", no_argument, NULL, O_VERIFY},
        {"keyring", required_argument, NULL, O_KEYRING},
        {NULL, 0, NULL, 0},
    };
    capstan_chart_opts o;
    opts_init(&o);
    capstan_pull_opts p = {.size = sizeof p};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        switch (c) {
        case O_VERSION: o.version = optarg; break;
        case 'd': p.dest = optarg; break;
        case O_UNTAR: p.untar = true; break;
        case O_UNTARDIR: p.untardir = optarg; break;
        case O_PROV: p.prov = true; break;
        case O_DEVEL: o.devel = true; break;
        case O_REPO: o.repo_url = optarg; break;
        case O_PASS_CREDS: o.pass_credentials = true; break;
        case O_VERIFY: o.verify = true; break;
        case O_KEYRING: o.keyring = optarg; break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind < 1) {
        cli_error("\"capstan pull\" requires at least 1 argument\n\nUsage:  capstan pull [chart URL | repo/chartname] [...] [flags]");
        return EXIT_USAGE;
    }
    struct stat st;
    bool missing_dest = p.dest && !p.untar && stat(p.dest, &st) != 0 && errno == ENOENT;
    for (int i = optind; i < argc; i++) {
        capstan_error err = {0};
        if (missing_dest)
            return pull_to_missing_dest(argv[i], &p, &o);
        if (capstan_pull(argv[i], &p, &o, &err) != 0)
            return cli_fail(&err);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}

/* ---- registry login / logout ------------------------------------------- */

static int registry_login(int argc, char **argv)
{
    static const struct option longopts[] = {
        REGISTRY_LONGOPTS, {"password-stdin", no_argument, NULL, O_PASSWORD_STDIN}, {NULL, 0, NULL, 0}};
    capstan_chart_opts o;
    opts_init(&o);
    bool from_stdin = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        if (c == O_PASSWORD_STDIN) {
            from_stdin = true;
            continue;
        }
        flags_bad_option(c, argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (argc - optind != 1)
        return usage_of("registry");
    char *pw = NULL;
    if (from_stdin) {
        if (!(pw = cli_read_password())) {
            cli_error("cannot read the password from stdin");
            return EXIT_ERR;
        }
        o.password = pw;
    } else if (o.password && *o.password) {
        cli_slog("WARN", "using --password via the CLI is insecure. Use --password-stdin", NULL, NULL);
    }
    capstan_error err = {0};
    int rc = capstan_registry_login(argv[optind], &o, &err) == 0 ? EXIT_OK : cli_fail(&err);
    free(pw);
    return rc;
}

static int registry_logout(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"registry-config", required_argument, NULL, O_REGISTRY_CONFIG}, {NULL, 0, NULL, 0}};
    capstan_chart_opts o;
    opts_init(&o);
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":", longopts, NULL)) != -1) {
        if (c == O_REGISTRY_CONFIG) {
            o.registry_config = optarg;
            continue;
        }
        flags_bad_option(c, argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (argc - optind != 1)
        return usage_of("registry");
    capstan_error err = {0};
    if (capstan_registry_logout(argv[optind], &o, &err) != 0)
        return cli_fail(&err);
    return EXIT_OK;
}

int cmd_registry(int argc, char **argv)
{
    if (argc < 2)
        return usage_of("registry");
    if (strcmp(argv[1], "login") == 0)
        return registry_login(argc - 1, argv + 1);
    if (strcmp(argv[1], "logout") == 0)
        return registry_logout(argc - 1, argv + 1);
    cli_error("unknown command \"%s\" for \"capstan registry\"", argv[1]);
    return EXIT_USAGE;
}

/* ---- oci-copy (debug) --------------------------------------------------- */

/* capstan oci-copy SRC_REF oci-layout:DIR[:NAME]        registry -> layout
 * capstan oci-copy oci-layout:DIR:NAME DST_REF...       layout -> registries
 * Prints the digest on stdout. */
int cmd_oci_copy(int argc, char **argv)
{
    static const struct option longopts[] = {
        REGISTRY_LONGOPTS,
        {"plain-http-loopback", no_argument, NULL, O_PLAIN_LOOPBACK},
        {"plain-http-host", required_argument, NULL, O_PLAIN_HOST},
        {NULL, 0, NULL, 0},
    };
    capstan_chart_opts o;
    opts_init(&o);
    const char *hosts[17] = {0};
    size_t nh = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        if (c == O_PLAIN_LOOPBACK)
            o.plain_http_loopback = true;
        else if (c == O_PLAIN_HOST && nh < 16)
            hosts[nh++] = optarg;
        else {
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    o.plain_http_hosts = nh ? hosts : NULL;
    int first = optind;
    if (argc - first < 2)
        return usage_of("oci-copy");
    char *digest = NULL, *stats = NULL;
    capstan_error err = {0};
    if (capstan_image_copy(argv[first], (const char *const *)argv + first + 1, (size_t)(argc - first - 1), &o,
                           &digest, &stats, &err) != 0)
        return cli_fail(&err);
    printf("%s\n", digest);
    if (getenv("CAPSTAN_OCI_STATS"))
        fprintf(stderr, "%s\n", stats);
    free(digest);
    free(stats);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
