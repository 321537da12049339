/* value.c — the value model; see value.h for the ownership rule. */
#include "core/value.h"
#include "core/strbuf.h"
#include "core/strhash.h"
#include "core/xalloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdlib.h>
#include <limits.h>
#include <string.h>

/* gen: the arena generation a list or map was made in (see arena.h's marks):
 * storing into it tells the arena, which then keeps younger marks' memory. */
struct cv_list {
    arena *a;
    unsigned gen;
    size_t len, cap;
    cval **items;
};

/* A map keeps its entries in one array. `sorted` says whether the array is in
 * key order; lookups use a hash index over the array once the map is large. */
struct cv_map {
    arena *a;
    unsigned gen;
    size_t len, cap;
    cv_entry *entries;
    bool sorted;
    uint32_t *index;    /* open addressing: entry position + 1, 0 = empty */
    size_t index_cap;   /* power of two, or 0 when there is no index */
};

#define MAP_INDEX_MIN 16  /* below this many entries a linear scan is faster */

static cval v_novalue = { .kind = CV_INVALID };
static cval v_nil = { .kind = CV_NIL };
static cval v_true = { .kind = CV_BOOL, .u.b = true };
static cval v_false = { .kind = CV_BOOL, .u.b = false };

cval *cv_novalue(void) { return &v_novalue; }
cval *cv_nil(void) { return &v_nil; }
cval *cv_true(void) { return &v_true; }
cval *cv_false(void) { return &v_false; }
cval *cv_bool(bool b) { return b ? &v_true : &v_false; }

static cval *new_val(arena *a, cv_kind k, const char *gotype)
{
    cval *v = arena_alloc(a, sizeof *v);
    v->kind = k;
    v->gotype = gotype;
    return v;
}

cval *cv_int(arena *a, int64_t i)
{
    cval *v = new_val(a, CV_INT, NULL);
    v->u.i = i;
    return v;
}

cval *cv_goint(arena *a, int64_t i)
{
    return cv_int_typed(a, i, "int");
}

cval *cv_int_typed(arena *a, int64_t i, const char *gotype)
{
    cval *v = new_val(a, CV_INT, gotype);
    v->u.i = i;
    return v;
}

cval *cv_uint(arena *a, uint64_t u, const char *gotype)
{
    cval *v = new_val(a, CV_UINT, gotype);
    v->u.u = u;
    return v;
}

cval *cv_float(arena *a, double f)
{
    cval *v = new_val(a, CV_FLOAT, NULL);
    v->u.f = f;
    return v;
}

cval *cv_string(arena *a, const char *s, size_t len)
{
    cval *v = new_val(a, CV_STRING, NULL);
    v->u.str.s = arena_strndup(a, s ? s : "", s ? len : 0);
    v->u.str.len = s ? len : 0;
    return v;
}

cval *cv_cstring(arena *a, const char *s)
{
    return cv_string(a, s, s ? strlen(s) : 0);
}

cval *cv_string_ref(arena *a, const char *s, size_t len)
{
    cval *v = new_val(a, CV_STRING, NULL);
    v->u.str.s = s;
    v->u.str.len = len;
    return v;
}

cval *cv_bytes(arena *a, const void *p, size_t len)
{
    cval *v = new_val(a, CV_BYTES, NULL);
    v->u.str.s = arena_strndup(a, p ? p : "", p ? len : 0);
    v->u.str.len = p ? len : 0;
    return v;
}

cval *cv_bytes_ref(arena *a, const char *p, size_t len)
{
    cval *v = new_val(a, CV_BYTES, NULL);
    v->u.str.s = p;
    v->u.str.len = len;
    return v;
}

cval *cv_object(arena *a, const cv_class *cls, void *self)
{
    cval *v = new_val(a, CV_OBJECT, cls->gotype);
    v->u.obj.cls = cls;
    v->u.obj.self = self;
    return v;
}

cval *cv_call_fail(cv_call *c, const char *fmt, ...)
{
    va_list ap;
    strbuf sb = STRBUF_INIT;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    c->errmsg = arena_strndup(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return NULL;
}

/* A nil map or slice is told apart by the identity of its type name. */
static const char nil_map_type[] = "map[string]interface {}";
static const char nil_list_type[] = "[]interface {}";
static const char nil_string_map_type[] = "map[string]string";

cval *cv_nil_map(arena *a)
{
    cval *m = cv_map_new(a);
    m->gotype = nil_map_type;
    return m;
}

cval *cv_nil_string_map(arena *a)
{
    cval *m = cv_map_new(a);
    m->gotype = nil_string_map_type;
    return m;
}

cval *cv_nil_list(arena *a)
{
    cval *l = cv_list_new(a, 0);
    l->gotype = nil_list_type;
    return l;
}

bool cv_is_nil_collection(const cval *v)
{
    return v && ((v->kind == CV_MAP && (v->gotype == nil_map_type || v->gotype == nil_string_map_type) &&
                  cv_map_len(v) == 0) ||
                 (v->kind == CV_LIST && v->gotype == nil_list_type && cv_list_len(v) == 0));
}

/* ---- lists ---- */

cval *cv_list_new(arena *a, size_t cap)
{
    cval *v = new_val(a, CV_LIST, NULL);
    cv_list *l = arena_alloc(a, sizeof *l);
    l->a = a;
    l->gen = arena_gen(a);
    l->len = 0;
    l->cap = cap;
    l->items = cap ? arena_alloc(a, cap * sizeof(cval *)) : NULL;
    v->u.list = l;
    return v;
}

size_t cv_list_len(const cval *list) { return list->u.list->len; }
cval *cv_list_get(const cval *list, size_t i) { return list->u.list->items[i]; }
void cv_list_set(cval *list, size_t i, cval *v)
{
    arena_note_write(list->u.list->a, list->u.list->gen);
    list->u.list->items[i] = v;
}
cval **cv_list_items(const cval *list) { return list->u.list->items; }

void cv_list_push(cval *list, cval *v)
{
    cv_list *l = list->u.list;
    arena_note_write(l->a, l->gen);
    if (l->len == l->cap) {
        size_t ncap = l->cap ? l->cap * 2 : 4;
        l->items = arena_realloc(l->a, l->items, l->cap * sizeof(cval *), ncap * sizeof(cval *));
        l->cap = ncap;
    }
    l->items[l->len++] = v;
}

/* ---- maps ---- */

cval *cv_map_new(arena *a)
{
    cval *v = new_val(a, CV_MAP, NULL);
    cv_map *m = arena_zalloc(a, sizeof *m);
    m->a = a;
    m->gen = arena_gen(a);
    m->sorted = true;
    v->u.map = m;
    return v;
}

void cv_map_reserve(cval *map, size_t n)
{
    cv_map *m = map->u.map;
    if (n <= m->cap)
        return;
    arena_note_write(m->a, m->gen);
    m->entries = arena_realloc(m->a, m->entries, m->cap * sizeof(cv_entry), n * sizeof(cv_entry));
    m->cap = n;
}

size_t cv_map_len(const cval *map) { return map->u.map->len; }

static void index_insert(cv_map *m, size_t pos)
{
    size_t mask = m->index_cap - 1;
    size_t h = strhash(m->entries[pos].key, m->entries[pos].keylen) & mask;
    while (m->index[h])
        h = (h + 1) & mask;
    m->index[h] = (uint32_t)(pos + 1);
}

static void index_rebuild(cv_map *m)
{
    if (m->len < MAP_INDEX_MIN) {
        m->index = NULL;
        m->index_cap = 0;
        return;
    }
    size_t cap = 32;
    while (cap < m->len * 2)
        cap *= 2;
    m->index = arena_zalloc(m->a, cap * sizeof(uint32_t));
    m->index_cap = cap;
    for (size_t i = 0; i < m->len; i++)
        index_insert(m, i);
}

static long find(const cv_map *m, const char *key, size_t n)
{
    if (m->index) {
        size_t mask = m->index_cap - 1;
        size_t h = strhash(key, n) & mask;
        while (m->index[h]) {
            const cv_entry *e = &m->entries[m->index[h] - 1];
            if (e->keylen == n && memcmp(e->key, key, n) == 0)
                return (long)m->index[h] - 1;
            h = (h + 1) & mask;
        }
        return -1;
    }
    for (size_t i = 0; i < m->len; i++)
        if (m->entries[i].keylen == n && memcmp(m->entries[i].key, key, n) == 0)
            return (long)i;
    return -1;
}

cval *cv_map_getn(const cval *map, const char *key, size_t keylen)
{
    long i = find(map->u.map, key, keylen);
    return i < 0 ? NULL : map->u.map->entries[i].val;
}

cval *cv_map_get(const cval *map, const char *key)
{
    return cv_map_getn(map, key, strlen(key));
}

bool cv_map_has(const cval *map, const char *key)
{
    return find(map->u.map, key, strlen(key)) >= 0;
}

void cv_map_setn(cval *map, const char *key, size_t keylen, cval *v)
{
    cv_map *m = map->u.map;
    arena_note_write(m->a, m->gen);
    long i = find(m, key, keylen);
    if (i >= 0) {
        m->entries[i].val = v;
        return;
    }
    if (m->len == m->cap) {
        size_t ncap = m->cap ? m->cap * 2 : 8;
        m->entries = arena_realloc(m->a, m->entries, m->cap * sizeof(cv_entry), ncap * sizeof(cv_entry));
        m->cap = ncap;
    }
    cv_entry *e = &m->entries[m->len++];
    e->key = arena_strndup(m->a, key, keylen);
    e->keylen = keylen;
    e->val = v;
    if (m->len > 1) {
        const cv_entry *prev = e - 1;
        size_t n = prev->keylen < keylen ? prev->keylen : keylen;
        int c = memcmp(prev->key, key, n);
        if (c > 0 || (c == 0 && prev->keylen > keylen))
            m->sorted = false;
    }
    if (m->index && m->len * 2 <= m->index_cap)
        index_insert(m, m->len - 1);
    else if (m->len >= MAP_INDEX_MIN)
        index_rebuild(m);
}

void cv_map_set(cval *map, const char *key, cval *v)
{
    cv_map_setn(map, key, strlen(key), v);
}

bool cv_map_delete(cval *map, const char *key)
{
    cv_map *m = map->u.map;
    long i = find(m, key, strlen(key));
    if (i < 0)
        return false;
    arena_note_write(m->a, m->gen);
    memmove(&m->entries[i], &m->entries[i + 1], (m->len - (size_t)i - 1) * sizeof(cv_entry));
    m->len--;
    index_rebuild(m);
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    const cv_entry *x = a, *y = b;
    size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
    int c = memcmp(x->key, y->key, n);
    if (c)
        return c;
    return x->keylen < y->keylen ? -1 : x->keylen > y->keylen;
}

const cv_entry *cv_map_sorted(const cval *map, size_t *n)
{
    cv_map *m = map->u.map;
    if (!m->sorted) {
        qsort(m->entries, m->len, sizeof(cv_entry), cmp_entry);
        m->sorted = true;
        if (m->index) {
            arena_note_write(m->a, m->gen); /* a new index, from the map's arena */
            index_rebuild(m);
        }
    }
    *n = m->len;
    return m->entries;
}

/* ---- queries ---- */

const char *cv_kind_name(cv_kind k)
{
    static const char *names[] = {
        [CV_INVALID] = "invalid", [CV_NIL] = "nil", [CV_BOOL] = "bool", [CV_INT] = "int",
        [CV_UINT] = "uint", [CV_FLOAT] = "float", [CV_STRING] = "string", [CV_BYTES] = "bytes",
        [CV_LIST] = "list", [CV_MAP] = "map", [CV_OBJECT] = "object",
    };
    return (unsigned)k < sizeof names / sizeof *names ? names[k] : "?";
}

const char *cv_gotype(const cval *v)
{
    if (v->gotype)
        return v->gotype;
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL: return "<nil>";
    case CV_BOOL: return "bool";
    case CV_INT: return "int64";
    case CV_UINT: return "uint64";
    case CV_FLOAT: return "float64";
    case CV_STRING: return "string";
    case CV_BYTES: return "[]uint8";
    case CV_LIST: return "[]interface {}";
    case CV_MAP: return "map[string]interface {}";
    case CV_OBJECT: return v->u.obj.cls->gotype;
    }
    return "?";
}

const char *cv_gokind(const cval *v)
{
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL: return "invalid";
    case CV_BOOL: return "bool";
    case CV_INT:
    case CV_UINT:
        /* Named integer types (time.Duration) keep their underlying kind. */
        if (v->gotype && strchr(v->gotype, '.'))
            return v->kind == CV_INT ? "int64" : "uint64";
        return cv_gotype(v);
    case CV_FLOAT: return "float64";
    case CV_STRING: return "string";
    case CV_BYTES:
    case CV_LIST: return "slice";
    case CV_MAP: return "map";
    case CV_OBJECT: return v->u.obj.cls->gokind ? v->u.obj.cls->gokind : "ptr";
    }
    return "invalid";
}

bool cv_truth(const cval *v)
{
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL: return false;
    case CV_BOOL: return v->u.b;
    case CV_INT: return v->u.i != 0;
    case CV_UINT: return v->u.u != 0;
    case CV_FLOAT: return v->u.f != 0;
    case CV_STRING:
    case CV_BYTES: return v->u.str.len != 0;
    case CV_LIST: return v->u.list->len != 0;
    case CV_MAP: return v->u.map->len != 0;
    case CV_OBJECT: return v->u.obj.cls->truth ? v->u.obj.cls->truth(v->u.obj.self) : true;
    }
    return false;
}

bool cv_is_nil(const cval *v)
{
    return !v || v->kind == CV_NIL || v->kind == CV_INVALID;
}

cval *cv_object_elements(arena *a, void *env, const cval *v)
{
    if (v->kind != CV_OBJECT || !v->u.obj.cls->methods)
        return NULL;
    for (const cv_fnreg *m = v->u.obj.cls->methods; m->name; m++) {
        if (strcmp(m->name, "__map") != 0 && strcmp(m->name, "__list") != 0)
            continue;
        cv_call c = {.a = a, .env = env, .self = v->u.obj.self, .name = m->name};
        return m->fn(&c, 0, NULL);
    }
    return NULL;
}

/* ---- pointer sets: the cycle checks of deep copy and deep equality ---- */

/* Keys are pairs of pointers (the second NULL for a single pointer); each key
 * has a mark. Open addressing; keys are never removed. */
typedef struct ptrset {
    const void **keys; /* 2 per slot; slot empty when both are NULL */
    unsigned char *mark;
    size_t cap, len;
} ptrset;

static size_t ptrset_hash(const void *p, const void *q)
{
    uint64_t h = (uint64_t)(uintptr_t)p * 0x9E3779B97F4A7C15ULL ^ (uint64_t)(uintptr_t)q * 0xC2B2AE3D27D4EB4FULL;
    return (size_t)(h ^ (h >> 31));
}

static void ptrset_grow(ptrset *s);

/* The slot of (p, q), added unmarked when absent (then *added). Adding may
 * move every slot: use the index before the next call. */
static size_t ptrset_slot(ptrset *s, const void *p, const void *q, bool *added)
{
    *added = false;
    if (s->cap) {
        size_t i = ptrset_hash(p, q) & (s->cap - 1);
        while (s->keys[2 * i]) {
            if (s->keys[2 * i] == p && s->keys[2 * i + 1] == q)
                return i;
            i = (i + 1) & (s->cap - 1);
        }
        if ((s->len + 1) * 2 <= s->cap) {
            s->keys[2 * i] = p;
            s->keys[2 * i + 1] = q;
            s->len++;
            *added = true;
            return i;
        }
    }
    ptrset_grow(s);
    return ptrset_slot(s, p, q, added);
}

/* Twice the slots (16 at first), every key and mark moved over. */
static void ptrset_grow(ptrset *s)
{
    ptrset g = {xcalloc(s->cap ? s->cap * 4 : 32, sizeof *g.keys), NULL, s->cap ? s->cap * 2 : 16, 0};
    g.mark = xcalloc(g.cap, 1);
    for (size_t i = 0; i < s->cap; i++) {
        if (!s->keys[2 * i])
            continue;
        bool ignored;
        size_t slot = ptrset_slot(&g, s->keys[2 * i], s->keys[2 * i + 1], &ignored);
        g.mark[slot] = s->mark[i];
    }
    free(s->keys);
    free(s->mark);
    *s = g;
}

static void ptrset_free(ptrset *s)
{
    free(s->keys);
    free(s->mark);
}

/* What a map or a list is, whichever cval holds it (`set` returns a new cval
 * for the same map). */
static const void *identity(const cval *v)
{
    return v->kind == CV_MAP ? (const void *)v->u.map : (const void *)v->u.list;
}

/* ---- deep copy ---- */

/* onpath: the maps and lists being copied, marked; NULL: no cycle check.
 * NULL when v contains itself. */
static cval *deep_copy(arena *a, const cval *v, ptrset *onpath)
{
    switch (v->kind) {
    case CV_INVALID:
    case CV_NIL:
    case CV_BOOL:
        return (cval *)v; /* static singletons */
    case CV_INT:
    case CV_UINT:
    case CV_FLOAT: {
        cval *c = new_val(a, v->kind, v->gotype);
        c->u = v->u;
        return c;
    }
    case CV_STRING:
    case CV_BYTES: {
        cval *c = cv_string(a, v->u.str.s, v->u.str.len);
        c->kind = v->kind;
        c->gotype = v->gotype;
        return c;
    }
    case CV_LIST:
    case CV_MAP: {
        bool added;
        if (onpath) {
            size_t slot = ptrset_slot(onpath, identity(v), NULL, &added);
            if (onpath->mark[slot])
                return NULL;
            onpath->mark[slot] = 1;
        }
        cval *c;
        if (v->kind == CV_LIST) {
            size_t n = cv_list_len(v);
            c = cv_list_new(a, n);
            for (size_t i = 0; i < n && c; i++) {
                cval *e = deep_copy(a, cv_list_get(v, i), onpath);
                if (e)
                    cv_list_push(c, e);
                else
                    c = NULL;
            }
        } else {
            c = cv_map_new(a);
            const cv_map *m = v->u.map;
            for (size_t i = 0; i < m->len && c; i++) {
                cval *e = deep_copy(a, m->entries[i].val, onpath);
                if (e)
                    cv_map_setn(c, m->entries[i].key, m->entries[i].keylen, e);
                else
                    c = NULL;
            }
        }
        if (onpath) { /* the slot may have moved as the set grew */
            size_t slot = ptrset_slot(onpath, identity(v), NULL, &added);
            onpath->mark[slot] = 0;
        }
        if (c)
            c->gotype = v->gotype;
        return c;
    }
    case CV_OBJECT:
        return cv_object(a, v->u.obj.cls, v->u.obj.self);
    }
    return (cval *)v;
}

cval *cv_deep_copy(arena *a, const cval *v)
{
    return deep_copy(a, v, NULL);
}

/* Maps take their entries in one block with their keys shared, and keep
 * their order and index as they are. */
cval *cv_copy_tree(arena *a, const cval *v)
{
    if (v->kind == CV_LIST) {
        size_t n = cv_list_len(v);
        cval *c = cv_list_new(a, n);
        for (size_t i = 0; i < n; i++)
            cv_list_push(c, cv_copy_tree(a, cv_list_get(v, i)));
        c->gotype = v->gotype;
        return c;
    }
    if (v->kind != CV_MAP)
        return (cval *)v; /* immutable: shared */
    const cv_map *m = v->u.map;
    cval *c = cv_map_new(a);
    cv_map *cm = c->u.map;
    if (m->len) {
        cm->entries = arena_alloc(a, m->len * sizeof *cm->entries);
        cm->cap = cm->len = m->len;
        for (size_t i = 0; i < m->len; i++) {
            cm->entries[i] = m->entries[i];
            cm->entries[i].val = cv_copy_tree(a, m->entries[i].val);
        }
        cm->sorted = m->sorted;
        index_rebuild(cm);
    }
    c->gotype = v->gotype;
    return c;
}

cval *cv_deep_copy_acyclic(arena *a, const cval *v)
{
    ptrset onpath = {0};
    cval *c = deep_copy(a, v, &onpath);
    ptrset_free(&onpath);
    return c;
}

/* ---- deep equality ---- */

/* reflect.DeepEqual's deepValueEqual: a pair of maps or lists met again
 * (visited, in Go) counts as equal, which ends the walk of a cycle. */
static bool deep_equal(const cval *x, const cval *y, ptrset *visited)
{
    if (x == y)
        return true;
    if (x->kind != y->kind) {
        /* DeepEqual treats an invalid value and a nil interface alike. */
        return cv_is_nil(x) && cv_is_nil(y);
    }
    if (strcmp(cv_gotype(x), cv_gotype(y)) != 0)
        return false;
    if (x->kind == CV_LIST || x->kind == CV_MAP) {
        const void *p = identity(x), *q = identity(y);
        if (p == q)
            return true;
        bool added;
        ptrset_slot(visited, p < q ? p : q, p < q ? q : p, &added);
        if (!added)
            return true;
    }
    switch (x->kind) {
    case CV_INVALID:
    case CV_NIL: return true;
    case CV_BOOL: return x->u.b == y->u.b;
    case CV_INT: return x->u.i == y->u.i;
    case CV_UINT: return x->u.u == y->u.u;
    case CV_FLOAT: return x->u.f == y->u.f;
    case CV_STRING:
    case CV_BYTES:
        return x->u.str.len == y->u.str.len && memcmp(x->u.str.s, y->u.str.s, x->u.str.len) == 0;
    case CV_LIST: {
        size_t n = cv_list_len(x);
        if (n != cv_list_len(y))
            return false;
        for (size_t i = 0; i < n; i++)
            if (!deep_equal(cv_list_get(x, i), cv_list_get(y, i), visited))
                return false;
        return true;
    }
    case CV_MAP: {
        const cv_map *m = x->u.map;
        if (m->len != y->u.map->len)
            return false;
        for (size_t i = 0; i < m->len; i++) {
            cval *o = cv_map_getn(y, m->entries[i].key, m->entries[i].keylen);
            if (!o || !deep_equal(m->entries[i].val, o, visited))
                return false;
        }
        return true;
    }
    case CV_OBJECT:
        return x->u.obj.cls == y->u.obj.cls && x->u.obj.self == y->u.obj.self;
    }
    return false;
}

bool cv_deep_equal(const cval *x, const cval *y)
{
    ptrset visited = {0};
    bool r = deep_equal(x, y, &visited);
    ptrset_free(&visited);
    return r;
}

cval *cv_get(const cval *m, const char *key) { return m && m->kind == CV_MAP ? cv_map_get(m, key) : NULL; }

const char *cv_str(const cval *v) { return v && v->kind == CV_STRING ? v->u.str.s : NULL; }

const char *cv_get_str(const cval *m, const char *key) { return cv_str(cv_get(m, key)); }

long cv_num(const cval *v, long dflt)
{
    if (!v)
        return dflt;
    switch (v->kind) {
    case CV_INT:
        return (long)v->u.i;
    case CV_UINT:
        return v->u.u <= (uint64_t)LONG_MAX ? (long)v->u.u : dflt;
    case CV_FLOAT:
        /* JSON numbers arrive as float64: a float only within ±2^53 (exact,
         * and far from long's ends); the cast is undefined beyond, and for NaN */
        return v->u.f >= -9007199254740992.0 && v->u.f <= 9007199254740992.0 ? (long)v->u.f : dflt;
    default:
        return dflt;
    }
}
