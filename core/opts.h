/* opts.h — reading a caller's options struct under capstan.h's one rule:
 * every options struct begins with `size_t size`, the sizeof of the struct
 * the caller was compiled with (0: this header's). Fields past the caller's
 * size read as zero; a caller compiled with a newer header may pass a bigger
 * struct whose extra bytes are all zero (fields this library does not know
 * would otherwise be dropped silently). */
#ifndef CAPSTAN_OPTS_H
#define CAPSTAN_OPTS_H

#include <stddef.h>

#include "core/err.h"

/* Copy *src into *dst (dst_size bytes, the library's sizeof) by the rule
 * above; src NULL gives all zeros. dst->size is set to dst_size. what names
 * the struct in the error ("capstan_render_opts"). Returns 0, or -1 with a
 * CAPSTAN_EUSAGE error. */
int opts_read(void *dst, size_t dst_size, const void *src, const char *what, cap_err *err);

/* opts_read for a public entry point: an error goes to the caller's
 * capstan_error (may be NULL) with code CAPSTAN_EUSAGE. */
struct capstan_error;
int opts_publish_read(void *dst, size_t dst_size, const void *src, const char *what, struct capstan_error *err);

/* At the top of a public function: read its options argument var (of type
 * const type *) into a local copy and point var at it; on a bad struct,
 * return -1 with err (a capstan_error *) filled. */
#define OPTS_IN(type, var, err)                                                  \
    type var##_in_;                                                              \
    if (opts_publish_read(&var##_in_, sizeof var##_in_, var, #type, err) != 0) \
        return -1;                                                               \
    var = &var##_in_

#endif
