/* status_resources.h — the live side of `capstan status`: helm 4's RESOURCES
 * section, and what is not ready and why.
 *
 * RESOURCES is printed as helm 4.1.4 prints it: for each VERSION/KIND of the
 * release's manifest a "==> v1/Deployment" header, then each object as the
 * API server's table (Accept: as=Table, the columns kubectl get shows,
 * priority 0 only), aligned as kubectl's tab writer aligns them (minimum
 * width 6, padding 3), a header only when the columns differ from the last
 * table printed; the pods of a workload (by its selector, each selector once)
 * under "==> v1/Pod(related)". helm orders the groups at random (a Go map);
 * capstan in the manifest's order, each related-pods group after the first
 * workload that has pods. An object that is gone is left out (helm leaves
 * it out too), and NOT READY says so.
 *
 * NOT READY lists each object that ready_status() does not judge ready, with
 * its diagnostics (diagnose.h).
 */
#ifndef CAPSTAN_STATUS_RESOURCES_H
#define CAPSTAN_STATUS_RESOURCES_H

#include "installer/kube/kube_api.h"
#include "core/strbuf.h"

/* Append the RESOURCES section (without its title) to resources and the NOT
 * READY text to not_ready (empty when everything is ready), for the objects of
 * the release manifest in namespace ns. */
int status_resources(kube_api *api, arena *a, const char *manifest, const char *ns, long log_lines,
                     strbuf *resources, strbuf *not_ready, cap_err *err);

#endif
