/* deploy.h — put a release's objects on the cluster, wave by wave.
 *
 * deploy_apply() marks every object as Helm does (label
 * app.kubernetes.io/managed-by=Helm, annotations meta.helm.sh/release-name and
 * release-namespace), refuses objects that exist but belong to something else,
 * plans the waves (plan.h), applies each wave with server-side apply, waits for
 * it when asked (wait.h), and finally deletes what the previous revision had
 * and this one does not (unless helm.sh/resource-policy: keep). Everything it
 * touches goes into the journal first, so a failure can be undone exactly.
 *
 * A conflict with fields owned by helm or capstan (the two tools sharing a
 * release) is resolved by forcing; a conflict with any other manager is an
 * error unless force_conflicts.
 */
#ifndef CAPSTAN_DEPLOY_H
#define CAPSTAN_DEPLOY_H

#include <signal.h>
#include <stdbool.h>
#include <stdio.h>

#include "installer/release/journal.h"
#include "installer/kube/kube_api.h"
#include "installer/release/progress.h"
#include "capstan.h"

typedef struct deploy_obj {
    const char *source;    /* the template it came from */
    cval *obj;             /* the parsed manifest */
} deploy_obj;

typedef struct deploy_opts {
    const char *release, *namespace;
    const char *field_manager;   /* default "capstan" */
    bool wait;
    long timeout_ms;             /* per wave; 0: 5 minutes */
    bool force_conflicts;
    bool dry_run;                /* print the plan, change nothing */
    FILE *log;                   /* progress; NULL: silent */
    bool live;                   /* live progress lines (a terminal) */
    volatile sig_atomic_t *cancel; /* set by a signal: stop between steps */
    void (*between_waves)(void *ctx); /* between waves and while waiting: e.g. renew the release lease */
    void *ctx;
    long fail_grace_ms;          /* see wait_opts */
    bool wait_for_lb;            /* see wait_opts */
    bool wait_for_jobs;          /* Jobs must complete (else started is enough) */
    const progress *progress;    /* on: wave and object events instead of wave lines (wait.h) */
    const char *propagation;     /* deletes: Background (NULL), Foreground or Orphan (--cascade) */
    bool take_ownership;         /* --take-ownership: adopt existing objects whoever owns them */
} deploy_opts;

/* Apply objs (this revision) and prune what prev (the previous revision) had
 * that objs has not. */
int deploy_apply(kube_api *api, arena *a, deploy_obj *objs, size_t n, const deploy_obj *prev, size_t nprev,
                 const deploy_opts *o, journal *j, cap_err *err);

/* The rendered manifests of r parsed into objects (documents that are not maps left out). */
int deploy_objects_of(arena *a, const capstan_release *r, deploy_obj **out, size_t *n, cap_err *err);

/* Before anything is written (helm's existingResourceConflict): every object of
 * objs that prev has not and that exists must carry this release's ownership
 * metadata, else "unable to continue with VERB: KIND \"NAME\" in namespace \"NS\"
 * exists and cannot be imported into the current release: invalid ownership
 * metadata; ..." (verb: install, update). o->take_ownership: no check. *existing
 * (when not NULL): how many of those exist (helm's objects to adopt). */
int deploy_preflight(kube_api *api, arena *a, const deploy_obj *objs, size_t n, const deploy_obj *prev, size_t nprev,
                     const deploy_opts *o, const char *verb, size_t *existing, cap_err *err);

/* Delete objs in Helm's uninstall order (reverse install order), keeping those
 * annotated helm.sh/resource-policy: keep; log what was kept. */
int deploy_delete(kube_api *api, arena *a, const deploy_obj *objs, size_t n, const deploy_opts *o, cap_err *err);

/* Stamp the ownership metadata Helm puts on every object of a release. */
void deploy_mark_owned(arena *a, cval *obj, const char *release, const char *ns);

#endif
