/* chart_caps.c — .Capabilities as helm v4.1.4 fills it for `helm template`
 * (common.DefaultCapabilities: Kubernetes v1.35.0, the API versions of
 * client-go's scheme, helm's BuildInfo), with --kube-version and
 * --api-versions applied. */
#include "renderer/chart/chart.h"
#include "core/json.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static const char *const default_apis[] = {
    "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1",
    "admissionregistration.k8s.io/v1beta1", "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1",
    "apps/v1beta2", "authentication.k8s.io/v1", "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1",
    "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1", "autoscaling/v1", "autoscaling/v2",
    "autoscaling/v2beta1", "autoscaling/v2beta2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1",
    "certificates.k8s.io/v1beta1", "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2",
    "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1", "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1",
    "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1", "flowcontrol.apiserver.k8s.io/v1",
    "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
    "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1",
    "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
    "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1",
    "resource.k8s.io/v1beta2", "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3",
    "scheduling.k8s.io/v1alpha1", "scheduling.k8s.io/v1beta1", "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1",
    "storage.k8s.io/v1", "storage.k8s.io/v1alpha1", "storagemigration.k8s.io/v1beta1",
    "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1", NULL,
};

struct chart_caps {
    const char *version;     /* GitVersion, e.g. "v1.35.0" or "v1.30.2-gke.1" */
    const char *normalized;  /* "v1.35.0" */
    const char *major, *minor;
    const char **apis;
    size_t napis;
};

/* ---- KubeVersion --------------------------------------------------------------- */

static cval *kv_field(arena *a, void *self, const char *name)
{
    chart_caps *c = self;
    if (!strcmp(name, "Version"))
        return cv_cstring(a, c->version);
    if (!strcmp(name, "Major"))
        return cv_cstring(a, c->major);
    if (!strcmp(name, "Minor"))
        return cv_cstring(a, c->minor);
    return NULL;
}
static cval *kv_string(cv_call *c, int argc, cval **argv) { return cv_cstring(c->a, ((chart_caps *)c->self)->normalized); }
static cval *kv_git(cv_call *c, int argc, cval **argv) { return cv_cstring(c->a, ((chart_caps *)c->self)->version); }
static const cv_fnreg kv_methods[] = {
    {"String", kv_string, ""},
    {"GitVersion", kv_git, ""},
    {NULL, NULL, NULL},
};
static void kv_format(strbuf *out, void *self) { sb_adds(out, ((chart_caps *)self)->normalized); }
static void json_field(strbuf *out, const char *sep, const char *name, const char *value);
/* json.Marshal: the exported fields, untagged */
static void kv_json(strbuf *out, void *self)
{
    chart_caps *c = self;
    json_field(out, "{", "Version", c->version);
    json_field(out, ",", "Major", c->major);
    json_field(out, ",", "Minor", c->minor);
    sb_addc(out, '}');
}
/* A copy, as a function's argument: not addressable, so %v prints the fields
 * (Version, the unexported normalized version, Major, Minor), not String(). */
static void kv_value_format(strbuf *out, void *self)
{
    chart_caps *c = self;
    sb_addf(out, "{%s %s %s %s}", c->version, c->normalized, c->major, c->minor);
}
static const cv_class kv_value_class = {"common.KubeVersion", "struct", kv_field, kv_methods, kv_value_format, NULL,
                                        kv_json, NULL};
static const cv_class kv_class = {"common.KubeVersion", "struct", kv_field, kv_methods, kv_format, NULL, kv_json,
                                  &kv_value_class};

/* ---- APIVersions (common.VersionSet: a []string with Has) ---------------------------- */

static cval *vs_has(cv_call *c, int argc, cval **argv)
{
    chart_caps *cp = c->self;
    for (size_t i = 0; i < cp->napis; i++)
        if (strcmp(cp->apis[i], argv[0]->u.str.s) == 0)
            return cv_true();
    return cv_false();
}
static cval *vs_list(cv_call *c, int argc, cval **argv)
{
    chart_caps *cp = c->self;
    cval *l = cv_list_new(c->a, cp->napis);
    l->gotype = "common.VersionSet";
    for (size_t i = 0; i < cp->napis; i++)
        cv_list_push(l, cv_cstring(c->a, cp->apis[i]));
    return l;
}
static const cv_fnreg vs_methods[] = {
    {"Has", vs_has, "s"},
    {"__list", vs_list, ""},
    {NULL, NULL, NULL},
};
static void vs_format(strbuf *out, void *self)
{
    chart_caps *cp = self;
    sb_addc(out, '[');
    for (size_t i = 0; i < cp->napis; i++) {
        if (i)
            sb_addc(out, ' ');
        sb_adds(out, cp->apis[i]);
    }
    sb_addc(out, ']');
}
static void vs_json(strbuf *out, void *self)
{
    chart_caps *cp = self;
    sb_addc(out, '[');
    for (size_t i = 0; i < cp->napis; i++) {
        if (i)
            sb_addc(out, ',');
        json_emit_string(out, cp->apis[i], strlen(cp->apis[i]), 0);
    }
    sb_addc(out, ']');
}
static const cv_class vs_class = {"common.VersionSet", "slice", NULL, vs_methods, vs_format, NULL, vs_json};

/* ---- HelmVersion (version.BuildInfo) -------------------------------------------------- */

static const char *const HELM_VERSION = "v4.1.4";
static const char *const HELM_COMMIT = "05fa37973dc9e42b76e1d2883494c87174b6074f";
static const char *const HELM_GO = "go1.25.9";
static const char *const HELM_KUBE_CLIENT = "v1.35";

static cval *hv_field(arena *a, void *self, const char *name)
{
    if (!strcmp(name, "Version"))
        return cv_cstring(a, HELM_VERSION);
    if (!strcmp(name, "GitCommit"))
        return cv_cstring(a, HELM_COMMIT);
    if (!strcmp(name, "GitTreeState"))
        return cv_cstring(a, "clean");
    if (!strcmp(name, "GoVersion"))
        return cv_cstring(a, HELM_GO);
    if (!strcmp(name, "KubeClientVersion"))
        return cv_cstring(a, HELM_KUBE_CLIENT);
    return NULL;
}
static void hv_format(strbuf *out, void *self)
{
    sb_addf(out, "{%s %s clean %s %s}", HELM_VERSION, HELM_COMMIT, HELM_GO, HELM_KUBE_CLIENT);
}
/* json/yaml: {"version":..,"git_commit":..,"git_tree_state":..,"go_version":..,"kube_client_version":..} */
static cval *hv_map(cv_call *c, int argc, cval **argv)
{
    cval *m = cv_map_new(c->a);
    cv_map_set(m, "version", cv_cstring(c->a, HELM_VERSION));
    cv_map_set(m, "git_commit", cv_cstring(c->a, HELM_COMMIT));
    cv_map_set(m, "git_tree_state", cv_cstring(c->a, "clean"));
    cv_map_set(m, "go_version", cv_cstring(c->a, HELM_GO));
    cv_map_set(m, "kube_client_version", cv_cstring(c->a, HELM_KUBE_CLIENT));
    return m;
}
static void json_field(strbuf *out, const char *sep, const char *name, const char *value)
{
    sb_adds(out, sep);
    json_emit_string(out, name, strlen(name), 0);
    sb_addc(out, ':');
    json_emit_string(out, value, strlen(value), 0);
}
static void hv_json(strbuf *out, void *self)
{
    (void)self;
    json_field(out, "{", "version", HELM_VERSION);
    json_field(out, ",", "git_commit", HELM_COMMIT);
    json_field(out, ",", "git_tree_state", "clean");
    json_field(out, ",", "go_version", HELM_GO);
    json_field(out, ",", "kube_client_version", HELM_KUBE_CLIENT);
    sb_addc(out, '}');
}
static const cv_fnreg hv_methods[] = {{"__map", hv_map, ""}, {NULL, NULL, NULL}};
static const cv_class hv_class = {"version.BuildInfo", "struct", hv_field, hv_methods, hv_format, NULL, hv_json};

/* ---- Capabilities ------------------------------------------------------------------------ */

static cval *caps_field(arena *a, void *self, const char *name)
{
    if (!strcmp(name, "KubeVersion"))
        return cv_object(a, &kv_class, self);
    if (!strcmp(name, "APIVersions"))
        return cv_object(a, &vs_class, self);
    if (!strcmp(name, "HelmVersion"))
        return cv_object(a, &hv_class, self);
    return NULL;
}
/* json/yaml: {"KubeVersion":{"Version","Major","Minor"},"APIVersions":[...],"HelmVersion":{...}} */
static cval *caps_map(cv_call *c, int argc, cval **argv)
{
    chart_caps *cp = c->self;
    cval *m = cv_map_new(c->a);
    cval *kv = cv_map_new(c->a);
    cv_map_set(kv, "Version", cv_cstring(c->a, cp->version));
    cv_map_set(kv, "Major", cv_cstring(c->a, cp->major));
    cv_map_set(kv, "Minor", cv_cstring(c->a, cp->minor));
    cv_map_set(m, "KubeVersion", kv);
    cv_map_set(m, "APIVersions", vs_list(c, 0, NULL));
    cv_map_set(m, "HelmVersion", hv_map(c, 0, NULL));
    return m;
}
static const cv_fnreg caps_methods[] = {{"__map", caps_map, ""}, {NULL, NULL, NULL}};
static void caps_format(strbuf *out, void *self)
{
    chart_caps *cp = self;
    sb_addf(out, "&{{%s %s %s %s} ", cp->version, cp->normalized, cp->major, cp->minor);
    vs_format(out, self);
    sb_addc(out, ' ');
    hv_format(out, self);
    sb_addc(out, '}');
}
static void caps_json(strbuf *out, void *self)
{
    sb_adds(out, "{\"KubeVersion\":");
    kv_json(out, self);
    sb_adds(out, ",\"APIVersions\":");
    vs_json(out, self);
    sb_adds(out, ",\"HelmVersion\":");
    hv_json(out, self);
    sb_addc(out, '}');
}
static const cv_class caps_class = {"*common.Capabilities", "ptr", caps_field, caps_methods, caps_format, NULL, caps_json};

/* k8s.io/apimachinery version.ParseGeneric: optional v, then N.N[.N], then anything. */
static int parse_kube(arena *a, const char *s, chart_caps *c, cap_err *err)
{
    const char *p = s;
    while (*p == ' ' || *p == '\t')
        p++;
    if (*p == 'v')
        p++;
    unsigned long part[3] = {0, 0, 0};
    int np = 0;
    while (np < 3) {
        if (!isdigit((unsigned char)*p))
            break;
        if (*p == '0' && isdigit((unsigned char)p[1]))
            return cap_err_set(err, "invalid kube version '%s': illegal zero-prefixed version component \"%.*s\" in \"%s\"",
                               s, (int)strspn(p, "0123456789"), p, s);
        part[np++] = strtoul(p, (char **)&p, 10);
        if (np < 3 && *p == '.' && isdigit((unsigned char)p[1]))
            p++;
        else
            break;
    }
    if (np < 2)
        return cap_err_set(err, "invalid kube version '%s': could not parse \"%s\" as version", s, s);
    c->version = s[0] == 'v' ? arena_strdup(a, s) : arena_printf(a, "v%s", s);
    c->normalized = arena_printf(a, "v%lu.%lu.%lu", part[0], part[1], part[2]);
    c->major = arena_printf(a, "%lu", part[0]);
    c->minor = arena_printf(a, "%lu", part[1]);
    return 0;
}

int chart_caps_new(arena *a, const char *kube_version, const char **api_versions, size_t n, chart_caps **out,
                   cap_err *err)
{
    chart_caps *c = arena_zalloc(a, sizeof *c);
    if (kube_version && *kube_version) {
        if (parse_kube(a, kube_version, c, err) != 0)
            return -1;
    } else {
        c->version = c->normalized = "v1.35.0";
        c->major = "1";
        c->minor = "35";
    }
    size_t nd = 0;
    while (default_apis[nd])
        nd++;
    c->apis = arena_alloc(a, (nd + n + 1) * sizeof *c->apis);
    for (size_t i = 0; i < nd; i++)
        c->apis[c->napis++] = default_apis[i];
    for (size_t i = 0; i < n; i++)
        c->apis[c->napis++] = api_versions[i];
    *out = c;
    return 0;
}

cval *chart_caps_object(arena *a, chart_caps *caps) { return cv_object(a, &caps_class, caps); }
const char *chart_caps_kube_version(const chart_caps *caps) { return caps->normalized; }
const char *chart_caps_kube_git_version(const chart_caps *caps) { return caps->version; }
