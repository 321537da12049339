/* prov_fetch.c — fetching and checking a repository chart's provenance file
 * (prov_fetch.h), over renderer/chart/chart_prov.c. */
#include "installer/net/prov_fetch.h"
#include "installer/net/chart_api.h"
#include "renderer/chart/chart_prov.h"
#include "core/fsutil.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int prov_fetch(http_client *c, const char *chart_url, const char *dest, cap_err *err)
{
    strbuf url = STRBUF_INIT;
    sb_addf(&url, "%s.prov", chart_url);
    http_response resp = HTTP_RESPONSE_INIT;
    cap_err ignored = CAP_ERR_INIT;
    int rc = http_get(c, url.buf, &resp, &ignored);
    cap_err_clear(&ignored);
    if (rc != 0 || resp.status < 200 || resp.status >= 300)
        rc = cap_err_set(err, "failed to fetch provenance \"%s\"", url.buf);
    else
        rc = fsu_write_atomic(dest, sb_str(&resp.body), resp.body.len, 0644, err);
    http_response_release(&resp);
    sb_release(&url);
    return rc;
}

int prov_verify_named(const char *archive, const char *name, const char *prov, const capstan_chart_opts *o,
                      strbuf *report, cap_err *err)
{
    const char *keyring = CHART_OPT(o, keyring);
    char *dflt = keyring && *keyring ? NULL : chart_prov_default_keyring();
    const char *base = strrchr(archive, '/') ? strrchr(archive, '/') + 1 : archive;
    int rc;
    if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        rc = cap_err_set(err, "chart must be a tgz file");
    else if (strcmp(base, name) == 0) {
        rc = chart_prov_verify(archive, prov, dflt ? dflt : keyring, report, err);
    } else {
        char dir[] = "/tmp/capstan-verify-XXXXXX";
        strbuf copy = STRBUF_INIT, data = STRBUF_INIT;
        rc = mkdtemp(dir) ? 0 : cap_err_set(err, "cannot create a temporary directory: %s", strerror(errno));
        if (rc == 0) {
            sb_addf(&copy, "%s/%s", dir, name);
            rc = fsu_read_file(archive, &data, err);
            if (rc == 0)
                rc = fsu_write_atomic(copy.buf, sb_str(&data), data.len, 0600, err);
            if (rc == 0)
                rc = chart_prov_verify(copy.buf, prov, dflt ? dflt : keyring, report, err);
            unlink(copy.buf);
            rmdir(dir);
        }
        sb_release(&copy);
        sb_release(&data);
    }
    free(dflt);
    return rc;
}

int prov_verify_data(const char *chart, size_t len, const char *prov, size_t provlen, const char *name,
                     const capstan_chart_opts *o, strbuf *report, cap_err *err)
{
    char dir[] = "/tmp/capstan-verify-XXXXXX";
    if (!mkdtemp(dir))
        return cap_err_set(err, "cannot create a temporary directory: %s", strerror(errno));
    strbuf cp = STRBUF_INIT, pp = STRBUF_INIT;
    sb_addf(&cp, "%s/chart.tgz", dir);
    sb_addf(&pp, "%s/chart.tgz.prov", dir);
    int rc = fsu_write_atomic(cp.buf, chart, len, 0600, err);
    if (rc == 0)
        rc = fsu_write_atomic(pp.buf, prov, provlen, 0600, err);
    if (rc == 0)
        rc = prov_verify_named(cp.buf, name, pp.buf, o, report, err);
    unlink(cp.buf);
    unlink(pp.buf);
    rmdir(dir);
    sb_release(&cp);
    sb_release(&pp);
    return rc;
}
