/* images_api.c — capstan_images(): render, then list the images of every
 * manifest and hook (from the documents the renderer already parsed) and of
 * the charts' annotations. */
#include "capstan.h"
#include "core/opts.h"

#include <stdlib.h>
#include <string.h>

#include "renderer/images/bundle.h"
#include "renderer/images/images.h"
#include "core/json.h"
#include "renderer/manifest.h"
#include "renderer/render_internal.h"

/* Digests a bundle's images.json knows (the images it carries). */
static void known_digests(arena *a, const bundle *b, img_list *l)
{
    cval *list = NULL;
    cap_err e = CAP_ERR_INIT;
    if (!b || !b->images_len || json_parse(a, b->images_json, b->images_len, NULL, &list, &e) != 0 ||
        !cv_is(list, CV_LIST)) {
        cap_err_clear(&e);
        return;
    }
    for (size_t i = 0; i < cv_list_len(list); i++) {
        cval *it = cv_list_get(list, i);
        cval *n = cv_is(it, CV_MAP) ? cv_map_get(it, "name") : NULL;
        cval *d = cv_is(it, CV_MAP) ? cv_map_get(it, "digest") : NULL;
        if (!cv_is(n, CV_STRING) || !cv_is(d, CV_STRING) || !*d->u.str.s)
            continue;
        img_ref r;
        bool ok = img_ref_parse(a, n->u.str.s, &r) == 0;
        for (size_t k = 0; k < l->n; k++) {
            const img_ref *q = &l->v[k].ref;
            /* the same image, or the same one re-homed by --registry */
            if (strcmp(l->v[k].name, n->u.str.s) == 0 ||
                (ok && l->v[k].valid && strcmp(q->repository, r.repository) == 0 && strcmp(q->tag, r.tag) == 0 &&
                 strcmp(q->digest, r.digest) == 0))
                l->v[k].known_digest = d->u.str.s;
        }
    }
}

/* The image list of a rendered release, in arena a. */
int render_release_images(arena *a, const capstan_release *rel, const char *registry, img_list *l)
{
    const manifest *ms, *hs;
    size_t nms, nhs;
    chart *c;
    cval *config;
    if (render_release_docs(rel, &ms, &nms, &hs, &nhs) != 0 || render_release_parts(rel, &c, &config) != 0)
        return -1;
    for (size_t i = 0; i < nms; i++)
        img_from_doc(a, l, manifest_doc(a, &ms[i]), ms[i].kind, ms[i].meta_name);
    for (size_t i = 0; i < nhs; i++)
        img_from_doc(a, l, manifest_doc(a, &hs[i]), hs[i].kind, hs[i].meta_name);
    img_list fromchart = {0};
    img_from_chart(a, &fromchart, c);
    for (size_t i = 0; i < fromchart.n; i++) {
        img_entry *e = &fromchart.v[i];
        const char *nm = e->name;
        if (e->valid && registry && *registry)
            nm = img_ref_rewrite(a, nm, registry);
        for (size_t k = 0; k < e->nsources; k++)
            img_add(a, l, nm, &e->sources[k]);
    }
    known_digests(a, render_release_bundle(rel), l);
    img_sort(l);
    return 0;
}

int capstan_images(const char *chart_path, const capstan_render_opts *opts, const char *format, char **out,
                   size_t *outlen, capstan_error *err)
{
    OPTS_IN(capstan_render_opts, opts, err);
    capstan_render_opts none = {0};
    const capstan_render_opts *o = opts ? opts : &none;
    bool json = format && strcmp(format, "json") == 0;
    if (format && !json && strcmp(format, "text") != 0) {
        cap_err e = CAP_ERR_INIT;
        cap_err_coded(&e, CAPSTAN_EUSAGE, "invalid output format: use text or json");
        return cap_err_publish(err, &e, CAPSTAN_EUSAGE);
    }
    capstan_release *rel;
    if (capstan_render(chart_path, o, &rel, err) != 0)
        return -1;
    arena *a = arena_new();
    img_list l = {0};
    render_release_images(a, rel, o->registry, &l);
    strbuf sb = STRBUF_INIT;
    if (json)
        img_write_json(&sb, &l);
    else
        img_write_text(&sb, &l);
    arena_free(a);
    capstan_release_free(rel);
    *out = sb_detach(&sb, outlen);
    return 0;
}
