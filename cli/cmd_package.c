/* cmd_package.c — `capstan package CHART_DIR...`, as `helm package`: one archive per
 * chart directory, "Successfully packaged chart and saved it to: PATH" for each;
 * --dependency-update first (with the credential flags), --sign after (PATH.prov). */
#include "capstan.h"
#include "cli.h"
#include "flags.h"

#include <ctype.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

enum { O_VERSION = 256, O_APP_VERSION, O_SIGN, O_KEY, O_KEYRING, O_PASSFILE };

static const struct option longopts[] = {
    {"destination", required_argument, NULL, 'd'},
    {"version", required_argument, NULL, O_VERSION},
    {"app-version", required_argument, NULL, O_APP_VERSION},
    {"dependency-update", no_argument, NULL, 'u'},
    {"sign", no_argument, NULL, O_SIGN},
    {"key", required_argument, NULL, O_KEY},
    {"keyring", required_argument, NULL, O_KEYRING},
    {"passphrase-file", required_argument, NULL, O_PASSFILE},
    {"username", required_argument, NULL, FL_CHART_USERNAME},
    {"password", required_argument, NULL, FL_CHART_PASSWORD},
    {"ca-file", required_argument, NULL, FL_CHART_CA_FILE},
    {"cert-file", required_argument, NULL, FL_CHART_CERT_FILE},
    {"key-file", required_argument, NULL, FL_CHART_KEY_FILE},
    {"insecure-skip-tls-verify", no_argument, NULL, FL_CHART_INSECURE},
    {"plain-http", no_argument, NULL, FL_CHART_PLAIN_HTTP},
    {NULL, 0, NULL, 0},
};

/* helm's promptUser: "Password for key "NAME" >  " on stdout, read without echo */
static char *ask_passphrase(void *ctx, const char *identity)
{
    (void)ctx;
    printf("Password for key \"%s\" >  ", identity);
    fflush(stdout);
    struct termios old, quiet;
    bool tty = tcgetattr(0, &old) == 0;
    if (tty) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        tcsetattr(0, TCSAFLUSH, &quiet);
    }
    char *line = NULL;
    size_t cap = 0;
    ssize_t n = getline(&line, &cap, stdin);
    if (tty)
        tcsetattr(0, TCSAFLUSH, &old);
    putchar('\n');
    if (n < 0) {
        free(line);
        return NULL;
    }
    line[strcspn(line, "\r\n")] = '\0';
    return line;
}

/* Go's "open F: no such file or directory" of a file that cannot be read, else NULL (a static buffer) */
static const char *unreadable(const char *path)
{
    static char why[600];
    FILE *f = fopen(path, "r");
    if (f) {
        fclose(f);
        return NULL;
    }
    snprintf(why, sizeof why, "open %s: %s", path, strerror(errno));
    char *t = strrchr(why, ':') + 2;
    *t = (char)tolower((unsigned char)*t);
    return why;
}

/* helm's newRegistryClient: the TLS files are read before anything is packaged */
static int check_tls_files(const capstan_chart_opts *co)
{
    const char *why;
    if (co->cert_file && *co->cert_file && co->key_file && *co->key_file &&
        ((why = unreadable(co->cert_file)) || (why = unreadable(co->key_file)))) {
        cli_error("missing registry client: can't create TLS config for client: can't load key pair from cert %s and "
                  "key %s: %s", co->cert_file, co->key_file, why);
        return -1;
    }
    if (co->ca_file && *co->ca_file && (why = unreadable(co->ca_file))) {
        cli_error("missing registry client: can't create TLS config for client: can't read CA file: \"%s\": %s",
                  co->ca_file, why);
        return -1;
    }
    return 0;
}

int cmd_package(int argc, char **argv)
{
    capstan_package_opts o = {.size = sizeof o, .dest = ".", .passphrase = ask_passphrase};
    capstan_chart_opts co;
    cli_chart_opts_init(&co);
    co.out = NULL;
    bool dep_update = false;
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":d:u", longopts, NULL)) != -1) {
        switch (c) {
        case 'd': o.dest = optarg; break;
        case O_VERSION: o.version = optarg; break;
        case O_APP_VERSION: o.app_version = optarg; break;
        case 'u': dep_update = true; break;
        case O_SIGN: o.sign = true; break;
        case O_KEY: o.key = optarg; break;
        case O_KEYRING: o.keyring = optarg; break;
        case O_PASSFILE: o.passphrase_file = optarg; break;
        default:
            if (cli_chart_flag(c, optarg, &co, &dep_update))
                break;
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_ERR; /* helm exits 1 on usage errors */
        }
    }
    if (optind >= argc) {
        cli_error("need at least one argument, the path to the chart");
        return EXIT_ERR; /* helm exits 1 on usage errors */
    }
    if (o.sign && (!o.key || !*o.key)) {
        cli_error("--key is required for signing a package");
        return EXIT_ERR;
    }
    if (o.sign && o.keyring && !*o.keyring) {
        cli_error("--keyring is required for signing a package");
        return EXIT_ERR;
    }
    if (check_tls_files(&co) != 0)
        return EXIT_ERR;
#ifdef CAPSTAN_LEAN
    if (dep_update) /* the dependencies come from the network: capstan-net packages */
        return cli_exec_net(argc, argv);
#endif
    for (int i = optind; i < argc; i++) {
        char *path = NULL;
#ifndef CAPSTAN_LEAN
        if (dep_update) { /* helm's Manager.Update, its output discarded */
            capstan_error derr = {0};
            if (capstan_dependency_update(argv[i], &co, &derr) != 0)
                return cli_fail(&derr);
        }
#endif
        capstan_error err = {0};
        if (capstan_package(argv[i], &o, &path, &err) != 0)
            return cli_fail(&err);
        printf("Successfully packaged chart and saved it to: %s\n", path);
        free(path);
    }
    return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERR;
}
