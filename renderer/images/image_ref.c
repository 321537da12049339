/* image_ref.c — image references for the image list and --registry, on top of
 * core/oci_ref (the distribution reference grammar, shared with the registry
 * client), with the results in the render's arena. */
#include "renderer/images/images.h"

#include <stdlib.h>
#include <string.h>

#include "core/oci_ref.h"

int img_ref_parse(arena *a, const char *s, img_ref *out)
{
    oci_ref r;
    cap_err e = CAP_ERR_INIT;
    if (strncmp(s, "oci://", 6) == 0 || oci_ref_parse(s, 0, &r, &e) != 0) {
        cap_err_clear(&e);
        return -1;
    }
    out->registry = arena_strdup(a, r.registry);
    out->repository = arena_strdup(a, r.repository);
    out->tag = arena_strdup(a, r.tag ? r.tag : "");
    out->digest = arena_strdup(a, r.digest ? r.digest : "");
    oci_ref_release(&r);
    return 0;
}

const char *img_ref_full(arena *a, const img_ref *r)
{
    return arena_printf(a, "%s/%s%s%s%s%s", r->registry, r->repository, *r->tag ? ":" : "", r->tag,
                        *r->digest ? "@" : (*r->tag ? "" : ":latest"), r->digest);
}

const char *img_ref_rewrite(arena *a, const char *s, const char *registry)
{
    cap_err e = CAP_ERR_INIT;
    char *r = strncmp(s, "oci://", 6) == 0 ? NULL : oci_ref_rehost(s, registry, &e);
    cap_err_clear(&e);
    if (!r)
        return NULL;
    const char *out = arena_strdup(a, r);
    free(r);
    return out;
}
