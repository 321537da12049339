/* manifest.h — rendered templates into the manifests Helm installs and prints
 * (pkg/release/v1/util): split documents, read each one's head (kind,
 * metadata.name, hook annotations), hooks apart, Helm's install order by kind.
 *
 * Ownership: everything lives in the arena given.
 */
#ifndef CAPSTAN_MANIFEST_H
#define CAPSTAN_MANIFEST_H

#include <stdbool.h>
#include <stddef.h>

#include "err.h"
#include "strbuf.h"
#include "value.h"

typedef enum manifest_order {
    MANIFEST_ORDER_HELM4 = 0,  /* Helm 4's InstallOrder */
    MANIFEST_ORDER_HELM3,      /* Helm 3's (no webhook configurations in the list) */
} manifest_order;

typedef struct manifest {
    const char *name;        /* the template it came from, e.g. "mychart/templates/a.yaml" */
    const char *content;     /* the document, trimmed */
    size_t len;
    const char *api_version; /* "" when absent */
    const char *kind;
    const char *meta_name;
    bool hook;
    const char *hook_events; /* the helm.sh/hook annotation, for hooks */
    int weight;              /* helm.sh/hook-weight */
    bool test;               /* a test hook (event "test" or "test-success") */
    cval *doc;               /* the document as parsed (for images and their rewriting) */
} manifest;

typedef struct manifest_input {
    const char *name;
    const char *text;
    size_t len;
} manifest_input;

/* Split one file's text as Helm's SplitManifests: documents separated by
 * "---" after a newline, trimmed, empty ones dropped. *out is an array of
 * (pointer, length) pairs in the arena. */
size_t manifest_split(arena *a, const char *text, size_t len, const char ***docs, size_t **lens);

/* SortManifests: files sorted by name, partials and empty files skipped,
 * documents split, heads parsed; hooks apart; both stably sorted by kind. */
int manifest_sort(arena *a, const manifest_input *files, size_t n, manifest_order order,
                  manifest **out, size_t *nout, manifest **hooks, size_t *nhooks, cap_err *err);

/* "---\n# Source: NAME\nCONTENT\n" */
void manifest_write(strbuf *out, const char *name, const char *content, size_t len);

#endif
