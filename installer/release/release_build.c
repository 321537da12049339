/* release_build.c — see release_build.h. */
#include "installer/release/release_build.h"
#include "core/base64.h"
#include "renderer/manifest.h"
#include "renderer/render_internal.h"
#include "core/strbuf.h"
#include "core/yaml.h"

#include <string.h>

static cval *s(arena *a, const char *v) { return cv_cstring(a, v ? v : ""); }

static void set_nonempty(arena *a, cval *m, const char *k, const char *v)
{
    if (v && *v)
        cv_map_set(m, k, s(a, v));
}

static cval *str_list(arena *a, const char **v, size_t n)
{
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, s(a, v[i]));
    return l;
}

static cval *b64(arena *a, const char *p, size_t n)
{
    strbuf sb = STRBUF_INIT;
    base64_encode(&sb, p, n, B64_STD);
    cval *v = cv_string(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}

static cval *files_json(arena *a, const chart_file *f, size_t n, const char *modtime)
{
    if (n == 0)
        return cv_nil();
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++) {
        cval *m = cv_map_new(a);
        cv_map_set(m, "name", s(a, f[i].name));
        cv_map_set(m, "data", b64(a, f[i].data, f[i].len));
        if (modtime)
            cv_map_set(m, "modtime", s(a, modtime));
        cv_list_push(l, m);
    }
    return l;
}

cval *release_chart_json(arena *a, const chart *c, const char *modtime)
{
    const chart_meta *md = c->meta;
    cval *m = cv_map_new(a);
    set_nonempty(a, m, "name", md->name);
    set_nonempty(a, m, "home", md->home);
    if (md->nsources)
        cv_map_set(m, "sources", str_list(a, md->sources, md->nsources));
    set_nonempty(a, m, "version", md->version);
    set_nonempty(a, m, "description", md->description);
    if (md->nkeywords)
        cv_map_set(m, "keywords", str_list(a, md->keywords, md->nkeywords));
    if (md->nmaintainers) {
        cval *l = cv_list_new(a, md->nmaintainers);
        for (size_t i = 0; i < md->nmaintainers; i++) {
            cval *mm = cv_map_new(a);
            set_nonempty(a, mm, "name", md->maintainers[i].name);
            set_nonempty(a, mm, "email", md->maintainers[i].email);
            set_nonempty(a, mm, "url", md->maintainers[i].url);
            cv_list_push(l, mm);
        }
        cv_map_set(m, "maintainers", l);
    }
    set_nonempty(a, m, "icon", md->icon);
    set_nonempty(a, m, "apiVersion", md->api_version);
    set_nonempty(a, m, "condition", md->condition);
    set_nonempty(a, m, "tags", md->tags);
    set_nonempty(a, m, "appVersion", md->app_version);
    if (md->deprecated)
        cv_map_set(m, "deprecated", cv_true());
    if (md->annotations && md->annotations->kind == CV_MAP && cv_map_len(md->annotations))
        cv_map_set(m, "annotations", md->annotations);
    set_nonempty(a, m, "kubeVersion", md->kube_version);
    if (md->ndeps) {
        cval *l = cv_list_new(a, md->ndeps);
        for (size_t i = 0; i < md->ndeps; i++) {
            const chart_dep *d = md->deps[i];
            cval *dm = cv_map_new(a);
            cv_map_set(dm, "name", s(a, d->name));
            set_nonempty(a, dm, "version", d->version);
            cv_map_set(dm, "repository", s(a, d->repository));
            set_nonempty(a, dm, "condition", d->condition);
            if (d->ntags)
                cv_map_set(dm, "tags", str_list(a, d->tags, d->ntags));
            if (d->enabled)
                cv_map_set(dm, "enabled", cv_true());
            if (d->import_values)
                cv_map_set(dm, "import-values", d->import_values);
            set_nonempty(a, dm, "alias", d->alias);
            cv_list_push(l, dm);
        }
        cv_map_set(m, "dependencies", l);
    }
    set_nonempty(a, m, "type", md->type);
    cval *cj = cv_map_new(a);
    cv_map_set(cj, "metadata", m);
    cv_map_set(cj, "lock", cv_nil());
    cv_map_set(cj, "templates", files_json(a, c->templates, c->ntemplates, modtime));
    cv_map_set(cj, "values", c->values ? c->values : cv_map_new(a));
    cv_map_set(cj, "schema", c->schema ? b64(a, c->schema, c->schema_len) : cv_nil());
    cv_map_set(cj, "files", files_json(a, c->files, c->nfiles, modtime));
    if (modtime)
        cv_map_set(cj, "modtime", s(a, modtime));
    return cj;
}

char *release_manifest_text(arena *a, const capstan_release *r, bool hide_secrets)
{
    strbuf sb = STRBUF_INIT;
    for (size_t i = 0; i < r->n_manifests; i++) {
        const capstan_manifest *m = &r->manifests[i];
        if (hide_secrets && m->kind && strcmp(m->kind, "Secret") == 0 && m->api_version &&
            strcmp(m->api_version, "v1") == 0)
            sb_addf(&sb, "---\n# Source: %s\n# HIDDEN: The Secret output has been suppressed\n", m->source);
        else
            manifest_write(&sb, m->source, m->content, m->len);
    }
    char *out = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return out;
}

cval *release_new_record(arena *a, const char *name, const char *ns, long version, const char *status,
                         const char *description, const char *first_deployed, const char *now,
                         const capstan_release *r, cval *hooks)
{
    chart *c = NULL;
    cval *config = NULL;
    render_release_parts(r, &c, &config);
    cval *rel = cv_map_new(a), *info = cv_map_new(a);
    cv_map_set(rel, "name", s(a, name));
    cv_map_set(info, "first_deployed", s(a, first_deployed ? first_deployed : now));
    cv_map_set(info, "last_deployed", s(a, now));
    set_nonempty(a, info, "description", description);
    cv_map_set(info, "status", s(a, status));
    set_nonempty(a, info, "notes", r->notes);
    cv_map_set(rel, "info", info);
    if (c)
        cv_map_set(rel, "chart", release_chart_json(a, c, now));
    if (config && config->kind == CV_MAP && cv_map_len(config))
        cv_map_set(rel, "config", config);
    const char *man = release_manifest_text(a, r, false);
    if (*man)
        cv_map_set(rel, "manifest", s(a, man));
    if (hooks && cv_list_len(hooks))
        cv_map_set(rel, "hooks", hooks);
    cv_map_set(rel, "version", cv_int(a, version));
    cv_map_set(rel, "namespace", s(a, ns));
    cv_map_set(rel, "apply_method", s(a, "ssa"));
    return rel;
}

int release_manifest_objects(arena *a, const char *manifest, const char ***sources, cval ***objs, size_t *n,
                             cap_err *err)
{
    const char **docs;
    size_t *lens;
    size_t nd = manifest_split(a, manifest ? manifest : "", manifest ? strlen(manifest) : 0, &docs, &lens);
    *sources = arena_zalloc(a, (nd + 1) * sizeof **sources);
    *objs = arena_zalloc(a, (nd + 1) * sizeof **objs);
    size_t k = 0;
    for (size_t i = 0; i < nd; i++) {
        const char *src = "manifest";
        if (lens[i] > 10 && strncmp(docs[i], "# Source: ", 10) == 0) {
            size_t l = strcspn(docs[i] + 10, "\n");
            src = arena_strndup(a, docs[i] + 10, l);
        }
        cval *o;
        if (yaml_parse(a, docs[i], lens[i], src, &o, err) < 0)
            return -1;
        if (o->kind != CV_MAP)
            continue;
        (*sources)[k] = src;
        (*objs)[k] = o;
        k++;
    }
    *n = k;
    return 0;
}
