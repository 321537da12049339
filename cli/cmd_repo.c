/* cmd_repo.c — `capstan repo add|list|remove|update`, as
 * helm's, on helm's own repositories.yaml and cache. */
#include "capstan.h"
#include "cli.h"
#include "flags.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    capstan_chart_opts o;  /* borrowed strings (argv) */
    capstan_pull_opts p;
    bool force, password_stdin, no_headers;
    const char *output;
} repo_args;

static int parse(int argc, char **argv, repo_args *a)
{
    memset(a, 0, sizeof *a);
    a->o.size = sizeof a->o;
    a->o.out = stdout;
    a->o.log = stderr;
    a->p.size = sizeof a->p;
    a->output = "table";
    optind = 1;
    opterr = 0;
    int c;
    while ((c = getopt_long(argc, argv, ":o:d:", repo_longopts, NULL)) != -1) {
        switch (c) {
        case O_USERNAME: a->o.username = optarg; break;
        case O_PASSWORD: a->o.password = optarg; break;
        case O_PASSWORD_STDIN: a->password_stdin = true; break;
        case O_CA_FILE: a->o.ca_file = optarg; break;
        case O_CERT_FILE: a->o.cert_file = optarg; break;
        case O_KEY_FILE: a->o.key_file = optarg; break;
        case O_INSECURE: a->o.insecure_skip_tls_verify = true; break;
        case O_PASS_CREDS: a->o.pass_credentials = true; break;
        case O_FORCE: a->force = true; break;
        case O_NO_HEADERS: a->no_headers = true; break;
        case 'o': a->output = optarg; break;
        case O_VERSION: a->o.version = optarg; break;
        case 'd': a->p.dest = optarg; break;
        case O_UNTAR: a->p.untar = true; break;
        case O_UNTARDIR: a->p.untardir = optarg; break;
        case O_REPO: a->o.repo_url = optarg; break;
        case O_DEVEL: a->o.devel = true; break;
        default:
            flags_bad_option(c, argv[optind - 1]);
            return -1;
        }
    }
    return 0;
}


static int done(int rc, capstan_error *err)
{
    return rc == 0 ? EXIT_OK : cli_fail(err);
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
    char *pw = NULL;
    if (a.password_stdin) {
        if (!(pw = cli_read_password())) {
            cli_error("cannot read the password from stdin");
            return EXIT_ERR;
        }
        a.o.password = pw;
    }
    if (a.o.username && *a.o.username && !a.o.password) {
        cli_error("a password is needed with --username (use --password or --password-stdin)");
        free(pw);
        return EXIT_USAGE;
    }
    capstan_error err = {0};
    int rc = done(capstan_repo_add(argv[optind], argv[optind + 1], a.force, &a.o, &err), &err);
    free(pw);
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
    capstan_repo_list *l = NULL;
    capstan_error err = {0};
    if (capstan_repo_list_get(a.output, &a.o, &l, &err) != 0)
        return cli_fail(&err);
    if (l->n == 0 && table) {
        fputs("no repositories to show\n", stderr);
        capstan_repo_list_free(l);
        return EXIT_OK;
    }
    if (table) {
        const char **cells = calloc(2 * (l->n + 1), sizeof *cells);
        if (!cells) {
            capstan_repo_list_free(l);
            cli_error("out of memory");
            return EXIT_ERR;
        }
        size_t r = 0;
        if (!a.no_headers) {
            cells[0] = "NAME";
            cells[1] = "URL";
            r = 1;
        }
        for (size_t i = 0; i < l->n; i++, r++) {
            cells[2 * r] = l->names[i];
            cells[2 * r + 1] = l->urls[i];
        }
        cli_table_print(stdout, cells, 2, r);
        free(cells);
    } else {
        fputs(l->text, stdout);
    }
    capstan_repo_list_free(l);
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
    capstan_error err = {0};
    return done(capstan_repo_remove((const char *const *)argv + optind, (size_t)(argc - optind), &a.o, &err), &err);
}

/* ---- repo update ---------------------------------------------------------------- */

static int repo_update(int argc, char **argv)
{
    repo_args a;
    if (parse(argc, argv, &a) < 0)
        return EXIT_USAGE;
    capstan_error err = {0};
    return done(capstan_repo_update((const char *const *)argv + optind, (size_t)(argc - optind), &a.o, &err), &err);
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
