/* fsutil.h — small file helpers:
 * read a whole file, write one atomically (temporary file + rename), make
 * directories with their parents. Errors name the path. */
#ifndef CAPSTAN_FSUTIL_H
#define CAPSTAN_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"

int fsu_read_file(const char *path, strbuf *out, cap_err *err);
/* Go's os.ReadFile into a's memory (NUL-terminated; "-" reads stdin), with
 * Go's error texts: "open F: no such file or directory" when it cannot be
 * opened, "read F: is a directory" when it cannot be read. */
int fsu_read_go(arena *a, const char *path, char **data, size_t *len, cap_err *err);
/* Go's text for an errno: the C library's, its first letter in lower case
 * ("no such file or directory"), in buf (n bytes); returns buf. */
const char *fsu_errno_text(int e, char *buf, size_t n);
/* Nothing is left at path (nor beside it) on failure. */
int fsu_write_atomic(const char *path, const void *data, size_t len, mode_t mode, cap_err *err);
/* mkdir -p dir (errno says why on failure; err may be NULL). */
int fsu_mkdirs(const char *dir, cap_err *err);
/* mkdir -p of the directory that holds file. */
int fsu_mkdirs_for(const char *file, cap_err *err);

/* Go's path.Clean (filepath.Clean on Linux): lexical, "a/b/../c/./" -> "a/c",
 * "" -> ".". fsu_clean_into appends the clean form of p[0..n) to sb;
 * fsu_clean returns it malloc'd. */
void fsu_clean_into(strbuf *sb, const char *p, size_t n);
char *fsu_clean(const char *path);


#endif
