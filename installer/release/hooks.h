/* hooks.h — Helm's hooks: pre/post install, upgrade, rollback and delete, and test.
 *
 * For an event, the hooks that name it run one by one in Helm 4's order
 * (pkg/action/hooks.go): the release's order (by kind), stably sorted by
 * weight, then name. Each is created after its before-hook-creation policy
 * (the default when none is given) removed an old copy and the copy is gone;
 * a Job or Pod is waited on until it completes, and fails the hook when it
 * fails; other kinds are not waited on. Deletions by hook-succeeded happen only
 * once every hook of the event has succeeded, last hook first, so a hook
 * ServiceAccount outlives the hook Job that uses it. When a hook fails, its
 * hook-failed policy and then the hook-succeeded policies of the hooks that
 * ran before it apply. helm.sh/hook-output-log-policy (hook-succeeded,
 * hook-failed) writes the logs of a Job's or Pod's containers to the log.
 * CustomResourceDefinitions are never deleted by a policy.
 *
 * Each run is recorded in the release's "hooks" list, as Helm records it
 * (last_run: started_at, completed_at, phase).
 */
#ifndef CAPSTAN_HOOKS_H
#define CAPSTAN_HOOKS_H

#include <signal.h>
#include <stdio.h>

#include "installer/kube/kube_api.h"
#include "installer/release/progress.h"

typedef struct hook {
    const char *name, *kind, *path;  /* metadata.name, kind, the template */
    const char *manifest;            /* the document */
    cval *obj;
    const char **events;             /* NULL-terminated: "pre-install", "test", ... */
    const char **delete_policies;    /* NULL-terminated; empty: before-hook-creation when run */
    const char **output_log_policies; /* NULL-terminated */
    int weight;
    size_t index;                    /* position in the release's hooks */
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
    FILE *hook_output;         /* hook logs (output-log-policy); NULL: log */
    long fail_grace_ms;        /* see wait_opts */
    void (*tick)(void *ctx);   /* while waiting for a hook: e.g. renew the release lease */
    void *tick_ctx;
    const progress *progress;  /* on: hook and object events instead of hook lines (wait.h) */
} hook_opts;

/* Run the hooks of one event. */
int hooks_run(kube_api *api, arena *a, hook *hooks, size_t n, const char *event, const hook_opts *o,
              cap_err *err);

#endif
