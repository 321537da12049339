/* package_api.c — capstan_package (capstan.h): `helm package` of one chart
 * directory, over chart_package_dir. */
#include "capstan.h"
#include "core/opts.h"
#include "renderer/chart/chart_package.h"
#include "renderer/chart/prov_int.h"

#include <stdlib.h>

int capstan_package(const char *chart_dir, const capstan_package_opts *opts, char **path, capstan_error *perr)
{
    OPTS_IN(capstan_package_opts, opts, perr);
    chart_package_opts o = {".", NULL, NULL};
    if (opts) {
        if (opts->dest)
            o.dest = opts->dest;
        o.version = opts->version;
        o.app_version = opts->app_version;
    }
    cap_err err = CAP_ERR_INIT;
    if (chart_package_dir(chart_dir, &o, path, &err) != 0)
        return cap_err_publish(perr, &err, CAPSTAN_ERENDER);
    if (opts && opts->sign && prov_package_sign(*path, opts, &err) != 0) {
        free(*path);
        *path = NULL;
        return cap_err_publish(perr, &err, CAPSTAN_EUSAGE);
    }
    return 0;
}
