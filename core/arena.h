/* arena.h — bump allocator for everything one render (or one operation) makes.
 *
 * Ownership: memory from arena_alloc() belongs to the arena; it is released all
 * at once by arena_free(). Nothing allocated from an arena is freed on its own.
 * An arena is not thread-safe; give each render its own.
 */
#ifndef CAPSTAN_ARENA_H
#define CAPSTAN_ARENA_H

#include <stddef.h>

typedef struct arena arena;

arena *arena_new(void);
void arena_free(arena *a);

/* Never returns NULL: aborts the process when memory is exhausted. */
void *arena_alloc(arena *a, size_t n);          /* uninitialised, 16-byte aligned */
void *arena_zalloc(arena *a, size_t n);         /* zeroed */
void *arena_realloc(arena *a, void *p, size_t old, size_t n);
char *arena_strndup(arena *a, const char *s, size_t n); /* NUL-terminated copy */
char *arena_strdup(arena *a, const char *s);
char *arena_printf(arena *a, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Run fn(p) when the arena is freed (for memory owned by libraries). */
void arena_defer(arena *a, void (*fn)(void *), void *p);

/* Bytes handed out so far (for benchmarks and limits). */
size_t arena_used(const arena *a);

#endif
