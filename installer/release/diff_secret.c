/* diff_secret.c — Secret values masked (or decoded) before the diff, as
 * helm-diff's redactSecrets and decodeSecrets do it: the Secret read as a
 * v1.Secret (data base64-decoded, stringData merged over it), its values
 * replaced, and the object written again as Kubernetes' YAML serializer writes
 * it (sorted keys), "stringData" renamed "data" and the empty
 * "creationTimestamp: null" dropped; the "# Source:" line is kept. */
#include "core/base64.h"
#include "installer/release/diff.h"
#include "core/yaml.h"

#include <string.h>

typedef struct secret {
    cval *obj;     /* the object to write: known fields only */
    cval *data;    /* key -> CV_BYTES, decoded, stringData merged in */
    const char *err;
} secret;

static const char *const meta_fields[] = {
    "name", "generateName", "namespace", "selfLink", "uid", "resourceVersion", "generation",
    "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers", "managedFields", NULL,
};

static bool empty(const cval *v)
{
    return !v || v->kind == CV_NIL || (v->kind == CV_STRING && v->u.str.len == 0) ||
           (v->kind == CV_MAP && cv_map_len(v) == 0) || (v->kind == CV_LIST && cv_list_len(v) == 0);
}

/* The Secret as v1.Secret reads it; s->err set (and nothing else) when it does not decode. */
static void read_secret(arena *a, const diff_obj *o, secret *s)
{
    memset(s, 0, sizeof *s);
    cval *v;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse(a, o->content, o->len, "secret", &v, &e) < 0 || !v || v->kind != CV_MAP) {
        s->err = arena_strdup(a, e.msg ? e.msg : "the Secret is not a map");
        cap_err_clear(&e);
        return;
    }
    s->obj = cv_map_new(a);
    s->data = cv_map_new(a);
    static const char *const top[] = {"apiVersion", "kind", "immutable", "type", NULL};
    for (size_t i = 0; top[i]; i++) {
        cval *f = cv_map_get(v, top[i]);
        if (f && (!empty(f) || (f->kind == CV_BOOL && strcmp(top[i], "immutable") == 0)))
            cv_map_set(s->obj, top[i], f);
    }
    cval *meta = cv_map_get(v, "metadata"), *m = cv_map_new(a);
    for (size_t i = 0; meta && meta->kind == CV_MAP && meta_fields[i]; i++) {
        cval *f = cv_map_get(meta, meta_fields[i]);
        if (!empty(f))
            cv_map_set(m, meta_fields[i], f);
    }
    if (!cv_map_get(m, "creationTimestamp"))
        cv_map_set(m, "creationTimestamp", cv_nil()); /* metav1.Time's zero value */
    cv_map_set(s->obj, "metadata", m);
    cval *data = cv_map_get(v, "data"), *sd = cv_map_get(v, "stringData");
    size_t n;
    const cv_entry *en = data && data->kind == CV_MAP ? cv_map_sorted(data, &n) : NULL;
    for (size_t i = 0; en && i < n; i++) {
        strbuf dec = STRBUF_INIT;
        size_t bad = 0;
        const cval *val = en[i].val;
        if (val->kind != CV_STRING && val->kind != CV_NIL) {
            s->err = arena_printf(a, "json: cannot unmarshal %s into Go struct field Secret.data of type []uint8",
                                  cv_kind_name(val->kind));
            return;
        }
        if (val->kind == CV_STRING && base64_decode(&dec, val->u.str.s, val->u.str.len, B64_STD, &bad) < 0) {
            sb_release(&dec);
            s->err = arena_printf(a, "illegal base64 data at input byte %zu", bad);
            return;
        }
        cv_map_set(s->data, en[i].key, cv_bytes(a, sb_str(&dec), dec.len));
        sb_release(&dec);
    }
    en = sd && sd->kind == CV_MAP ? cv_map_sorted(sd, &n) : NULL;
    for (size_t i = 0; en && i < n; i++) {
        const cval *val = en[i].val;
        if (val->kind != CV_STRING) {
            s->err = arena_printf(a, "json: cannot unmarshal %s into Go struct field Secret.stringData of type string",
                                  cv_kind_name(val->kind));
            return;
        }
        cv_map_set(s->data, en[i].key, cv_bytes(a, val->u.str.s, val->u.str.len));
    }
}

static bool same_bytes(const cval *x, const cval *other_data, const char *key)
{
    const cval *y = other_data ? cv_map_get(other_data, key) : NULL;
    size_t ylen = y ? y->u.str.len : 0; /* a missing key compares as empty, as Go's nil slice */
    return x->u.str.len == ylen && (ylen == 0 || memcmp(x->u.str.s, y->u.str.s, ylen) == 0);
}

/* Go's first-occurrence strings.Replace(s, from, to, 1), in place on a strbuf. */
static void replace_first(strbuf *sb, const char *from, const char *to)
{
    char *hit = strstr(sb->buf ? sb->buf : "", from);
    if (!hit)
        return;
    size_t at = (size_t)(hit - sb->buf), fl = strlen(from), tl = strlen(to);
    strbuf r = STRBUF_INIT;
    sb_add(&r, sb->buf, at);
    sb_add(&r, to, tl);
    sb_adds(&r, sb->buf + at + fl);
    sb_release(sb);
    *sb = r;
}

static void rewrite(arena *a, diff_obj *o, secret *s, const secret *other, bool other_present, bool decode,
                    const char *mark, const char *side)
{
    if (s->err) {
        o->content = arena_printf(a, "Error parsing %s secret: %s", side, s->err);
        o->len = strlen(o->content);
        return;
    }
    size_t n;
    const cv_entry *en = cv_map_sorted(s->data, &n);
    cval *sd = cv_map_new(a);
    for (size_t i = 0; i < n; i++) {
        const cval *v = en[i].val;
        cval *shown;
        if (decode)
            shown = cv_string(a, v->u.str.s, v->u.str.len);
        else if (other_present && same_bytes(v, other->err ? NULL : other->data, en[i].key))
            shown = cv_cstring(a, arena_printf(a, "REDACTED # (%zu bytes)", v->u.str.len));
        else
            shown = cv_cstring(a, arena_printf(a, "%s # (%zu bytes)", mark, v->u.str.len));
        cv_map_set(sd, en[i].key, shown);
    }
    if (n)
        cv_map_set(s->obj, "stringData", sd);
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (yaml_emit(&sb, s->obj, &e) < 0) {
        o->content = arena_printf(a, "Error encoding %s secret: %s", side, e.msg);
        o->len = strlen(o->content);
        cap_err_clear(&e);
        sb_release(&sb);
        return;
    }
    if (!decode)
        replace_first(&sb, "stringData", "data");
    replace_first(&sb, "  creationTimestamp: null\n", "");
    /* the "# Source:" comment line stays */
    const char *nl = memchr(o->content, '\n', o->len);
    size_t keep = o->len && o->content[0] == '#' && nl ? (size_t)(nl - o->content) + 1 : 0;
    char *c = arena_alloc(a, keep + sb.len + 1);
    memcpy(c, o->content, keep);
    memcpy(c + keep, sb_str(&sb), sb.len + 1);
    o->content = c;
    o->len = keep + sb.len;
    sb_release(&sb);
}

void diff_secrets_mask(arena *a, diff_obj *old, diff_obj *new_, bool decode)
{
    if ((old && strcmp(old->kind, "Secret") != 0) || (new_ && strcmp(new_->kind, "Secret") != 0))
        return;
    secret so = {0}, sn = {0};
    if (old)
        read_secret(a, old, &so);
    if (new_)
        read_secret(a, new_, &sn);
    if (old)
        rewrite(a, old, &so, &sn, new_ != NULL, decode, "--------", "old");
    if (new_)
        rewrite(a, new_, &sn, &so, old != NULL, decode, "++++++++", "new");
}
