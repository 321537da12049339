/* cmd_repo.c — `capstan repo add|list|remove|update` and `capstan pull`, as
 * helm's, on helm's own repositories.yaml and cache. */
#include "cli.h"
#include "core/fsutil.h"
#include "installer/net/untar.h"
#include "core/json.h"
#include "installer/net/repo.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int fail(cap_err *e)
{
    char *m = cap_err_format(e);
    cli_error("%s", m);
    free(m);
    cap_err_clear(e);
    return EXIT_ERR;
}

enum {
    O_USERNAME = 4100, O_PASSWORD, O_PASSWORD_STDIN, O_CA_FILE, O_CERT_FILE, O_KEY_FILE, O_INSECURE, O_FORCE,
    O_PASS_CREDS, O_VERSION, O_UNTAR, O_UNTARDIR, O_REPO, O_NO_HEADERS, O_DEVEL,
};

static const struct option repo_longopts[] = {
    {"username", required_argument, NULL, O_USERNAME},
    {"password", required_argument, NULL, O_PASSWORD},
    {"password-stdin", no_argument, NULL, O_PASSWORD_STDIN},
    {"ca-file", required_argument, NULL, O_CA_FILE},
    {"cert-file", required_argument, NULL, O_CERT_FILE},
    {"key-file", required_argument, NULL, O_KEY_FILE},
    {"insecure-skip-tls-verify", no_argument, NULL, O_INSECURE},
    {"force-update", no_argument, NULL, O_FORCE},
    {"pass-credentials", no_argument, NULL, O_PASS_CREDS},
    {"output", required_argument, NULL, 'o'},
    {"no-headers", no_argument, NULL, O_NO_HEADERS},
    {"version", required_argument, NULL, O_VERSION},
    {"destination", required_argument, NULL, 'd'},
    {"untar", no_argument, NULL, O_UNTAR},
    {"untardir", required_argument, NULL, O_UNTARDIR},
    {"repo", required_argument, NULL, O_REPO},
    {"devel", no_argument, NULL, O_DEVEL},
    {NULL, 0, NULL, 0},
};

typedef struct repo_args {
    repo_entry e;          /* borrowed strings (argv) */
    bool force, password_stdin, no_headers, untar, devel;
    const char *output, *version, *dest, *untardir, *repo_url;
} repo_args;

static int parse(int argc, char **argv, repo_args *a)
{
    memset(a, 0, sizeof *a);
    a->output = "table";
    a->dest = ".";
    a->untardir = ".";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, "o:d:", repo_longopts, NULL)) != -1) {
        switch (c) {
        case O_USERNAME: a->e.username = optarg; break;
        case O_PASSWORD: a->e.password = optarg; break;
        case O_PASSWORD_STDIN: a->password_stdin = true; break;
        case O_CA_FILE: a->e.ca_file = optarg; break;
        case O_CERT_FILE: a->e.cert_file = optarg; break;
        case O_KEY_FILE: a->e.key_file = optarg; break;
        case O_INSECURE: a->e.insecure_skip_tls_verify = true; break;
        case O_PASS_CREDS: a->e.pass_credentials_all = true; break;
        case O_FORCE: a->force = true; break;
        case O_NO_HEADERS: a->no_headers = true; break;
        case 'o': a->output = optarg; break;
        case O_VERSION: a->version = optarg; break;
        case 'd': a->dest = optarg; break;
        case O_UNTAR: a->untar = true; break;
        case O_UNTARDIR: a->untardir = optarg; break;
        case O_REPO: a->repo_url = optarg; break;
        case O_DEVEL: a->devel = true; break;
        default:
            cli_error("unknown flag: %s", argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}

/* ---- repo add ------------------------------------------------------------------ */

static int repo_add(int argc, char **argv)
{
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    if (argc - optind != 2) {
        cli_error("\"capstan repo add\" requires 2 arguments\n\nUsage:  capstan repo add [NAME] [URL] [flags]");
        return EXIT_USAGE;
    }
    a.e.name = argv[optind];
    a.e.url = argv[optind + 1];
    strbuf pw = STRBUF_INIT;
    if (a.password_stdin) {
        sb_read_fp(&pw, stdin);
        while (pw.len && (pw.buf[pw.len - 1] == '\n' || pw.buf[pw.len - 1] == '\r'))
            pw.buf[--pw.len] = '\0';
        a.e.password = (char *)sb_str(&pw);
    }
    if (a.e.username && *a.e.username && !a.e.password) {
        cli_error("a password is needed with --username (use --password or --password-stdin)");
        sb_release(&pw);
        return EXIT_USAGE;
    }
    cap_err err = CAP_ERR_INIT;
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    int rc = EXIT_OK;
    int lock = repo_lock(cfg, &err);
    repo_file f;
    if (lock < 0) {
        rc = fail(&err);
        goto out;
    }
    if (repo_file_load(cfg, &f, NULL, &err) < 0) {
        rc = fail(&err);
        goto unlock;
    }
    if (strchr(a.e.name, '/')) {
        cli_error("repository name (%s) contains '/', please specify a different name without '/'", a.e.name);
        rc = EXIT_ERR;
    } else if (!a.force && repo_file_get(&f, a.e.name)) {
        if (!repo_entry_equal(repo_file_get(&f, a.e.name), &a.e)) {
            cli_error("repository name (%s) already exists, please specify a different name", a.e.name);
            rc = EXIT_ERR;
        } else {
            printf("\"%s\" already exists with the same configuration, skipping\n", a.e.name);
        }
    } else if (repo_update_index(&a.e, cache, &err) < 0) {
        char *m = cap_err_format(&err);
        cli_error("looks like \"%s\" is not a valid chart repository or cannot be reached: %s", a.e.url, m);
        free(m);
        cap_err_clear(&err);
        rc = EXIT_ERR;
    } else {
        repo_file_put(&f, &a.e);
        if (repo_file_save(&f, cfg, &err) < 0)
            rc = fail(&err);
        else
            printf("\"%s\" has been added to your repositories\n", a.e.name);
    }
    repo_file_free(&f);
unlock:
    repo_unlock(lock);
out:
    free(cfg);
    free(cache);
    sb_release(&pw);
    return rc;
}

/* ---- repo list ------------------------------------------------------------------ */

static int repo_list(int argc, char **argv)
{
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    if (argc != optind) {
        cli_error("unknown command \"%s\" for \"capstan repo list\"", argv[optind]);
        return EXIT_USAGE;
    }
    bool table = strcmp(a.output, "table") == 0;
    if (!table && strcmp(a.output, "json") != 0 && strcmp(a.output, "yaml") != 0) {
        cli_error("invalid format type \"%s\": use table, json or yaml", a.output);
        return EXIT_USAGE;
    }
    char *cfg = repo_config_path();
    repo_file f;
    cap_err err = CAP_ERR_INIT;
    if (repo_file_load(cfg, &f, NULL, &err) < 0) {   /* helm ignores a bad file: no repositories */
        cap_err_clear(&err);
        memset(&f, 0, sizeof f);
    }
    free(cfg);
    if (f.n == 0 && table) {
        fputs("no repositories to show\n", stderr);
        repo_file_free(&f);
        return EXIT_OK;
    }
    if (table) {
        const char **cells = xcalloc(2 * (f.n + 1), sizeof *cells);
        size_t r = 0;
        if (!a.no_headers) {
            cells[0] = "NAME";
            cells[1] = "URL";
            r = 1;
        }
        for (size_t i = 0; i < f.n; i++, r++) {
            cells[2 * r] = f.repos[i].name;
            cells[2 * r + 1] = f.repos[i].url;
        }
        cli_table_print(stdout, cells, 2, r);
        free(cells);
    } else {
        arena *ar = arena_new();
        cval *list = cv_list_new(ar, f.n);
        for (size_t i = 0; i < f.n; i++) {
            cval *m = cv_map_new(ar);
            cv_map_set(m, "name", cv_cstring(ar, f.repos[i].name));
            cv_map_set(m, "url", cv_cstring(ar, f.repos[i].url));
            cv_list_push(list, m);
        }
        strbuf out = STRBUF_INIT;
        if (strcmp(a.output, "json") == 0) {
            json_emit(&out, list, 0, &err);
            sb_addc(&out, '\n');
        } else {
            yaml_emit(&out, list, &err);
        }
        fwrite(out.buf, 1, out.len, stdout);
        sb_release(&out);
        arena_free(ar);
    }
    repo_file_free(&f);
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}

/* ---- repo remove ---------------------------------------------------------------- */

static int repo_remove(int argc, char **argv)
{
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    if (argc == optind) {
        cli_error("\"capstan repo remove\" requires at least 1 argument\n\nUsage:  capstan repo remove [REPO1 [REPO2 ...]] [flags]");
        return EXIT_USAGE;
    }
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    cap_err err = CAP_ERR_INIT;
    int rc = EXIT_OK;
    int lock = repo_lock(cfg, &err);
    if (lock < 0) {
        rc = fail(&err);
        free(cfg);
        free(cache);
        return rc;
    }
    repo_file f;
    if (repo_file_load(cfg, &f, NULL, &err) < 0 || f.n == 0) {
        cap_err_clear(&err);
        cli_error("no repositories configured");
        rc = EXIT_ERR;
    }
    for (int i = optind; rc == EXIT_OK && i < argc; i++) {
        if (!repo_file_remove(&f, argv[i])) {
            cli_error("no repo named \"%s\" found", argv[i]);
            rc = EXIT_ERR;
            break;
        }
        if (repo_file_save(&f, cfg, &err) < 0) {
            rc = fail(&err);
            break;
        }
        char *p = repo_cache_charts_path(cache, argv[i]);
        unlink(p);
        free(p);
        p = repo_cache_index_path(cache, argv[i]);
        if (unlink(p) != 0 && errno != ENOENT) {
            cli_error("can't remove index file %s: %s", p, strerror(errno));
            rc = EXIT_ERR;
        }
        free(p);
        if (rc == EXIT_OK)
            printf("\"%s\" has been removed from your repositories\n", argv[i]);
    }
    repo_file_free(&f);
    repo_unlock(lock);
    free(cfg);
    free(cache);
    return rc;
}

/* ---- repo update ---------------------------------------------------------------- */

static int repo_update(int argc, char **argv)
{
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    char *cfg = repo_config_path(), *cache = repo_cache_dir();
    cap_err err = CAP_ERR_INIT;
    repo_file f;
    int rc = EXIT_OK;
    if (repo_file_load(cfg, &f, NULL, &err) < 0) {
        char *m = cap_err_format(&err);
        cli_error("failed loading file: %s: %s", cfg, m);
        free(m);
        cap_err_clear(&err);
        free(cfg);
        free(cache);
        return EXIT_ERR;
    }
    if (f.n == 0) {
        cli_error("no repositories found. You must add one before updating");
        rc = EXIT_ERR;
    }
    for (int i = optind; rc == EXIT_OK && i < argc; i++)
        if (!repo_file_get(&f, argv[i])) {
            cli_error("no repositories found matching '%s'.  Nothing will be updated", argv[i]);
            rc = EXIT_ERR;
        }
    if (rc == EXIT_OK) {
        printf("Hang tight while we grab the latest from your chart repositories...\n");
        strbuf failed = STRBUF_INIT;
        const repo_entry **want = xcalloc(f.n + 1, sizeof *want);
        size_t nwant = 0;
        for (size_t r = 0; r < f.n; r++) {
            bool wanted = optind == argc;
            for (int i = optind; i < argc && !wanted; i++)
                wanted = strcmp(argv[i], f.repos[r].name) == 0;
            if (wanted)
                want[nwant++] = &f.repos[r];
        }
        cap_err *errs = xcalloc(nwant + 1, sizeof *errs);
        repo_update_indexes(want, nwant, cache, errs);
        for (size_t r = 0; r < nwant; r++) {
            if (errs[r].msg) {
                char *m = cap_err_format(&errs[r]);
                printf("...Unable to get an update from the \"%s\" chart repository (%s):\n\t%s\n", want[r]->name,
                       want[r]->url, m);
                free(m);
                cap_err_clear(&errs[r]);
                sb_addf(&failed, "%s%s", failed.len ? " " : "", want[r]->url);
            } else {
                printf("...Successfully got an update from the \"%s\" chart repository\n", want[r]->name);
            }
        }
        free(errs);
        free(want);
        if (failed.len) {
            cli_error("failed to update the following repositories: [%s]", failed.buf);
            rc = EXIT_ERR;
        } else {
            printf("Update Complete. \xe2\x8e\x88Happy Helming!\xe2\x8e\x88\n");
        }
        sb_release(&failed);
    }
    repo_file_free(&f);
    free(cfg);
    free(cache);
    return rc;
}

int cmd_repo(int argc, char **argv)
{
    if (argc < 2) {
        fputs(cli_find_command("repo")->usage, stderr);
        return EXIT_USAGE;
    }
    const char *sub = argv[1];
    if (strcmp(sub, "add") == 0)
        return repo_add(argc - 1, argv + 1);
    if (strcmp(sub, "list") == 0 || strcmp(sub, "ls") == 0)
        return repo_list(argc - 1, argv + 1);
    if (strcmp(sub, "remove") == 0 || strcmp(sub, "rm") == 0)
        return repo_remove(argc - 1, argv + 1);
    if (strcmp(sub, "update") == 0 || strcmp(sub, "up") == 0)
        return repo_update(argc - 1, argv + 1);
    cli_error("unknown command \"%s\" for \"capstan repo\"", sub);
    return EXIT_USAGE;
}

/* ---- pull -------------------------------------------------------------------------- */

static const char *base_name(const char *url)
{
    size_t n = strcspn(url, "?#");
    const char *s = url + n;
    while (s > url && s[-1] != '/')
        s--;
    return s;
}

/* The URL and digest of chart `name` at `version` in index ix (helm's
 * IndexFile.Get: an exact version string first, then the constraint). */
static int pick(arena *ar, const repo_index *ix, const char *name, const char *version, bool devel,
                const char *repo_label, const char *repo_url, char **url, const char **digest, cap_err *err)
{
    const repo_index_entry *e = repo_index_find(ix, name);
    const char *why = "no chart name found";
    const char *c = version && *version ? version : (devel ? ">0.0.0-0" : "");
    const repo_chart_version *v = e ? repo_index_best(ar, e, c, false, true, &why) : NULL;
    if (!v)
        return cap_err_set(err, "chart \"%s\" matching %s not found in %s index. (try 'helm repo update'): %s", name,
                           version ? version : "", repo_label, why);
    if (v->nurls == 0)
        return cap_err_set(err, "chart \"%s\" has no downloadable URLs", name);
    *url = repo_resolve_url(repo_url, v->urls[0]);
    *digest = v->digest;
    return 0;
}

int cmd_pull(int argc, char **argv)
{
    /* oci:// charts are the registry client's (cli/cmd_oci.c), with its flags */
    for (int i = 1; i < argc; i++)
        if (strncmp(argv[i], "oci://", 6) == 0)
            return cmd_pull_oci(argc, argv);
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    if (argc - optind < 1) {
        cli_error("\"capstan pull\" requires at least 1 argument\n\nUsage:  capstan pull [chart URL | repo/chartname] [...] [flags]");
        return EXIT_USAGE;
    }
    cap_err err = CAP_ERR_INIT;
    int rc = EXIT_OK;
    for (int i = optind; rc == EXIT_OK && i < argc; i++) {
        const char *ref = argv[i];
        arena *ar = arena_new();
        char *url = NULL;
        const char *digest = "";
        repo_entry entry = {0};
        repo_file f = {0};
        bool have_file = false;
        http_client *hc = NULL;
        int prc = 0;
        if (a.repo_url) {   /* --repo URL CHART: the index straight from the repository */
            entry = a.e;
            entry.url = (char *)a.repo_url;
            hc = repo_client(&entry, &err);
            char *iu = hc ? repo_resolve_url(a.repo_url, "index.yaml") : NULL;
            http_response resp = HTTP_RESPONSE_INIT;
            repo_index *ix = NULL;
            prc = !hc ? -1 : http_get(hc, iu, &resp, &err);
            if (prc == 0)
                prc = repo_index_parse(ar, sb_str(&resp.body), resp.body.len, iu, &ix, &err);
            if (prc == 0)
                prc = pick(ar, ix, ref, a.version, a.devel, a.repo_url, a.repo_url, &url, &digest, &err);
            http_response_release(&resp);
            free(iu);
        } else if (strstr(ref, "://")) {   /* a chart URL: credentials of the repository it is in, if any */
            url = xstrdup(ref);
            char *cfg = repo_config_path();
            if (repo_file_load(cfg, &f, NULL, &err) == 0) {
                have_file = true;
                for (size_t r = 0; r < f.n; r++)
                    if (strncmp(ref, f.repos[r].url, strlen(f.repos[r].url)) == 0)
                        entry = f.repos[r];
            } else {
                cap_err_clear(&err);
            }
            free(cfg);
            if (a.e.username)
                entry.username = a.e.username, entry.password = a.e.password;
            if (a.e.ca_file || a.e.cert_file || a.e.insecure_skip_tls_verify)
                entry.ca_file = a.e.ca_file, entry.cert_file = a.e.cert_file, entry.key_file = a.e.key_file,
                entry.insecure_skip_tls_verify = a.e.insecure_skip_tls_verify;
            if (!entry.url)
                entry.url = url;
            hc = repo_client(&entry, &err);
            prc = hc ? 0 : -1;
        } else {   /* REPO/CHART from the cached index */
            const char *slash = strchr(ref, '/');
            if (!slash) {
                cli_error("non-absolute URLs should be in form of repo_name/path_to_chart, got: %s", ref);
                arena_free(ar);
                return EXIT_ERR;
            }
            char *rname = xstrndup(ref, (size_t)(slash - ref));
            char *cfg = repo_config_path(), *cache = repo_cache_dir();
            prc = repo_file_load(cfg, &f, NULL, &err);
            have_file = prc == 0;
            const repo_entry *e = prc == 0 ? repo_file_get(&f, rname) : NULL;
            if (prc == 0 && !e)
                prc = cap_err_set(&err, "repo %s not found", rname);
            repo_index *ix = NULL;
            if (prc == 0) {
                char *ip = repo_cache_index_path(cache, e->name);
                prc = repo_index_load(ar, ip, &ix, &err);
                if (prc != 0)
                    cap_err_prefix(&err, "no cached repo found. (try 'helm repo update')");
                free(ip);
            }
            if (prc == 0)
                prc = pick(ar, ix, slash + 1, a.version, a.devel, e->name, e->url, &url, &digest, &err);
            if (prc == 0) {
                hc = repo_client(e, &err);
                prc = hc ? 0 : -1;
            }
            free(rname);
            free(cfg);
            free(cache);
        }
        const char *dest_dir = a.dest;
        char tmpl[] = "/tmp/capstan-pull-XXXXXX";
        if (prc == 0 && a.untar) {
            if (!mkdtemp(tmpl))
                prc = cap_err_set(&err, "cannot create a temporary directory: %s", strerror(errno));
            dest_dir = tmpl;
        }
        char *saved = NULL;
        if (prc == 0) {
            strbuf p = STRBUF_INIT;
            sb_addf(&p, "%s/%s", dest_dir, base_name(url));
            saved = sb_detach(&p, NULL);
            prc = fsu_mkdirs(dest_dir, &err);
            if (prc == 0)
                prc = repo_download_chart(hc, url, digest, saved, &err);
        }
        if (prc == 0 && a.untar) {
            strbuf ud = STRBUF_INIT;
            if (a.untardir[0] == '/')
                sb_adds(&ud, a.untardir);
            else
                sb_addf(&ud, "%s/%s", a.dest, a.untardir);
            /* helm refuses to unpack over an existing ud/CHART (CHART: the ref's last element) */
            char *joined = fsu_clean(ud.buf);
            const char *last = strrchr(ref, '/') ? strrchr(ref, '/') + 1 : ref;
            strbuf check = STRBUF_INIT;
            if (strcmp(joined, ".") == 0)
                sb_adds(&check, last);
            else
                sb_addf(&check, "%s/%s", joined, last);
            struct stat st;
            if (stat(check.buf, &st) == 0)
                prc = cap_err_set(&err, "failed to untar: a file or directory with the name %s already exists", check.buf);
            if (prc == 0)
                prc = fsu_untar(saved, url, ud.buf, &err);
            sb_release(&check);
            free(joined);
            sb_release(&ud);
            unlink(saved);
            rmdir(tmpl);
        }
        if (prc != 0)
            rc = fail(&err);
        http_client_free(hc);
        if (have_file)
            repo_file_free(&f);
        free(saved);
        free(url);
        arena_free(ar);
    }
    return rc;
}
