/* oci_chart.c — Helm charts as OCI artifacts, as helm v4.1.4's
 * pkg/registry pushes and pulls them: a manifest (no mediaType field) with
 * the config application/vnd.cncf.helm.config.v1+json (chart.Metadata as
 * encoding/json writes it, fields in struct order), the chart layer and an
 * optional provenance layer (layers sorted by digest), and annotations from
 * Chart.yaml; the tag is the chart version with '+' as '_'. */
#include "installer/net/oci_int.h"
#include "renderer/chart/chart.h"
#include "core/json.h"
#include "core/semver.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

void oci_chart_result_release(oci_chart_result *r)
{
    free(r->ref);
    free(r->digest);
    free(r->name);
    free(r->version);
    sb_release(&r->chart);
    sb_release(&r->prov);
    sb_release(&r->config);
    sb_release(&r->manifest);
    memset(r, 0, sizeof *r);
}

/* ---- the config: chart.Metadata through encoding/json ------------------ */

static const char *const meta_order[] = {"name", "home", "sources", "version", "description", "keywords",
                                         "maintainers", "icon", "apiVersion", "condition", "tags", "appVersion",
                                         "deprecated", "annotations", "kubeVersion", "dependencies", "type", NULL};
static const char *const maint_order[] = {"name", "email", "url", NULL};
static const char *const dep_order[] = {"name", "version", "repository", "condition", "tags", "enabled",
                                        "import-values", "alias", NULL};

/* A map written with its keys in a Go struct's field order; lists of maps
 * under `sub_key` use `sub_order`. */
static int emit_struct(strbuf *out, const cval *m, const char *const *order, const char *sub1,
                       const char *const *sub1_order, const char *sub2, const char *const *sub2_order, cap_err *err)
{
    sb_addc(out, '{');
    bool first = true;
    for (const char *const *k = order; *k; k++) {
        const cval *v = cv_map_get(m, *k);
        if (!v)
            continue;
        if (!first)
            sb_addc(out, ',');
        first = false;
        json_emit_string(out, *k, strlen(*k), 0);
        sb_addc(out, ':');
        const char *const *so = (sub1 && strcmp(*k, sub1) == 0) ? sub1_order
                                : (sub2 && strcmp(*k, sub2) == 0) ? sub2_order : NULL;
        if (so && cv_is(v, CV_LIST)) {
            sb_addc(out, '[');
            for (size_t i = 0; i < cv_list_len(v); i++) {
                if (i)
                    sb_addc(out, ',');
                const cval *x = cv_list_get(v, i);
                if (cv_is(x, CV_MAP)) {
                    if (emit_struct(out, x, so, NULL, NULL, NULL, NULL, err) < 0)
                        return -1;
                } else if (json_emit(out, x, 0, err) < 0)
                    return -1;
            }
            sb_addc(out, ']');
        } else if (json_emit(out, v, 0, err) < 0)
            return -1;
    }
    sb_addc(out, '}');
    return 0;
}

/* ---- annotations (generateOCIAnnotations) ------------------------------ */

static bool blank(const char *s)
{
    if (!s)
        return true;
    while (*s && isspace((unsigned char)*s))
        s++;
    return !*s;
}

static void add_if(arena *a, cval *m, const char *k, const char *v)
{
    if (!blank(v))
        cv_map_set(m, k, cv_cstring(a, v));
}

static cval *chart_annotations(arena *a, const chart_meta *md, const char *created)
{
    cval *m = cv_map_new(a);
    add_if(a, m, "org.opencontainers.image.description", md->description);
    add_if(a, m, "org.opencontainers.image.title", md->name);
    add_if(a, m, "org.opencontainers.image.version", md->version);
    add_if(a, m, "org.opencontainers.image.url", md->home);
    add_if(a, m, "org.opencontainers.image.created", created);
    if (md->nsources)
        add_if(a, m, "org.opencontainers.image.source", md->sources[0]);
    if (md->nmaintainers) {
        strbuf s = STRBUF_INIT;
        for (size_t i = 0; i < md->nmaintainers; i++) {
            const chart_maintainer *mt = &md->maintainers[i];
            if (mt->name && *mt->name)
                sb_adds(&s, mt->name);
            if (mt->email && *mt->email)
                sb_addf(&s, " (%s)", mt->email);
            if (i + 1 < md->nmaintainers)
                sb_adds(&s, ", ");
        }
        add_if(a, m, "org.opencontainers.image.authors", sb_str(&s));
        sb_release(&s);
    }
    if (md->annotations && cv_is(md->annotations, CV_MAP)) {
        size_t n;
        const cv_entry *e = cv_map_sorted(md->annotations, &n);
        for (size_t i = 0; i < n; i++) {
            if (strcmp(e[i].key, "org.opencontainers.image.version") == 0 ||
                strcmp(e[i].key, "org.opencontainers.image.title") == 0)
                continue;
            cv_map_set(m, e[i].key, e[i].val);
        }
    }
    return m;
}

static void emit_desc(strbuf *out, const char *mt, const char *digest, size_t size)
{
    sb_adds(out, "{\"mediaType\":");
    json_emit_string(out, mt, strlen(mt), 0);
    sb_addf(out, ",\"digest\":\"%s\",\"size\":%zu}", digest, size);
}

struct layer {
    const char *mt;
    const char *data;
    size_t len;
    char digest[72];
};

static int layer_cmp(const void *x, const void *y)
{
    return strcmp(((const struct layer *)x)->digest, ((const struct layer *)y)->digest);
}

static char *now_rfc3339(void)
{
    time_t t = time(NULL);
    struct tm tm;
    gmtime_r(&t, &tm);
    char buf[32];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return xstrdup(buf);
}

int oci_chart_artifact(const char *chart_file, const char *data, size_t len, const char *prov, size_t prov_len,
                       const char *created, oci_chart_result *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    arena *a = arena_new();
    chart *ch = NULL;
    char *now = NULL;
    int rc = -1;
    if (chart_load_archive(a, data, len, chart_file, &ch, err) < 0)
        goto out;
    const chart_meta *md = ch->meta;
    if (!md || !md->name || !*md->name || !md->version || !*md->version) {
        cap_err_set(err, "%s: the chart has no name or version", chart_file);
        goto out;
    }
    /* the config: chart.Metadata through encoding/json */
    if (emit_struct(&out->config, chart_meta_to_json(a, md), meta_order, "maintainers", maint_order,
                    "dependencies", dep_order, err) < 0)
        goto out;
    char config_digest[72];
    oci_sha256_hex(out->config.buf, out->config.len, config_digest);
    struct layer layers[2];
    size_t nl = 0;
    layers[nl++] = (struct layer){OCI_MT_HELM_CHART, data, len, ""};
    if (prov)
        layers[nl++] = (struct layer){OCI_MT_HELM_PROV, prov, prov_len, ""};
    for (size_t i = 0; i < nl; i++)
        oci_sha256_hex(layers[i].data, layers[i].len, layers[i].digest);
    qsort(layers, nl, sizeof layers[0], layer_cmp); /* as helm: sorted by digest */
    /* the manifest: ocispec.Manifest's field order, no mediaType */
    if (!created)
        created = now = now_rfc3339();
    strbuf *m = &out->manifest;
    sb_adds(m, "{\"schemaVersion\":2,\"config\":");
    emit_desc(m, OCI_MT_HELM_CONFIG, config_digest, out->config.len);
    sb_adds(m, ",\"layers\":[");
    for (size_t i = 0; i < nl; i++) {
        if (i)
            sb_addc(m, ',');
        emit_desc(m, layers[i].mt, layers[i].digest, layers[i].len);
    }
    sb_adds(m, "],\"annotations\":");
    if (json_emit(m, chart_annotations(a, md, created), 0, err) < 0)
        goto out;
    sb_addc(m, '}');
    char md_digest[72];
    oci_sha256_hex(m->buf, m->len, md_digest);
    out->digest = xstrdup(md_digest);
    out->name = xstrdup(md->name);
    out->version = xstrdup(md->version);
    rc = 0;
out:
    if (rc < 0)
        oci_chart_result_release(out);
    free(now);
    arena_free(a);
    return rc;
}

int oci_push_chart(oci_client *c, const char *chart_file, const char *data, size_t len, const char *remote,
                   const oci_push_opts *popts, oci_chart_result *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    strbuf prov = STRBUF_INIT, refs = STRBUF_INIT;
    oci_ref ref = {0};
    int rc = -1;
    bool with_prov = popts && popts->prov_path;
    if (with_prov && oci_read_file(popts->prov_path, &prov, err) < 0)
        goto out;
    if (oci_chart_artifact(chart_file, data, len, with_prov ? sb_str(&prov) : NULL, prov.len,
                           popts ? popts->creation_time : NULL, out, err) < 0)
        goto out;
    /* the reference: REMOTE/NAME:VERSION, '+' -> '_' */
    const char *r = remote;
    if (strncmp(r, "oci://", 6) == 0)
        r += 6;
    size_t rl = strlen(r);
    while (rl && r[rl - 1] == '/')
        rl--;
    sb_add(&refs, r, rl);
    sb_addf(&refs, "/%s:%s", out->name, out->version);
    if (oci_ref_parse(refs.buf, OCI_REF_PLUS_TAG | OCI_REF_NEED_HOST, &ref, err) < 0)
        goto out;
    /* blobs (chart, provenance, config), then the manifest under its tag */
    char dg[72];
    oci_sha256_hex(data, len, dg);
    if (oci_blob_push(c, &ref, dg, data, len, NULL, err) < 0)
        goto out;
    if (with_prov) {
        oci_sha256_hex(sb_str(&prov), prov.len, dg);
        if (oci_blob_push(c, &ref, dg, sb_str(&prov), prov.len, NULL, err) < 0)
            goto out;
    }
    oci_sha256_hex(out->config.buf, out->config.len, dg);
    if (oci_blob_push(c, &ref, dg, out->config.buf, out->config.len, NULL, err) < 0 ||
        oci_manifest_put(c, &ref, ref.tag, OCI_MT_MANIFEST, out->manifest.buf, out->manifest.len, err) < 0)
        goto out;
    out->ref = oci_ref_format(&ref);
    rc = 0;
out:
    if (rc < 0)
        oci_chart_result_release(out);
    oci_ref_release(&ref);
    sb_release(&prov);
    sb_release(&refs);
    return rc;
}

/* ---- tags -------------------------------------------------------------- */

/* The "next" URL of a Link header: </v2/x/tags/list?n=..&last=..>; rel="next" */
static char *link_next(const char *link)
{
    if (!link || !strstr(link, "rel=\"next\""))
        return NULL;
    const char *lt = strchr(link, '<'), *gt = lt ? strchr(lt, '>') : NULL;
    return lt && gt ? xstrndup(lt + 1, (size_t)(gt - lt - 1)) : NULL;
}

int oci_list_tags(oci_client *c, const oci_ref *r, char ***tags, size_t *n, cap_err *err)
{
    *tags = NULL;
    *n = 0;
    strbuf scope = STRBUF_INIT;
    sb_addf(&scope, "repository:%s:pull", r->repository);
    char *path = NULL;
    {
        strbuf p = STRBUF_INIT;
        sb_addf(&p, "/v2/%s/tags/list", r->repository);
        path = sb_detach(&p, NULL);
    }
    int rc = 0;
    for (int pages = 0; path && rc == 0 && pages < 1000; pages++) {
        oci_req req = {.method = "GET", .registry = r->registry, .path = path, .scope = scope.buf,
                       .accept = "application/json"};
        oci_resp resp;
        rc = oci_do(c, &req, &resp, err);
        if (rc == 0 && resp.status != 200)
            rc = oci_status_error(&req, &resp, err);
        if (rc == 0) {
            arena *a = arena_new();
            cval *v;
            if (json_parse(a, sb_str(&resp.body), resp.body.len, path, &v, err) < 0 || !cv_is(v, CV_MAP))
                rc = cap_err_set(err, "GET %s%s: the tag list is not a JSON object", r->registry, path);
            else {
                cval *l = cv_map_get(v, "tags");
                for (size_t i = 0; cv_is(l, CV_LIST) && i < cv_list_len(l); i++) {
                    cval *t = cv_list_get(l, i);
                    if (!cv_is(t, CV_STRING))
                        continue;
                    *tags = xrealloc(*tags, (*n + 1) * sizeof **tags);
                    (*tags)[(*n)++] = xstrdup(t->u.str.s);
                }
            }
            arena_free(a);
        }
        free(path);
        path = rc == 0 ? link_next(resp.link) : NULL;
        oci_resp_release(&resp);
    }
    free(path);
    sb_release(&scope);
    if (rc < 0) {
        oci_free_strings(*tags, *n);
        *tags = NULL;
        *n = 0;
    }
    return rc;
}

/* semver.StrictNewVersion: MAJOR.MINOR.PATCH[-pre][+meta], no 'v', no omissions. */
static bool strict_semver(arena *a, const char *s, semver_version *v)
{
    int dots = 0;
    const char *p = s;
    for (; *p && *p != '-' && *p != '+'; p++) {
        if (*p == '.')
            dots++;
        else if (!isdigit((unsigned char)*p))
            return false;
    }
    const char *why;
    return dots == 2 && isdigit((unsigned char)s[0]) && semver_parse(a, s, v, &why) == 0;
}

static int cmp_desc(const void *x, const void *y)
{
    return -semver_compare((const semver_version *)x, (const semver_version *)y);
}

/* helm's Tags + GetTagMatchingVersionOrConstraint: the tag to pull. */
static int pick_tag(oci_client *c, const oci_ref *r, const char *version, char **tag, cap_err *err)
{
    char **tags;
    size_t n;
    if (oci_list_tags(c, r, &tags, &n, err) < 0)
        return -1;
    arena *a = arena_new();
    semver_version *vs = arena_zalloc(a, (n + 1) * sizeof *vs);
    size_t nv = 0;
    for (size_t i = 0; i < n; i++) {
        char *t = arena_strdup(a, tags[i]);
        for (char *q = t; *q; q++)
            if (*q == '_')
                *q = '+';
        if (strict_semver(a, t, &vs[nv]))
            nv++;
    }
    qsort(vs, nv, sizeof *vs, cmp_desc);
    int rc = 0;
    *tag = NULL;
    if (nv == 0)
        rc = cap_err_set(err, "unable to locate any tags in provided repository: oci://%s/%s", r->registry,
                         r->repository);
    else {
        if (!version || !*version)
            version = "*"; /* the newest release: "*" leaves prereleases out */
        for (size_t i = 0; i < nv && !*tag; i++)
            if (strcmp(semver_string(a, &vs[i]), version) == 0)
                *tag = xstrdup(version);
        const char *why = NULL;
        semver_constraints *sc = *tag ? NULL : semver_constraints_parse(a, version, &why);
        if (!*tag && !sc)
            rc = cap_err_set(err, "invalid version or constraint \"%s\": %s", version, why ? why : "");
        for (size_t i = 0; sc && i < nv && !*tag; i++)
            if (semver_constraints_check(sc, &vs[i]))
                *tag = xstrdup(semver_string(a, &vs[i]));
        if (sc)
            semver_constraints_free(sc);
        if (rc == 0 && !*tag)
            rc = cap_err_set(err, "could not locate a version matching provided version string %s", version);
    }
    arena_free(a);
    oci_free_strings(tags, n);
    return rc;
}

/* ---- pull -------------------------------------------------------------- */

typedef struct desc {
    const char *mt, *digest;
    long long size;
} desc;

/* A layer read into memory is refused before the download when its
 * descriptor says it is bigger than its kind may be. */
static int desc_fits(const desc *d, long long max, const char *what, const char *refstr, cap_err *err)
{
    if (d->size <= max)
        return 0;
    return cap_err_set(err, "%s: the %s is %lld bytes, larger than the maximum size %lld", refstr, what, d->size, max);
}

static int read_desc(const cval *m, desc *d)
{
    if (!cv_is(m, CV_MAP))
        return -1;
    cval *mt = cv_map_get(m, "mediaType"), *dg = cv_map_get(m, "digest"), *sz = cv_map_get(m, "size");
    if (!cv_is(mt, CV_STRING) || !cv_is(dg, CV_STRING) || !cv_is(sz, CV_FLOAT) || !oci_size_valid(sz->u.f))
        return -1;
    d->mt = mt->u.str.s;
    d->digest = dg->u.str.s;
    d->size = (long long)sz->u.f;
    return oci_digest_valid(d->digest) && d->size >= 0 ? 0 : -1;
}

int oci_pull_chart(oci_client *c, const char *refstr, const char *version, bool with_prov, oci_chart_result *out,
                   cap_err *err)
{
    memset(out, 0, sizeof *out);
    oci_ref ref = {0};
    arena *a = arena_new();
    char *mt = NULL, *tag = NULL;
    int rc = -1;
    if (oci_ref_parse(refstr, OCI_REF_PLUS_TAG | OCI_REF_NEED_HOST, &ref, err) < 0)
        goto out;
    if (version && *version && ref.tag) {
        char *v = xstrdup(version);
        for (char *q = v; *q; q++)
            if (*q == '+')
                *q = '_';
        bool same = strcmp(v, ref.tag) == 0;
        free(v);
        if (!same) {
            cap_err_set(err, "chart reference and version mismatch: %s is not %s", version, ref.tag);
            goto out;
        }
    }
    if (!ref.tag && !ref.digest) {
        semver_version sv;
        const char *why;
        if (version && *version && semver_parse(a, version, &sv, &why) == 0)
            tag = xstrdup(version);
        else if (pick_tag(c, &ref, version, &tag, err) < 0)
            goto out;
        for (char *q = tag; *q; q++)
            if (*q == '+')
                *q = '_';
        ref.tag = tag;
        tag = NULL;
    }
    const char *reference = ref.digest ? ref.digest : ref.tag;
    if (oci_manifest_get(c, &ref, reference, &out->manifest, &mt, &out->digest, err) < 0)
        goto out;
    cval *m;
    if (json_parse(a, sb_str(&out->manifest), out->manifest.len, refstr, &m, err) < 0 || !cv_is(m, CV_MAP)) {
        cap_err_set(err, "%s: the manifest is not a JSON object", refstr);
        goto out;
    }
    cval *mmt = cv_map_get(m, "mediaType");
    if ((mt && (strcmp(mt, OCI_MT_INDEX) == 0 || strcmp(mt, OCI_MT_DOCKER_LIST) == 0)) ||
        (cv_is(mmt, CV_STRING) && strcmp(mmt->u.str.s, OCI_MT_INDEX) == 0)) {
        cap_err_set(err, "%s: is an image index, not a Helm chart", refstr);
        goto out;
    }
    desc cfg = {0}, chartd = {0}, provd = {0};
    size_t ndesc = 0;
    if (read_desc(cv_map_get(m, "config"), &cfg) == 0)
        ndesc++;
    cval *layers = cv_map_get(m, "layers");
    for (size_t i = 0; cv_is(layers, CV_LIST) && i < cv_list_len(layers); i++) {
        desc d;
        if (read_desc(cv_list_get(layers, i), &d) < 0) {
            cap_err_set(err, "%s: the manifest has a bad layer descriptor", refstr);
            goto out;
        }
        ndesc++;
        if (strcmp(d.mt, OCI_MT_HELM_CHART) == 0 || strcmp(d.mt, OCI_MT_HELM_CHART_LEGACY) == 0)
            chartd = d;
        else if (strcmp(d.mt, OCI_MT_HELM_PROV) == 0)
            provd = d;
    }
    size_t want = with_prov ? 3 : 2;
    if (ndesc < want) {
        cap_err_set(err, "manifest does not contain minimum number of descriptors (%zu), descriptors found: %zu",
                    want, ndesc);
        goto out;
    }
    if (!cfg.mt || strcmp(cfg.mt, OCI_MT_HELM_CONFIG) != 0) {
        cap_err_set(err, "could not load config with mediatype %s", OCI_MT_HELM_CONFIG);
        goto out;
    }
    if (!chartd.mt) {
        cap_err_set(err, "manifest does not contain a layer with mediatype %s", OCI_MT_HELM_CHART);
        goto out;
    }
    if (with_prov && !provd.mt) {
        cap_err_set(err, "manifest does not contain a layer with mediatype %s", OCI_MT_HELM_PROV);
        goto out;
    }
    if (desc_fits(&cfg, OCI_MAX_MANIFEST, "chart config", refstr, err) < 0 ||
        desc_fits(&chartd, CHART_MAX_TOTAL_SIZE, "chart archive", refstr, err) < 0 ||
        (with_prov && desc_fits(&provd, OCI_MAX_MANIFEST, "provenance file", refstr, err) < 0))
        goto out;
    if (oci_blob_get(c, &ref, cfg.digest, cfg.size, &out->config, err) < 0 ||
        oci_blob_get(c, &ref, chartd.digest, chartd.size, &out->chart, err) < 0 ||
        (with_prov && oci_blob_get(c, &ref, provd.digest, provd.size, &out->prov, err) < 0))
        goto out;
    cval *cj;
    if (json_parse(a, sb_str(&out->config), out->config.len, refstr, &cj, err) < 0 || !cv_is(cj, CV_MAP)) {
        cap_err_set(err, "%s: the chart config is not a JSON object", refstr);
        goto out;
    }
    cval *nm = cv_map_get(cj, "name"), *vr = cv_map_get(cj, "version");
    out->name = xstrdup(cv_is(nm, CV_STRING) ? nm->u.str.s : "");
    out->version = xstrdup(cv_is(vr, CV_STRING) ? vr->u.str.s : "");
    out->ref = oci_ref_format(&ref);
    rc = 0;
out:
    if (rc < 0)
        oci_chart_result_release(out);
    free(mt);
    free(tag);
    oci_ref_release(&ref);
    arena_free(a);
    return rc;
}
