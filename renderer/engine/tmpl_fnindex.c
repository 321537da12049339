/* tmpl_fnindex.c — the per-render index over the function tables (an
 * open-addressing hash built once per render), by which the executor finds a
 * function by name. */
#include "renderer/engine/tmpl_fnindex.h"
#include "core/arena.h"
#include "core/strhash.h"

#include <stdint.h>
#include <string.h>

typedef struct fn_slot {
    const char *name;
    size_t len;
    const cv_fnreg *fn;
    int builtin;
} fn_slot;

struct fn_index {
    fn_slot *slots;
    size_t cap;
};

static fn_slot *slot(const fn_index *ix, const char *name, size_t len)
{
    size_t mask = ix->cap - 1, h = strhash(name, len) & mask;
    while (ix->slots[h].name && !(ix->slots[h].len == len && memcmp(ix->slots[h].name, name, len) == 0))
        h = (h + 1) & mask;
    return &ix->slots[h];
}

fn_index *fn_index_new(arena *a, const cv_fnreg *const *tables)
{
    size_t n = 0;
    for (size_t t = 0; tables[t]; t++)
        for (const cv_fnreg *r = tables[t]; r->name; r++)
            n++;
    fn_index *ix = arena_zalloc(a, sizeof *ix);
    ix->cap = 64;
    while (ix->cap < n * 2 + 1)
        ix->cap *= 2;
    ix->slots = arena_zalloc(a, ix->cap * sizeof *ix->slots);
    for (size_t t = 0; tables[t]; t++)
        for (const cv_fnreg *r = tables[t]; r->name; r++) {
            fn_slot *s = slot(ix, r->name, strlen(r->name));
            s->name = r->name;
            s->len = strlen(r->name);
            s->fn = r;
            s->builtin = tables[t] == tmpl_builtins_table;
        }
    return ix;
}

const cv_fnreg *fn_index_find(const fn_index *ix, const char *name, size_t len, int *builtin)
{
    fn_slot *s = slot(ix, name, len);
    if (!s->name)
        return NULL;
    if (builtin)
        *builtin = s->builtin;
    return s->fn;
}
