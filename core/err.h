/* err.h — errors are values.
 *
 * A library function that can fail returns a status (0 ok, -1 error) and fills
 * the cap_err its caller passed (which may be NULL: the error is dropped). It
 * carries a code (capstan.h's capstan_code: what kind of failure, for callers
 * that act on it), the bare message (helm's words where helm has them), and
 * the file, line, column and key when they are known, each in its own field.
 * At the API edge cap_err_publish() (capstan_error.c) moves it into the
 * public capstan_error; that is the only conversion. Only cli/ prints, as
 *     capstan: FILE:LINE:COL: message
 * (the parts that are unknown are left out). A cap_err owns its strings;
 * cap_err_clear() frees them. Setting an error that is already set replaces
 * its message and keeps its code unless a new one is given.
 */
#ifndef CAPSTAN_ERR_H
#define CAPSTAN_ERR_H

#include <stdarg.h>

#include "capstan.h" /* capstan_code */

typedef struct cap_err {
    int code;    /* a capstan_code; 0: not classified yet (the API edge gives a default) */
    char *msg;   /* NULL: no error */
    char *file;  /* the file the error is in, or NULL */
    char *key;   /* the value key or path, or NULL */
    int line;    /* 1-based, 0 = unknown */
    int col;     /* 1-based, 0 = unknown */
} cap_err;

#define CAP_ERR_INIT { 0, NULL, NULL, NULL, 0, 0 }

int cap_err_set(cap_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
int cap_err_vset(cap_err *e, const char *fmt, va_list ap);
/* Set message and location at once; file may be NULL. Returns -1. */
int cap_err_at(cap_err *e, const char *file, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* Set the message with a code (a capstan_code). Returns -1. */
int cap_err_coded(cap_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/* The capstan_code of an HTTP status from a cluster, repository or registry:
 * 401/403 auth, 404/410 not found, 409 conflict, 413/429 limit, else cluster. */
int cap_err_http_code(long status);
/* Classify an error already set (keeps its message). Returns -1. */
int cap_err_set_code(cap_err *e, int code);
void cap_err_set_file(cap_err *e, const char *file);
void cap_err_set_key(cap_err *e, const char *key);
/* Put "prefix: " in front of the message. */
void cap_err_prefix(cap_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void cap_err_clear(cap_err *e);
/* Move src into dst (dst's old error is cleared). */
void cap_err_move(cap_err *dst, cap_err *src);

/* "FILE:LINE:COL: message" (without the "capstan: " prefix), malloc'd. */
char *cap_err_format(const cap_err *e);

/* The one converter to the public type: moves in's code (default_code when
 * it has none), message, file, key, line and column into *out (out may be
 * NULL: in is only cleared). in is left empty. Returns -1. */
struct capstan_error;
int cap_err_publish(struct capstan_error *out, cap_err *in, int default_code);

#endif
