/* globals.c — helm's global flags, taken wherever they stand on the command
 * line and turned into the HELM_* environment variables behind them (helm's
 * EnvSettings): every command, and capstan-net after the hand-over, reads the
 * one place. A flag wins over the variable it sets, as in helm. */
#include "cli.h"
#include "flags.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* name, environment variable, takes a value (else a boolean: "true") */
static const struct global {
    const char *flag, *env;
    bool value;
} globals[] = {
    {"burst-limit", "HELM_BURST_LIMIT", true},
    {"color", "HELM_COLOR", true},
    {"colour", "HELM_COLOR", true},
    {"content-cache", "HELM_CONTENT_CACHE", true},
    {"debug", "HELM_DEBUG", false},
    {"kube-apiserver", "HELM_KUBEAPISERVER", true},
    {"kube-as-group", "HELM_KUBEASGROUPS", true},
    {"kube-as-user", "HELM_KUBEASUSER", true},
    {"kube-ca-file", "HELM_KUBECAFILE", true},
    {"kube-context", "HELM_KUBECONTEXT", true},
    {"kube-insecure-skip-tls-verify", "HELM_KUBEINSECURE_SKIP_TLS_VERIFY", false},
    {"kube-tls-server-name", "HELM_KUBETLS_SERVER_NAME", true},
    {"kube-token", "HELM_KUBETOKEN", true},
    {"kubeconfig", "KUBECONFIG", true},
    {"qps", "HELM_QPS", true},
    {"registry-config", "HELM_REGISTRY_CONFIG", true},
    {"repository-cache", "HELM_REPOSITORY_CACHE", true},
    {"repository-config", "HELM_REPOSITORY_CONFIG", true},
    {NULL, NULL, false},
};

static const struct global *find(const char *arg, size_t len)
{
    for (const struct global *g = globals; g->flag; g++)
        if (strlen(g->flag) == len && strncmp(g->flag, arg, len) == 0)
            return g;
    return NULL;
}

/* --kube-as-group repeats: the variable holds the groups comma-separated, as helm env prints them. */
static void set(const struct global *g, const char *v, bool *groups_seen)
{
    if (strcmp(g->flag, "kube-as-group") == 0 && *groups_seen) {
        const char *old = getenv(g->env);
        size_t n = strlen(old ? old : "") + strlen(v) + 2;
        char *both = malloc(n);
        snprintf(both, n, "%s,%s", old ? old : "", v);
        setenv(g->env, both, 1);
        free(both);
        return;
    }
    if (strcmp(g->flag, "kube-as-group") == 0)
        *groups_seen = true;
    if (strcmp(g->flag, "kubeconfig") == 0) /* a file named by the flag must exist (helm's) */
        setenv(CLI_KUBECONFIG_FLAG_ENV, v, 1);
    setenv(g->env, v, 1);
}

const char cli_global_usage[] =
    "\nGlobal Flags (any command; each sets the HELM_* variable named):\n"
    "      --burst-limit N         client-side throttling limit (HELM_BURST_LIMIT, default 100)\n"
    "      --color WHEN            never, auto or always (HELM_COLOR; NO_COLOR too)\n"
    "      --colour WHEN           the same\n"
    "      --content-cache DIR     cached content, e.g. charts (HELM_CONTENT_CACHE)\n"
    "      --debug                 verbose output (HELM_DEBUG)\n"
    "      --kube-apiserver URL    the API server's address (HELM_KUBEAPISERVER)\n"
    "      --kube-as-group GROUP   group to impersonate, repeatable (HELM_KUBEASGROUPS)\n"
    "      --kube-as-user USER     user to impersonate (HELM_KUBEASUSER)\n"
    "      --kube-ca-file FILE     CA of the API server (HELM_KUBECAFILE)\n"
    "      --kube-context NAME     kubeconfig context (HELM_KUBECONTEXT)\n"
    "      --kube-insecure-skip-tls-verify  do not verify the API server (HELM_KUBEINSECURE_SKIP_TLS_VERIFY)\n"
    "      --kube-tls-server-name NAME  name to verify the API server's certificate with (HELM_KUBETLS_SERVER_NAME)\n"
    "      --kube-token TOKEN      bearer token (HELM_KUBETOKEN)\n"
    "      --kubeconfig FILE       kubeconfig file (KUBECONFIG)\n"
    "  -n, --namespace NS          namespace (HELM_NAMESPACE)\n"
    "      --qps N                 queries per second to the API server (HELM_QPS)\n"
    "      --registry-config FILE  registry credentials (HELM_REGISTRY_CONFIG)\n"
    "      --repository-cache DIR  repository indexes (HELM_REPOSITORY_CACHE)\n"
    "      --repository-config FILE  repository names and URLs (HELM_REPOSITORY_CONFIG)\n";

/* --qps is a float32, --burst-limit an int, as pflag parses them */
static bool numeric_ok(const char *flag, const char *v)
{
    bool qps = strcmp(flag, "qps") == 0;
    if (!qps && strcmp(flag, "burst-limit") != 0)
        return true;
    char *end;
    errno = 0;
    if (qps)
        (void)strtof(v, &end);
    else
        (void)strtol(v, &end, 10);
    if (*v && !*end && errno == 0 && !isspace((unsigned char)*v))
        return true;
    cli_error("invalid argument \"%s\" for \"--%s\" flag: strconv.%s: parsing \"%s\": %s", v, flag,
              qps ? "ParseFloat" : "ParseInt", v, errno == ERANGE ? "value out of range" : "invalid syntax");
    return false;
}

int cli_take_globals(int *argc, char **argv)
{
    int out = 1;
    bool groups_seen = false, rest = false;
    bool before_command = true;
    for (int i = 1; i < *argc; i++) {
        char *a = argv[i];
        /* -n before the command name is helm's global -n too */
        if (before_command && !rest && (strcmp(a, "-n") == 0 || strcmp(a, "--namespace") == 0) && i + 1 < *argc) {
            setenv("HELM_NAMESPACE", argv[++i], 1);
            continue;
        }
        if (before_command && !rest && (strncmp(a, "-n", 2) == 0 || strncmp(a, "--namespace=", 12) == 0)) {
            setenv("HELM_NAMESPACE", a[1] == 'n' ? a + 2 : a + 12, 1);
            continue;
        }
        if (!rest && i + 1 == *argc && (strcmp(a, "-n") == 0 || strcmp(a, "--namespace") == 0)) {
            flags_missing(a); /* helm's global -n, last with no value: on every command */
            return -1;
        }
        if (a[0] != '-')
            before_command = false;
        if (rest || strncmp(a, "--", 2) != 0) {
            argv[out++] = a;
            continue;
        }
        if (a[2] == 0) { /* "--": the rest are arguments */
            rest = true;
            argv[out++] = a;
            continue;
        }
        const char *name = a + 2, *eq = strchr(name, '=');
        const struct global *g = find(name, eq ? (size_t)(eq - name) : strlen(name));
        if (!g) {
            argv[out++] = a;
            continue;
        }
        const char *v;
        if (eq)
            v = eq + 1;
        else if (!g->value)
            v = "true";
        else if (i + 1 < *argc)
            v = argv[++i];
        else {
            cli_error("flag needs an argument: --%s", g->flag);
            return -1;
        }
        if (!g->value && strcmp(v, "true") != 0 && strcmp(v, "false") != 0) {
            cli_error("invalid argument \"%s\" for \"--%s\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax",
                      v, g->flag, v);
            return -1;
        }
        if (!numeric_ok(g->flag, v))
            return -1;
        set(g, v, &groups_seen);
    }
    argv[out] = NULL;
    *argc = out;
    return 0;
}

bool cli_debug(void)
{
    const char *v = getenv("HELM_DEBUG");
    return v && (strcmp(v, "true") == 0 || strcmp(v, "1") == 0);
}
