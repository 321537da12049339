/* image_rewrite.c — `--registry HOST[:PORT]`: every image reference of a
 * rendered document re-homed to HOST, at render time, so that no admission
 * webhook is needed.
 *
 * The references to rewrite are the ones the document runs or declares (pod
 * specs, helm.sh/images, capstan.dev/images). Each is replaced wherever it
 * stands as a whole token (a maximal run of reference characters) in any
 * string of the document, so copies inside configuration (JCasC agent pod
 * templates in a ConfigMap) follow. A bare name such as "nginx" is replaced
 * only as a container's image or after an `image:` key, never as some
 * other field that happens to have the same text.
 *
 * The same replacement runs on the parsed document and on its text; when
 * the text, parsed again, equals the rewritten document, the text is kept
 * (layout and comments intact), otherwise the document is emitted anew. */
#include "renderer/images/images.h"

#include <string.h>

#include "core/yaml.h"

typedef struct pair {
    const char *old, *new_;
    size_t oldlen;
    bool bare;
} pair;

typedef struct pairs {
    pair *v;
    size_t n, cap;
} pairs;

static void add_pair(arena *a, pairs *p, const char *old, const char *registry)
{
    const char *nw = img_ref_rewrite(a, old, registry);
    if (!nw || strcmp(nw, old) == 0)
        return;
    for (size_t i = 0; i < p->n; i++)
        if (strcmp(p->v[i].old, old) == 0)
            return;
    if (p->n == p->cap) {
        size_t nc = p->cap ? p->cap * 2 : 8;
        p->v = arena_realloc(a, p->v, p->cap * sizeof *p->v, nc * sizeof *p->v);
        p->cap = nc;
    }
    p->v[p->n++] = (pair){arena_strdup(a, old), nw, strlen(old), strcspn(old, "/:@") == strlen(old)};
}

static bool refchar(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '_' ||
           c == '-' || c == '/' || c == ':' || c == '@';
}

/* `image:`, `image: "`, `"image": "` just before position i */
static bool after_image_key(const char *s, size_t i)
{
    size_t k = i;
    if (k && (s[k - 1] == '"' || s[k - 1] == '\''))
        k--;
    while (k && (s[k - 1] == ' ' || s[k - 1] == '\t'))
        k--;
    if (!k || s[k - 1] != ':')
        return false;
    k--;
    if (k && s[k - 1] == '"')
        k--;
    if (k < 5 || memcmp(s + k - 5, "image", 5) != 0)
        return false;
    k -= 5;
    return k == 0 || !(refchar(s[k - 1]) && s[k - 1] != '/' && s[k - 1] != ':' && s[k - 1] != '@');
}

/* s with every token equal to an old reference replaced; NULL when nothing changed. */
static char *replace_tokens(arena *a, const char *s, size_t n, const pairs *p, bool bare_anywhere, size_t *outlen)
{
    strbuf sb = STRBUF_INIT;
    size_t done = 0;
    bool changed = false;
    for (size_t i = 0; i < n;) {
        if (!refchar(s[i])) {
            i++;
            continue;
        }
        size_t j = i;
        while (j < n && refchar(s[j]))
            j++;
        for (size_t k = 0; k < p->n; k++) {
            const pair *q = &p->v[k];
            if (q->oldlen != j - i || memcmp(s + i, q->old, q->oldlen) != 0)
                continue;
            if (q->bare && !bare_anywhere && !after_image_key(s, i))
                break;
            sb_add(&sb, s + done, i - done);
            sb_adds(&sb, q->new_);
            done = j;
            changed = true;
            break;
        }
        i = j;
    }
    if (!changed) {
        sb_release(&sb);
        return NULL;
    }
    sb_add(&sb, s + done, n - done);
    *outlen = sb.len;
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static const char *const container_fields[] = {"initContainers", "containers", "ephemeralContainers"};
static const char *const annotation_keys[] = {IMG_ANNOTATION_HELM, IMG_ANNOTATION_CAPSTAN};

/* fn on each container's image and each image annotation of one map (not below it). */
static void image_strings(const cval *v, void (*fn)(arena *, cval *, bool, void *), arena *a, void *ctx)
{
    for (int f = 0; f < 3; f++) {
        cval *cs = cv_map_get(v, container_fields[f]);
        for (size_t i = 0; cv_is(cs, CV_LIST) && i < cv_list_len(cs); i++) {
            cval *c = cv_list_get(cs, i);
            cval *img = cv_is(c, CV_MAP) ? cv_map_get(c, "image") : NULL;
            if (cv_is(img, CV_STRING))
                fn(a, img, false, ctx);
        }
    }
    cval *md = cv_map_get(v, "metadata");
    cval *ann = cv_is(md, CV_MAP) ? cv_map_get(md, "annotations") : NULL;
    for (int k = 0; k < 2 && cv_is(ann, CV_MAP); k++) {
        cval *s = cv_map_get(ann, annotation_keys[k]);
        if (cv_is(s, CV_STRING))
            fn(a, s, true, ctx);
    }
}

typedef struct collect_ctx {
    pairs *p;
    const char *registry;
} collect_ctx;

static void collect_one(arena *a, cval *s, bool annotation, void *ctx)
{
    collect_ctx *c = ctx;
    if (!annotation) {
        add_pair(a, c->p, s->u.str.s, c->registry);
        return;
    }
    for (const char **r = img_annotation_refs(a, s->u.str.s, NULL); *r; r++)
        add_pair(a, c->p, *r, c->registry);
}

/* The references the document runs or declares. */
static void collect(arena *a, const cval *v, collect_ctx *c, int depth)
{
    if (depth > 64)
        return;
    if (cv_is(v, CV_LIST)) {
        for (size_t i = 0; i < cv_list_len(v); i++)
            collect(a, cv_list_get(v, i), c, depth + 1);
        return;
    }
    if (!cv_is(v, CV_MAP))
        return;
    image_strings(v, collect_one, a, c);
    size_t n;
    const cv_entry *e = cv_map_sorted(v, &n);
    for (size_t i = 0; i < n; i++)
        collect(a, e[i].val, c, depth + 1);
}

static void rewrite_string(arena *a, cval *v, const pairs *p, bool bare_anywhere)
{
    size_t nl;
    char *r = replace_tokens(a, v->u.str.s, v->u.str.len, p, bare_anywhere, &nl);
    if (r) {
        v->u.str.s = r;
        v->u.str.len = nl;
    }
}

/* a container's image, or "nginx,redis" in an annotation: bare names are images there */
static void apply_one(arena *a, cval *s, bool annotation, void *ctx)
{
    (void)annotation;
    rewrite_string(a, s, ctx, true);
}

/* Every string of the document, rewritten in place. */
static void apply(arena *a, cval *v, const pairs *p, int depth)
{
    if (depth > 64)
        return;
    if (cv_is(v, CV_STRING)) {
        rewrite_string(a, v, p, false);
        return;
    }
    if (cv_is(v, CV_LIST)) {
        for (size_t i = 0; i < cv_list_len(v); i++)
            apply(a, cv_list_get(v, i), p, depth + 1);
        return;
    }
    if (!cv_is(v, CV_MAP))
        return;
    image_strings(v, apply_one, a, (void *)p);
    size_t n;
    const cv_entry *e = cv_map_sorted(v, &n);
    for (size_t i = 0; i < n; i++)
        apply(a, e[i].val, p, depth + 1);
}

int img_rewrite_doc(arena *a, cval *doc, const char **text, size_t *len, const char *registry, cap_err *err)
{
    pairs p = {0};
    collect_ctx cc = {&p, registry};
    collect(a, doc, &cc, 0);
    if (p.n == 0)
        return 0;
    apply(a, doc, &p, 0);
    size_t nl = 0;
    char *nt = replace_tokens(a, *text, *len, &p, false, &nl);
    if (nt) {
        cval *again = NULL;
        cap_err e = CAP_ERR_INIT;
        if (yaml_parse(a, nt, nl, NULL, &again, &e) == 0 && cv_deep_equal(again, doc)) {
            *text = nt;
            *len = nl;
            return 0;
        }
        cap_err_clear(&e);
    }
    strbuf sb = STRBUF_INIT;
    if (yaml_emit(&sb, doc, err) != 0) {
        sb_release(&sb);
        return -1;
    }
    size_t n = sb.len;
    while (n && sb_str(&sb)[n - 1] == '\n')
        n--;
    *text = arena_strndup(a, sb_str(&sb), n);
    *len = n;
    sb_release(&sb);
    return 0;
}
