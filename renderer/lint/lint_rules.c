/* lint_rules.c — helm lint's rules on Chart.yaml, values.yaml, dependencies and
 * crds/ (pkg/chart/v2/lint/rules: chartfile.go, values.go, dependencies.go, crds.go),
 * with helm's messages. */
#include "renderer/lint/lint.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "renderer/chart/chart.h"
#include "core/fsutil.h"
#include "core/gofmt.h"
#include "core/semver.h"
#include "renderer/chart/values.h"
#include "core/yaml.h"
#include <yaml.h>  /* libyaml */


/* ---- Chart.yaml ------------------------------------------------------------------ */

static bool one_of(const char *k, const char *const *names)
{
    for (; *names; names++)
        if (strcasecmp(k, *names) == 0) /* encoding/json matches names case-insensitively */
            return true;
    return false;
}

static const char *const meta_fields[] = {"name", "home", "sources", "version", "description", "keywords",
                                          "maintainers", "icon", "apiVersion", "condition", "tags",
                                          "appVersion", "deprecated", "annotations", "kubeVersion",
                                          "dependencies", "type", NULL};
static const char *const maint_fields[] = {"name", "email", "url", NULL};
static const char *const dep_fields[] = {"name", "version", "repository", "condition", "tags",
                                         "enabled", "import-values", "alias", NULL};

static const char *unknown_in(const cval *m, const char *const *fields);

static const char *unknown_in_list(const cval *l, const char *const *fields)
{
    if (!cv_is(l, CV_LIST))
        return NULL;
    for (size_t i = 0; i < cv_list_len(l); i++) {
        const char *u = unknown_in(cv_list_get(l, i), fields);
        if (u)
            return u;
    }
    return NULL;
}

/* the first unknown field in the order encoding/json meets it (keys sorted, as the
 * YAML-to-JSON step writes them) */
static const char *unknown_in(const cval *m, const char *const *fields)
{
    if (!cv_is(m, CV_MAP))
        return NULL;
    size_t n;
    const cv_entry *e = cv_map_sorted(m, &n);
    for (size_t i = 0; i < n; i++) {
        if (!one_of(e[i].key, fields))
            return e[i].key;
        const char *u = NULL;
        if (fields == meta_fields && strcasecmp(e[i].key, "maintainers") == 0)
            u = unknown_in_list(e[i].val, maint_fields);
        else if (fields == meta_fields && strcasecmp(e[i].key, "dependencies") == 0)
            u = unknown_in_list(e[i].val, dep_fields);
        if (u)
            return u;
    }
    return NULL;
}

/* fmt's %T of a value sigs.k8s.io/yaml decoded into interface{} */
static const char *go_type(const cval *v)
{
    if (!v || cv_is_nil(v))
        return "<nil>";
    switch (v->kind) {
    case CV_BOOL: return "bool";
    case CV_INT:
    case CV_UINT:
    case CV_FLOAT: return "float64";
    case CV_STRING: return "string";
    case CV_LIST: return "[]interface {}";
    case CV_MAP: return "map[string]interface {}";
    default: return "string";
    }
}

/* filepath.Base */
static const char *base_name(arena *a, const char *p)
{
    if (!*p)
        return ".";
    char *s = arena_strdup(a, p);
    size_t n = strlen(s);
    while (n > 0 && s[n - 1] == '/')
        s[--n] = 0;
    if (n == 0)
        return "/";
    char *sl = strrchr(s, '/');
    return sl ? sl + 1 : s;
}

static char *go_quote(arena *a, const char *s)
{
    strbuf sb = STRBUF_INIT;
    gofmt_quote(&sb, s, strlen(s));
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* go-yaml v2's UnmarshalStrict: every key set twice in one map, as
 * "line N: key \"K\" already set in map" lines (libyaml's events; keys compared
 * as written). NULL when there is none. */
static const char *duplicate_keys(arena *a, const char *text, size_t len)
{
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p))
        return NULL;
    yaml_parser_set_input_string(&p, (const unsigned char *)text, len);
    enum { MAXD = 64 };
    struct level {
        bool map, want_key;
        const char **keys;
        size_t n, cap;
    } st[MAXD];
    int depth = -1;
    strbuf out = STRBUF_INIT;
    for (;;) {
        yaml_event_t ev;
        if (!yaml_parser_parse(&p, &ev))
            break;
        yaml_event_type_t t = ev.type;
        struct level *top = depth >= 0 && depth < MAXD ? &st[depth] : NULL;
        bool is_key = top && top->map && top->want_key;
        if (top && top->map && (t == YAML_SCALAR_EVENT || t == YAML_ALIAS_EVENT || t == YAML_MAPPING_START_EVENT ||
                                t == YAML_SEQUENCE_START_EVENT))
            top->want_key = !top->want_key;
        if (is_key && t == YAML_SCALAR_EVENT) {
            const char *k = arena_strndup(a, (const char *)ev.data.scalar.value, ev.data.scalar.length);
            bool dup = false;
            for (size_t i = 0; i < top->n && !dup; i++)
                dup = strcmp(top->keys[i], k) == 0 && strcmp(k, "<<") != 0;
            if (dup) {
                strbuf q = STRBUF_INIT;
                gofmt_quote(&q, k, strlen(k));
                sb_addf(&out, "\n  line %lu: key %s already set in map", (unsigned long)ev.start_mark.line + 1,
                        sb_str(&q));
                sb_release(&q);
            } else {
                if (top->n == top->cap) {
                    size_t nc = top->cap ? top->cap * 2 : 8;
                    top->keys = arena_realloc(a, top->keys, top->cap * sizeof *top->keys, nc * sizeof *top->keys);
                    top->cap = nc;
                }
                top->keys[top->n++] = k;
            }
        }
        if (t == YAML_MAPPING_START_EVENT || t == YAML_SEQUENCE_START_EVENT) {
            depth++;
            if (depth < MAXD)
                st[depth] = (struct level){t == YAML_MAPPING_START_EVENT, true, NULL, 0, 0};
        } else if (t == YAML_MAPPING_END_EVENT || t == YAML_SEQUENCE_END_EVENT) {
            depth--;
        }
        yaml_event_delete(&ev);
        if (t == YAML_STREAM_END_EVENT || t == YAML_DOCUMENT_END_EVENT)
            break;
    }
    yaml_parser_delete(&p);
    const char *r = out.len ? arena_printf(a, "error converting YAML to JSON: yaml: unmarshal errors:%s", sb_str(&out))
                            : NULL;
    sb_release(&out);
    return r;
}

void lint_rule_chartfile(arena *a, const char *dir, lint_result *r)
{
    const char *F = "Chart.yaml";
    const char *path = arena_printf(a, "%s/Chart.yaml", dir);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
        lint_add(r, LINT_ERROR, F, "should be a file, not a directory");
    char *text;
    size_t len;
    const char *why;
    if (S_ISDIR(st.st_mode)) {
        lint_add(r, LINT_ERROR, F, "unable to parse YAML\n\tread %s: is a directory", path);
        return;
    }
    if (lint_read_file(a, path, &text, &len, &why) != 0) {
        lint_add(r, LINT_ERROR, F, "unable to parse YAML\n\t%s", why);
        return;
    }
    chart_meta *md;
    cap_err e = CAP_ERR_INIT;
    if (chart_meta_parse(a, text, len, F, &md, &e) != 0) {
        lint_add(r, LINT_ERROR, F, "unable to parse YAML\n\t%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    cval *raw = NULL;
    if (yaml_parse(a, text, len, F, &raw, &e) != 0)
        cap_err_clear(&e);
    const char *dups = duplicate_keys(a, text, len);
    const char *unk = unknown_in(raw, meta_fields);
    if (dups)
        lint_add(r, LINT_WARNING, F, "failed to strictly parse chart metadata file\n\t%s", dups);
    else if (unk)
        lint_add(r, LINT_WARNING, F,
                 "failed to strictly parse chart metadata file\n\terror unmarshaling JSON: while decoding JSON: json: "
                 "unknown field \"%s\"",
                 unk);
    /* the loader defaults apiVersion to v1; LoadChartfile does not */
    const char *api = md->api_version;
    cval *rawapi = cv_is(raw, CV_MAP) ? cv_map_get(raw, "apiVersion") : NULL;
    if (!rawapi || cv_is_nil(rawapi))
        api = "";
    /* name */
    if (!*md->name)
        lint_add(r, LINT_ERROR, F, "name is required");
    else if (strcmp(base_name(a, md->name), md->name) != 0)
        lint_add(r, LINT_ERROR, F, "chart name %s is invalid", go_quote(a, md->name));
    /* apiVersion */
    if (!*api)
        lint_add(r, LINT_ERROR, F, "apiVersion is required. The value must be either \"v1\" or \"v2\"");
    else if (strcmp(api, "v1") != 0 && strcmp(api, "v2") != 0)
        lint_add(r, LINT_ERROR, F, "apiVersion '%s' is not valid. The value must be either \"v1\" or \"v2\"", api);
    /* version: type, presence, semver, > 0.0.0-0 */
    cval *tv = cv_is(raw, CV_MAP) ? cv_map_get(raw, "version") : NULL;
    if (tv && !cv_is(tv, CV_STRING))
        lint_add(r, LINT_ERROR, F, "version should be of type string but it's of type %s", go_type(tv));
    semver_version sv;
    const char *serr;
    if (!*md->version) {
        lint_add(r, LINT_ERROR, F, "version is required");
    } else if (semver_parse(a, md->version, &sv, &serr) != 0) {
        lint_add(r, LINT_ERROR, F, "version '%s' is not a valid SemVer", md->version);
    } else if (semver_satisfies(a, ">0.0.0-0", md->version, &serr) == 0) {
        lint_add(r, LINT_ERROR, F, "version %s is less than or equal to 0.0.0-0", semver_string(a, &sv));
    }
    cval *ta = cv_is(raw, CV_MAP) ? cv_map_get(raw, "appVersion") : NULL;
    if (ta && !cv_is(ta, CV_STRING))
        lint_add(r, LINT_ERROR, F, "appVersion should be of type string but it's of type %s", go_type(ta));
    /* maintainers: the first problem only */
    for (size_t i = 0; i < md->nmaintainers; i++) {
        const chart_maintainer *m = &md->maintainers[i];
        if (!m->name) {
            lint_add(r, LINT_ERROR, F, "a maintainer entry is empty");
            break;
        }
        if (!*m->name) {
            lint_add(r, LINT_ERROR, F, "each maintainer requires a name");
            break;
        }
        if (*m->email && !lint_is_email(m->email)) {
            lint_add(r, LINT_ERROR, F, "invalid email '%s' for maintainer '%s'", m->email, m->name);
            break;
        }
        if (*m->url && !lint_is_url(m->url)) {
            lint_add(r, LINT_ERROR, F, "invalid url '%s' for maintainer '%s'", m->url, m->name);
            break;
        }
    }
    for (size_t i = 0; i < md->nsources; i++)
        if (!*md->sources[i] || !lint_is_request_url(md->sources[i])) {
            lint_add(r, LINT_ERROR, F, "invalid source URL '%s'", md->sources[i]);
            break;
        }
    if (!*md->icon)
        lint_add(r, LINT_INFO, F, "icon is recommended");
    else if (!lint_is_request_url(md->icon))
        lint_add(r, LINT_ERROR, F, "invalid icon URL '%s'", md->icon);
    if (*md->type && strcmp(api, "v2") != 0)
        lint_add(r, LINT_ERROR, F, "chart type is not valid in apiVersion '%s'. It is valid in apiVersion 'v2'", api);
    if (md->ndeps > 0 && strcmp(api, "v2") != 0)
        lint_add(r, LINT_ERROR, F,
                 "dependencies are not valid in the Chart file with apiVersion '%s'. They are valid in apiVersion 'v2'",
                 api);
    if (!lint_is_strict_semver(md->version))
        lint_add(r, LINT_WARNING, F, "version '%s' is not a valid SemVerV2", md->version);
}

/* ---- values.yaml ----------------------------------------------------------------- */

void lint_rule_values(arena *a, const char *dir, const lint_opts *o, lint_result *r)
{
    const char *F = "values.yaml";
    const char *path = arena_printf(a, "%s/values.yaml", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        lint_add(r, LINT_INFO, F, "file does not exist");
        return;
    }
    char *text;
    size_t len;
    const char *why;
    if (S_ISDIR(st.st_mode)) {
        lint_add(r, LINT_ERROR, F, "unable to parse YAML: read %s: is a directory", path);
        return;
    }
    if (lint_read_file(a, path, &text, &len, &why) != 0) {
        lint_add(r, LINT_ERROR, F, "unable to parse YAML: %s", why);
        return;
    }
    cval *vals;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse_map(a, text, len, F, &vals, &e) != 0) {
        /* ReadValues unmarshals into common.Values */
        const char *m = e.msg;
        const char *gm = strstr(m, "Go value of type map[string]interface {}");
        if (gm)
            m = arena_printf(a, "%.*sGo value of type common.Values%s", (int)(gm - m), m,
                             gm + strlen("Go value of type map[string]interface {}"));
        lint_add(r, LINT_ERROR, F, "unable to parse YAML: %s", m);
        cap_err_clear(&e);
        return;
    }
    if (!cv_is(vals, CV_MAP))
        vals = cv_map_new(a);
    cval *co = o->values ? cv_deep_copy(a, o->values) : cv_map_new(a);
    co = values_coalesce_tables(a, co, vals, false);
    char *schema;
    size_t slen;
    if (lint_read_file(a, arena_printf(a, "%s/values.schema.json", dir), &schema, &slen, &why) != 0 || slen == 0)
        return;
    if (o->skip_schema)
        return;
    strbuf probs = STRBUF_INIT;
    int rc = values_validate_schema(a, schema, slen, "", co, &probs, &e);
    if (rc < 0)
        lint_add(r, LINT_ERROR, F, "%s", e.msg ? e.msg : "invalid schema");
    else if (rc > 0)
        lint_add(r, LINT_ERROR, F, "%s", sb_str(&probs));
    sb_release(&probs);
    cap_err_clear(&e);
}

/* ---- dependencies ----------------------------------------------------------------- */

static bool name_in(const char *n, const char **names, size_t k)
{
    for (size_t i = 0; i < k; i++)
        if (strcmp(names[i], n) == 0)
            return true;
    return false;
}

void lint_rule_dependencies(arena *a, const char *dir, lint_result *r)
{
    lint_loader_log(a, dir, r);
    chart *c;
    cap_err e = CAP_ERR_INIT;
    if (chart_load(a, dir, &c, &e) != 0) {
        lint_add(r, LINT_ERROR, "", "unable to load chart\n\t%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    const chart_meta *md = c->meta;
    const char **meta_names = arena_alloc(a, (md->ndeps + 1) * sizeof *meta_names);
    size_t nm = 0;
    for (size_t i = 0; i < md->ndeps; i++)
        if (md->deps[i])
            meta_names[nm++] = md->deps[i]->name;
    const char **sub_names = arena_alloc(a, (c->ndeps + 1) * sizeof *sub_names);
    for (size_t i = 0; i < c->ndeps; i++)
        sub_names[i] = chart_name(c->deps[i]);
    /* in metadata */
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < c->ndeps; i++)
        if (!name_in(sub_names[i], meta_names, nm))
            sb_addf(&sb, "%s%s", sb.len ? "," : "", sub_names[i]);
    if (sb.len)
        lint_add(r, LINT_ERROR, dir, "chart metadata is missing these dependencies: %s", sb_str(&sb));
    sb_reset(&sb);
    /* unique by name or alias */
    const char **keys = arena_alloc(a, (md->ndeps + 1) * sizeof *keys);
    size_t nk = 0;
    for (size_t i = 0; i < md->ndeps; i++) {
        if (!md->deps[i])
            continue;
        const char *k = *md->deps[i]->alias ? md->deps[i]->alias : md->deps[i]->name;
        if (name_in(k, keys, nk))
            sb_addf(&sb, "%s%s", sb.len ? "," : "", k);
        keys[nk++] = k;
    }
    if (sb.len)
        lint_add(r, LINT_ERROR, dir, "multiple dependencies with name or alias: %s", sb_str(&sb));
    sb_reset(&sb);
    /* in charts/ */
    for (size_t i = 0; i < nm; i++)
        if (!name_in(meta_names[i], sub_names, c->ndeps))
            sb_addf(&sb, "%s%s", sb.len ? "," : "", meta_names[i]);
    if (sb.len)
        lint_add(r, LINT_WARNING, dir, "chart directory is missing these dependencies: %s", sb_str(&sb));
    sb_release(&sb);
}

/* ---- crds/ ------------------------------------------------------------------------- */

typedef struct crd_ctx {
    lint_result *r;
    const char *file;
} crd_ctx;

static int crd_doc(void *ctx, const lint_k8s_obj *obj)
{
    crd_ctx *x = ctx;
    if (strncmp(obj->api_version, "apiextensions.k8s.io", 20) != 0)
        lint_add(x->r, LINT_ERROR, x->file, "apiVersion is not in 'apiextensions.k8s.io'");
    if (strcmp(obj->kind, "CustomResourceDefinition") != 0)
        lint_add(x->r, LINT_ERROR, x->file, "object kind is not 'CustomResourceDefinition'");
    return 0;
}

static bool manifest_ext(const char *name)
{
    const char *sl = strrchr(name, '/');
    const char *dot = strrchr(sl ? sl : name, '.');
    return dot && (strcasecmp(dot, ".yaml") == 0 || strcasecmp(dot, ".yml") == 0 || strcasecmp(dot, ".json") == 0);
}

/* chart.CRDObjects(): the chart's crds/ files, then its subcharts' */
static int lint_crds_of(arena *a, const chart *c, lint_result *r, int depth)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const chart_file *f = &c->files[i];
        if (strncmp(f->name, "crds/", 5) != 0 || !manifest_ext(f->name))
            continue;
        crd_ctx x = {r, f->name};
        const char *why;
        if (lint_decode_docs(a, f->data, f->len, crd_doc, &x, &why) != 0) {
            lint_add(r, LINT_ERROR, f->name, "unable to parse YAML: %s", why);
            return -1;
        }
    }
    if (depth < CHART_MAX_DEPTH)
        for (size_t i = 0; i < c->ndeps; i++)
            if (lint_crds_of(a, c->deps[i], r, depth + 1) != 0)
                return -1;
    return 0;
}

void lint_rule_crds(arena *a, const char *dir, lint_result *r)
{
    const char *path = arena_printf(a, "%s/crds", dir);
    struct stat st;
    if (stat(path, &st) != 0) {
        if (errno == ENOENT)
            return;
        lint_add(r, LINT_ERROR, "crds/", "stat %s: %s", path, fsu_errno_text(errno, (char[128]){0}, 128));
        return;
    }
    if (!S_ISDIR(st.st_mode)) {
        lint_add(r, LINT_ERROR, "crds/", "not a directory");
        return;
    }
    lint_loader_log(a, dir, r);
    chart *c;
    cap_err e = CAP_ERR_INIT;
    if (chart_load(a, dir, &c, &e) != 0) {
        lint_add(r, LINT_ERROR, "crds/", "%s", e.msg);
        cap_err_clear(&e);
        return;
    }
    lint_crds_of(a, c, r, 0);
}
