/* bundle_push.c — see bundle_push.h. */
#include "installer/net/bundle_push.h"

#include <errno.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "renderer/images/bundle.h"
#include "renderer/images/images.h"
#include "core/json.h"
#include "installer/net/oci.h"
#include "installer/net/oci_int.h" /* oci_read_file */

#define REF_NAME "org.opencontainers.image.ref.name"

/* The ref.name of every image in the layout's index.json. */
static int layout_names(arena *a, const char *layout, const char ***names, size_t *n, cap_err *err)
{
    const char *ip = arena_printf(a, "%s/index.json", layout);
    strbuf sb = STRBUF_INIT;
    cval *idx = NULL;
    int bad = oci_read_file(ip, &sb, err) != 0 || json_parse(a, sb_str(&sb), sb.len, "index.json", &idx, err) != 0 ||
              !cv_is(idx, CV_MAP);
    sb_release(&sb);
    if (bad)
        return cap_err_set(err, "the bundle's image layout has no readable index.json");
    cval *ms = cv_map_get(idx, "manifests");
    size_t k = cv_is(ms, CV_LIST) ? cv_list_len(ms) : 0;
    *names = arena_zalloc(a, (k + 1) * sizeof **names);
    *n = 0;
    for (size_t i = 0; i < k; i++) {
        cval *m = cv_list_get(ms, i);
        cval *ann = cv_is(m, CV_MAP) ? cv_map_get(m, "annotations") : NULL;
        cval *rn = cv_is(ann, CV_MAP) ? cv_map_get(ann, REF_NAME) : NULL;
        if (cv_is(rn, CV_STRING))
            (*names)[(*n)++] = rn->u.str.s;
    }
    return 0;
}

static int push_all(arena *a, const char *layout, const capstan_install_opts *o, cap_err *err)
{
    const char **names = NULL;
    size_t n = 0;
    if (layout_names(a, layout, &names, &n, err) != 0)
        return -1;
    oci_opts oo = {0};
    oo.plain_http = o->registry_plain_http;
    oo.insecure_skip_verify = o->registry_insecure;
    oci_client *c = oci_client_new(&oo, err);
    if (!c)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *dst = img_ref_rewrite(a, names[i], o->render.registry);
        if (!dst) {
            rc = cap_err_set(err, "the bundle's layout names an invalid image \"%s\"", names[i]);
            break;
        }
        if (o->log)
            fprintf(o->log, "Pushing %s to %s\n", names[i], dst);
        if (oci_push_layout_image(c, layout, names[i], dst, NULL, err) != 0) {
            cap_err_prefix(err, "pushing %s", dst);
            rc = -1;
        }
    }
    oci_client_free(c);
    return rc;
}

static int rm_one(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(p);
}

void bundle_rmtree(const char *dir)
{
    if (dir)
        nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int bundle_prepare_install(const char *release, const char *chart_path, const capstan_install_opts *o,
                           cap_err *err)
{
    if (!bundle_is(chart_path))
        return 0;
    arena *a = arena_new();
    char tmpl[] = "/tmp/capstan-install-XXXXXX";
    char *tmp = mkdtemp(tmpl);
    int rc = -1;
    if (!tmp) {
        cap_err_set(err, "cannot make a temporary directory: %s", strerror(errno));
        goto done;
    }
    const char *registry = o->render.registry && *o->render.registry ? o->render.registry : NULL;
    const char *layout = arena_printf(a, "%s/layout", tmp);
    bundle *b;
    if (bundle_read(a, chart_path, registry ? layout : NULL, &b, err) != 0)
        goto done;
    /* it must render before anything is pushed */
    capstan_render_opts ro = o->render;
    ro.release_name = release;
    ro.namespace_ = o->kube.namespace_;
    capstan_release *rel;
    capstan_error e = {0};
    if (capstan_render(chart_path, &ro, &rel, &e) != 0) {
        cap_err_at(err, e.file, e.line, e.col, "%s", e.msg ? e.msg : "render failed");
        capstan_error_clear(&e);
        goto done;
    }
    capstan_release_free(rel);
    if (b->has_layout && !registry && o->log)
        fprintf(o->log, "The bundle carries images, but no --registry was given: they are not pushed\n");
    if (b->has_layout && registry && !o->dry_run && push_all(a, layout, o, err) != 0)
        goto done;
    rc = 0;
done:
    bundle_rmtree(tmp);
    arena_free(a);
    return rc;
}
