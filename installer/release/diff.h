/* diff.h — what `capstan diff` compares and how it prints it, as helm-diff
 * (databus23/helm-diff v3) does: release manifests split into objects keyed
 * "NAMESPACE, NAME, KIND (GROUP)", Secret values masked, a line diff of each
 * object that changed, and helm-diff's report formats.
 *
 *   diff_lines.c     the line diff (an LCS in linear space, with helm-diff's
 *                    choices among equally long ones) and its printing with
 *                    --context
 *   diff_index.c     a manifest split into objects and their keys
 *   diff_secret.c    Secret data masked (or decoded) before the diff
 *   diff_report.c    the report: which objects changed, in helm-diff's order
 *                    and formats (diff, simple, template/json)
 *   diff_run.c       the capstan_diff_* API: what is compared with what
 *   diff_live.c      --live: live objects against a server-side apply dry run
 *
 * Ownership: everything lives in the arena given.
 */
#ifndef CAPSTAN_DIFF_H
#define CAPSTAN_DIFF_H

#include <stdbool.h>

#include "core/arena.h"
#include "capstan.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

typedef enum diff_delta { DIFF_COMMON, DIFF_LEFT, DIFF_RIGHT } diff_delta;

/* One line of a diff: in both texts, only the old (left), only the new (right). */
typedef struct diff_rec {
    diff_delta delta;
    const char *s;
    size_t len;
} diff_rec;

/* The lines of old and new (split at "\n" as Go's strings.Split: a text
 * ending in "\n" has a last, empty line; with strip_cr a trailing "\r" of each
 * line is dropped) compared: the records in order. */
void diff_lines(arena *a, const char *old, size_t oldlen, const char *new_, size_t newlen, bool strip_cr,
                diff_rec **out, size_t *n);

/* The records as helm-diff prints them: "+ line" (green), "- line" (red),
 * "  line"; context >= 0 keeps that many unchanged lines around each change
 * and prints "..." for each stretch left out; -1 prints them all. */
void diff_print(strbuf *out, const diff_rec *r, size_t n, int context, bool color);

/* ANSI colours as helm-diff's (mgutz/ansi) */
#define DIFF_GREEN "\033[0;32m"
#define DIFF_RED "\033[0;31m"
#define DIFF_YELLOW "\033[0;33m"
#define DIFF_MAGENTA "\033[0;35m"
#define DIFF_LIGHT_BLUE "\033[0;94m"
#define DIFF_RESET "\033[0m"

/* One object of a manifest. */
typedef struct diff_obj {
    const char *key;      /* "default, web, Deployment (apps)" */
    const char *kind;
    const char *content;  /* the document as it is compared (trimmed; normalised or masked) */
    size_t len;
    const char *policy;   /* helm.sh/resource-policy, or NULL */
    const char *source;   /* the template ("# Source:" line), or NULL */
    const char *api_version, *name, *ns;
} diff_obj;

typedef struct diff_index {
    diff_obj *objs;
    size_t n;
} diff_index;

/* Split a manifest ("---\n# Source: ..." documents) as helm-diff's
 * manifest.Parse: each document trimmed, documents without apiVersion and kind
 * left out, *List kinds expanded into their items, test hooks left out unless
 * include_tests, the namespace defaulted to ns; normalize re-marshals each
 * document (helm-diff's --normalize-manifests). A key seen twice keeps its
 * first object. Objects come sorted by key. what names the manifest in errors. */
int diff_index_parse(arena *a, const char *manifest, size_t len, const char *ns, bool normalize,
                     bool include_tests, const char *what, diff_index *out, cap_err *err);

/* The key helm-diff gives an object: "NS, NAME, KIND (GROUP)" (GROUP: the
 * apiVersion without its version; "v1" for the core group). */
char *diff_key(arena *a, const char *ns, const char *name, const char *kind, const char *api_version);

/* Add an object (its content already as compared) to an index; call
 * diff_index_sort when done. */
void diff_index_add(arena *a, diff_index *ix, const diff_obj *o);
void diff_index_sort(diff_index *ix);
const diff_obj *diff_index_find(const diff_index *ix, const char *key);

/* helm-diff's `diff release`: objects keyed by their template ("# Source:"),
 * a second object of one template "PATH 2", and so on. */
void diff_index_by_source(arena *a, diff_index *ix);

/* Secrets before the diff (helm-diff's redactSecrets / decodeSecrets): the
 * Secret re-serialised with data and stringData merged into "data", each
 * value replaced by "REDACTED # (N bytes)" when both sides have it equal,
 * "-------- # (N bytes)" / "++++++++ # (N bytes)" otherwise (decode: the
 * decoded text). old or new may be NULL (added, removed). Objects of other
 * kinds are left alone. */
void diff_secrets_mask(arena *a, diff_obj *old, diff_obj *new_, bool decode);

/* Compare two indexes and print the report (opts->output) to out. *changed:
 * some object was added, removed or changed. */
int diff_report(arena *a, diff_index *old, diff_index *new_, const capstan_diff_opts *o, strbuf *out, bool *changed,
                cap_err *err);

/* --live: every object of old_manifest and new_manifest as the cluster has it
 * and as a server-side apply dry run of new_manifest would leave it, both
 * stripped of what the server keeps for itself (status, managedFields,
 * resourceVersion, uid, generation, creationTimestamp, helm's release
 * annotations). The new objects are marked as the release's, as deploy marks
 * them (deploy_mark_owned). api is an installer/kube_api client. */
struct kube_api;
int diff_live(struct kube_api *api, arena *a, const char *release, const char *old_manifest, const char *new_manifest,
              const char *ns, const capstan_diff_opts *o, diff_index *old_out, diff_index *new_out, cap_err *err);

/* The server-side apply dry run of body (marked as the release's first; a
 * conflict with another manager's field retried with force, as the chart's
 * value is what the diff shows); what names it in errors. */
int diff_dry_apply(struct kube_api *api, arena *a, const char *release, const char *rel_ns, cval *body,
                   const char *ns, const char *what, cval **out, cap_err *err);

/* Strip status and the metadata the server keeps for itself (see diff_live). */
void diff_tidy(cval *obj);

/* How many leaf fields differ between two objects: scalars (and empty maps
 * and lists) compared by path, lists item by item; a field only one side has
 * counts its leaves. */
size_t diff_count_fields(const cval *x, const cval *y);

/* The error as the public capstan_error (when out is not NULL); e is cleared. Returns -1. */
int diff_error_out(capstan_error *out, cap_err *e);

/* A whole object value as helm-diff prints it once it is re-marshalled (sorted
 * keys, toYaml's form), without the final newline. */
int diff_marshal(arena *a, const cval *obj, const char **out, size_t *len, cap_err *err);

#endif
