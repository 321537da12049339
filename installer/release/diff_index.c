/* diff_index.c — a release manifest split into objects, keyed as helm-diff
 * keys them (manifest/parse.go): documents at "\n---\n", trimmed, each keyed
 * "NAMESPACE, NAME, KIND (GROUP)"; *List kinds expanded into their items;
 * test hooks left out. */
#include "installer/release/diff.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>

static const char *str_of(const cval *m, const char *k)
{
    const cval *v = m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL;
    return v && v->kind == CV_STRING ? v->u.str.s : "";
}

static cval *map_of(const cval *m, const char *k)
{
    cval *v = m && m->kind == CV_MAP ? cv_map_get(m, k) : NULL;
    return v && v->kind == CV_MAP ? v : NULL;
}

/* Go's strings.TrimSpace (ASCII) */
static void trim(const char **s, size_t *n)
{
    while (*n && strchr(" \t\n\v\f\r", (*s)[0]))
        (*s)++, (*n)--;
    while (*n && strchr(" \t\n\v\f\r", (*s)[*n - 1]))
        (*n)--;
}

char *diff_key(arena *a, const char *ns, const char *name, const char *kind, const char *api_version)
{
    const char *slash = strrchr(api_version, '/');
    size_t glen = slash ? (size_t)(slash - api_version) : strlen(api_version);
    return arena_printf(a, "%s, %s, %s (%.*s)", ns, name, kind, (int)glen, api_version);
}

void diff_index_add(arena *a, diff_index *ix, const diff_obj *o)
{
    if ((ix->n & (ix->n - 1)) == 0) /* grow at powers of two */
        ix->objs = arena_realloc(a, ix->objs, ix->n * sizeof *ix->objs, (ix->n ? 2 * ix->n : 8) * sizeof *ix->objs);
    ix->objs[ix->n++] = *o;
}

typedef struct ranked {
    diff_obj o;
    size_t seq;
} ranked;

static int by_key(const void *x, const void *y)
{
    const ranked *p = x, *q = y;
    int c = strcmp(p->o.key, q->o.key);
    return c ? c : p->seq < q->seq ? -1 : p->seq > q->seq;
}

void diff_index_sort(diff_index *ix)
{
    if (ix->n == 0)
        return;
    ranked *r = malloc(ix->n * sizeof *r);
    if (!r)
        abort();
    for (size_t i = 0; i < ix->n; i++)
        r[i] = (ranked){ix->objs[i], i};
    qsort(r, ix->n, sizeof *r, by_key);
    size_t k = 0;
    for (size_t i = 0; i < ix->n; i++)
        if (k == 0 || strcmp(ix->objs[k - 1].key, r[i].o.key) != 0) /* a key seen twice keeps its first */
            ix->objs[k++] = r[i].o;
    ix->n = k;
    free(r);
}

const diff_obj *diff_index_find(const diff_index *ix, const char *key)
{
    size_t lo = 0, hi = ix->n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(ix->objs[mid].key, key);
        if (c == 0)
            return &ix->objs[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

static const char *source_of(arena *a, const char *s, size_t n)
{
    if (n < 10 || memcmp(s, "# Source: ", 10) != 0)
        return NULL;
    const char *nl = memchr(s, '\n', n);
    return arena_strndup(a, s + 10, (nl ? (size_t)(nl - s) : n) - 10);
}

int diff_marshal(arena *a, const cval *obj, const char **out, size_t *len, cap_err *err)
{
    strbuf sb = STRBUF_INIT;
    if (yaml_emit(&sb, obj, err) < 0) {
        sb_release(&sb);
        return -1;
    }
    *out = arena_strndup(a, sb_str(&sb), sb.len);
    *len = sb.len;
    sb_release(&sb);
    return 0;
}

static int parse_doc(arena *a, const char *s, size_t n, const char *ns, bool normalize, bool include_tests,
                     const char *what, diff_index *ix, int depth, cap_err *err)
{
    cval *v;
    const char *src = source_of(a, s, n);
    if (yaml_parse(a, s, n, src ? src : what, &v, err) < 0)
        return -1;
    if (!v || v->kind != CV_MAP)
        return 0;
    const char *apiv = str_of(v, "apiVersion"), *kind = str_of(v, "kind");
    if (!*apiv && !*kind) /* only comments: a template that rendered nothing */
        return 0;
    size_t klen = strlen(kind);
    if (klen >= 4 && strcmp(kind + klen - 4, "List") == 0 && depth < 8) {
        cval *items = cv_map_get(v, "items");
        size_t ni = items && items->kind == CV_LIST ? cv_list_len(items) : 0;
        for (size_t i = 0; i < ni; i++) {
            const char *t;
            size_t tl;
            if (diff_marshal(a, cv_list_get(items, i), &t, &tl, err) < 0 ||
                parse_doc(a, t, tl, ns, normalize, include_tests, what, ix, depth + 1, err) < 0)
                return -1;
        }
        return 0;
    }
    const cval *meta = map_of(v, "metadata"), *ann = map_of(meta, "annotations");
    const char *hook = str_of(ann, "helm.sh/hook");
    if (!include_tests && (strcmp(hook, "test") == 0 || strcmp(hook, "test-success") == 0))
        return 0;
    diff_obj o = {.kind = arena_strdup(a, kind), .content = s, .len = n, .source = src, .api_version = apiv};
    if (normalize && diff_marshal(a, v, &o.content, &o.len, err) < 0)
        return -1;
    o.ns = *str_of(meta, "namespace") ? str_of(meta, "namespace") : ns;
    o.name = str_of(meta, "name");
    const char *base = ann && cv_map_get(ann, "helm-diff/base-name") ? str_of(ann, "helm-diff/base-name") : o.name;
    o.key = diff_key(a, o.ns, base, kind, apiv);
    const char *pol = str_of(ann, "helm.sh/resource-policy");
    o.policy = *pol ? pol : NULL;
    diff_index_add(a, ix, &o);
    return 0;
}

int diff_index_parse(arena *a, const char *manifest, size_t len, const char *ns, bool normalize,
                     bool include_tests, const char *what, diff_index *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    /* helm-diff reads "\n" + manifest and cuts at every "\n---\n" */
    const char *p = manifest, *end = manifest + len;
    bool first = true;
    while (p <= end) {
        const char *cut = NULL;
        if (first && end - p >= 4 && memcmp(p, "---\n", 4) == 0) {
            cut = p;
        } else {
            for (const char *q = p; q + 5 <= end; q++) {
                q = memchr(q, '\n', (size_t)(end - q));
                if (!q || q + 5 > end)
                    break;
                if (memcmp(q, "\n---\n", 5) == 0) {
                    cut = q;
                    break;
                }
            }
        }
        const char *s = p;
        size_t n = (size_t)((cut ? cut : end) - p);
        trim(&s, &n);
        if (n && parse_doc(a, arena_strndup(a, s, n), n, ns, normalize, include_tests, what, out, 0, err) < 0)
            return -1;
        if (!cut)
            break;
        p = cut + (first && cut == p && memcmp(p, "---\n", 4) == 0 ? 4 : 5);
        first = false;
    }
    diff_index_sort(out);
    return 0;
}

typedef struct named {
    const char *name;
    size_t at;
} named;

static int by_name(const void *x, const void *y)
{
    const named *p = x, *q = y;
    int c = strcmp(p->name, q->name);
    return c ? c : p->at < q->at ? -1 : p->at > q->at;
}

void diff_index_by_source(arena *a, diff_index *ix)
{
    /* helm-diff's reIndexForRelease: in key order, each object under the first
     * line of its content with "# Source: " taken out; the second object of
     * one template "PATH 2", the third "PATH 3", ... */
    named *nm = arena_zalloc(a, (ix->n + 1) * sizeof *nm);
    for (size_t i = 0; i < ix->n; i++) {
        diff_obj *o = &ix->objs[i];
        const char *nl = memchr(o->content, '\n', o->len);
        char *first = arena_strndup(a, o->content, nl ? (size_t)(nl - o->content) : o->len);
        char *hit = strstr(first, "# Source: ");
        if (hit)
            memmove(hit, hit + 10, strlen(hit + 10) + 1);
        nm[i] = (named){first, i};
    }
    qsort(nm, ix->n, sizeof *nm, by_name);
    for (size_t i = 0, run = 0; i < ix->n; i++) {
        run = i > 0 && strcmp(nm[i].name, nm[i - 1].name) == 0 ? run + 1 : 1;
        ix->objs[nm[i].at].key = run == 1 ? nm[i].name : arena_printf(a, "%s %zu", nm[i].name, run);
    }
    diff_index_sort(ix);
}
