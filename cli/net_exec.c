/* net_exec.c — hand a network command from the lean capstan to capstan-net.
 *
 * The lean program links no network code, so that rendering starts fast; the
 * commands that talk to a cluster, a repository or a registry live in
 * capstan-net, found beside the running program (the build tree, or a copy of
 * both), else where `make install` puts it.
 */
#include "cli.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PKGLIBEXECDIR
#define PKGLIBEXECDIR "/usr/local/libexec/capstan"
#endif

/* capstan-net in the directory of the running program, in buf; 0 if found. */
static int beside_self(char *buf, size_t size)
{
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof self - 1);
    if (n <= 0)
        return -1;
    self[n] = '\0';
    char *slash = strrchr(self, '/');
    if (!slash)
        return -1;
    *slash = '\0';
    if ((size_t)snprintf(buf, size, "%s/capstan-net", self) >= size)
        return -1;
    if (access(buf, X_OK) == 0)
        return 0;
    /* an installed tree moved or unpacked elsewhere (DESTDIR): PREFIX/bin -> PREFIX/libexec/capstan */
    if ((size_t)snprintf(buf, size, "%s/../libexec/capstan/capstan-net", self) >= size)
        return -1;
    return access(buf, X_OK);
}

int cli_exec_net(int argc, char **argv)
{
    char path[PATH_MAX];
    const char *env = getenv("CAPSTAN_NET");
    if (env && *env)
        snprintf(path, sizeof path, "%s", env);
    else if (beside_self(path, sizeof path) != 0)
        snprintf(path, sizeof path, "%s/capstan-net", PKGLIBEXECDIR);

    char **args = calloc((size_t)argc + 2, sizeof *args);
    if (!args) {
        cli_error("out of memory");
        return EXIT_ERR;
    }
    args[0] = path;
    char self[PATH_MAX];
    ssize_t sn = readlink("/proc/self/exe", self, sizeof self - 1);
    if (sn > 0 && !getenv("CAPSTAN_BIN")) { /* what `capstan env` shows as HELM_BIN */
        self[sn] = 0;
        setenv("CAPSTAN_BIN", self, 1);
    }
    for (int i = 0; i < argc; i++)
        args[i + 1] = argv[i];
    fflush(NULL);
    execv(path, args);
    cli_error("cannot run %s for '%s': %s (the network commands live in capstan-net; is capstan fully "
              "installed?)", path, argv[0], strerror(errno));
    free(args);
    return EXIT_ERR;
}
