/* release_labels.c — see release_labels.h. */
#include "installer/release/release_labels.h"

#include <string.h>

cval *release_labels_custom(arena *a, const cval *object_labels)
{
    if (!object_labels || object_labels->kind != CV_MAP)
        return NULL;
    cval *m = cv_map_new(a);
    size_t n;
    const cv_entry *en = cv_map_sorted(object_labels, &n);
    for (size_t i = 0; i < n; i++)
        if (!release_label_is_system(en[i].key) && cv_str(en[i].val))
            cv_map_set(m, en[i].key, en[i].val);
    return cv_map_len(m) ? m : NULL;
}

int release_labels_check(const capstan_install_opts *o, cap_err *err)
{
    return release_label_check(o->labels, o->n_labels, err);
}

cval *release_labels_merge(arena *a, const cval *current, const capstan_install_opts *o)
{
    cval *m = cv_map_new(a);
    size_t n = 0;
    const cv_entry *en = current && current->kind == CV_MAP ? cv_map_sorted(current, &n) : NULL;
    for (size_t i = 0; i < n; i++)
        cv_map_set(m, en[i].key, en[i].val);
    for (size_t i = 0; i < o->n_labels; i++)
        cv_map_set(m, o->labels[2 * i], cv_cstring(a, o->labels[2 * i + 1]));
    /* helm's mergeCustomLabels: "null" unsets, whichever side it came from */
    en = cv_map_sorted(m, &n);
    const char **gone = arena_alloc(a, (n + 1) * sizeof *gone);
    size_t ngone = 0;
    for (size_t i = 0; i < n; i++)
        if (cv_str(en[i].val) && strcmp(cv_str(en[i].val), "null") == 0)
            gone[ngone++] = en[i].key;
    for (size_t i = 0; i < ngone; i++) /* the entries array is stale after the first delete */
        cv_map_delete(m, gone[i]);
    return cv_map_len(m) ? m : NULL;
}
