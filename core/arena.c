/* arena.c — chunked bump allocator; see arena.h for the ownership rule. */
#include "core/arena.h"
#include "core/xalloc.h"

#include <limits.h>
#include <stdint.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

/* Under AddressSanitizer, memory a mark gives back is freed or scribbled over
 * at once (no spare chunk), so that a use after it shows. */
#if defined(__SANITIZE_ADDRESS__)
#define ARENA_SCRUB 1
#else
#define ARENA_SCRUB 0
#endif

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
    size_t total;          /* bytes handed out, ever */
    size_t live;           /* bytes of the chunks held now */
    size_t limit;          /* 0: none */
    struct chunk *spare;   /* one standard chunk a mark gave back, for reuse */
    arena_mark *mark;      /* the innermost mark, or NULL */
    unsigned gen;          /* the innermost mark's generation (0: none) */
    unsigned gens;         /* generations started so far */
    unsigned low;          /* the oldest generation written into under the marks */
};

arena *arena_new(void)
{
    arena *a = xcalloc(1, sizeof(arena));
    a->low = UINT_MAX;
    return a;
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
    free(a->spare);
    free(a);
}

/* Fault in the whole pages of a new chunk with one system call. An arena
 * that needs a second chunk, or a block bigger than a chunk, is one that
 * fills its chunks: taking their pages one fault at a time was about a
 * tenth of a large chart's CPU time. An arena's first chunk is left to fault
 * page by page: most arenas are small and use a few pages of it. Where the
 * kernel does not know MADV_POPULATE_WRITE (before Linux 5.14) the call fails
 * and the pages fault as before. */
static void populate(void *p, size_t n)
{
#ifdef MADV_POPULATE_WRITE
    uintptr_t lo = ((uintptr_t)p + 4095) & ~(uintptr_t)4095, hi = ((uintptr_t)p + n) & ~(uintptr_t)4095;
    if (hi > lo)
        (void)madvise((void *)lo, hi - lo, MADV_POPULATE_WRITE);
#else
    (void)p, (void)n;
#endif
}

static struct chunk *new_chunk(arena *a, size_t need)
{
    size_t size = need > ARENA_CHUNK ? need : ARENA_CHUNK;
    struct chunk *c;
    if (size == ARENA_CHUNK && a->spare) {
        c = a->spare;
        a->spare = NULL;
    } else {
        c = xmalloc(sizeof(struct chunk) + size);
        c->size = size;
        if (a->head || size > ARENA_CHUNK)
            populate(c, sizeof(struct chunk) + size);
    }
    c->used = 0;
    c->next = NULL;
    a->live += sizeof(struct chunk) + size;
    return c;
}

static void drop_chunk(arena *a, struct chunk *c)
{
    a->live -= sizeof(struct chunk) + c->size;
    if (c->size == ARENA_CHUNK && !a->spare && !ARENA_SCRUB) {
        a->spare = c;
        return;
    }
    free(c);
}

/* arena_alloc when the head chunk has no room for n (rounded) bytes: apart,
 * so that the common case stays a few instructions without a frame. */
static void *alloc_slow(arena *a, size_t n) __attribute__((noinline));
static void *alloc_slow(arena *a, size_t n)
{
    struct chunk *c = a->head;
    struct chunk *nc = new_chunk(a, n);
    if (c && n > ARENA_CHUNK / 4) {
        /* A big block goes behind the current chunk so its free space stays usable. */
        nc->next = c->next;
        c->next = nc;
        nc->used = n;
        a->total += n;
        return nc->data;
    }
    nc->next = c;
    a->head = nc;
    nc->used = n;
    a->total += n;
    return nc->data;
}

void *arena_alloc(arena *a, size_t n)
{
    n = (n + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (n == 0)
        n = ARENA_ALIGN;
    struct chunk *c = a->head;
    if (!c)
        return alloc_slow(a, n);
    /* arena_alloc8 may have left the chunk at 8 mod 16 */
    size_t at = (c->used + ARENA_ALIGN - 1) & ~(size_t)(ARENA_ALIGN - 1);
    if (c->size < at || c->size - at < n)
        return alloc_slow(a, n);
    void *p = c->data + at;
    c->used = at + n;
    a->total += n;
    return p;
}

void *arena_alloc8(arena *a, size_t n)
{
    n = (n + 7) & ~(size_t)7;
    if (n == 0)
        n = 8;
    struct chunk *c = a->head;
    if (!c || c->size - c->used < n)
        return alloc_slow(a, n);
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
        /* p older than the innermost mark would outgrow it: keep the marks */
        if (a->mark && (void *)c == a->mark->chunk && (unsigned char *)p < c->data + a->mark->used)
            arena_pin(a);
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

/* ---- marks ---- */

void arena_mark_take(arena *a, arena_mark *m)
{
    m->outer = a->mark;
    m->chunk = a->head;
    m->next = a->head ? a->head->next : NULL;
    m->used = a->head ? a->head->used : 0;
    m->defers = a->defers;
    m->prev_gen = a->gen;
    m->prev_low = a->low;
    if (a->gens < UINT_MAX)
        a->gens++; /* once they run out, no mark gives back (arena_mark_end) */
    m->gen = a->gens;
    a->gen = m->gen;
    a->low = UINT_MAX; /* writes before the mark are none of its business */
    a->mark = m;
}

static void give_back(arena *a, arena_mark *m)
{
    for (struct deferred *d = a->defers; d != m->defers; d = d->next)
        d->fn(d->p);
    a->defers = m->defers;
    struct chunk *keep = m->chunk;
    while (a->head != keep) {
        struct chunk *c = a->head;
        a->head = c->next;
        drop_chunk(a, c);
    }
    if (keep) {
        /* big blocks went in behind the head chunk */
        while (keep->next != m->next) {
            struct chunk *c = keep->next;
            keep->next = c->next;
            drop_chunk(a, c);
        }
        if (ARENA_SCRUB)
            memset(keep->data + m->used, 0xA5, keep->used - m->used);
        keep->used = m->used;
    }
}

bool arena_mark_end(arena *a, arena_mark *m, bool reclaim)
{
    bool escaped = a->low < m->gen;
    bool freed = reclaim && !escaped && a->gens < UINT_MAX;
    if (freed)
        give_back(a, m);
    /* what the outer marks still have to know: writes into objects older than them */
    unsigned low = a->low < m->prev_gen ? a->low : UINT_MAX;
    a->low = low < m->prev_low ? low : m->prev_low;
    a->gen = m->prev_gen;
    a->mark = m->outer;
    return freed;
}

static bool in_chunk(const struct chunk *c, const void *p, size_t from)
{
    const unsigned char *q = p;
    return q >= c->data + from && q < c->data + c->used;
}

/* Was p allocated since mark m was taken? */
static bool since(const arena *a, const arena_mark *m, const void *p)
{
    const struct chunk *keep = m->chunk;
    for (const struct chunk *c = a->head; c != keep; c = c->next)
        if (in_chunk(c, p, 0))
            return true;
    if (!keep)
        return false;
    if (in_chunk(keep, p, m->used))
        return true;
    /* big blocks went in behind the head chunk */
    for (const struct chunk *c = keep->next; c != m->next; c = c->next)
        if (in_chunk(c, p, 0))
            return true;
    return false;
}

unsigned arena_gen_of(const arena *a, const void *p)
{
    for (const arena_mark *m = a->mark; m; m = m->outer)
        if (since(a, m, p))
            return m->gen;
    return 0;
}

unsigned arena_gen(const arena *a)
{
    return a->gen;
}

void arena_note_write(arena *a, unsigned gen)
{
    if (gen < a->gen && gen < a->low)
        a->low = gen;
}

void arena_pin(arena *a)
{
    if (a->gen)
        a->low = 0;
}

void arena_set_limit(arena *a, size_t bytes)
{
    a->limit = bytes;
}

bool arena_over_limit(const arena *a)
{
    return a->limit && a->live > a->limit;
}

void arena_charge(arena *a, size_t n)
{
    a->live += n;
}

size_t arena_live(const arena *a)
{
    return a->live;
}
