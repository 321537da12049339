/* prov_fetch.h — the provenance file of a chart from a repository, as helm's
 * ChartDownloader fetches it (VerifyAlways: --verify; VerifyLater: pull --prov)
 * and checks it. */
#ifndef CAPSTAN_PROV_FETCH_H
#define CAPSTAN_PROV_FETCH_H

#include "capstan.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "installer/net/http_client.h"

/* CHART_URL.prov to dest ("failed to fetch provenance \"URL.prov\"" when the
 * repository has none). */
int prov_fetch(http_client *c, const char *chart_url, const char *dest, cap_err *err);

/* Verify archive against prov with o's keyring, as a file named name (helm
 * checks the name the provenance gives): a copy under that name is made in a
 * temporary folder when archive has another. Helm's lines appended to report. */
int prov_verify_named(const char *archive, const char *name, const char *prov, const capstan_chart_opts *o,
                      strbuf *report, cap_err *err);

/* The same for a chart and its provenance in memory (an OCI pull's layers). */
int prov_verify_data(const char *chart, size_t len, const char *prov, size_t provlen, const char *name,
                     const capstan_chart_opts *o, strbuf *report, cap_err *err);

#endif
