/* oci_sink.c — where a blob being downloaded goes (a file, a buffer, or
 * both), with its running SHA-256 and a size limit (see oci_int.h). */
#include "installer/net/oci_int.h"

#include <stdio.h>
#include <string.h>

int oci_sink_init(oci_sink *s, FILE *f, strbuf *buf, long long limit)
{
    memset(s, 0, sizeof *s);
    s->f = f;
    s->buf = buf;
    s->limit = limit;
    digest_sha256_init(&s->md);
    return 0;
}

size_t oci_sink_write(oci_sink *s, const char *p, size_t n)
{
    if (s->limit > 0 && s->n + (long long)n > s->limit) {
        s->over = true;
        return 0;
    }
    if (s->f && fwrite(p, 1, n, s->f) != n)
        return 0;
    if (s->buf)
        sb_add(s->buf, p, n);
    digest_sha256_update(&s->md, p, n);
    s->n += (long long)n;
    return n;
}

void oci_sink_digest(oci_sink *s, char out[72])
{
    unsigned char md[32];
    digest_sha256_final(&s->md, md);
    memcpy(out, "sha256:", 7);
    digest_to_hex(md, sizeof md, out + 7);
}

void oci_sink_free(oci_sink *s) { (void)s; }
