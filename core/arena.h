/* arena.h — bump allocator for everything one render (or one operation) makes.
 *
 * Ownership: memory from arena_alloc() belongs to the arena; it is released all
 * at once by arena_free(). Nothing allocated from an arena is freed on its own,
 * with one exception: marks (below) give back what a finished stretch of work
 * (a range iteration, a template call) allocated, when none of it escaped.
 * An arena is not thread-safe; give each render its own.
 */
#ifndef CAPSTAN_ARENA_H
#define CAPSTAN_ARENA_H

#include <stdbool.h>
#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);

/* Never returns NULL: aborts the process when memory is exhausted. */
void *arena_alloc(arena *a, size_t n);          /* uninitialised, 16-byte aligned */
void *arena_zalloc(arena *a, size_t n);         /* zeroed */
/* Uninitialised, 8-byte aligned: for many small objects holding nothing
 * that needs more (a parse tree's nodes and pointer arrays). */
void *arena_alloc8(arena *a, size_t n);
void *arena_realloc(arena *a, void *p, size_t old, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run fn(p) when the arena is freed (for memory owned by libraries). */
void arena_defer(arena *a, void (*fn)(void *), void *p);

/* Bytes handed out so far, released or not (for benchmarks and seeds). */
size_t arena_used(const arena *a);

/* ---- marks: reclaiming what a stretch of work made and dropped ----------
 *
 * arena_mark_take() starts a stretch; arena_mark_end() ends it and, when
 * `reclaim` is true and nothing made during it escaped, frees everything
 * allocated since (running the defers registered since). Marks nest (take and
 * end them in LIFO order); the arena keeps a pointer to the innermost one, so
 * a mark lives on its taker's stack until it ends.
 *
 * Escape is told by generations: each mark starts a new one, and an object
 * that later receives pointers (a list or map, a variable) remembers the
 * generation it was made in (arena_gen). Storing into an object of an older
 * generation than the innermost mark calls arena_note_write(a, its gen), which
 * keeps every mark younger than the object from reclaiming. arena_pin() keeps
 * all current marks (for a pointer stored somewhere that has no generation,
 * e.g. a cache in a parse tree). */
typedef struct arena_mark {
    struct arena_mark *outer;
    void *chunk, *next, *defers;
    size_t used;
    unsigned gen, prev_gen, prev_low;
} arena_mark;

void arena_mark_take(arena *a, arena_mark *m);
/* Returns true when the memory was given back. */
bool arena_mark_end(arena *a, arena_mark *m, bool reclaim);
unsigned arena_gen(const arena *a);
void arena_note_write(arena *a, unsigned gen);
void arena_pin(arena *a);
/* The generation p was allocated in: that of the innermost current mark it
 * was allocated under, 0 when it is older than every current mark (or not
 * this arena's). Walks the chunks allocated since each mark. */
unsigned arena_gen_of(const arena *a, const void *p);

/* ---- a bound on the memory an arena holds -------------------------------
 * Once the chunks an arena holds exceed `bytes` (0: no bound), it keeps
 * allocating (arena_alloc never fails) but arena_over_limit() says so; the
 * arena's user checks it often enough to stop soon after. */
void arena_set_limit(arena *a, size_t bytes);
bool arena_over_limit(const arena *a);
size_t arena_live(const arena *a);  /* bytes of the chunks held now, and charged */
/* Count n bytes held elsewhere for the arena (freed by one of its defers) in
 * arena_live and the limit. */
void arena_charge(arena *a, size_t n);

#endif
