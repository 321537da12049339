/* oci_api.c — the registry commands of capstan.h: `helm push`, `helm pull
 * oci://...`, `helm registry login|logout`, and the image copy behind the
 * debug command `capstan oci-copy`, over oci.h. As helm, the progress lines
 * (Pushed:, Pulled:, Digest:, Login Succeeded) go to opts->log. */
#include "installer/net/chart_api.h"
#include "installer/net/prov_fetch.h"
#include "core/opts.h"
#include "core/fsutil.h"
#include "installer/net/untar.h"

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void chart_opts_oci(const capstan_chart_opts *o, oci_opts *out)
{
    memset(out, 0, sizeof *out);
    if (!o)
        return;
    out->plain_http = o->plain_http;
    out->insecure_skip_verify = o->insecure_skip_tls_verify;
    out->ca_file = o->ca_file;
    out->cert_file = o->cert_file;
    out->key_file = o->key_file;
    out->username = o->username;
    out->password = o->password;
    out->registry_config = o->registry_config;
    out->plain_http_loopback = CHART_OPT(o, plain_http_loopback);
    out->plain_http_hosts = CHART_OPT(o, plain_http_hosts);
}

static FILE *log_of(const capstan_chart_opts *o)
{
    return CHART_OPT(o, log);
}

static const char underscore_msg[] =
    "\nOCI artifact references (e.g. tags) do not support the plus sign (+). To support\n"
    "storing semantic versions, Helm adopts the convention of changing plus (+) to\n"
    "an underscore (_) in chart version tags when pushing to a registry and back to\n"
    "a plus (+) when pulling from a registry.\n";

static void print_result(FILE *log, const char *verb, const oci_chart_result *r)
{
    if (!log)
        return;
    fprintf(log, "%s: %s\nDigest: %s\n", verb, r->ref, r->digest);
    if (strchr(r->ref, '_'))
        fprintf(log, "%s contains an underscore.\n%s", r->ref, underscore_msg);
}

/* The file's mtime in RFC 3339, local time, as Go's time.Format(time.RFC3339). */
static void rfc3339(time_t t, char out[40])
{
    struct tm tm;
    localtime_r(&t, &tm);
    long off = tm.tm_gmtoff;
    size_t n = strftime(out, 40, "%Y-%m-%dT%H:%M:%S", &tm);
    if (off == 0)
        snprintf(out + n, 40 - n, "Z");
    else
        snprintf(out + n, 40 - n, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, labs(off) % 3600 / 60);
}

static int push(const char *file, const char *remote, const capstan_chart_opts *opts, cap_err *err)
{
    if (strncmp(remote, "oci://", 6) != 0)
        return cap_err_set(err, "scheme prefix missing from remote (e.g. \"oci://\")");
    struct stat st;
    if (stat(file, &st) != 0)
        return cap_err_set(err, "%s: no such file", file);
    if (S_ISDIR(st.st_mode))
        return cap_err_set(err, "cannot push directory, must provide chart archive (.tgz)");
    strbuf data = STRBUF_INIT;
    FILE *f = fopen(file, "rb");
    if (!f || sb_read_fp(&data, f) < 0) {
        cap_err_set(err, "%s: %s", file, strerror(errno));
        if (f)
            fclose(f);
        sb_release(&data);
        return -1;
    }
    fclose(f);
    strbuf prov = STRBUF_INIT;
    sb_addf(&prov, "%s.prov", file);
    char created[40];
    rfc3339(st.st_mtime, created);
    oci_push_opts po = {.prov_path = access(prov.buf, F_OK) == 0 ? prov.buf : NULL, .creation_time = created};
    oci_opts o;
    chart_opts_oci(opts, &o);
    oci_chart_result r;
    int rc = 0;
    oci_client *cl = oci_client_new(&o, err);
    if (!cl || oci_push_chart(cl, file, data.buf ? data.buf : "", data.len, remote, &po, &r, err) < 0)
        rc = -1;
    else {
        print_result(log_of(opts), "Pushed", &r);
        oci_chart_result_release(&r);
    }
    oci_client_free(cl);
    sb_release(&data);
    sb_release(&prov);
    return rc;
}

int capstan_push(const char *chart_file, const char *remote, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    cap_err err = CAP_ERR_INIT;
    return push(chart_file, remote, opts, &err) == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

/* ---- pull -------------------------------------------------------------- */

/* Unpack the pulled chart into DEST/UNTARDIR, which must not hold NAME yet. */
static int untar_pulled(const oci_chart_result *r, const char *dest, const char *untardir, const char *base, int bl,
                        cap_err *err)
{
    strbuf ud = STRBUF_INIT, check = STRBUF_INIT, tmpf = STRBUF_INIT;
    if (untardir[0] == '/')
        sb_adds(&ud, untardir);
    else if (strcmp(untardir, ".") == 0)
        sb_adds(&ud, dest);
    else
        sb_addf(&ud, "%s/%s", dest, untardir);
    sb_addf(&check, "%s/%.*s", ud.buf, bl, base);
    char tmpl[] = "/tmp/capstan-pull-XXXXXX";
    struct stat st;
    int rc;
    if (stat(check.buf, &st) == 0)
        rc = cap_err_set(err, "failed to untar: a file or directory with the name %s already exists", check.buf);
    else if (!mkdtemp(tmpl))
        rc = cap_err_set(err, "cannot create a temporary directory: %s", strerror(errno));
    else {
        sb_addf(&tmpf, "%s/chart.tgz", tmpl);
        rc = fsu_write_atomic(tmpf.buf, sb_str(&r->chart), r->chart.len, 0600, err);
        if (rc == 0)
            rc = fsu_untar(tmpf.buf, r->ref, ud.buf, err);
        unlink(tmpf.buf);
        rmdir(tmpl);
    }
    sb_release(&ud);
    sb_release(&check);
    sb_release(&tmpf);
    return rc;
}

/* --verify: the pulled chart, as NAME-VERSION.tgz, against its provenance
 * layer (helm's lines to out) */
static int verify_pulled(const oci_chart_result *r, const char *name, const capstan_chart_opts *opts, cap_err *err)
{
    strbuf report = STRBUF_INIT;
    int rc = prov_verify_data(sb_str(&r->chart), r->chart.len, sb_str(&r->prov), r->prov.len, name, opts, &report, err);
    if (rc == 0 && CHART_OPT(opts, out))
        fputs(sb_str(&report), opts->out);
    sb_release(&report);
    return rc;
}

int chart_pull_oci(const char *ref, const capstan_pull_opts *p, const capstan_chart_opts *opts, cap_err *err)
{
    const char *version = CHART_OPT(opts, version);
    if (CHART_OPT(opts, devel) && (!version || !*version))
        version = ">0.0.0-0"; /* helm's --devel: prereleases too */
    const char *dest = p && p->dest ? p->dest : ".", *untardir = p && p->untardir ? p->untardir : ".";
    oci_opts o;
    chart_opts_oci(opts, &o);
    oci_chart_result r;
    oci_client *cl = oci_client_new(&o, err);
    bool verify = CHART_OPT(opts, verify), with_prov = verify || (p && p->prov);
    if (!cl || oci_pull_chart(cl, ref, version, with_prov, &r, err) < 0) {
        oci_client_free(cl);
        return -1;
    }
    oci_client_free(cl);
    /* DEST/NAME-TAG.tgz: helm names the file after the version it resolved
     * (with '+'), or the tag written in the reference */
    const char *base = strrchr(ref, '/');
    base = base ? base + 1 : ref;
    int bl = (int)strcspn(base, ":@");
    const char *last = strrchr(r.ref, '/');
    const char *tag = last ? strchr(last, ':') : NULL;
    strbuf ver = STRBUF_INIT, path = STRBUF_INIT;
    if (tag) {
        sb_add(&ver, tag + 1, strcspn(tag + 1, "@"));
        if (!strchr(base, ':'))
            for (char *q = ver.buf; *q; q++)
                if (*q == '_')
                    *q = '+';
    } else
        sb_adds(&ver, r.version);
    sb_addf(&path, "%s/%.*s-%s.tgz", dest, bl, base, ver.buf);
    int rc = verify ? verify_pulled(&r, strrchr(path.buf, '/') + 1, opts, err) : 0;
    if (rc == 0 && p && p->untar)
        rc = untar_pulled(&r, dest, untardir, base, bl, err);
    else if (rc == 0) {
        rc = fsu_write_atomic(path.buf, sb_str(&r.chart), r.chart.len, 0644, err);
        if (rc == 0 && with_prov && r.prov.len) {
            sb_adds(&path, ".prov");
            rc = fsu_write_atomic(path.buf, sb_str(&r.prov), r.prov.len, 0644, err);
        }
    }
    if (rc == 0)
        print_result(log_of(opts), "Pulled", &r);
    oci_chart_result_release(&r);
    sb_release(&path);
    sb_release(&ver);
    return rc;
}

/* ---- registry login / logout ------------------------------------------- */

static const char *strip_scheme(const char *h)
{
    if (strncmp(h, "oci://", 6) == 0)
        return h + 6;
    if (strncmp(h, "https://", 8) == 0)
        return h + 8;
    if (strncmp(h, "http://", 7) == 0)
        return h + 7;
    return h;
}

static int login(const char *host, const capstan_chart_opts *opts, cap_err *err)
{
    oci_opts o;
    chart_opts_oci(opts, &o);
    if (!o.username)
        return cap_err_set(err, "username required (--username)");
    if (!o.password || !*o.password)
        return cap_err_set(err, "password required");
    host = strip_scheme(host);
    char *path = o.registry_config ? strdup(o.registry_config) : oci_registry_config_path();
    o.no_registry_config = true; /* check the credentials given, not the stored ones */
    oci_client *cl = oci_client_new(&o, err);
    int rc = 0;
    if (!cl || oci_ping(cl, host, err) < 0) {
        if (err->code != CAPSTAN_EAUTH) /* its message names the registry already */
            cap_err_prefix(err, "authenticating to \"%s\"", host);
        rc = -1;
    } else if (oci_registry_config_store(path, host, o.username, o.password, err) < 0)
        rc = -1;
    else if (log_of(opts))
        fputs("Login Succeeded\n", log_of(opts));
    oci_client_free(cl);
    free(path);
    return rc;
}

int capstan_registry_login(const char *host, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    cap_err err = CAP_ERR_INIT;
    return login(host, opts, &err) == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

int capstan_registry_logout(const char *host, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    host = strip_scheme(host);
    const char *cfg = CHART_OPT(opts, registry_config);
    char *path = cfg ? strdup(cfg) : oci_registry_config_path();
    cap_err err = CAP_ERR_INIT;
    if (log_of(opts))
        fprintf(log_of(opts), "Removing login credentials for %s\n", host);
    /* helm says nothing more when there was nothing to remove */
    int rc = oci_registry_config_remove(path, host, &err);
    free(path);
    if (rc < 0 && err.code != CAPSTAN_ENOTFOUND)
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    cap_err_clear(&err);
    return 0;
}

/* ---- image copy (oci-copy) ------------------------------------------------ */

static int copy(oci_client *cl, const char *src, const char *const *dst, size_t ndst, char **digest, cap_err *err)
{
    bool to_layout = strncmp(dst[0], "oci-layout:", 11) == 0;
    const char *layout = to_layout ? dst[0] : src;
    char *dir = strncmp(layout, "oci-layout:", 11) == 0 ? strdup(layout + 11) : NULL;
    char *name = dir ? strchr(dir, ':') : NULL;
    if (name)
        *name++ = '\0';
    int rc = 0;
    if (!dir)
        rc = cap_err_set(err, "one side must be oci-layout:DIR[:NAME]");
    else if (to_layout)
        rc = oci_copy_image_to_layout(cl, src, dir, name, digest, err);
    else if (!name)
        rc = cap_err_set(err, "oci-layout:%s: name the image (oci-layout:DIR:NAME)", dir);
    else /* every destination with one client: blobs pushed once are mounted into the next repositories */
        for (size_t i = 0; i < ndst && rc == 0; i++) {
            free(*digest);
            *digest = NULL;
            rc = oci_push_layout_image(cl, dir, name, dst[i], digest, err);
        }
    free(dir);
    return rc;
}

int capstan_image_copy(const char *src, const char *const *dst, size_t ndst, const capstan_chart_opts *opts,
                       char **digest, char **stats, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    cap_err err = CAP_ERR_INIT;
    oci_opts o;
    chart_opts_oci(opts, &o);
    *digest = NULL;
    if (stats)
        *stats = NULL;
    if (ndst == 0) {
        cap_err_set(&err, "no destination");
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    }
    oci_client *cl = oci_client_new(&o, &err);
    if (!cl)
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    int rc = copy(cl, src, dst, ndst, digest, &err);
    oci_stats s = oci_client_stats(cl);
    oci_client_free(cl);
    if (rc < 0) {
        free(*digest);
        *digest = NULL;
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    }
    if (stats) {
        strbuf sb = STRBUF_INIT;
        sb_addf(&sb, "requests=%ld uploaded=%ld skipped=%ld mounted=%ld down=%ld up=%ld", s.requests,
                s.blobs_uploaded, s.blobs_skipped, s.blobs_mounted, s.bytes_down, s.bytes_up);
        *stats = sb_detach(&sb, NULL);
    }
    return 0;
}
