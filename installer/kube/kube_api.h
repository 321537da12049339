/* kube_api.h — Kubernetes objects over kube_http: discovery (kind -> resource),
 * get, list, server-side apply, delete, and API errors as one clear line.
 *
 * Discovery is lazy and cached per group/version; a kind the cache does not
 * know triggers one fresh look (a CRD may just have been established) before
 * "the cluster does not serve KIND in GROUP/VERSION".
 *
 * Ownership: a kube_api borrows its kube_client (the caller frees both, the
 * api first). Objects returned are cvals in the arena the caller passes.
 */
#ifndef CAPSTAN_KUBE_API_H
#define CAPSTAN_KUBE_API_H

#include <stdbool.h>

#include "core/arena.h"
#include "core/err.h"
#include "installer/kube/kube_http.h"
#include "core/value.h"

typedef struct kube_resource {
    const char *group;      /* "" for the core group */
    const char *version;
    const char *kind;
    const char *plural;     /* the resource name in URLs */
    bool namespaced;
} kube_resource;

typedef struct kube_api kube_api;

kube_api *kube_api_new(kube_client *client);
void kube_api_free(kube_api *api);
kube_client *kube_api_client(kube_api *api);

/* Map apiVersion ("v1", "apps/v1") and kind to a resource. */
int kube_api_resolve(kube_api *api, const char *api_version, const char *kind,
                     const kube_resource **out, cap_err *err);

/* The resources a group/version serves ("v1", "apps/v1"), subresources left
 * out, from the discovery cache (fetched when not cached yet); *n is 0 when the
 * server does not serve it. The array lives until that cache is refreshed. */
int kube_api_resources(kube_api *api, const char *group_version, const kube_resource **out, size_t *n,
                       cap_err *err);

/* The URL path of an object or a collection (name NULL). ns is ignored for
 * cluster-scoped resources; NULL ns on a namespaced list means all namespaces. */
char *kube_api_path(arena *a, const kube_resource *r, const char *ns, const char *name);

/* GET one object: *out is NULL when it does not exist (404). */
int kube_api_get(kube_api *api, arena *a, const char *api_version, const char *kind,
                 const char *ns, const char *name, cval **out, cap_err *err);

/* LIST: *out is the list's "items" (a list value). selector may be NULL. */
int kube_api_list(kube_api *api, arena *a, const char *api_version, const char *kind,
                  const char *ns, const char *label_selector, cval **out, cap_err *err);

typedef struct kube_apply_opts {
    const char *field_manager;  /* default "capstan" */
    bool force;                 /* take over conflicting fields (--force-conflicts) */
    bool dry_run;               /* dryRun=All */
} kube_apply_opts;

/* Server-side apply of obj (a map with apiVersion, kind, metadata.name);
 * ns fills metadata.namespace for namespaced kinds that have none. Strict
 * field validation: a typo in a manifest is an error. *out: the live object.
 * Returns -2 (err set) when fields owned by other managers conflict. */
int kube_api_apply(kube_api *api, arena *a, const cval *obj, const char *ns,
                   const kube_apply_opts *o, cval **out, cap_err *err);

/* POST (create) obj; *conflict is set when it already exists (409) and the
 * call then returns 0 without *out. */
int kube_api_create(kube_api *api, arena *a, const cval *obj, const char *ns, bool *conflict, cval **out,
                    cap_err *err);

/* PUT (replace) obj, which must carry metadata.resourceVersion for an
 * optimistic update; *conflict is set on 409 (someone changed it meanwhile). */
int kube_api_replace(kube_api *api, arena *a, const cval *obj, const char *ns, bool *conflict, cval **out,
                     cap_err *err);

/* DELETE with propagationPolicy (Background, Foreground, Orphan; NULL: Background).
 * A missing object is not an error; *gone says whether it was there. */
int kube_api_delete(kube_api *api, const char *api_version, const char *kind, const char *ns,
                    const char *name, const char *propagation, bool *existed, cap_err *err);

/* The log of one container of a pod (GET .../pods/NAME/log), at most
 * tail_lines lines from its end when tail_lines > 0 (container NULL: the
 * pod's only container), and previous for the
 * container's last terminated run. *out is the text in the arena (NUL
 * terminated, *len bytes); a status other than 200 is an error naming the pod
 * and container, with the API server's message. */
int kube_api_pod_log(kube_api *api, arena *a, const char *ns, const char *pod, const char *container,
                     long tail_lines, bool previous, char **out, size_t *len, cap_err *err);

/* GET a raw path (e.g. "/version", "/readyz"). *out: parsed JSON or NULL. */
int kube_api_get_path(kube_api *api, arena *a, const char *path, long *status, cval **out, cap_err *err);

/* The message of a failed response: the Status object's message when there
 * is one, else the body's first line, else the HTTP status. */
void kube_api_error(cap_err *err, const kube_response *resp, const char *what);

#endif
