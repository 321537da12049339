/* chart_meta.c — Chart.yaml into chart_meta, as Helm reads it (sigs.k8s.io/yaml
 * into chart.Metadata) and validates it (Metadata.Validate), and .Chart as
 * Helm's MetadataAsMap builds it. */
#include "renderer/chart/chart.h"
#include "core/gofmt.h"

#include <ctype.h>
#include <string.h>

#include "core/yaml.h"

static const char *jsontype(const cval *v)
{
    switch (v->kind) {
    case CV_BOOL: return "bool";
    case CV_INT: case CV_UINT: case CV_FLOAT: return "number";
    case CV_STRING: return "string";
    case CV_LIST: return "array";
    case CV_MAP: return "object";
    default: return "null";
    }
}

static int type_err(cap_err *err, const cval *v, const char *field, const char *gotype)
{
    return cap_err_set(err, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go struct field %s of type %s",
                       jsontype(v), field, gotype);
}

/* A scalar into a Go string field, as sigs.k8s.io/yaml converts it (1.10 -> "1.1",
 * true -> "true"); NULL for maps and lists. */
static const char *coerce(arena *a, const cval *v)
{
    if (v->kind == CV_STRING)
        return arena_strndup(a, v->u.str.s, v->u.str.len);
    strbuf sb = STRBUF_INIT;
    const char *r = NULL;
    if (v->kind != CV_MAP && v->kind != CV_LIST && yaml_string_coerce(&sb, v) == 0)
        r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* A string field: null leaves it empty. */
static int get_str(arena *a, const cval *m, const char *key, const char *field, const char **out, cap_err *err)
{
    cval *v = cv_map_get(m, key);
    if (!v || v->kind == CV_NIL)
        return 0;
    const char *s = coerce(a, v);
    if (!s)
        return type_err(err, v, field, "string");
    *out = s;
    return 0;
}

static int get_strs(arena *a, const cval *m, const char *key, const char *field, const char ***out, size_t *n, cap_err *err)
{
    cval *v = cv_map_get(m, key);
    if (!v || v->kind == CV_NIL)
        return 0;
    if (v->kind != CV_LIST)
        return type_err(err, v, field, "[]string");
    size_t len = cv_list_len(v);
    const char **r = arena_zalloc(a, (len + 1) * sizeof *r);
    for (size_t i = 0; i < len; i++) {
        cval *e = cv_list_get(v, i);
        if (e->kind == CV_NIL) {
            r[i] = "";
            continue;
        }
        if (!(r[i] = coerce(a, e)))
            return type_err(err, e, field, "string");
    }
    *out = r;
    *n = len;
    return 0;
}

static bool go_isspace(int32_t r)
{
    switch (r) {
    case '\t': case '\n': case '\v': case '\f': case '\r': case ' ': case 0x85: case 0xA0: case 0x1680:
    case 0x2028: case 0x2029: case 0x202F: case 0x205F: case 0x3000:
        return true;
    default:
        return r >= 0x2000 && r <= 0x200A;
    }
}

/* Helm's sanitizeString, in place (the result is never longer): unicode.IsSpace
 * -> ' ', runes unicode.IsPrint rejects dropped. */
static void sanitize_inplace(const char *cs)
{
    if (!cs || !*cs)
        return;
    char *s = (char *)cs;
    size_t n = strlen(s), j = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x20 && c < 0x7F) { /* printable ASCII: kept as it is */
            s[j++] = (char)c;
            i++;
            continue;
        }
        int32_t r;
        int w = gofmt_decode_rune(s + i, n - i, &r);
        if (w <= 0)
            w = 1;
        if (go_isspace(r))
            s[j++] = ' ';
        else if (gofmt_isprint(r) && !(r == 0xFFFD && w == 1)) {
            memmove(s + j, s + i, (size_t)w);
            j += (size_t)w;
        } else if (r == 0xFFFD && w == 1) {
            /* invalid UTF-8: Go's range yields U+FFFD, which is printable */
            static const char rep[] = "\xef\xbf\xbd";
            if (j + 3 <= i + 1) {
                memcpy(s + j, rep, 3);
                j += 3;
            } else {
                s[j++] = s[i];
            }
        }
        i += (size_t)w;
    }
    s[j] = 0;
}

/* unicode.IsSpace -> ' ', non-printable dropped (a copy). */
static const char *sanitize(arena *a, const char *s)
{
    if (!s)
        return s;
    char *r = arena_strdup(a, s);
    sanitize_inplace(r);
    return r;
}

static int parse_deps(arena *a, const cval *m, chart_meta *md, cap_err *err)
{
    cval *v = cv_map_get(m, "dependencies");
    if (!v || v->kind == CV_NIL)
        return 0;
    if (v->kind != CV_LIST)
        return type_err(err, v, "Metadata.dependencies", "[]*chart.Dependency");
    size_t n = cv_list_len(v);
    md->deps = arena_zalloc(a, (n + 1) * sizeof *md->deps);
    md->ndeps = n;
    md->has_deps = true;
    for (size_t i = 0; i < n; i++) {
        cval *e = cv_list_get(v, i);
        if (e->kind == CV_NIL) {
            md->deps[i] = NULL;
            continue;
        }
        if (e->kind != CV_MAP)
            return type_err(err, e, "Metadata.dependencies", "chart.Dependency");
        chart_dep *d = arena_zalloc(a, sizeof *d);
        d->name = d->version = d->repository = d->condition = d->alias = "";
        if (get_str(a, e, "name", "Dependency.name", &d->name, err) ||
            get_str(a, e, "version", "Dependency.version", &d->version, err) ||
            get_str(a, e, "repository", "Dependency.repository", &d->repository, err) ||
            get_str(a, e, "condition", "Dependency.condition", &d->condition, err) ||
            get_str(a, e, "alias", "Dependency.alias", &d->alias, err) ||
            get_strs(a, e, "tags", "Dependency.tags", &d->tags, &d->ntags, err))
            return -1;
        cval *en = cv_map_get(e, "enabled");
        if (en && en->kind == CV_BOOL)
            d->enabled = en->u.b;
        cval *iv = cv_map_get(e, "import-values");
        if (iv && iv->kind == CV_LIST)
            d->import_values = iv;
        else if (iv && iv->kind != CV_NIL)
            return type_err(err, iv, "Dependency.import-values", "[]interface {}");
        md->deps[i] = d;
    }
    return 0;
}

static int fill(arena *a, const cval *m, chart_meta *md, cap_err *err)
{
    if (get_str(a, m, "name", "Metadata.name", &md->name, err) ||
        get_str(a, m, "home", "Metadata.home", &md->home, err) ||
        get_str(a, m, "version", "Metadata.version", &md->version, err) ||
        get_str(a, m, "description", "Metadata.description", &md->description, err) ||
        get_str(a, m, "icon", "Metadata.icon", &md->icon, err) ||
        get_str(a, m, "apiVersion", "Metadata.apiVersion", &md->api_version, err) ||
        get_str(a, m, "condition", "Metadata.condition", &md->condition, err) ||
        get_str(a, m, "tags", "Metadata.tags", &md->tags, err) ||
        get_str(a, m, "appVersion", "Metadata.appVersion", &md->app_version, err) ||
        get_str(a, m, "kubeVersion", "Metadata.kubeVersion", &md->kube_version, err) ||
        get_str(a, m, "type", "Metadata.type", &md->type, err) ||
        get_strs(a, m, "sources", "Metadata.sources", &md->sources, &md->nsources, err) ||
        get_strs(a, m, "keywords", "Metadata.keywords", &md->keywords, &md->nkeywords, err))
        return -1;
    cval *dep = cv_map_get(m, "deprecated");
    if (dep && dep->kind == CV_BOOL)
        md->deprecated = dep->u.b;
    else if (dep && dep->kind != CV_NIL)
        return type_err(err, dep, "Metadata.deprecated", "bool");
    cval *ann = cv_map_get(m, "annotations");
    if (ann && ann->kind == CV_MAP) {
        size_t n;
        const cv_entry *e = cv_map_sorted(ann, &n);
        cval *am = cv_map_new(a);
        am->gotype = "map[string]string";
        for (size_t i = 0; i < n; i++) {
            if (e[i].val->kind == CV_NIL) {
                cv_map_setn(am, e[i].key, e[i].keylen, cv_string(a, "", 0));
                continue;
            }
            const char *sv = coerce(a, e[i].val);
            if (!sv)
                return type_err(err, e[i].val, "Metadata.annotations", "string");
            cv_map_setn(am, e[i].key, e[i].keylen, cv_cstring(a, sv));
        }
        md->annotations = am;
    } else if (ann && ann->kind != CV_NIL) {
        return type_err(err, ann, "Metadata.annotations", "map[string]string");
    }
    cval *mt = cv_map_get(m, "maintainers");
    if (mt && mt->kind == CV_LIST) {
        size_t n = cv_list_len(mt);
        md->maintainers = arena_zalloc(a, (n + 1) * sizeof *md->maintainers);
        md->nmaintainers = n;
        for (size_t i = 0; i < n; i++) {
            cval *e = cv_list_get(mt, i);
            chart_maintainer *x = &md->maintainers[i];
            x->name = x->email = x->url = "";
            if (e->kind == CV_NIL) {
                x->name = NULL; /* a null node: Validate rejects it */
                continue;
            }
            if (e->kind != CV_MAP)
                return type_err(err, e, "Metadata.maintainers", "chart.Maintainer");
            if (get_str(a, e, "name", "Maintainer.name", &x->name, err) ||
                get_str(a, e, "email", "Maintainer.email", &x->email, err) ||
                get_str(a, e, "url", "Maintainer.url", &x->url, err))
                return -1;
        }
    } else if (mt && mt->kind != CV_NIL) {
        return type_err(err, mt, "Metadata.maintainers", "[]*chart.Maintainer");
    }
    return parse_deps(a, m, md, err);
}

int chart_meta_parse(arena *a, const char *text, size_t len, const char *file, chart_meta **out, cap_err *err)
{
    cval *m;
    if (yaml_parse_raw(a, text, len, file, &m, err) != 0)
        return -1;
    chart_meta *md = arena_zalloc(a, sizeof *md);
    md->api_version = md->name = md->home = md->version = md->description = md->icon = "";
    md->condition = md->tags = md->app_version = md->kube_version = md->type = "";
    if (m && m->kind == CV_MAP) {
        if (fill(a, m, md, err) != 0)
            return -1;
    } else if (m && m->kind != CV_NIL) {
        return cap_err_set(err, "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type chart.Metadata",
                           jsontype(m));
    }
    if (!*md->api_version)
        md->api_version = "v1";
    *out = md;
    return 0;
}

int chart_meta_merge_requirements(arena *a, chart_meta *md, const char *text, size_t len, const char *file, cap_err *err)
{
    cval *m;
    if (yaml_parse_raw(a, text, len, file, &m, err) != 0)
        return -1;
    if (m && m->kind == CV_MAP)
        return fill(a, m, md, err);
    return 0;
}

static bool alias_ok(const char *s)
{
    /* ^[a-zA-Z0-9-_]+$ */
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '-' && *s != '_')
            return false;
    return true;
}

int chart_meta_validate(chart_meta *md, cap_err *err)
{
    if (!md)
        return cap_err_set(err, "validation: chart.metadata is required");
    /* Metadata.Validate cleans these fields first */
    sanitize_inplace(md->name);
    sanitize_inplace(md->description);
    sanitize_inplace(md->home);
    sanitize_inplace(md->icon);
    sanitize_inplace(md->condition);
    sanitize_inplace(md->tags);
    sanitize_inplace(md->app_version);
    sanitize_inplace(md->kube_version);
    for (size_t i = 0; i < md->nsources; i++)
        sanitize_inplace(md->sources[i]);
    for (size_t i = 0; i < md->nkeywords; i++)
        sanitize_inplace(md->keywords[i]);
    for (size_t i = 0; i < md->nmaintainers; i++) {
        sanitize_inplace(md->maintainers[i].name);
        sanitize_inplace(md->maintainers[i].email);
        sanitize_inplace(md->maintainers[i].url);
    }
    if (!*md->api_version)
        return cap_err_set(err, "validation: chart.metadata.apiVersion is required");
    if (!*md->name)
        return cap_err_set(err, "validation: chart.metadata.name is required");
    if (strcmp(md->name, ".") == 0 || strcmp(md->name, "..") == 0)
        return cap_err_set(err, "validation: chart.metadata.name \"%s\" is not allowed", md->name);
    if (strchr(md->name, '/'))
        return cap_err_set(err, "validation: chart.metadata.name \"%s\" is invalid", md->name);
    if (!*md->version)
        return cap_err_set(err, "validation: chart.metadata.version is required");
    if (!chart_semver_valid(md->version))
        return cap_err_set(err, "validation: chart.metadata.version \"%s\" is invalid", md->version);
    if (*md->type && strcmp(md->type, "application") != 0 && strcmp(md->type, "library") != 0)
        return cap_err_set(err, "validation: chart.metadata.type must be application or library");
    for (size_t i = 0; i < md->nmaintainers; i++)
        if (!md->maintainers[i].name)
            return cap_err_set(err, "validation: maintainers must not contain empty or null nodes");
    for (size_t i = 0; i < md->ndeps; i++) {
        chart_dep *d = md->deps[i];
        if (!d)
            return cap_err_set(err, "validation: dependencies must not contain empty or null nodes");
        if (*d->alias && !alias_ok(d->alias))
            return cap_err_set(err, "validation: dependency \"%s\" has disallowed characters in the alias", d->name);
        const char *key = *d->alias ? d->alias : d->name;
        for (size_t j = 0; j < i; j++) {
            chart_dep *o = md->deps[j];
            const char *ok = *o->alias ? o->alias : o->name;
            if (strcmp(ok, key) == 0)
                return cap_err_set(err, "validation: more than one dependency with name or alias \"%s\"", key);
        }
    }
    return 0;
}

static cval *strlist(arena *a, const char **s, size_t n)
{
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, cv_cstring(a, s[i]));
    return l;
}

static cval *str(arena *a, const char *s) { return cv_cstring(a, s ? s : ""); }

cval *chart_meta_to_map(arena *a, const chart_meta *md, bool is_root)
{
    cval *m = cv_map_new(a);
    cv_map_set(m, "Name", str(a, md->name));
    cv_map_set(m, "Home", str(a, sanitize(a, md->home)));
    cv_map_set(m, "Sources", strlist(a, md->sources, md->nsources));
    cv_map_set(m, "Version", str(a, md->version));
    cv_map_set(m, "Description", str(a, sanitize(a, md->description)));
    cv_map_set(m, "Keywords", strlist(a, md->keywords, md->nkeywords));
    cval *ml = cv_list_new(a, md->nmaintainers);
    for (size_t i = 0; i < md->nmaintainers; i++) {
        cval *x = cv_map_new(a);
        cv_map_set(x, "Name", str(a, sanitize(a, md->maintainers[i].name)));
        cv_map_set(x, "Email", str(a, sanitize(a, md->maintainers[i].email)));
        cv_map_set(x, "URL", str(a, sanitize(a, md->maintainers[i].url)));
        cv_list_push(ml, x);
    }
    cv_map_set(m, "Maintainers", ml);
    cv_map_set(m, "Icon", str(a, sanitize(a, md->icon)));
    cv_map_set(m, "APIVersion", str(a, md->api_version));
    cv_map_set(m, "Condition", str(a, sanitize(a, md->condition)));
    cv_map_set(m, "Tags", str(a, sanitize(a, md->tags)));
    cv_map_set(m, "AppVersion", str(a, sanitize(a, md->app_version)));
    cv_map_set(m, "Deprecated", cv_bool(md->deprecated));
    if (md->annotations) {
        cv_map_set(m, "Annotations", md->annotations);
    } else {
        cv_map_set(m, "Annotations", cv_nil_string_map(a));
    }
    cv_map_set(m, "KubeVersion", str(a, sanitize(a, md->kube_version)));
    cval *dl = cv_list_new(a, md->ndeps);
    for (size_t i = 0; i < md->ndeps; i++) {
        chart_dep *d = md->deps[i];
        if (!d)
            continue;
        cval *x = cv_map_new(a);
        cv_map_set(x, "Name", str(a, d->name));
        cv_map_set(x, "Version", str(a, d->version));
        cv_map_set(x, "Repository", str(a, d->repository));
        cv_map_set(x, "Condition", str(a, d->condition));
        cv_map_set(x, "Tags", strlist(a, d->tags, d->ntags));
        cv_map_set(x, "Enabled", cv_bool(d->enabled));
        cv_map_set(x, "ImportValues", d->import_values ? d->import_values : cv_list_new(a, 0));
        cv_map_set(x, "Alias", str(a, d->alias));
        cv_list_push(dl, x);
    }
    cv_map_set(m, "Dependencies", dl);
    cv_map_set(m, "Type", str(a, md->type));
    cv_map_set(m, "IsRoot", cv_bool(is_root));
    return m;
}
