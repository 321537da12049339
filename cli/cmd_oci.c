/* cmd_oci.c — `capstan push CHART.tgz oci://HOST/REPO`, `capstan pull
 * oci://...` (cmd_pull_oci), `capstan registry login|logout`, and the
 * debug command `capstan oci-copy` (images between registries and OCI
 * layouts, for tests). Helm's flag names; like helm, the progress lines
 * (Pushed:, Pulled:, Digest:, Login Succeeded) go to stderr. */
#include "cli.h"
#include "core/fsutil.h"
#include "installer/net/untar.h"
#include "installer/net/oci.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

enum {
    O_PLAIN_HTTP = 4000, O_INSECURE, O_CA_FILE, O_CERT_FILE, O_KEY_FILE, O_USERNAME, O_PASSWORD,
    O_REGISTRY_CONFIG, O_VERSION, O_UNTAR, O_UNTARDIR, O_PASSWORD_STDIN, O_PROV, O_DEST, O_REF_NAME, O_DEVEL,
    O_PLAIN_LOOPBACK, O_PLAIN_HOST,
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

/* A registry flag: 1 when taken into o, 0 when not one. */
static int registry_flag(int c, oci_opts *o)
{
    switch (c) {
    case O_PLAIN_HTTP: o->plain_http = true; return 1;
    case O_INSECURE: o->insecure_skip_verify = true; return 1;
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
static int registry_flags_only(int argc, char **argv, oci_opts *o)
{
    static const struct option longopts[] = {REGISTRY_LONGOPTS, {NULL, 0, NULL, 0}};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, o))
            continue;
        cli_error("unknown flag: %s", argv[optind - 1]);
        return -1;
    }
    return optind;
}

static int fail(cap_err *err)
{
    char *m = cap_err_format(err);
    cli_error("%s", m && *m ? m : "unknown error");
    free(m);
    cap_err_clear(err);
    return EXIT_ERR;
}

static int usage_of(const char *name)
{
    fputs(cli_find_command(name)->usage, stderr);
    return EXIT_USAGE;
}

static const char underscore_msg[] =
    "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\n"
    "storing semantic versions, Helm adopts the convention of changing plus (+) to\n"
    "an underscore (_) in chart version tags when pushing to a registry and back to\n"
    "a plus (+) when pulling from a registry.\n";

static void print_result(const char *verb, const oci_chart_result *r)
{
    fprintf(stderr, "%s: %s\nDigest: %s\n", verb, r->ref, r->digest);
    if (strchr(r->ref, '_'))
        fprintf(stderr, "%s contains an underscore.\n%s", r->ref, underscore_msg);
}

/* The file's mtime in RFC 3339, local time, as Go's time.Format(time.RFC3339). */
static void rfc3339(time_t t, char out[40])
{
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    if (off == 0)
        snprintf(out + n, 40 - n, "Z");
    else
        snprintf(out + n, 40 - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
}

int cmd_push(int argc, char **argv)
{
    oci_opts o = {0};
    int first = registry_flags_only(argc, argv, &o);
    if (first < 0)
        return EXIT_USAGE;
    if (argc - first != 2)
        return usage_of("push");
    const char *file = argv[first], *remote = argv[first + 1];
    if (strncmp(remote, "oci://", 6) != 0) {
        cli_error("scheme prefix missing from remote (e.g. \"oci://\")");
        return EXIT_ERR;
    }
    struct stat st;
    if (stat(file, &st) != 0) {
        cli_error("%s: no such file", file);
        return EXIT_ERR;
    }
    if (S_ISDIR(st.st_mode)) {
        cli_error("cannot push directory, must provide chart archive (.tgz)");
        return EXIT_ERR;
    }
    strbuf data = STRBUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f || sb_read_fp(&data, f) < 0) {
        cli_error("%s: %s", file, strerror(errno));
        if (f)
            fclose(f);
        return EXIT_ERR;
    }
    fclose(f);
    strbuf prov = STRBUF_INIT;
    sb_addf(&prov, "%s.prov", file);
    char created[40];
    rfc3339(st.st_mtime, created);
    oci_push_opts po = {.prov_path = access(prov.buf, F_OK) == 0 ? prov.buf : NULL, .creation_time = created};
    cap_err err = CAP_ERR_INIT;
    oci_chart_result r;
    int rc = EXIT_OK;
    oci_client *cl = oci_client_new(&o, &err);
    if (!cl || oci_push_chart(cl, file, data.buf ? data.buf : "", data.len, remote, &po, &r, &err) < 0)
        rc = fail(&err);
    else {
        print_result("Pushed", &r);
        oci_chart_result_release(&r);
    }
    oci_client_free(cl);
    sb_release(&data);
    sb_release(&prov);
    return rc;
}

/* ---- pull -------------------------------------------------------------- */

int cmd_pull_oci(int argc, char **argv)
{
    static const struct option longopts[] = {
        REGISTRY_LONGOPTS,
        {"version", required_argument, NULL, O_VERSION},
        {"destination", required_argument, NULL, 'd'},
        {"untar", no_argument, NULL, O_UNTAR},
        {"untardir", required_argument, NULL, O_UNTARDIR},
        {"prov", no_argument, NULL, O_PROV},
        {"devel", no_argument, NULL, O_DEVEL},
        {NULL, 0, NULL, 0},
    };
    oci_opts o = {0};
    const char *version = NULL, *dest = ".", *untardir = ".";
    bool do_untar = false, prov = false, devel = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "d:u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        switch (c) {
        case O_VERSION: version = optarg; break;
        case 'd': dest = optarg; break;
        case O_UNTAR: do_untar = true; break;
        case O_UNTARDIR: untardir = optarg; break;
        case O_PROV: prov = true; break;
        case O_DEVEL: devel = true; break;
        default:
            cli_error("unknown flag: %s", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind != 1)
        return usage_of("pull");
    if (devel && (!version || !*version))
        version = ">0.0.0-0"; /* helm's --devel: prereleases too */
    const char *ref = argv[optind];
    cap_err err = CAP_ERR_INIT;
    oci_chart_result r;
    oci_client *cl = oci_client_new(&o, &err);
    if (!cl || oci_pull_chart(cl, ref, version, prov, &r, &err) < 0) {
        oci_client_free(cl);
        return fail(&err);
    }
    oci_client_free(cl);
    /* DEST/NAME-TAG.tgz, the tag as asked for (helm keeps the '+') */
    const char *base = strrchr(ref, '/');
    base = base ? base + 1 : ref;
    size_t bl = strcspn(base, ":@");
    strbuf path = STRBUF_INIT;
    /* helm names the file after the version it resolved (with '+'), or the
     * tag written in the reference */
    const char *last = strrchr(r.ref, '/');
    const char *tag = last ? strchr(last, ':') : NULL;
    strbuf ver = STRBUF_INIT;
    if (tag) {
        sb_add(&ver, tag + 1, strcspn(tag + 1, "@"));
        if (!strchr(base, ':'))
            for (char *q = ver.buf; *q; q++)
                if (*q == '_')
                    *q = '+';
    } else
        sb_adds(&ver, r.version);
    sb_addf(&path, "%s/%.*s-%s.tgz", dest, (int)bl, base, ver.buf);
    int rc = EXIT_OK;
    if (do_untar) {
        /* as helm: DIR/UNTARDIR/NAME must not exist; unpack from a temporary copy */
        strbuf ud = STRBUF_INIT, check = STRBUF_INIT, tmpf = STRBUF_INIT;
        if (untardir[0] == '/')
            sb_adds(&ud, untardir);
        else if (strcmp(untardir, ".") == 0)
            sb_adds(&ud, dest);
        else
            sb_addf(&ud, "%s/%s", dest, untardir);
        sb_addf(&check, "%s/%.*s", ud.buf, (int)bl, base);
        char tmpl[] = "/tmp/capstan-pull-XXXXXX";
        struct stat st;
        if (stat(check.buf, &st) == 0)
            rc = cap_err_set(&err, "failed to untar: a file or directory with the name %s already exists", check.buf);
        else if (!mkdtemp(tmpl))
            rc = cap_err_set(&err, "cannot create a temporary directory: %s", strerror(errno));
        else {
            sb_addf(&tmpf, "%s/chart.tgz", tmpl);
            rc = fsu_write_atomic(tmpf.buf, sb_str(&r.chart), r.chart.len, 0600, &err);
            if (rc == 0)
                rc = fsu_untar(tmpf.buf, r.ref, ud.buf, &err);
            unlink(tmpf.buf);
            rmdir(tmpl);
        }
        sb_release(&ud);
        sb_release(&check);
        sb_release(&tmpf);
    } else {
        rc = fsu_write_atomic(path.buf, sb_str(&r.chart), r.chart.len, 0644, &err);
        if (rc == 0 && prov && r.prov.len) {
            sb_adds(&path, ".prov");
            rc = fsu_write_atomic(path.buf, sb_str(&r.prov), r.prov.len, 0644, &err);
        }
    }
    if (rc == 0)
        print_result("Pulled", &r);
    oci_chart_result_release(&r);
    sb_release(&path);
    sb_release(&ver);
    return rc == 0 ? EXIT_OK : fail(&err);
}

/* ---- registry login / logout ------------------------------------------- */

static const char *strip_scheme(const char *h)
{
    if (strncmp(h, "oci://", 6) == 0)
        return h + 6;
    if (strncmp(h, "https://", 8) == 0)
        return h + 8;
    if (strncmp(h, "http://", 7) == 0)
        return h + 7;
    return h;
}

static int registry_login(int argc, char **argv)
{
    static const struct option longopts[] = {
        REGISTRY_LONGOPTS, {"password-stdin", no_argument, NULL, O_PASSWORD_STDIN}, {NULL, 0, NULL, 0}};
    oci_opts o = {0};
    bool from_stdin = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        if (c == O_PASSWORD_STDIN) {
            from_stdin = true;
            continue;
        }
        cli_error("unknown flag: %s", argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (argc - optind != 1)
        return usage_of("registry");
    const char *host = strip_scheme(argv[optind]);
    strbuf pw = STRBUF_INIT;
    if (from_stdin) {
        if (sb_read_fp(&pw, stdin) < 0) {
            cli_error("cannot read the password from stdin");
            return EXIT_ERR;
        }
        while (pw.len && (pw.buf[pw.len - 1] == '\n' || pw.buf[pw.len - 1] == '\r'))
            pw.buf[--pw.len] = '\0';
        o.password = sb_str(&pw);
    }
    if (!o.username) {
        cli_error("username required (--username)");
        sb_release(&pw);
        return EXIT_ERR;
    }
    if (!o.password || !*o.password) {
        cli_error("password required");
        sb_release(&pw);
        return EXIT_ERR;
    }
    cap_err err = CAP_ERR_INIT;
    char *path = o.registry_config ? strdup(o.registry_config) : oci_registry_config_path();
    o.no_registry_config = true; /* check the credentials given, not the stored ones */
    oci_client *cl = oci_client_new(&o, &err);
    int rc = EXIT_OK;
    if (!cl || oci_ping(cl, host, &err) < 0) {
        if (err.msg && !strstr(err.msg, "authentication to"))
            cap_err_prefix(&err, "authenticating to \"%s\"", host);
        rc = fail(&err);
    } else if (oci_registry_config_store(path, host, o.username, o.password, &err) < 0)
        rc = fail(&err);
    else
        fputs("Login Succeeded\n", stderr);
    oci_client_free(cl);
    free(path);
    sb_release(&pw);
    return rc;
}

static int registry_logout(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"registry-config", required_argument, NULL, O_REGISTRY_CONFIG}, {NULL, 0, NULL, 0}};
    const char *cfg = NULL;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
        if (c == O_REGISTRY_CONFIG) {
            cfg = optarg;
            continue;
        }
        cli_error("unknown flag: %s", argv[optind - 1]);
        return EXIT_USAGE;
    }
    if (argc - optind != 1)
        return usage_of("registry");
    const char *host = strip_scheme(argv[optind]);
    char *path = cfg ? strdup(cfg) : oci_registry_config_path();
    cap_err err = CAP_ERR_INIT;
    fprintf(stderr, "Removing login credentials for %s\n", host);
    /* helm says nothing more when there was nothing to remove */
    if (oci_registry_config_remove(path, host, &err) < 0 && err.msg && strncmp(err.msg, "not logged in", 13) != 0) {
        free(path);
        return fail(&err);
    }
    cap_err_clear(&err);
    free(path);
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
    oci_opts o = {0};
    const char *hosts[17] = {0};
    size_t nh = 0;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "u:p:", longopts, NULL)) != -1) {
        if (registry_flag(c, &o))
            continue;
        if (c == O_PLAIN_LOOPBACK)
            o.plain_http_loopback = true;
        else if (c == O_PLAIN_HOST && nh < 16)
            hosts[nh++] = optarg;
        else {
            cli_error("unknown flag: %s", argv[optind - 1]);
            return EXIT_USAGE;
        }
    }
    o.plain_http_hosts = nh ? hosts : NULL;
    int first = optind;
    if (argc - first < 2)
        return usage_of("oci-copy");
    const char *src = argv[first], *dst = argv[first + 1];
    cap_err err = CAP_ERR_INIT;
    oci_client *cl = oci_client_new(&o, &err);
    if (!cl)
        return fail(&err);
    char *digest = NULL;
    int rc = 0;
    bool to_layout = strncmp(dst, "oci-layout:", 11) == 0;
    const char *layout = to_layout ? dst : src;
    char *dir = strncmp(layout, "oci-layout:", 11) == 0 ? strdup(layout + 11) : NULL;
    char *name = dir ? strchr(dir, ':') : NULL;
    if (name)
        *name++ = '\0';
    if (!dir)
        rc = cap_err_set(&err, "one side must be oci-layout:DIR[:NAME]");
    else if (to_layout)
        rc = oci_copy_image_to_layout(cl, src, dir, name, &digest, &err);
    else if (!name)
        rc = cap_err_set(&err, "oci-layout:%s: name the image (oci-layout:DIR:NAME)", dir);
    else /* every destination with one client: blobs pushed once are mounted into the next repositories */
        for (int i = first + 1; i < argc && rc == 0; i++) {
            free(digest);
            digest = NULL;
            rc = oci_push_layout_image(cl, dir, name, argv[i], &digest, &err);
        }
    free(dir);
    oci_stats s = oci_client_stats(cl);
    oci_client_free(cl);
    if (rc < 0)
        return fail(&err);
    printf("%s\n", digest);
    if (getenv("CAPSTAN_OCI_STATS"))
        fprintf(stderr, "requests=%ld uploaded=%ld skipped=%ld mounted=%ld down=%ld up=%ld\n", s.requests,
                s.blobs_uploaded, s.blobs_skipped, s.blobs_mounted, s.bytes_down, s.bytes_up);
    free(digest);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
