/* chart_package.h — `helm package`: a chart directory to NAME-VERSION.tgz, with the
 * content helm v4 writes (pkg/chart/v2/util/save.go):
 *
 *   - every member under the top directory NAME/ (the chart's name), regular files
 *     only (no directory entries), mode 0644, uid/gid 0, no user/group names,
 *     USTAR headers as Go's archive/tar writes them, mtime = the file's mtime
 *     (rounded to the second), two zero blocks at the end, no record padding;
 *   - order: Chart.yaml (re-marshalled: sorted keys, empty fields left out, as
 *     sigs.k8s.io/yaml), Chart.lock (apiVersion v2 only, re-marshalled),
 *     values.yaml (as is), values.schema.json (as is, must be valid JSON),
 *     templates/ (in load order), every other file (in load order, .helmignore
 *     applied), then each subchart in charts/ the same way under
 *     NAME/charts/SUBNAME/ (subchart archives are unpacked, as helm does);
 *   - gzip with helm's header: no mtime, Extra "+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=",
 *     comment "Helm", OS 255. The deflate stream is zlib's, not Go's, so the
 *     .tgz bytes differ from helm's; the tar stream inside is the same.
 *
 * No network. Ownership: *out_path is malloc'd, the caller frees it.
 */
#ifndef CAPSTAN_CHART_PACKAGE_H
#define CAPSTAN_CHART_PACKAGE_H

#include "core/err.h"

typedef struct chart_package_opts {
    const char *dest;         /* directory to write to; NULL or "" = "." (created if missing) */
    const char *version;      /* --version: replaces Chart.yaml's version, or NULL */
    const char *app_version;  /* --app-version: replaces appVersion, or NULL */
} chart_package_opts;

/* Package the chart in directory `dir` (or a .tgz: it is repackaged). On success
 * *out_path is the archive's path (dest/NAME-VERSION.tgz, absolute when dest is
 * "." as helm prints it). On failure nothing is left behind. */
int chart_package_dir(const char *dir, const chart_package_opts *o, char **out_path, cap_err *err);


#endif
