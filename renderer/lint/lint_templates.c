/* lint_templates.c — helm lint's template rule (pkg/chart/v2/lint/rules/template.go):
 * load the chart, render it as helm lint does (release "test-release", Revision 0,
 * the engine in lint mode: `required` and `fail` do not fail), then check each
 * template of the chart: its extension, and for YAML files the indentation of the
 * first line, that every document parses, object names, deprecated APIs, selectors
 * of workloads and annotations inside a List. */
#include "renderer/lint/lint.h"

#include <errno.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "renderer/chart/chart.h"
#include "core/gofmt.h"
#include "renderer/render_internal.h"
#include "renderer/chart/values.h"
#include "core/yaml.h"

typedef struct doc_ctx {
    arena *a;
    lint_result *r;
    const char *file;      /* templates/x.yaml */
    const char *content;   /* the whole rendered file */
    const char *kube_version;
} doc_ctx;

/* validateListAnnotations: the items of a List may not carry helm.sh/resource-policy */
static int list_annotations(arena *a, const char *content, const char **why)
{
    cval *v;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse(a, content, strlen(content), "", &v, &e) != 0) {
        *why = arena_printf(a, "unable to parse YAML: %s", e.msg);
        cap_err_clear(&e);
        return -1;
    }
    cval *items = cv_is(v, CV_MAP) ? cv_map_get(v, "items") : NULL;
    if (!cv_is(items, CV_LIST))
        return 0;
    for (size_t i = 0; i < cv_list_len(items); i++) {
        cval *it = cv_list_get(items, i);
        cval *md = cv_is(it, CV_MAP) ? cv_map_get(it, "metadata") : NULL;
        cval *an = cv_is(md, CV_MAP) ? cv_map_get(md, "annotations") : NULL;
        if (cv_is(an, CV_MAP) && cv_map_get(an, "helm.sh/resource-policy")) {
            *why = "annotation 'helm.sh/resource-policy' within List objects are ignored";
            return -1;
        }
    }
    return 0;
}

static int on_doc(void *ctx, const lint_k8s_obj *o)
{
    doc_ctx *x = ctx;
    const char *m = lint_check_name(x->a, o);
    if (m)
        lint_add(x->r, LINT_WARNING, x->file, "%s", m);
    m = lint_check_deprecation(x->a, o, x->kube_version);
    if (m)
        lint_add(x->r, LINT_WARNING, x->file, "%s", m);
    if (strcmp(o->kind, "Deployment") == 0 || strcmp(o->kind, "ReplicaSet") == 0 ||
        strcmp(o->kind, "DaemonSet") == 0 || strcmp(o->kind, "StatefulSet") == 0) {
        if (!strstr(x->content, "matchLabels") && !strstr(x->content, "matchExpressions")) {
            strbuf q = STRBUF_INIT;
            gofmt_quote(&q, o->name, strlen(o->name));
            lint_add(x->r, LINT_ERROR, x->file, "a %s must contain matchLabels or matchExpressions, and %s does not",
                     o->kind, sb_str(&q));
            sb_release(&q);
        }
    }
    const char *why;
    if (strcmp(o->kind, "List") == 0 && list_annotations(x->a, x->content, &why) != 0)
        lint_add(x->r, LINT_ERROR, x->file, "%s", why);
    return 0;
}

/* validateTopIndentLevel: the first non-blank line may not start with a space or tab */
static const char *top_indent(arena *a, const char *s)
{
    while (*s) {
        const char *nl = strchr(s, '\n');
        size_t l = nl ? (size_t)(nl - s) : strlen(s);
        size_t k = l;
        if (k && s[k - 1] == '\r')
            k--; /* bufio.ScanLines drops a trailing \r */
        bool blank = true;
        for (size_t i = 0; i < k; i++)
            if (!strchr(" \t\r\v\f", s[i]))
                blank = false;
        if (!blank) {
            if (s[0] != ' ' && s[0] != '\t')
                return NULL;
            strbuf q = STRBUF_INIT;
            gofmt_quote(&q, s, k);
            char *r = arena_printf(a, "document starts with an illegal indent: %s, which may cause parsing problems",
                                   sb_str(&q));
            sb_release(&q);
            return r;
        }
        if (!nl)
            break;
        s = nl + 1;
    }
    return NULL;
}

static void on_log(void *ctx, const char *level, const char *msg, const char *message)
{
    strbuf *sb = ctx;
    sb_addf(sb, "level=%s msg=", level);
    chart_log_value(sb, msg);
    sb_adds(sb, " message=");
    chart_log_value(sb, message);
    sb_addc(sb, '\n');
}

static bool only_space(const char *s)
{
    for (; *s; s++)
        if (!strchr(" \t\n\r\v\f", *s))
            return false;
    return true;
}

void lint_rule_templates(arena *a, const char *dir, const lint_opts *o, lint_result *r)
{
    const char *T = "templates/";
    const char *tdir = arena_printf(a, "%s/templates", dir);
    struct stat st;
    if (stat(tdir, &st) != 0) {
        if (errno == ENOENT) {
            lint_add(r, LINT_WARNING, T, "directory does not exist");
            return;
        }
        lint_add(r, LINT_ERROR, T, "stat %s: %s", tdir, strerror(errno));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        lint_add(r, LINT_ERROR, T, "not a directory");
        return;
    }
    lint_loader_log(a, dir, r);
    chart *c;
    cap_err e = CAP_ERR_INIT;
    if (chart_load(a, dir, &c, &e) != 0) {
        lint_add(r, LINT_ERROR, T, "%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    cval *user = o->values ? cv_deep_copy(a, o->values) : cv_map_new(a);
    /* lint ignores errors of dependency processing and coalescing, as helm does */
    if (chart_process_deps(a, c, cv_deep_copy(a, user), &e) != 0) {
        cap_err_clear(&e);
        return;
    }
    cval *cvals;
    if (values_coalesce(a, c, user, false, &cvals, &e) != 0) {
        cap_err_clear(&e);
        return;
    }
    chart_caps *caps;
    if (chart_caps_new(a, o->kube_version, NULL, 0, &caps, &e) != 0) {
        lint_add(r, LINT_ERROR, T, "%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    if (!o->skip_schema && values_validate_schemas(a, c, cvals, &e) != 0) {
        lint_add(r, LINT_ERROR, T, "%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    /* ToRenderValues with ReleaseOptions{Name: "test-release", Namespace} */
    cval *top = cv_map_new(a);
    cval *rel = cv_map_new(a);
    cv_map_set(rel, "Name", cv_cstring(a, "test-release"));
    cv_map_set(rel, "Namespace", cv_cstring(a, o->namespace_ ? o->namespace_ : "default"));
    cv_map_set(rel, "IsUpgrade", cv_bool(false));
    cv_map_set(rel, "IsInstall", cv_bool(false));
    cv_map_set(rel, "Revision", cv_goint(a, 0));
    cv_map_set(rel, "Service", cv_cstring(a, "Helm"));
    cv_map_set(top, "Release", rel);
    cv_map_set(top, "Capabilities", chart_caps_object(a, caps));
    cval *vals = arena_alloc(a, sizeof *vals);
    *vals = *cvals;
    vals->gotype = "common.Values";
    cv_map_set(top, "Values", vals);
    tmpl_source *srcs;
    size_t nsrc;
    render_sources(a, c, top, &srcs, &nsrc);
    tmpl_opts topts = {0};
    topts.lint_mode = true;
    topts.log = on_log;
    topts.log_ctx = &r->log;
    tmpl_result *res = NULL;
    size_t nres = 0;
    if (tmpl_render(a, srcs, nsrc, &topts, &res, &nres, &e) != 0) {
        lint_add(r, LINT_ERROR, T, "%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    for (size_t i = 0; i < c->ntemplates; i++) {
        const char *fn = c->templates[i].name;
        const char *slash = strrchr(fn, '/');
        const char *ext = strrchr(slash ? slash : fn, '.');
        if (!ext)
            ext = "";
        if (strcmp(ext, ".yaml") && strcmp(ext, ".yml") && strcmp(ext, ".tpl") && strcmp(ext, ".txt"))
            lint_add(r, LINT_ERROR, fn, "file extension '%s' not valid. Valid extensions are .yaml, .yml, .tpl, or .txt",
                     ext);
        if (strcasecmp(ext, ".yaml") && strcasecmp(ext, ".yml"))
            continue;
        const char *full = arena_printf(a, "%s/%s", chart_name(c), fn);
        const char *content = "";
        for (size_t k = 0; k < nres; k++)
            if (strcmp(res[k].name, full) == 0)
                content = res[k].text;
        if (only_space(content))
            continue;
        const char *ind = top_indent(a, content);
        if (ind)
            lint_add(r, LINT_WARNING, fn, "%s", ind);
        doc_ctx x = {a, r, fn, content, o->kube_version};
        const char *why;
        if (lint_decode_docs(a, content, strlen(content), on_doc, &x, &why) != 0) {
            lint_add(r, LINT_ERROR, fn, "unable to parse YAML: %s", why);
            return;
        }
    }
}
