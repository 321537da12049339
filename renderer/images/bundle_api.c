/* bundle_api.c — capstan_bundle_verify(): the public face of bundle_read(). */
#include "capstan.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/images/bundle.h"
#include "core/json.h"

int capstan_bundle_verify(const char *path, char **summary, capstan_error *err)
{
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    bundle *b;
    if (bundle_read(a, path, NULL, &b, &e) != 0) {
        arena_free(a);
        return cap_err_publish(err, &e, CAPSTAN_EIO);
    }
    size_t nimages = 0;
    cval *imgs = NULL;
    if (b->images_len && json_parse(a, b->images_json, b->images_len, NULL, &imgs, &e) == 0 && cv_is(imgs, CV_LIST))
        nimages = cv_list_len(imgs);
    cap_err_clear(&e);
    if (summary && asprintf(summary, "%s %s: %zu members, %zu images%s, %zu values file%s, %llu bytes, checksums OK",
                            b->chart_name, b->chart_version, b->nmembers, nimages,
                            b->has_layout ? " (carried)" : " (listed only)", b->nvalues, b->nvalues == 1 ? "" : "s",
                            (unsigned long long)b->bytes) < 0)
        *summary = NULL;
    arena_free(a);
    return 0;
}
