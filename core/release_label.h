/* release_label.h — the names helm's release storage keeps for itself on a
 * record's object (name, owner, status, version, createdAt, modifiedAt): a
 * user's --labels may not use them. Shared by the installer, which stores
 * labels, and the renderer's callers (template checks --labels as helm's
 * client-only install does). */
#ifndef CAPSTAN_CORE_RELEASE_LABEL_H
#define CAPSTAN_CORE_RELEASE_LABEL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

bool release_label_is_system(const char *key);

/* labels: n pairs (key, value, ...). 0, or -1 with helm's "user supplied labels
 * contains system reserved label name. System labels: [name owner ...]". */
int release_label_check(const char *const *labels, size_t n, cap_err *err);

#endif
