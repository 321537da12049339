/* pgp_armor.c — clear-signed documents (pgp.h): reading one as Go's
 * clearsign.Decode does (header, dash-escaped text, armored signature with
 * its CRC-24) and writing one as clearsign.Encode does. */
#include "core/pgp.h"
#include "core/pgp_int.h"
#include "core/base64.h"

#include <string.h>

static const char BEGIN_MSG[] = "-----BEGIN PGP SIGNED MESSAGE-----";
static const char BEGIN_SIG[] = "-----BEGIN PGP SIGNATURE-----";
static const char END_SIG[] = "-----END PGP SIGNATURE-----";

static unsigned long crc24(const unsigned char *p, size_t n)
{
    unsigned long crc = 0xb704ceul;
    while (n--) {
        crc ^= (unsigned long)*p++ << 16;
        for (int i = 0; i < 8; i++) {
            crc <<= 1;
            if (crc & 0x1000000ul)
                crc ^= 0x1864cfbul;
        }
    }
    return crc & 0xffffffUL;
}

void pgp_canonical_text(const char *text, size_t len, strbuf *out)
{
    size_t start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i < len && text[i] != '\n')
            continue;
        size_t end = i;
        while (end > start && (text[end - 1] == ' ' || text[end - 1] == '\t' || text[end - 1] == '\r'))
            end--;
        if (start > 0)
            sb_add(out, "\r\n", 2);
        sb_add(out, text + start, end - start);
        start = i + 1;
    }
}

/* The line at *pos (without its newline; trailing blanks cut when trim); false at the end. */
static bool next_line(const char *d, size_t n, size_t *pos, const char **line, size_t *len, bool trim)
{
    if (*pos >= n)
        return false;
    const char *s = d + *pos, *nl = memchr(s, '\n', n - *pos);
    size_t l = nl ? (size_t)(nl - s) : n - *pos;
    *pos += l + (nl ? 1 : 0);
    while (trim && l > 0 && (s[l - 1] == ' ' || s[l - 1] == '\t' || s[l - 1] == '\r'))
        l--;
    *line = s;
    *len = l;
    return true;
}

static bool is(const char *line, size_t len, const char *what)
{
    return len == strlen(what) && memcmp(line, what, len) == 0;
}

/* The armored body from pos: base64 after the headers, to "=CRC" or the end line. */
static int armor_body(const char *d, size_t n, size_t pos, strbuf *sig)
{
    const char *l;
    size_t ll;
    while (next_line(d, n, &pos, &l, &ll, true) && ll > 0) /* armor headers */
        if (!memchr(l, ':', ll))
            return -1;
    strbuf b64 = STRBUF_INIT;
    const char *crc = NULL;
    bool ended = false;
    while (next_line(d, n, &pos, &l, &ll, true)) {
        if (is(l, ll, END_SIG)) {
            ended = true;
            break;
        }
        if (ll > 0 && l[0] == '=') {
            if (ll != 5)
                break;
            crc = l + 1;
            continue;
        }
        if (crc)
            break;
        sb_add(&b64, l, ll);
    }
    size_t bad;
    int rc = ended && base64_decode(sig, sb_str(&b64), b64.len, B64_STD, &bad) == 0 ? 0 : -1;
    if (rc == 0 && crc) {
        strbuf c = STRBUF_INIT;
        unsigned long want = crc24((const unsigned char *)sb_str(sig), sig->len);
        rc = base64_decode(&c, crc, 4, B64_STD, &bad) == 0 && c.len == 3 &&
                     ((unsigned long)(unsigned char)c.buf[0] << 16 | (unsigned long)(unsigned char)c.buf[1] << 8 |
                      (unsigned char)c.buf[2]) == want
                 ? 0
                 : -1;
        sb_release(&c);
    }
    sb_release(&b64);
    return rc;
}

int pgp_clearsign_decode(const char *d, size_t n, strbuf *text, strbuf *canon, strbuf *sig)
{
    size_t pos = 0;
    const char *l;
    size_t ll;
    bool found = false;
    while (!found && next_line(d, n, &pos, &l, &ll, true))
        found = is(l, ll, BEGIN_MSG);
    if (!found)
        return -1;
    while (next_line(d, n, &pos, &l, &ll, true) && ll > 0) /* Hash: headers */
        if (!memchr(l, ':', ll))
            return -1;
    size_t start = pos, end = pos;
    found = false;
    while (!found && next_line(d, n, &pos, &l, &ll, true)) {
        found = is(l, ll, BEGIN_SIG);
        if (!found)
            end = pos;
    }
    if (!found)
        return -1;
    /* the text runs to the newline before the signature's first line */
    if (end > start && d[end - 1] == '\n')
        end--;
    if (end > start && d[end - 1] == '\r')
        end--;
    for (size_t p = start;;) { /* dash-escapes removed, line by line */
        const char *s = d + p, *nl = memchr(s, '\n', end - p);
        size_t l = nl ? (size_t)(nl - s) : end - p;
        if (l >= 2 && s[0] == '-' && s[1] == ' ')
            s += 2, l -= 2;
        sb_add(text, s, l);
        if (!nl)
            break;
        sb_addc(text, '\n');
        p = (size_t)(nl - d) + 1;
    }
    pgp_canonical_text(sb_str(text), text->len, canon);
    return armor_body(d, n, pos, sig);
}

int pgp_clearsign(const pgp_key *k, const char *text, size_t len, long long created, strbuf *out, cap_err *err)
{
    strbuf canon = STRBUF_INIT, sig = STRBUF_INIT, b64 = STRBUF_INIT;
    pgp_canonical_text(text, len, &canon);
    int rc = pgp_sign(k, canon.buf, canon.len, created, &sig, err);
    if (rc == 0) {
        sb_addf(out, "%s\nHash: SHA512\n\n", BEGIN_MSG);
        for (size_t i = 0; i < len;) {
            const char *nl = memchr(text + i, '\n', len - i);
            size_t l = nl ? (size_t)(nl - (text + i)) + 1 : len - i;
            if (text[i] == '-')
                sb_adds(out, "- ");
            sb_add(out, text + i, l);
            i += l;
        }
        sb_addf(out, "\n%s\n\n", BEGIN_SIG);
        base64_encode(&b64, sig.buf, sig.len, B64_STD);
        for (size_t i = 0; i < b64.len; i += 64) {
            sb_add(out, b64.buf + i, b64.len - i < 64 ? b64.len - i : 64);
            sb_addc(out, '\n');
        }
        unsigned long c = crc24((const unsigned char *)sig.buf, sig.len);
        unsigned char cb[3] = {(unsigned char)(c >> 16), (unsigned char)(c >> 8), (unsigned char)c};
        sb_addc(out, '=');
        base64_encode(out, cb, 3, B64_STD);
        sb_addf(out, "\n%s", END_SIG);
    }
    sb_release(&canon);
    sb_release(&sig);
    sb_release(&b64);
    return rc;
}
