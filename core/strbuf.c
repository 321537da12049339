/* strbuf.c — see strbuf.h. */
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void sb_init(strbuf *sb)
{
    sb->buf = NULL;
    sb->len = sb->cap = 0;
}

void sb_release(strbuf *sb)
{
    free(sb->buf);
    sb_init(sb);
}

char *sb_detach(strbuf *sb, size_t *len)
{
    sb_grow(sb, 0);
    char *p = sb->buf;
    if (len)
        *len = sb->len;
    sb_init(sb);
    return p;
}

void sb_reset(strbuf *sb)
{
    sb->len = 0;
    if (sb->buf)
        sb->buf[0] = '\0';
}

void sb_grow(strbuf *sb, size_t extra)
{
    size_t need = sb->len + extra + 1;
    if (need <= sb->cap)
        return;
    size_t cap = sb->cap ? sb->cap : 64;
    while (cap < need)
        cap *= 2;
    sb->buf = xrealloc(sb->buf, cap);
    sb->cap = cap;
    sb->buf[sb->len] = '\0';
}

void sb_setlen(strbuf *sb, size_t len)
{
    sb_grow(sb, len > sb->len ? len - sb->len : 0);
    sb->len = len;
    sb->buf[len] = '\0';
}

void sb_add(strbuf *sb, const void *p, size_t n)
{
    sb_grow(sb, n);
    if (n)
        memcpy(sb->buf + sb->len, p, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_adds(strbuf *sb, const char *s)
{
    sb_add(sb, s, strlen(s));
}

void sb_addrep(strbuf *sb, char c, size_t n)
{
    sb_grow(sb, n);
    memset(sb->buf + sb->len, c, n);
    sb->len += n;
    sb->buf[sb->len] = '\0';
}

void sb_vaddf(strbuf *sb, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n <= 0)
        return;
    sb_grow(sb, (size_t)n);
    vsnprintf(sb->buf + sb->len, (size_t)n + 1, fmt, ap);
    sb->len += (size_t)n;
}

void sb_addf(strbuf *sb, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(sb, fmt, ap);
    va_end(ap);
}

int sb_read_fp(strbuf *sb, FILE *f)
{
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(sb, buf, n);
    return ferror(f) ? -1 : 0;
}

int sb_read_file(strbuf *sb, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    int rc = sb_read_fp(sb, f);
    int e = errno;
    fclose(f);
    errno = e;
    return rc;
}
