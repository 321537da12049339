/* query.h — what query.c (release queries) shares with the other text outputs of
 * helm's commands (search.c). */
#ifndef CAPSTAN_QUERY_H
#define CAPSTAN_QUERY_H

#include <stdbool.h>

#include "strbuf.h"
#include "value.h"

/* A table as helm's uitable prints one: the cells keys[c] of each row (a map),
 * columns padded to their widest cell, tab-separated; headers first unless false. */
void query_table(strbuf *out, const cval *rows, const char *const *cols, const char *const *keys, int ncols,
                 bool headers);

#endif
