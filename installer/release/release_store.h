/* release_store.h — release history in the cluster, as Helm keeps it, plus a
 * lease so that an interrupted operation never leaves a release stuck.
 *
 * Records are Secrets (see release_codec.h) found by the labels
 * owner=helm,name=NAME. A revision in a pending-* status is a lock. capstan
 * holds it under a lease: annotations capstan.dev/lease-holder,
 * capstan.dev/lease-renew-time (unix seconds) and capstan.dev/lease-duration
 * (seconds) on the record's Secret, renewed while the operation runs. An
 * operation that finds a pending revision whose lease has expired (or, for a
 * record helm wrote, which has been pending longer than the stale limit)
 * recovers it: the revision is marked failed, and the operation proceeds.
 *
 * Ownership: records live in the arena passed in.
 */
#ifndef CAPSTAN_RELEASE_STORE_H
#define CAPSTAN_RELEASE_STORE_H

#include <stdbool.h>
#include <stdio.h>

#include "installer/kube/kube_api.h"

typedef struct release_rec {
    cval *rel;            /* the decoded release (Helm's JSON as a value) */
    cval *secret;         /* the Secret as the API returned it */
    long version;
    const char *status;   /* info.status */
} release_rec;

#define RELEASE_LEASE_SECONDS 60
#define RELEASE_STALE_SECONDS 900  /* a helm-written pending record older than this is abandoned */

/* HELM_DRIVER, as helm reads it: "secret" (also "secrets", unset or ""),
 * "configmap" ("configmaps": records in ConfigMaps of the same name and
 * labels, see release_object) or "memory" (records live in the process:
 * a new one finds none, and nothing is written); -1 with helm's `unknown
 * driver "X"` otherwise (and for "sql", which capstan does not speak). */
enum { RELEASE_DRIVER_SECRET, RELEASE_DRIVER_CONFIGMAP, RELEASE_DRIVER_MEMORY };
int release_driver(cap_err *err);
/* The kind of object that holds the records of driver d ("Secret",
 * "ConfigMap"), NULL for memory. */
const char *release_driver_kind(int d);

/* The objects that hold the records of driver d in ns (NULL: every
 * namespace), of release name (NULL: every release). memory: the releases
 * of the YAML files in HELM_MEMORY_DRIVER_DATA (':'-separated, as helm
 * preloads its memory driver; an unreadable one is helm's "Unable to read
 * memory driver data"), as ConfigMap objects; writes to it are dropped. */
int release_list_objects(kube_api *api, arena *a, int driver, const char *ns, const char *name, cval **items,
                         cap_err *err);

/* Every revision of NAME in ns, oldest first. */
int release_history(kube_api *api, arena *a, const char *ns, const char *name, release_rec **out, size_t *n,
                    cap_err *err);

/* One record from its Secret. */
int release_from_secret_rec(arena *a, const cval *secret, release_rec *out, cap_err *err);

/* Store revision rel as a new Secret; a revision that already exists is an
 * error ("another operation is in progress"). holder: the lease holder, or
 * NULL for no lease (a final status). */
int release_create(kube_api *api, arena *a, const cval *rel, const char *holder, long now, cap_err *err);

/* Rewrite an existing revision (a new status, a renewed lease). */
int release_update(kube_api *api, arena *a, const cval *rel, const char *holder, long now, cap_err *err);

int release_delete(kube_api *api, const char *ns, const char *name, long version, cap_err *err);

/* --history-max: before a new revision of NAME is written, delete the oldest
 * records so that history_max remain with it, never the newest deployed one
 * (helm's Storage.Create / removeLeastRecent). history_max <= 0: no limit. */
int release_prune(kube_api *api, arena *a, const char *ns, const char *name, int history_max, cap_err *err);

/* Before an operation: if the newest revision is pending, either fail with
 * Helm's message (its lease is alive) or mark it failed (expired), logging
 * what was recovered. */
int release_recover(kube_api *api, arena *a, const char *ns, const char *name, long now, FILE *log,
                    cap_err *err);

/* Go's time.Time as encoding/json writes it: RFC 3339 with nanoseconds, zeros trimmed. */
char *release_time(arena *a, long sec, long nsec);

#endif
