/* bundle_make.c — capstan_bundle(): dependencies resolved (installer/
 * dep_resolve.h), the image list rendered (renderer/images/images.h), the images
 * copied into an OCI image layout (installer/net/oci.h), all written as one
 * bundle (renderer/images/bundle.h). */
#include "capstan.h"
#include "core/opts.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "renderer/images/bundle.h"
#include "installer/net/bundle_push.h"
#include "installer/net/dep_resolve.h"
#include "renderer/images/images.h"
#include "installer/net/oci.h"
#include "renderer/render_internal.h"
#include "core/xalloc.h"
#include "core/yaml.h"

static void say(const capstan_bundle_opts *o, const char *fmt, const char *a1, const char *a2)
{
    if (o->log) {
        fprintf(o->log, fmt, a1, a2);
        fflush(o->log);
    }
}

static void dep_line(void *ud, const char *line)
{
    FILE *f = ud;
    if (f)
        fprintf(f, "%s\n", line);
}

static bool has_sets(const capstan_render_opts *r)
{
    return r->n_set || r->n_set_string || r->n_set_file || r->n_set_json || r->n_set_literal;
}

/* --set* as one more values file, so that the bundle renders as the command line did */
static int sets_file(arena *a, const capstan_render_opts *r, const char *dir, const char **path, cap_err *err)
{
    capstan_render_opts only = *r;
    only.n_value_files = 0;
    cval *vals;
    if (render_merge_values(a, &only, &vals, err) != 0)
        return -1;
    strbuf sb = STRBUF_INIT;
    if (yaml_emit(&sb, vals, err) != 0) {
        sb_release(&sb);
        return -1;
    }
    *path = arena_printf(a, "%s/set-values.yaml", dir);
    FILE *f = fopen(*path, "wb");
    int rc = f && fwrite(sb_str(&sb), 1, sb.len, f) == sb.len ? 0 : -1;
    if (f && fclose(f) != 0)
        rc = -1;
    sb_release(&sb);
    return rc ? cap_err_at(err, *path, 0, 0, "write %s: %s", *path, strerror(errno)) : 0;
}

static int copy_images(arena *a, img_list *l, const char *layout, const capstan_bundle_opts *o, cap_err *err)
{
    oci_opts oo = {0};
    oo.plain_http = o->plain_http;
    oo.insecure_skip_verify = o->insecure;
    oci_client *c = oci_client_new(&oo, err);
    if (!c)
        return -1;
    int rc = 0;
    for (size_t i = 0; i < l->n && rc == 0; i++) {
        img_entry *e = &l->v[i];
        if (!e->valid) {
            rc = cap_err_set(err, "cannot bundle image \"%s\": not a valid image reference", e->name);
            break;
        }
        say(o, "Copying %s%s\n", e->name, "");
        char *digest = NULL;
        if (oci_copy_image_to_layout(c, e->name, layout, e->name, &digest, err) != 0) {
            cap_err_prefix(err, "copying image %s", e->name);
            rc = -1;
            break;
        }
        e->known_digest = arena_strdup(a, digest);
        free(digest);
    }
    oci_client_free(c);
    return rc;
}

int capstan_bundle(const char *chart_path, const char *out_path, const capstan_bundle_opts *opts,
                   capstan_error *perr)
{
    OPTS_IN(capstan_bundle_opts, opts, perr);
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    char tmpl[] = "/tmp/capstan-bundle-XXXXXX";
    char *tmp = mkdtemp(tmpl);
    capstan_release *rel = NULL;
    int rc = -1;
    if (!tmp) {
        cap_err_set(&err, "cannot make a temporary directory: %s", strerror(errno));
        goto done;
    }
    if (bundle_is(chart_path)) {
        cap_err_at(&err, chart_path, 0, 0, "%s is a bundle already; give the chart", chart_path);
        goto done;
    }
    struct stat st;
    if (stat(chart_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        /* charts/ complete as `dependency build` leaves it (no network when it already is) */
        dep_opts d = {0};
        d.out = dep_line;
        d.out_ud = opts->log;
        if (dep_ensure(chart_path, &d, &err) != 0)
            goto done;
    }
    capstan_render_opts ro = opts->render;
    capstan_error e = {0};
    if (capstan_render(chart_path, &ro, &rel, &e) != 0) {
        cap_err_at(&err, e.file, e.line, e.col, "%s", e.msg ? e.msg : "render failed");
        capstan_error_clear(&e);
        goto done;
    }
    img_list l = {0};
    render_release_images(a, rel, NULL, &l);
    const char *layout = NULL;
    if (opts->with_images) {
        layout = arena_printf(a, "%s/layout", tmp);
        if (copy_images(a, &l, layout, opts, &err) != 0)
            goto done;
    }
    strbuf js = STRBUF_INIT;
    img_write_json(&js, &l);
    const char **files = arena_zalloc(a, (ro.n_value_files + 2) * sizeof *files);
    size_t nf = 0;
    for (size_t i = 0; i < ro.n_value_files; i++)
        files[nf++] = ro.value_files[i];
    if (has_sets(&ro) && sets_file(a, &ro, tmp, &files[nf++], &err) != 0) {
        sb_release(&js);
        goto done;
    }
    bundle_spec spec = {chart_path, rel->chart_name, rel->chart_version, files, nf,
                        arena_strdup(a, sb_str(&js)), layout};
    sb_release(&js);
    say(opts, "Writing %s%s\n", out_path, "");
    if (bundle_write(a, &spec, out_path, &err) != 0)
        goto done;
    rc = 0;
done:
    capstan_release_free(rel);
    bundle_rmtree(tmp);
    arena_free(a);
    if (rc != 0)
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    return rc;
}
