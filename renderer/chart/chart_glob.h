/* chart_glob.h — the globs of Helm's .Files.Glob: github.com/gobwas/glob
 * compiled with '/' as the separator. */
#ifndef CAPSTAN_CHART_GLOB_H
#define CAPSTAN_CHART_GLOB_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

typedef struct chart_glob chart_glob;

/* glob.Compile(pattern, '/'); a pattern it refuses ("[", "[]", "[a-") is
 * compiled as "**", which matches every name, as Files.Glob does. Lives in a. */
chart_glob *chart_glob_compile(arena *a, const char *pattern, size_t len);
bool chart_glob_match(const chart_glob *g, const char *name, size_t len);

#endif
