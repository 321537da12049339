/* journal.h — what an operation did to the cluster, so it can be undone exactly.
 *
 * Every object an operation touches is recorded before it is touched: created
 * (it did not exist), changed (with the state it had), unchanged (it existed
 * and the apply did not change it), or deleted (with the state it had).
 * journal_undo() walks the entries backwards: created objects are deleted,
 * changed ones get their old state back, deleted ones are recreated.
 *
 * Ownership: a journal and its entries live in the arena given to journal_new().
 */
#ifndef CAPSTAN_JOURNAL_H
#define CAPSTAN_JOURNAL_H

#include <stdio.h>

#include "installer/kube/kube_api.h"

typedef enum journal_op { J_CREATED, J_CHANGED, J_UNCHANGED, J_DELETED } journal_op;

typedef struct journal_entry {
    journal_op op;
    const char *api_version, *kind, *namespace, *name;
    cval *before;      /* the live object before (changed, deleted), or NULL */
} journal_entry;

typedef struct journal {
    arena *a;
    journal_entry *e;
    size_t n, cap;
} journal;

journal *journal_new(arena *a);
journal_entry *journal_add(journal *j, journal_op op, const char *api_version, const char *kind,
                           const char *ns, const char *name, const cval *before);

/* The object as it can be applied again: status and server-set metadata removed. */
cval *journal_restorable(arena *a, const cval *live);

/* Undo everything, newest first. Continues past errors, reporting each to log;
 * returns -1 (with the first error) when any step failed. */
int journal_undo(kube_api *api, journal *j, const char *field_manager, FILE *log, cap_err *err);

/* Delete only what the operation created, newest first (helm's --cleanup-on-fail);
 * errors as journal_undo. */
int journal_undo_created(kube_api *api, journal *j, FILE *log, cap_err *err);

const char *journal_op_name(journal_op op);

#endif
