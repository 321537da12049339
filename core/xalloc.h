/* xalloc.h — malloc wrappers that abort on exhaustion, for long-lived objects
 * (which their owners free explicitly) and for arena chunks. */
#ifndef CAPSTAN_XALLOC_H
#define CAPSTAN_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

#endif
