/* release_label.c — see release_label.h. */
#include "core/release_label.h"
#include "capstan.h"

#include <string.h>

static const char *const system_labels[] = {"name", "owner", "status", "version", "createdAt", "modifiedAt"};

bool release_label_is_system(const char *key)
{
    for (size_t i = 0; i < sizeof system_labels / sizeof *system_labels; i++)
        if (strcmp(key, system_labels[i]) == 0)
            return true;
    return false;
}

int release_label_check(const char *const *labels, size_t n, cap_err *err)
{
    for (size_t i = 0; i < n; i++)
        if (release_label_is_system(labels[2 * i]))
            return cap_err_coded(err, CAPSTAN_EUSAGE,
                                 "user supplied labels contains system reserved label name. System labels: "
                                 "[name owner status version createdAt modifiedAt]");
    return 0;
}

int capstan_release_labels_check(const char *const *labels, size_t n_labels, capstan_error *err)
{
    cap_err e = CAP_ERR_INIT;
    if (release_label_check(labels, n_labels, &e) == 0)
        return 0;
    return cap_err_publish(err, &e, CAPSTAN_EUSAGE);
}
