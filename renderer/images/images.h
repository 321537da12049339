/* images.h — the container images a rendered release can run (`capstan images`)
 * and the rewriting of their registry (`--registry HOST[:PORT]`). No network.
 *
 * Where images are found, in every rendered document (hooks included):
 *   - pod specs anywhere in the object: any map with a `containers`,
 *     `initContainers` or `ephemeralContainers` list (Pod, Deployment,
 *     StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job,
 *     CronJob jobTemplate, PodTemplate, and custom kinds of the same shape);
 *   - the annotations `helm.sh/images` (HIP-0015: a YAML list of maps with
 *     `name` and `image`) and `capstan.dev/images` on any object's metadata;
 *   - the same annotations on Chart.yaml of the chart and its enabled subcharts.
 * Annotation values may be a HIP-0015 list, a YAML list of strings, or
 * references separated by commas, spaces or newlines.
 *
 * Ownership: everything lives in the arena given.
 */
#ifndef CAPSTAN_IMAGES_H
#define CAPSTAN_IMAGES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"
#include "renderer/chart/chart.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

#define IMG_ANNOTATION_HELM "helm.sh/images"
#define IMG_ANNOTATION_CAPSTAN "capstan.dev/images"

/* A reference split as the distribution registry's reference package does:
 * [registry/]repository[:tag][@digest]. docker.io is implied for a first path
 * component without '.' or ':' that is not "localhost", and "library/" for a
 * one-component name on docker.io. */
typedef struct img_ref {
    const char *registry;    /* "docker.io" when implied */
    const char *repository;  /* "library/nginx" */
    const char *tag;         /* "" when none */
    const char *digest;      /* "" when none, else "sha256:..." */
} img_ref;

/* 0, or -1 when s is not a valid reference (empty, spaces, upper case...). */
int img_ref_parse(arena *a, const char *s, img_ref *out);
/* The full form: registry/repository[:tag][@digest], ":latest" when neither. */
const char *img_ref_full(arena *a, const img_ref *r);
/* s with its registry replaced by `registry` (host[:port]), keeping the
 * repository path, tag and digest; NULL when s is not a valid reference. */
const char *img_ref_rewrite(arena *a, const char *s, const char *registry);

/* Where one image was seen. */
typedef struct img_source {
    const char *kind, *name;  /* the object ("Chart" and the chart's name for Chart.yaml) */
    const char *container;    /* container name, or NULL */
    const char *field;        /* "containers", "initContainers", "ephemeralContainers", or the annotation */
} img_source;

typedef struct img_entry {
    const char *name;         /* img_ref_full(), the dedup key; the text as written when invalid */
    img_ref ref;              /* all "" when invalid */
    bool valid;
    const char *known_digest; /* a digest known from elsewhere (a bundle), or NULL */
    img_source *sources;
    size_t nsources, capsources;
} img_entry;

typedef struct img_list {
    img_entry *v;
    size_t n, cap;
} img_list;

/* Add one reference (leading/trailing spaces ignored; empty ignored). */
void img_add(arena *a, img_list *l, const char *text, const img_source *src);
/* Every image of one parsed document (kind/name as the manifest reads them). */
void img_from_doc(arena *a, img_list *l, const cval *doc, const char *kind, const char *name);
/* The references an annotation value declares, in order (NULL-terminated).
 * With deps, *deps is a parallel array: each entry's HIP-0015 `dependency`
 * (the subchart it belongs to) or NULL. */
const char **img_annotation_refs(arena *a, const char *value, const char ***deps);
/* helm.sh/images and capstan.dev/images of the chart and its enabled subcharts;
 * an entry whose `dependency` names a disabled subchart is left out. */
void img_from_chart(arena *a, img_list *l, const chart *c);
/* Sort by name (bytewise). */
void img_sort(img_list *l);
/* Text: one name a line. JSON: a list of
 * {"name","registry","repository","tag","digest","sources":[{kind,name,container,field}]}. */
void img_write_text(strbuf *out, const img_list *l);
void img_write_json(strbuf *out, const img_list *l);

/* Rewrite the registry of every image of one document to `registry`: the
 * references in pod specs and in the image annotations, and any other
 * occurrence of the same references in the text (JCasC agent templates, for
 * example). The text and its length are replaced with the new document (in the arena);
 * `doc` is updated in place. The text keeps its layout; when a reference
 * cannot be rewritten in place, the document is emitted anew from `doc`. */
int img_rewrite_doc(arena *a, cval *doc, const char **text, size_t *len, const char *registry, cap_err *err);

#endif
