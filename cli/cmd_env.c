/* cmd_env.c — `capstan env [NAME]`: helm env's variables with capstan's values. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_env(int argc, char **argv)
{
    static const struct option longopts[] = {FLAGS_KUBE_LONGOPTS, {NULL, 0, NULL, 0}};
    capstan_kube_opts kube = {0};
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, ":n:", longopts, NULL)) != -1)
        if (!flags_kube(c, optarg, &kube)) {
            flags_bad_option(c, argv[optind - 1]);
            return EXIT_ERR;
        }
    flags_kube_env(&kube);
    if (argc - optind > 1) {
        cli_error("\"capstan env\" accepts at most 1 argument");
        return EXIT_ERR;
    }
    /* HELM_BIN: the program users run (capstan-net is told it by CAPSTAN_BIN) */
    char self[4096] = "";
    const char *bin = getenv("CAPSTAN_BIN");
    if (!bin) {
        ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
        self[n > 0 ? n : 0] = 0;
        bin = n > 0 ? self : argv[0];
    }
    char *text = NULL;
    capstan_error e = {0};
    if (capstan_helm_env(&kube, bin, &text, &e) < 0) {
        cli_error("%s", e.msg ? e.msg : "failed");
        capstan_error_clear(&e);
        return EXIT_ERR;
    }
    if (argc - optind == 1) { /* helm env NAME: its value alone (nothing for an unknown name) */
        size_t kl = strlen(argv[optind]);
        bool found = false;
        for (const char *l = text; *l;) {
            const char *nl = strchr(l, '\n');
            if (strncmp(l, argv[optind], kl) == 0 && l[kl] == '=') {
                printf("%.*s\n", (int)(nl - l - kl - 3), l + kl + 2);
                found = true;
            }
            l = nl + 1;
        }
        if (!found)
            putchar('\n'); /* helm: an empty line */
    } else {
        fputs(text, stdout);
    }
    free(text);
    return EXIT_OK;
}
