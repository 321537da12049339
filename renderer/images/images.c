/* images.c — every image a rendered release can run: pod specs of any shape,
 * the helm.sh/images (HIP-0015) and capstan.dev/images annotations on objects
 * and on Chart.yaml; sorted, deduplicated, as text or JSON. */
#include "renderer/images/images.h"

#include <stdlib.h>
#include <string.h>

#include "core/json.h"
#include "core/yaml.h"

#define WALK_MAX_DEPTH 64

static img_entry *find(img_list *l, const char *name)
{
    for (size_t i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

static bool same_source(const img_source *x, const img_source *y)
{
    const char *xs[] = {x->kind, x->name, x->container, x->field};
    const char *ys[] = {y->kind, y->name, y->container, y->field};
    for (int i = 0; i < 4; i++)
        if ((xs[i] == NULL) != (ys[i] == NULL) || (xs[i] && strcmp(xs[i], ys[i]) != 0))
            return false;
    return true;
}

void img_add(arena *a, img_list *l, const char *text, const img_source *src)
{
    while (*text == ' ' || *text == '\t' || *text == '\n' || *text == '\r')
        text++;
    size_t n = strlen(text);
    while (n && (text[n - 1] == ' ' || text[n - 1] == '\t' || text[n - 1] == '\n' || text[n - 1] == '\r'))
        n--;
    if (n == 0)
        return;
    char *t = arena_strndup(a, text, n);
    img_ref r;
    bool valid = img_ref_parse(a, t, &r) == 0;
    const char *name = valid ? img_ref_full(a, &r) : t;
    img_entry *e = find(l, name);
    if (!e) {
        if (l->n == l->cap) {
            size_t nc = l->cap ? l->cap * 2 : 16;
            l->v = arena_realloc(a, l->v, l->cap * sizeof *l->v, nc * sizeof *l->v);
            l->cap = nc;
        }
        e = &l->v[l->n++];
        memset(e, 0, sizeof *e);
        e->name = name;
        e->valid = valid;
        if (valid)
            e->ref = r;
        else
            e->ref = (img_ref){"", "", "", ""};
    }
    if (!src)
        return;
    for (size_t i = 0; i < e->nsources; i++)
        if (same_source(&e->sources[i], src))
            return;
    if (e->nsources == e->capsources) {
        size_t nc = e->capsources ? e->capsources * 2 : 4;
        e->sources = arena_realloc(a, e->sources, e->capsources * sizeof *e->sources, nc * sizeof *e->sources);
        e->capsources = nc;
    }
    e->sources[e->nsources++] = *src;
}

/* ---- annotations ------------------------------------------------------------------ */

typedef struct refv {
    const char **v;
    size_t n, cap;
} refv;

static void refv_push(arena *a, refv *r, const char *s)
{
    if (r->n + 1 >= r->cap) {
        size_t nc = r->cap ? r->cap * 2 : 8;
        r->v = arena_realloc(a, r->v, r->cap * sizeof *r->v, nc * sizeof *r->v);
        r->cap = nc;
    }
    r->v[r->n++] = s;
    r->v[r->n] = NULL;
}

static void split_words(arena *a, refv *r, const char *s)
{
    const char *p = s;
    while (*p) {
        size_t k = strcspn(p, ", \t\r\n");
        if (k)
            refv_push(a, r, arena_strndup(a, p, k));
        p += k;
        if (*p)
            p++;
    }
}

const char **img_annotation_refs(arena *a, const char *value, const char ***deps)
{
    refv r = {0}, d = {0};
    refv_push(a, &r, NULL);
    refv_push(a, &d, NULL);
    r.n = d.n = 0;
    if (deps)
        *deps = d.v;
    cval *v = NULL;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse(a, value, strlen(value), NULL, &v, &e) != 0 || !cv_is(v, CV_LIST)) {
        cap_err_clear(&e);
        split_words(a, &r, value); /* "a,b,c" or one reference a line */
        for (size_t i = 0; i < r.n; i++)
            refv_push(a, &d, NULL);
        if (deps)
            *deps = d.v;
        return r.v;
    }
    size_t n = cv_list_len(v);
    for (size_t i = 0; i < n; i++) {
        cval *it = cv_list_get(v, i), *dep = NULL;
        if (cv_is(it, CV_MAP)) { /* HIP-0015: {name, image, dependency?} (and any other keys) */
            dep = cv_map_get(it, "dependency");
            it = cv_map_get(it, "image");
        }
        if (cv_is(it, CV_STRING)) {
            refv_push(a, &r, it->u.str.s);
            refv_push(a, &d, cv_is(dep, CV_STRING) && *dep->u.str.s ? dep->u.str.s : NULL);
        }
    }
    if (deps)
        *deps = d.v;
    return r.v;
}

/* HIP-0015's `dependency`: an image of a subchart that is not part of the release (disabled by
 * its condition or tags, which leaves it out of the processed chart) is not run */
static bool dep_disabled(const chart *c, const char *dep)
{
    if (!c || !dep)
        return false;
    for (size_t i = 0; i < c->ndeps; i++)
        if (strcmp(chart_name(c->deps[i]), dep) == 0)
            return false;
    return true;
}

static void from_annotations(arena *a, img_list *l, const cval *ann, const char *kind, const char *name,
                             const chart *c)
{
    static const char *const keys[] = {IMG_ANNOTATION_HELM, IMG_ANNOTATION_CAPSTAN};
    for (int k = 0; k < 2; k++) {
        cval *v = cv_is(ann, CV_MAP) ? cv_map_get(ann, keys[k]) : NULL;
        if (!cv_is(v, CV_STRING))
            continue;
        img_source src = {kind, name, NULL, keys[k]};
        const char **deps;
        const char **r = img_annotation_refs(a, v->u.str.s, &deps);
        for (size_t i = 0; r[i]; i++)
            if (!dep_disabled(c, deps[i]))
                img_add(a, l, r[i], &src);
    }
}

/* ---- pod specs -------------------------------------------------------------------- */

static const char *const container_fields[] = {"initContainers", "containers", "ephemeralContainers"};

static void walk(arena *a, img_list *l, const cval *v, const char *kind, const char *name, int depth)
{
    if (depth > WALK_MAX_DEPTH)
        return;
    if (cv_is(v, CV_LIST)) {
        size_t n = cv_list_len(v);
        for (size_t i = 0; i < n; i++)
            walk(a, l, cv_list_get(v, i), kind, name, depth + 1);
        return;
    }
    if (!cv_is(v, CV_MAP))
        return;
    for (int f = 0; f < 3; f++) {
        cval *cs = cv_map_get(v, container_fields[f]);
        if (!cv_is(cs, CV_LIST))
            continue;
        size_t n = cv_list_len(cs);
        for (size_t i = 0; i < n; i++) {
            cval *c = cv_list_get(cs, i);
            cval *img = cv_is(c, CV_MAP) ? cv_map_get(c, "image") : NULL;
            if (!cv_is(img, CV_STRING))
                continue;
            cval *cn = cv_map_get(c, "name");
            img_source src = {kind, name, cv_is(cn, CV_STRING) ? cn->u.str.s : NULL, container_fields[f]};
            img_add(a, l, img->u.str.s, &src);
        }
    }
    cval *md = cv_map_get(v, "metadata");
    if (cv_is(md, CV_MAP)) {
        cval *mn = cv_map_get(md, "name");
        from_annotations(a, l, cv_map_get(md, "annotations"), kind,
                         depth == 0 || !cv_is(mn, CV_STRING) ? name : mn->u.str.s, NULL);
    }
    size_t n;
    const cv_entry *e = cv_map_sorted(v, &n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(e[i].key, "metadata") != 0)
            walk(a, l, e[i].val, kind, name, depth + 1);
}

void img_from_doc(arena *a, img_list *l, const cval *doc, const char *kind, const char *name)
{
    walk(a, l, doc, kind && *kind ? kind : "", name ? name : "", 0);
}

void img_from_chart(arena *a, img_list *l, const chart *c)
{
    if (!c)
        return;
    if (c->meta)
        from_annotations(a, l, c->meta->annotations, "Chart", chart_name(c), c);
    for (size_t i = 0; i < c->ndeps; i++)
        img_from_chart(a, l, c->deps[i]);
}

/* ---- output ----------------------------------------------------------------------- */

static int cmp_entry(const void *x, const void *y)
{
    return strcmp(((const img_entry *)x)->name, ((const img_entry *)y)->name);
}

void img_sort(img_list *l)
{
    if (l->n > 1)
        qsort(l->v, l->n, sizeof *l->v, cmp_entry);
}

void img_write_text(strbuf *out, const img_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        sb_adds(out, l->v[i].name);
        sb_addc(out, '\n');
    }
}

static void field(strbuf *out, const char *key, const char *val, bool comma)
{
    if (comma)
        sb_addc(out, ',');
    json_emit_string(out, key, strlen(key), JSON_RAW);
    sb_addc(out, ':');
    json_emit_string(out, val ? val : "", val ? strlen(val) : 0, JSON_RAW);
}

void img_write_json(strbuf *out, const img_list *l)
{
    sb_adds(out, "[");
    for (size_t i = 0; i < l->n; i++) {
        const img_entry *e = &l->v[i];
        sb_adds(out, i ? ",\n  {" : "\n  {");
        field(out, "name", e->name, false);
        field(out, "registry", e->ref.registry, true);
        field(out, "repository", e->ref.repository, true);
        field(out, "tag", e->ref.tag, true);
        field(out, "digest", *e->ref.digest ? e->ref.digest : e->known_digest, true);
        sb_adds(out, ",\"sources\":[");
        for (size_t k = 0; k < e->nsources; k++) {
            const img_source *s = &e->sources[k];
            sb_adds(out, k ? ",{" : "{");
            field(out, "kind", s->kind, false);
            field(out, "name", s->name, true);
            if (s->container)
                field(out, "container", s->container, true);
            field(out, "field", s->field, true);
            sb_addc(out, '}');
        }
        sb_adds(out, "]}");
    }
    sb_adds(out, l->n ? "\n]\n" : "]\n");
}
