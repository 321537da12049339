/* render_internal.h — what the installer (inside libcapstan) needs of a
 * rendered release beyond the public capstan_release: the chart itself and the
 * values the user supplied, both for the release record Helm keeps. */
#ifndef CAPSTAN_RENDER_INTERNAL_H
#define CAPSTAN_RENDER_INTERNAL_H

#include "capstan.h"
#include "renderer/chart/chart.h"
#include "renderer/engine/tmpl.h"
#include "core/value.h"

/* Both live as long as the release. Returns -1 for a release not rendered by capstan_render(). */
int render_release_parts(const capstan_release *r, chart **c, cval **config);

/* The manifests and hooks as the renderer sorted them, each with its parsed
 * document (renderer/manifest.h), for `capstan images`. -1 as above. */
struct manifest;
int render_release_docs(const capstan_release *r, const struct manifest **ms, size_t *nms,
                        const struct manifest **hs, size_t *nhs);

/* Every image of a rendered release (renderer/images/images.h), sorted; Chart.yaml's
 * declared images re-homed to registry when not NULL. In arena a. */
struct img_list;
int render_release_images(arena *a, const capstan_release *r, const char *registry, struct img_list *l);

/* The values of o merged as Helm does (-f files, then --set*), without a chart. */
int render_merge_values(arena *a, const capstan_render_opts *o, cval **out, cap_err *err);

/* What a render against a live cluster adds (helm install and upgrade, not
 * helm template): `lookup` answered by the cluster, and the cluster's version
 * and API versions in .Capabilities (added to the defaults; --kube-version and
 * --api-versions of the options still win). Borrowed for the call. */
typedef struct render_cluster {
    tmpl_lookup_fn lookup;
    void *lookup_ctx;
    const char *kube_version;       /* the server's gitVersion, or NULL */
    const char **api_versions;      /* "apps/v1", "apps/v1/Deployment", ... */
    size_t n_api_versions;
    /* upgrade: the current release's user values (its config) and its chart's
     * values, combined with the new values as helm's Upgrade.reuseValues does
     * (values_mode); NULL: no current release */
    const cval *prev_config;
    const cval *prev_chart_values;
    int values_mode;
} render_cluster;

/* values_mode: none of the flags (the old values when no new ones are
 * given), --reset-values, --reuse-values, --reset-then-reuse-values */
enum { RENDER_VALUES_DEFAULT, RENDER_VALUES_RESET, RENDER_VALUES_REUSE, RENDER_VALUES_RESET_THEN_REUSE };

/* capstan_render() with a cluster (NULL: none). */
int render_for_cluster(const char *chart_path, const capstan_render_opts *o, const render_cluster *cl,
                       capstan_release **out, capstan_error *err);

/* capstan_template_write() with a cluster (NULL: none; o already read through OPTS_IN). */
int render_template_write(const char *chart_path, const capstan_render_opts *o, const render_cluster *cl,
                          capstan_write_fn write, void *ctx, capstan_error *err);

/* How capstan_template_write() writes a rendered release (rel stays the caller's). */
int render_release_write(capstan_release *rel, const capstan_render_opts *o, capstan_write_fn write, void *ctx,
                         capstan_error *err);

/* The bundle the release was rendered from (renderer/images/bundle.h), or NULL. */
struct bundle;
const struct bundle *render_release_bundle(const capstan_release *r);
/* recAllTpls: the engine's sources of c and its subcharts; top holds Release,
 * Capabilities and Values (for helm lint, which renders on its own terms). */
void render_sources(arena *a, chart *c, cval *top, tmpl_source **out, size_t *n);

#endif
