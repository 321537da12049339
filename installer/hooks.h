/* hooks.h — Helm's hooks: pre/post install, upgrade, rollback and delete, and test.
 *
 * For an event, the hooks that name it run one by one in Helm's order (weight,
 * then kind order, then name). Each is created after its
 * before-hook-creation policy (the default) removed an old copy; a Job or Pod
 * is waited on until it completes, and fails the hook when it fails; the
 * hook-succeeded and hook-failed policies delete it afterwards.
 *
 * Each run is recorded in the release's "hooks" list, as Helm records it
 * (last_run: started_at, completed_at, phase).
 */
#ifndef CAPSTAN_HOOKS_H
#define CAPSTAN_HOOKS_H

#include <signal.h>
#include <stdio.h>

#include "kube_api.h"

typedef struct hook {
    const char *name, *kind, *path;  /* metadata.name, kind, the template */
    const char *manifest;            /* the document */
    cval *obj;
    const char **events;             /* NULL-terminated: "pre-install", "test", ... */
    const char **delete_policies;    /* NULL-terminated */
    int weight;
    cval *record;                    /* its entry in the release's hooks list */
} hook;

/* Parse the hook manifests of a release (as the renderer returned them) and
 * build their release records (a list value for the release's "hooks"). */
int hooks_parse(arena *a, const char **sources, const char **manifests, const size_t *lens, size_t n,
                hook **out, size_t *nout, cval **records, cap_err *err);

/* The hooks of a stored release record (its "hooks" list). */
int hooks_from_release(arena *a, const cval *release, hook **out, size_t *nout, cval **records, cap_err *err);

typedef struct hook_opts {
    const char *release, *namespace, *field_manager;
    long timeout_ms;
    FILE *log;
    volatile sig_atomic_t *cancel;
    void (*tick)(void *ctx);   /* while waiting for a hook: e.g. renew the release lease */
    void *tick_ctx;
} hook_opts;

/* Run the hooks of one event. */
int hooks_run(kube_api *api, arena *a, hook *hooks, size_t n, const char *event, const hook_opts *o,
              cap_err *err);

#endif
