/* lint.h — `helm lint` (pkg/chart/v2/lint): the rules of Helm v4 over one chart
 * directory, in helm's order (Chart.yaml, values, templates, dependencies, CRDs),
 * with helm's messages.
 *
 * Ownership: a lint_result owns its messages; lint_result_free() releases them.
 * Options are borrowed.
 */
#ifndef CAPSTAN_LINT_H
#define CAPSTAN_LINT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

typedef enum lint_sev { LINT_UNKNOWN, LINT_INFO, LINT_WARNING, LINT_ERROR } lint_sev;

typedef struct lint_msg {
    lint_sev sev;
    char *path;   /* "Chart.yaml", "templates/", "templates/x.yaml", the chart's absolute dir, "" */
    char *text;   /* helm's error text (may span lines) */
} lint_msg;

typedef struct lint_result {
    lint_msg *msgs;
    size_t n, cap;
    lint_sev highest;
    strbuf log;   /* what helm logs to stderr while linting ("level=WARN msg=... message=...\n" lines) */
} lint_result;

typedef struct lint_opts {
    cval *values;              /* user values (-f, --set...), merged; NULL: none */
    const char *namespace_;    /* .Release.Namespace; NULL: "default" */
    const char *kube_version;  /* --kube-version; NULL: helm's default */
    bool skip_schema;          /* --skip-schema-validation */
} lint_opts;

/* Lint the chart in directory `dir` (helm's RunAll). Returns -1 only when the
 * directory is not a chart at all (helm's "unable to check Chart.yaml file in
 * chart: ..." error, in err->msg), 0 otherwise: the findings are in *r. */
int lint_chart(const char *dir, const lint_opts *o, lint_result *r, cap_err *err);
void lint_result_free(lint_result *r);

/* "[SEVERITY] PATH: TEXT", as support.Message.Error(). */
void lint_msg_format(strbuf *out, const lint_msg *m);

/* ---- inside the linter (lint*.c) ------------------------------------------ */

void lint_add(lint_result *r, lint_sev sev, const char *path, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

/* os.ReadFile: 0, or -1 with Go's error text ("open PATH: no such file or directory") in *why */
int lint_read_file(arena *a, const char *path, char **data, size_t *len, const char **why);

/* what helm's loader logs when a rule loads the chart (symbolic links, requirements
 * files in an apiVersion v2 chart), appended to r->log */
void lint_loader_log(arena *a, const char *dir, lint_result *r);

/* the rules, as pkg/chart/v2/lint/rules */
void lint_rule_chartfile(arena *a, const char *dir, lint_result *r);
void lint_rule_values(arena *a, const char *dir, const lint_opts *o, lint_result *r);
void lint_rule_templates(arena *a, const char *dir, const lint_opts *o, lint_result *r);
void lint_rule_dependencies(arena *a, const char *dir, lint_result *r);
void lint_rule_crds(arena *a, const char *dir, lint_result *r);

/* k8sYamlStruct: what the template and CRD rules read of each document */
typedef struct lint_k8s_obj {
    const char *api_version, *kind, *name, *ns;
} lint_k8s_obj;

/* Split `text` into documents as apimachinery's YAMLOrJSONDecoder does and decode
 * each into a lint_k8s_obj. Calls fn for each non-null document; on a decoding
 * error returns -1 with *errmsg (helm's text after "unable to parse YAML: ").
 * fn returning non-zero stops the walk. */
typedef int (*lint_doc_fn)(void *ctx, const lint_k8s_obj *obj);
int lint_decode_docs(arena *a, const char *text, size_t len, lint_doc_fn fn, void *ctx, const char **errmsg);

/* the Kubernetes checks */
const char *lint_check_name(arena *a, const lint_k8s_obj *obj);                       /* NULL: ok */
const char *lint_check_deprecation(arena *a, const lint_k8s_obj *obj, const char *kube_version); /* NULL: ok */

/* govalidator's checks, as Chart.yaml's rules use them */
bool lint_is_request_url(const char *s);
bool lint_is_url(const char *s);
bool lint_is_email(const char *s);
/* Masterminds semver.StrictNewVersion */
bool lint_is_strict_semver(const char *s);

#endif
