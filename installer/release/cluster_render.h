/* cluster_render.h — what a render against a live cluster needs of it, as
 * helm install and upgrade render (not helm template): the server's version
 * and API versions for .Capabilities (discovery: "v1", "apps/v1",
 * "apps/v1/Deployment", ...), and `lookup` answered by the API server (an
 * object; a list for an empty name; an empty map when it does not exist).
 *
 * Ownership: everything lives in the arena given; the render_cluster borrows
 * api, which must outlive the render.
 */
#ifndef CAPSTAN_CLUSTER_RENDER_H
#define CAPSTAN_CLUSTER_RENDER_H

#include "installer/kube/kube_api.h"
#include "renderer/render_internal.h"

int cluster_render_prepare(kube_api *api, arena *a, render_cluster *out, cap_err *err);

/* An upgrade of the release whose record is rel: the values it had, combined
 * with the new ones as helm 4's reuseValues does, by o's --reset-values,
 * --reuse-values and --reset-then-reuse-values (upgrade and diff upgrade). */
void cluster_render_prev_values(render_cluster *cl, arena *a, const cval *rel, const capstan_install_opts *o);

#endif
