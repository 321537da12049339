/* flags.h — flags several subcommands share, under Helm's names: values
 * (-f, --set, ...), the cluster (--kubeconfig, --kube-context, -n), and Go
 * durations for --timeout. */
#ifndef CAPSTAN_FLAGS_H
#define CAPSTAN_FLAGS_H

#include <getopt.h>
#include <stdbool.h>

#include "capstan.h"

enum {
    FL_SET = 2000, FL_SET_STRING, FL_SET_FILE, FL_SET_JSON, FL_SET_LITERAL,
    FL_KUBECONFIG, FL_KUBE_CONTEXT, FL_INSECURE,
};

#define FLAGS_VALUES_LONGOPTS                                       \
    {"values", required_argument, NULL, 'f'},                      \
    {"set", required_argument, NULL, FL_SET},                      \
    {"set-string", required_argument, NULL, FL_SET_STRING},        \
    {"set-file", required_argument, NULL, FL_SET_FILE},            \
    {"set-json", required_argument, NULL, FL_SET_JSON},            \
    {"set-literal", required_argument, NULL, FL_SET_LITERAL}

#define FLAGS_KUBE_LONGOPTS                                          \
    {"namespace", required_argument, NULL, 'n'},                    \
    {"kubeconfig", required_argument, NULL, FL_KUBECONFIG},         \
    {"kube-context", required_argument, NULL, FL_KUBE_CONTEXT},     \
    {"insecure-skip-tls-verify", no_argument, NULL, FL_INSECURE}

/* Take opt if it is a values flag; returns true when it was one. The --set*
 * strings stay borrowed from argv; -f's files are malloc'd copies (its list
 * split on commas), and the arrays are malloc'd: flags_values_free frees them. */
bool flags_values(int opt, const char *arg, capstan_render_opts *ro);

/* Free what flags_values allocated in ro and empty those six arrays. */
void flags_values_free(capstan_render_opts *ro);

/* Like flags_values, for the cluster flags (nothing allocated: the strings stay borrowed). */
bool flags_kube(int opt, const char *arg, capstan_kube_opts *ko);

/* After parsing: what the command line left unset, from helm's environment
 * (HELM_NAMESPACE, HELM_KUBECONTEXT, HELM_KUBEAPISERVER, HELM_KUBETOKEN,
 * HELM_KUBECAFILE, HELM_KUBETLS_SERVER_NAME, HELM_KUBEASUSER, HELM_KUBEASGROUPS,
 * HELM_KUBEINSECURE_SKIP_TLS_VERIFY; the global flags set them: cli/globals.c). */
void flags_kube_env(capstan_kube_opts *ko);

/* Go's message for a duration flag that does not parse, printed as helm prints it:
 * invalid argument "5x" for "--timeout" flag: time: unknown unit "x" in duration "5x". */
void flags_duration_error(const char *flag, const char *s);

/* helm's message for an unknown flag: "unknown flag: --x" or "unknown shorthand flag: 'x' in -x". */
void flags_unknown(const char *arg);

/* pflag's message for a flag given without its value: "flag needs an argument: --version",
 * "flag needs an argument: 'f' in -f" (getopt_long returned ':' for arg, argv[optind - 1]). */
void flags_missing(const char *arg);

/* --labels K=V[,K=V...] (pflag's stringToString) added to *labels (key, value, key, value...;
 * *n pairs; a key given again takes the new value): 0, or -1 after helm's error. The array
 * and its strings are malloc'd (the pairs taken before an error stay in it): flags_labels_free
 * frees them. */
int flags_labels(const char *arg, const char ***labels, size_t *n);

/* Free the n pairs of labels that flags_labels made, and the array. */
void flags_labels_free(const char **labels, size_t n);

/* cobra's error for helm's mutually exclusive --force-replace and --force-conflicts: -1 after it. */
int flags_exclusive(bool force_replace, bool force_conflicts);

/* --server-side: install's and template's is a bool (pflag's ParseBool message), upgrade's "true",
 * "false" or "auto" (helm's "UPGRADE FAILED: invalid/unknown release server-side apply method").
 * 0, or -1 after the error; NULL (the bare flag) is true. */
int flags_server_side(const char *arg, bool upgrade);

/* getopt_long's complaint (optstring begun with ':'), in pflag's words: c ':' is
 * "flag needs an argument: ARG", anything else "unknown flag: ARG" (flags_missing,
 * flags_unknown). */
void flags_bad_option(int c, const char *arg);

/* --dry-run[=VALUE] of install, upgrade and rollback, as helm's cmdGetDryRunFlagStrategy:
 * the bare flag, "client" or a true boolean (Go's ParseBool) simulate client-side, "server"
 * on the server, "none" or a false boolean not at all; the bare flag and booleans log helm's
 * level=WARN deprecation line. 0, or -1 after helm's error for another value. */
int flags_dry_run(const char *arg, bool *dry_run, bool *server);

/* HELM_MAX_HISTORY, else helm's default 10; -1 (after printing why) when malformed. */
int flags_max_history_env(void);

/* A Go duration ("5m0s", "90s", "1h", "300ms") in milliseconds; -1 when malformed. */
long flags_duration_ms(const char *s);

/* A render's default resource limits (README "Resource limits"): template's
 * --max-render-memory and --render-timeout change them; install and upgrade
 * render under them too. */
#define DEFAULT_MAX_RENDER_MEMORY ((size_t)2 << 30)
#define DEFAULT_RENDER_TIMEOUT_MS (5UL * 60 * 1000)

#endif
