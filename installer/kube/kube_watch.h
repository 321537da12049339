/* kube_watch.h — several Kubernetes watch streams at once, on one libcurl
 * multi handle. Each stream is a GET of a collection with ?watch=1 from a
 * resourceVersion; events arrive as JSON lines and are handed to a callback.
 * A stream the server ends (its timeout) is reopened from the last version
 * seen; an expired version (410 Gone) is reported to the callback as an
 * event of type "GONE" so the owner can list again.
 *
 * Ownership: kube_watch borrows the client; kube_watch_free() ends every stream.
 * Event objects live in an arena that is reset after each callback: copy what
 * you keep (cv_deep_copy).
 */
#ifndef CAPSTAN_KUBE_WATCH_H
#define CAPSTAN_KUBE_WATCH_H

#include "core/err.h"
#include "installer/kube/kube_http.h"
#include "core/value.h"

/* The longest event line a stream may send (an object in etcd is at most
 * 1.5 MiB by default; this leaves room for its JSON and the event around it).
 * A longer one ends the watch with an error naming the limit. */
#define KUBE_WATCH_MAX_EVENT (16 * 1024 * 1024)

typedef struct kube_watch kube_watch;

/* type: ADDED, MODIFIED, DELETED, BOOKMARK, ERROR or GONE. Return non-zero to stop polling. */
typedef int (*kube_watch_fn)(void *ctx, int stream, const char *type, cval *object, arena *a);

kube_watch *kube_watch_new(kube_client *c);
void kube_watch_free(kube_watch *w);

/* Open a stream on collection `path` (e.g. "/api/v1/namespaces/x/pods"),
 * optionally with a selector query ("fieldSelector=...", or NULL), from
 * resource_version. Returns the stream's id (>= 0), or -1. */
int kube_watch_add(kube_watch *w, const char *path, const char *query, const char *resource_version,
                   cap_err *err);

/* Run the streams for up to timeout_ms, calling fn for each event.
 * Returns 1 when fn asked to stop, 0 when the time ran out, -1 on error. */
int kube_watch_poll(kube_watch *w, long timeout_ms, kube_watch_fn fn, void *ctx, cap_err *err);

#endif
