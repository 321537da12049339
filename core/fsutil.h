/* fsutil.h — small file helpers for the repository and dependency code:
 * read a whole file, write one atomically (temporary file + rename), make
 * directories with their parents. Errors name the path. */
#ifndef CAPSTAN_FSUTIL_H
#define CAPSTAN_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

#include "core/err.h"
#include "core/strbuf.h"

int fsu_read_file(const char *path, strbuf *out, cap_err *err);
/* Nothing is left at path (nor beside it) on failure. */
int fsu_write_atomic(const char *path, const void *data, size_t len, mode_t mode, cap_err *err);
/* mkdir -p dir. */
int fsu_mkdirs(const char *dir, cap_err *err);
/* mkdir -p of the directory that holds file. */
int fsu_mkdirs_for(const char *file, cap_err *err);

/* Go's filepath.Clean: lexical, "a/b/../c/./" -> "a/c"; malloc'd. */
char *fsu_clean(const char *path);

/* Unpack the chart archive tgz (named `shown` in errors, e.g. its URL; NULL:
 * tgz) into dir/NAME (NAME: its Chart.yaml's name),
 * as helm's chartutil.ExpandFile: the archive is read and checked whole first
 * (the chart loader's path checks and size limits; a Chart.yaml with a name
 * is required), written into a temporary folder in dir, then renamed to
 * dir/NAME, which must not exist. On failure nothing is left (dir itself may
 * have been created). */
int fsu_untar(const char *tgz, const char *shown, const char *dir, cap_err *err);

#endif
