/* err.h — errors are values.
 *
 * A library function that can fail returns a status (0 ok, -1 error) and fills
 * the cap_err its caller passed. Only cli/ prints, as
 *     capstan: FILE:LINE:COL: message
 * (the parts that are unknown are left out). A cap_err owns its strings;
 * cap_err_clear() frees them. Setting an error that is already set replaces it.
 */
#ifndef CAPSTAN_ERR_H
#define CAPSTAN_ERR_H

#include <stdarg.h>

typedef struct cap_err {
    char *msg;   /* NULL: no error */
    char *file;  /* the file the error is in, or NULL */
    char *key;   /* the value key or path, or NULL */
    int line;    /* 1-based, 0 = unknown */
    int col;     /* 1-based, 0 = unknown */
} cap_err;

#define CAP_ERR_INIT { NULL, NULL, NULL, 0, 0 }

int cap_err_set(cap_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cap_err_vset(cap_err *e, const char *fmt, va_list ap);
/* Set message and location at once; file may be NULL. Returns -1. */
int cap_err_at(cap_err *e, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void cap_err_set_file(cap_err *e, const char *file);
void cap_err_set_key(cap_err *e, const char *key);
/* Put "prefix: " in front of the message. */
void cap_err_prefix(cap_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cap_err_clear(cap_err *e);
/* Move src into dst (dst's old error is cleared). */
void cap_err_move(cap_err *dst, cap_err *src);

/* "FILE:LINE:COL: message" (without the "capstan: " prefix), malloc'd. */
char *cap_err_format(const cap_err *e);
/* The public capstan_error of e (its one-line form as the message; core/capstan_error.c). */
struct capstan_error;
void cap_err_to_public(const cap_err *e, struct capstan_error *pub);

#endif
