/* chart_api.h — what the public chart commands (capstan.h: capstan_chart_opts)
 * share inside the library: the options turned into the OCI client's and a
 * repository entry's, and the OCI half of `helm pull`. */
#ifndef CAPSTAN_CHART_API_H
#define CAPSTAN_CHART_API_H

#include "capstan.h"
#include "core/err.h"
#include "installer/net/oci.h"
#include "installer/net/repo.h"

/* The registry settings of o (borrowed strings) in *out; o may be NULL. */
void chart_opts_oci(const capstan_chart_opts *o, oci_opts *out);
/* The credentials and TLS files of o (borrowed strings) in *e; o may be NULL. */
void chart_opts_repo_entry(const capstan_chart_opts *o, repo_entry *e);
/* o's field when the caller's struct is big enough to hold it, else zero. */
#define CHART_OPT(o, field) \
    ((o) && (o)->size >= offsetof(capstan_chart_opts, field) + sizeof (o)->field ? (o)->field : 0)

/* A chart in a repository, as helm's ChartDownloader.ResolveChartVersion finds
 * it: its URL, the index's digest ("" when unknown), the repository entry whose
 * credentials apply, and a client with them. Release with chart_repo_ref_release. */
typedef struct repo_chart_ref {
    char *url;
    const char *digest;        /* in the arena given to chart_resolve_repo_ref */
    repo_entry entry;          /* borrowed from file or opts */
    repo_file file;
    bool have_file;
    http_client *client;
} repo_chart_ref;
/* ref: REPO/CHART (the cached index of REPO in repositories.yaml), CHART with
 * o->repo_url (the index fetched now), or a chart URL; o->version and
 * o->devel choose the version as helm does. */
int chart_resolve_repo_ref(arena *ar, const char *ref, const capstan_chart_opts *o, repo_chart_ref *out,
                           cap_err *err);
void chart_repo_ref_release(repo_chart_ref *r);
/* The file name of a chart URL (its last path element, without query). */
const char *chart_url_base_name(const char *url);

/* `helm pull oci://...` (capstan_pull with an oci:// reference). */
int chart_pull_oci(const char *ref, const capstan_pull_opts *p, const capstan_chart_opts *o, cap_err *err);

#endif
