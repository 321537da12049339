/* release_labels.h — helm 4's release labels (--labels): KEY=VALUE pairs kept
 * on the release record's Secret (or ConfigMap) beside the storage's own
 * labels (name, owner, status, version, createdAt, modifiedAt), which a user
 * may not set. In a record read from the cluster they are the map
 * rel["labels"] (release_store.c puts them there); release_object writes that
 * map onto the object and leaves it out of the encoded release, as helm's
 * `json:"-"` does.
 *
 * Ownership: maps live in the arena passed in.
 */
#ifndef CAPSTAN_RELEASE_LABELS_H
#define CAPSTAN_RELEASE_LABELS_H

#include <stdbool.h>

#include "capstan.h"
#include "core/err.h"
#include "core/release_label.h"
#include "core/value.h"

/* The labels of a stored object without the storage's own; NULL when none remain. */
cval *release_labels_custom(arena *a, const cval *object_labels);

/* helm's check of --labels (release_label_check). */
int release_labels_check(const capstan_install_opts *o, cap_err *err);

/* The labels of a new revision: current (the previous revision's, NULL for an
 * install) merged with o->labels, a value "null" removing its key (helm's
 * mergeCustomLabels); NULL when none. */
cval *release_labels_merge(arena *a, const cval *current, const capstan_install_opts *o);

#endif
