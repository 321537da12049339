/* flags.c — see flags.h. */
#include "flags.h"
#include "cli.h"

#include <stdlib.h>
#include <string.h>

static void push(const char ***v, size_t *n, const char *x)
{
    *v = realloc(*v, (*n + 1) * sizeof **v);
    (*v)[(*n)++] = x;
}

bool flags_values(int opt, const char *arg, capstan_render_opts *ro)
{
    switch (opt) {
    case 'f':
        /* -f takes comma-separated lists too, as helm's string slice does (empty items
         * skipped): each file name a copy of its own, freed by flags_values_free */
        for (const char *p = arg; *p;) {
            size_t n = strcspn(p, ",");
            if (n)
                push(&ro->value_files, &ro->n_value_files, strndup(p, n));
            p += n + (p[n] == ',');
        }
        return true;
    case FL_SET: push(&ro->set, &ro->n_set, arg); return true;
    case FL_SET_STRING: push(&ro->set_string, &ro->n_set_string, arg); return true;
    case FL_SET_FILE: push(&ro->set_file, &ro->n_set_file, arg); return true;
    case FL_SET_JSON: push(&ro->set_json, &ro->n_set_json, arg); return true;
    case FL_SET_LITERAL: push(&ro->set_literal, &ro->n_set_literal, arg); return true;
    }
    return false;
}

void flags_values_free(capstan_render_opts *ro)
{
    for (size_t i = 0; i < ro->n_value_files; i++)
        free((char *)ro->value_files[i]);
    struct { const char ***v; size_t *n; } arrays[] = {
        {&ro->value_files, &ro->n_value_files}, {&ro->set_json, &ro->n_set_json}, {&ro->set, &ro->n_set},
        {&ro->set_string, &ro->n_set_string}, {&ro->set_file, &ro->n_set_file},
        {&ro->set_literal, &ro->n_set_literal},
    };
    for (size_t i = 0; i < sizeof arrays / sizeof *arrays; i++) {
        free(*arrays[i].v);
        *arrays[i].v = NULL;
        *arrays[i].n = 0;
    }
}

bool flags_kube(int opt, const char *arg, capstan_kube_opts *ko)
{
    switch (opt) {
    case 'n': ko->namespace_ = arg; return true;
    case FL_KUBECONFIG: ko->kubeconfig = arg; return true;
    case FL_KUBE_CONTEXT: ko->context = arg; return true;
    case FL_INSECURE: ko->insecure = true; return true;
    }
    return false;
}

static const char *env(const char *name)
{
    const char *v = getenv(name);
    return v && *v ? v : NULL;
}

void flags_kube_env(capstan_kube_opts *ko)
{
    if (!ko->namespace_)
        ko->namespace_ = env("HELM_NAMESPACE");
    if (!ko->context)
        ko->context = env("HELM_KUBECONTEXT");
    if (!ko->kubeconfig)
        ko->kubeconfig = env(CLI_KUBECONFIG_FLAG_ENV);
    ko->apiserver = env("HELM_KUBEAPISERVER");
    ko->token = env("HELM_KUBETOKEN");
    ko->ca_file = env("HELM_KUBECAFILE");
    ko->tls_server_name = env("HELM_KUBETLS_SERVER_NAME");
    ko->as_user = env("HELM_KUBEASUSER");
    ko->as_groups = env("HELM_KUBEASGROUPS");
    /* helm reads these as numbers or falls back to its defaults (0: the library's) */
    const char *qps = env("HELM_QPS"), *burst = env("HELM_BURST_LIMIT");
    ko->qps = qps ? strtof(qps, NULL) : 0;
    ko->burst_limit = burst ? (int)strtol(burst, NULL, 10) : 0;
    const char *ins = env("HELM_KUBEINSECURE_SKIP_TLS_VERIFY");
    if (ins && strcmp(ins, "true") == 0)
        ko->insecure = true;
}

int flags_max_history_env(void)
{
    const char *v = env("HELM_MAX_HISTORY");
    if (!v)
        return 10;
    char *end;
    long n = strtol(v, &end, 10);
    if (*end || n < 0 || n > 1000000) {
        cli_error("HELM_MAX_HISTORY=\"%s\": not a number of revisions", v);
        return -1;
    }
    return (int)n;
}

void flags_duration_error(const char *flag, const char *s)
{
    /* time.ParseDuration: [-+]?(NUMBER UNIT)+, or "0" */
    const char *p = s, *why = "invalid";
    char unit[32] = "";
    if (*p == '-' || *p == '+')
        p++;
    while (*p) {
        const char *num = p;
        while ((*p >= '0' && *p <= '9') || *p == '.')
            p++;
        if (p == num)
            break; /* invalid */
        const char *u = p;
        while (*p && !((*p >= '0' && *p <= '9') || *p == '.'))
            p++;
        if (p == u) {
            why = "missing unit";
            break;
        }
        snprintf(unit, sizeof unit, "%.*s", (int)(p - u), u);
        if (strcmp(unit, "ns") && strcmp(unit, "us") && strcmp(unit, "\u00b5s") && strcmp(unit, "ms") &&
            strcmp(unit, "s") && strcmp(unit, "m") && strcmp(unit, "h")) {
            why = "unknown unit";
            break;
        }
    }
    if (strcmp(why, "unknown unit") == 0)
        cli_error("invalid argument \"%s\" for \"%s\" flag: time: unknown unit \"%s\" in duration \"%s\"", s, flag,
                  unit, s);
    else if (strcmp(why, "missing unit") == 0)
        cli_error("invalid argument \"%s\" for \"%s\" flag: time: missing unit in duration \"%s\"", s, flag, s);
    else
        cli_error("invalid argument \"%s\" for \"%s\" flag: time: invalid duration \"%s\"", s, flag, s);
}

void flags_missing(const char *arg)
{
    if (arg[0] == '-' && arg[1] != '-')
        cli_error("flag needs an argument: '%c' in %s", arg[strlen(arg) - 1], arg);
    else
        cli_error("flag needs an argument: %s", arg);
}

void flags_bad_option(int c, const char *arg)
{
    if (c == ':')
        flags_missing(arg);
    else
        flags_unknown(arg);
}

int flags_labels(const char *arg, const char ***labels, size_t *n)
{
    /* pflag's stringToString: one '=' is one pair (commas kept in the value); more are CSV */
    size_t eq = 0;
    for (const char *p = arg; *p; p++)
        eq += *p == '=';
    if (eq == 0) {
        cli_error("invalid argument \"%s\" for \"-l, --labels\" flag: %s must be formatted as key=value", arg, arg);
        return -1;
    }
    char *copy = strdup(arg);
    char *save = NULL;
    for (char *pair = eq == 1 ? copy : strtok_r(copy, ",", &save); pair; pair = eq == 1 ? NULL : strtok_r(NULL, ",", &save)) {
        if (eq == 1) /* strings.Trim(val, `"`) */
            for (size_t l = strlen(pair); l && pair[l - 1] == '"';)
                pair[--l] = 0;
        while (eq == 1 && *pair == '"')
            pair++;
        char *v = strchr(pair, '=');
        if (!v) {
            cli_error("invalid argument \"%s\" for \"-l, --labels\" flag: %s must be formatted as key=value", arg,
                      pair);
            free(copy);
            return -1;
        }
        *v++ = 0;
        size_t i = 0;
        while (i < *n && strcmp((*labels)[2 * i], pair) != 0)
            i++;
        if (i == *n) {
            *labels = realloc(*labels, 2 * (*n + 1) * sizeof **labels);
            (*labels)[2 * (*n)++] = strdup(pair);
        } else {
            free((char *)(*labels)[2 * i + 1]); /* the key given again: its old value */
        }
        (*labels)[2 * i + 1] = strdup(v);
    }
    free(copy);
    return 0;
}

void flags_labels_free(const char **labels, size_t n)
{
    for (size_t i = 0; i < 2 * n; i++)
        free((char *)labels[i]);
    free(labels);
}

int flags_exclusive(bool force_replace, bool force_conflicts)
{
    if (!force_replace || !force_conflicts)
        return 0;
    cli_error("if any flags in the group [force-replace force-conflicts] are set none of the others can be; "
              "[force-conflicts force-replace] were all set");
    return -1;
}

void flags_unknown(const char *arg)
{
    if (arg[0] == '-' && arg[1] != '-')
        cli_error("unknown shorthand flag: '%c' in %s", arg[1], arg);
    else
        cli_error("unknown flag: %.*s", (int)strcspn(arg, "="), arg);
}

long flags_duration_ms(const char *s)
{
    if (!s || !*s)
        return -1;
    if (strcmp(s, "0") == 0)
        return 0;
    double total = 0;
    const char *p = s;
    while (*p) {
        char *end;
        double v = strtod(p, &end);
        if (end == p)
            return -1;
        p = end;
        double unit;
        if (strncmp(p, "ms", 2) == 0) {
            unit = 1;
            p += 2;
        } else if (*p == 'h') {
            unit = 3600e3;
            p++;
        } else if (*p == 'm') {
            unit = 60e3;
            p++;
        } else if (*p == 's') {
            unit = 1e3;
            p++;
        } else {
            return -1; /* Go requires a unit on every number but a lone 0 */
        }
        total += v * unit;
    }
    return (long)total;
}

/* helm's --wait WaitStrategy: watcher (the bare flag), hookOnly (the default), legacy; true/false too. */
int cli_wait_strategy(const char *arg, bool *wait)
{
    if (!arg || strcmp(arg, "watcher") == 0 || strcmp(arg, "legacy") == 0 || strcmp(arg, "true") == 0)
        *wait = true;
    else if (strcmp(arg, "hookOnly") == 0 || strcmp(arg, "false") == 0)
        *wait = false;
    else {
        cli_error("invalid argument \"%s\" for \"--wait\" flag: invalid wait input \"%s\". Valid inputs are watcher, "
                  "hookOnly, and legacy", arg, arg);
        return -1;
    }
    return 0;
}

/* --server-side: install's is a bool, upgrade's "true", "false" or "auto" (pflag's messages). */
int flags_server_side(const char *arg, bool upgrade)
{
    static const char *const bools[] = {"1", "t", "T", "TRUE", "true", "True", "0", "f", "F", "FALSE", "false",
                                        "False"};
    if (!arg)
        return 0;
    if (upgrade) {
        if (strcmp(arg, "true") == 0 || strcmp(arg, "false") == 0 || strcmp(arg, "auto") == 0)
            return 0;
        cli_error("UPGRADE FAILED: invalid/unknown release server-side apply method: %s", arg);
        return -1;
    }
    for (size_t i = 0; i < sizeof bools / sizeof *bools; i++)
        if (strcmp(arg, bools[i]) == 0)
            return 0;
    cli_error("invalid argument \"%s\" for \"--server-side\" flag: strconv.ParseBool: parsing \"%s\": invalid syntax",
              arg, arg);
    return -1;
}

int flags_dry_run(const char *arg, bool *dry_run, bool *server)
{
    static const char *const truths[] = {"1", "t", "T", "TRUE", "true", "True", NULL};
    static const char *const lies[] = {"0", "f", "F", "FALSE", "false", "False", NULL};
    *dry_run = *server = false;
    if (!arg) {
        cli_slog("WARN", "--dry-run is deprecated and should be replaced with '--dry-run=client'", NULL, NULL);
        *dry_run = true;
        return 0;
    }
    if (strcmp(arg, "client") == 0 || strcmp(arg, "server") == 0) {
        *dry_run = true;
        *server = arg[0] == 's';
        return 0;
    }
    if (strcmp(arg, "none") == 0)
        return 0;
    for (int b = 0; b < 2; b++)
        for (const char *const *w = b ? lies : truths; *w; w++)
            if (strcmp(arg, *w) == 0) {
                char msg[96];
                snprintf(msg, sizeof msg, "boolean '--dry-run=%s' flag is deprecated and must be replaced with '--dry-run=%s'",
                         arg, b ? "none" : "client");
                cli_slog("WARN", msg, NULL, NULL);
                *dry_run = !b;
                return 0;
            }
    cli_error("invalid dry-run value (\"%s\"). Must be \"none\", \"server\", or \"client\"", arg);
    return -1;
}
