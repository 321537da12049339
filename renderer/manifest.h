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

#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

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
    cval *doc;               /* the document as parsed, or NULL: see manifest_doc() */
} manifest;

typedef struct manifest_scan manifest_scan;

typedef struct manifest_input {
    const char *name;
    char *text;              /* len bytes and a NUL; manifest_sort writes into it */
    size_t len;
    manifest_scan *scan;     /* its documents read ahead (manifest_scan_file), or NULL */
} manifest_input;

/* One file's part of manifest_sort, ahead of it (while the file's text is
 * still being rendered, say): its documents split and their heads read, in
 * arena a, or the error manifest_sort gives for it if it gets to the file.
 * Consumes the text as manifest_sort does. */
manifest_scan *manifest_scan_file(arena *a, const manifest_input *f);

/* Split one file's text as Helm's SplitManifests: documents separated by
 * "---" after a newline, trimmed, empty ones dropped. *out is an array of
 * (pointer, length) pairs in the arena. */
size_t manifest_split(arena *a, const char *text, size_t len, const char ***docs, size_t **lens);

/* SortManifests: files sorted by name, partials and empty files skipped,
 * documents split, heads parsed; hooks apart; both stably sorted by kind.
 * The texts are consumed, not copied: each manifest's content points into its
 * file's text, NUL-terminated in place (over the separator or space after it),
 * so the texts must outlive the manifests and cannot be sorted again. */
struct chart;
/* logc: the chart whose log gets helm's "skipping unknown hooks" lines (NULL: none). */
int manifest_sort(arena *a, const manifest_input *files, size_t n, manifest_order order,
                  manifest **out, size_t *nout, manifest **hooks, size_t *nhooks, const struct chart *logc,
                  cap_err *err);

/* The head of one document (trimmed, as manifest_split gives it) as Helm's
 * SimpleHead reads it, by a line scanner that builds no tree
 * (manifest_head.c). Returns 1 with *h filled when the document is in the
 * subset of YAML the scanner checks, 0 when it is not: then read it in full
 * (yaml_parse), which gives the same head or Helm's error. */
typedef struct manifest_head {
    bool empty;              /* no content (comments at most): a null document */
    const char *api_version; /* NULL when absent; strings in the arena */
    const char *kind;
    const char *name;        /* metadata.name */
    const char *hook;        /* metadata.annotations["helm.sh/hook"] */
    const char *hook_weight;
} manifest_head;
int manifest_head_scan(arena *a, const char *doc, size_t len, manifest_head *h);

/* The same head from the whole document read as Helm reads it (yaml_parse):
 * fields that are absent or not strings are NULL (a hook annotation that is
 * not a string is ""). Fails with Helm's message ("YAML parse error on NAME:
 * ..."), naming `name`. *docv is the document read. */
int manifest_head_read(arena *a, const char *name, const char *doc, size_t len, manifest_head *h, cval **docv,
                       cap_err *err);

/* The document as a value: m->doc, or read now when only its head was
 * scanned. NULL for an empty document (or one that fails to read). */
cval *manifest_doc(arena *a, const manifest *m);

/* "---\n# Source: NAME\nCONTENT\n" */
void manifest_write(strbuf *out, const char *name, const char *content, size_t len);

#endif
