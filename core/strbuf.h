/* strbuf.h — the one growable byte buffer, after git's strbuf.
 *
 * Ownership: a strbuf owns its bytes (malloc'd). sb_release() frees them;
 * sb_detach() hands them to the caller, who must free() them. buf is always
 * NUL-terminated, but may also contain NUL bytes: len is the truth.
 */
#ifndef CAPSTAN_STRBUF_H
#define CAPSTAN_STRBUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>

typedef struct strbuf {
    char *buf;
    size_t len;
    size_t cap;
} strbuf;

#define STRBUF_INIT { NULL, 0, 0 }

void sb_init(strbuf *sb);
void sb_release(strbuf *sb);
char *sb_detach(strbuf *sb, size_t *len);  /* never NULL; sb is reset */
void sb_reset(strbuf *sb);                 /* len = 0, keeps the memory */
void sb_grow(strbuf *sb, size_t extra);
void sb_setlen(strbuf *sb, size_t len);

void sb_add(strbuf *sb, const void *p, size_t n);
void sb_adds(strbuf *sb, const char *s);
void sb_addrep(strbuf *sb, char c, size_t n);
void sb_addf(strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void sb_vaddf(strbuf *sb, const char *fmt, va_list ap);

/* Append what is left to read from f. 0, or -1 with errno on a read error. */
int sb_read_fp(strbuf *sb, FILE *f);
/* Append the whole file at path. 0, or -1 with errno (opening or reading). */
int sb_read_file(strbuf *sb, const char *path);

/* One byte: inline, as scanners and printers add most of their output this way. */
static inline void sb_addc(strbuf *sb, char c)
{
    if (sb->len + 2 > sb->cap)
        sb_grow(sb, 1);
    sb->buf[sb->len++] = c;
    sb->buf[sb->len] = '\0';
}

/* The buffer as a C string ("" when nothing was ever added). */
static inline const char *sb_str(const strbuf *sb) { return sb->buf ? sb->buf : ""; }

#endif
