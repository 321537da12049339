/* arena.c — chunked bump allocator; see arena.h for the ownership rule. */
#include "arena.h"
#include "xalloc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define ARENA_ALIGN 16
#define ARENA_CHUNK (64 * 1024)

struct chunk {
    struct chunk *next;
    size_t size, used;
    _Alignas(16) unsigned char data[];
};

struct deferred {
    struct deferred *next;
    void (*fn)(void *);
    void *p;
};

struct arena {
    struct chunk *head;
    struct deferred *defers;
    size_t total;
};

arena *arena_new(void)
{
    return xcalloc(1, sizeof(arena));
}

void arena_free(arena *a)
{
    if (!a)
        return;
    for (struct deferred *d = a->defers; d; d = d->next)
        d->fn(d->p);
    struct chunk *c = a->head;
    while (c) {
        struct chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

static struct chunk *new_chunk(size_t need)
{
    size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
    struct chunk *c = xmalloc(sizeof(struct chunk) + size);
    c->size = size;
    c->used = 0;
    c->next = NULL;
    return c;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        struct chunk *nc = new_chunk(n);
        if (c && n > ARENA_CHUNK / 4) {
            /* A big block goes behind the current chunk so its free space stays usable. */
            nc->next = c->next;
            c->next = nc;
            nc->used = n;
            a->total += n;
            return nc->data;
        }
        nc->next = c;
        a->head = c = nc;
    }
    void *p = c->data + c->used;
    c->used += n;
    a->total += n;
    return p;
}

void *arena_zalloc(arena *a, size_t n)
{
    void *p = arena_alloc(a, n);
    memset(p, 0, n);
    return p;
}

void *arena_realloc(arena *a, void *p, size_t old, size_t n)
{
    if (n <= old)
        return p;
    struct chunk *c = a->head;
    size_t oldr = (old + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    /* Grow in place when p is the last allocation of the current chunk. */
    if (p && c && (unsigned char *)p + oldr == c->data + c->used) {
        size_t nr = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
        if (c->size - c->used + oldr >= nr) {
            c->used += nr - oldr;
            a->total += nr - oldr;
            return p;
        }
    }
    void *q = arena_alloc(a, n);
    if (p && old)
        memcpy(q, p, old);
    return q;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n)
        memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *arena_strdup(arena *a, const char *s)
{
    return arena_strndup(a, s, strlen(s));
}

char *arena_printf(arena *a, const char *fmt, ...)
{
    va_list ap, ap2;
    va_start(ap, fmt);
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        n = 0;
    char *p = arena_alloc(a, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap2);
    va_end(ap2);
    return p;
}

void arena_defer(arena *a, void (*fn)(void *), void *p)
{
    struct deferred *d = arena_alloc(a, sizeof *d);
    d->fn = fn;
    d->p = p;
    d->next = a->defers;
    a->defers = d;
}

size_t arena_used(const arena *a)
{
    return a->total;
}
