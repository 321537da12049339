/* template_cluster.c — helm template --dry-run=server: the chart rendered as an
 * install renders it (lookup answered by the cluster, .Capabilities from its
 * discovery, --kube-version and --api-versions ignored as helm ignores them
 * then), the ownership of objects that exist checked as helm's install checks
 * it (not with --is-upgrade), and written out as capstan_template_write writes. */
#include "capstan.h"
#include "core/opts.h"
#include "installer/kube/cluster.h"
#include "installer/release/cluster_render.h"
#include "installer/release/deploy.h"

#include <string.h>

static int render_checked(cluster *c, const char *chart_path, const capstan_render_opts *o,
                          capstan_release **rel, cap_err *e)
{
    render_cluster cl;
    if (cluster_render_prepare(c->api, c->a, &cl, e) < 0)
        return -1;
    capstan_render_opts ro = *o;
    ro.kube_version = NULL;
    ro.api_versions = NULL;
    ro.n_api_versions = 0;
    capstan_error pe = {0};
    if (render_for_cluster(chart_path, &ro, &cl, rel, &pe) != 0) {
        cap_err_at(e, pe.file, pe.line, pe.col, "%s", pe.msg ? pe.msg : "render failed");
        capstan_error_clear(&pe);
        return -1;
    }
    deploy_obj *objs;
    size_t n;
    deploy_opts dopt = {.release = o->release_name ? o->release_name : "release-name", .namespace = c->ns};
    if (!o->is_upgrade && (deploy_objects_of(c->a, *rel, &objs, &n, e) < 0 ||
                           deploy_preflight(c->api, c->a, objs, n, NULL, 0, &dopt, "install", NULL, e) < 0))
        return -1;
    return 0;
}

int capstan_template_cluster_write(const char *chart_path, const capstan_render_opts *opts,
                                   const capstan_kube_opts *kube, capstan_write_fn write, void *ctx,
                                   capstan_error *err)
{
    OPTS_IN(capstan_render_opts, opts, err);
    cap_err e = CAP_ERR_INIT;
    cluster c;
    capstan_release *rel = NULL;
    int rc = cluster_open(&c, kube, &e);
    if (rc == 0)
        rc = render_checked(&c, chart_path, opts, &rel, &e);
    if (rc == 0)
        rc = render_release_write(rel, opts, write, ctx, err) != 0 ? -1 : 0;
    else
        cap_err_publish(err, &e, CAPSTAN_ERENDER);
    capstan_release_free(rel);
    cluster_close(&c);
    return rc;
}
