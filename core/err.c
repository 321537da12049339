/* err.c — see err.h. */
#include "core/err.h"
#include "capstan.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

int cap_err_vset(cap_err *e, const char *fmt, va_list ap)
{
    if (!e)
        return -1;
    strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    free(e->msg);
    e->msg = sb_detach(&sb, NULL);
    return -1;
}

int cap_err_set(cap_err *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cap_err_vset(e, fmt, ap);
    va_end(ap);
    return -1;
}

int cap_err_at(cap_err *e, const char *file, int line, int col, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    cap_err_vset(e, fmt, ap);
    va_end(ap);
    cap_err_set_file(e, file);
    e->line = line;
    e->col = col;
    return -1;
}

int cap_err_coded(cap_err *e, int code, const char *fmt, ...)
{
    if (!e)
        return -1;
    va_list ap;
    va_start(ap, fmt);
    cap_err_vset(e, fmt, ap);
    va_end(ap);
    e->code = code;
    return -1;
}

int cap_err_http_code(long status)
{
    switch (status) {
    case 401: case 403: return CAPSTAN_EAUTH;
    case 404: case 410: return CAPSTAN_ENOTFOUND;
    case 409: return CAPSTAN_ECONFLICT;
    case 413: case 429: return CAPSTAN_ELIMIT;
    default: return CAPSTAN_ECLUSTER;
    }
}

int cap_err_set_code(cap_err *e, int code)
{
    if (e)
        e->code = code;
    return -1;
}

void cap_err_set_file(cap_err *e, const char *file)
{
    if (!e)
        return;
    free(e->file);
    e->file = file ? xstrdup(file) : NULL;
}

void cap_err_set_key(cap_err *e, const char *key)
{
    if (!e)
        return;
    free(e->key);
    e->key = key ? xstrdup(key) : NULL;
}

void cap_err_prefix(cap_err *e, const char *fmt, ...)
{
    if (!e)
        return;
    strbuf sb = STRBUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    sb_adds(&sb, ": ");
    sb_adds(&sb, e->msg ? e->msg : "");
    free(e->msg);
    e->msg = sb_detach(&sb, NULL);
}

void cap_err_clear(cap_err *e)
{
    if (!e)
        return;
    free(e->msg);
    free(e->file);
    free(e->key);
    *e = (cap_err)CAP_ERR_INIT;
}

void cap_err_move(cap_err *dst, cap_err *src)
{
    cap_err_clear(dst);
    *dst = *src;
    *src = (cap_err)CAP_ERR_INIT;
}

char *cap_err_format(const cap_err *e)
{
    strbuf sb = STRBUF_INIT;
    const char *msg = e->msg ? e->msg : "unknown error";
    if (e->file) {
        sb_adds(&sb, e->file);
        if (e->line > 0) {
            sb_addf(&sb, ":%d", e->line);
            if (e->col > 0)
                sb_addf(&sb, ":%d", e->col);
        }
        /* a message that already gives its location (as helm's errors do:
         * "template: F:L:C: ...", "execution error at (F:L:C): ...",
         * "YAML parse error on F: ...") is not given it twice */
        if (strstr(msg, sb.buf))
            sb_reset(&sb);
        else
            sb_adds(&sb, ": ");
    }
    sb_adds(&sb, msg);
    return sb_detach(&sb, NULL);
}
