/* bundle_push.h — installing from a bundle: verify it whole, check that it
 * renders, push its images to the target registry, all before the cluster is
 * touched. */
#ifndef CAPSTAN_BUNDLE_PUSH_H
#define CAPSTAN_BUNDLE_PUSH_H

#include "capstan.h"
#include "core/err.h"

/* Nothing to do (0) when chart_path is not a bundle. With o->render.registry,
 * every image of the bundle's layout goes to REGISTRY/REPOSITORY:TAG. */
int bundle_prepare_install(const char *release, const char *chart_path, const capstan_install_opts *o,
                           cap_err *err);

/* rm -rf dir (a temporary directory of ours). */
void bundle_rmtree(const char *dir);

#endif
