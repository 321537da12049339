/* capstan_error.c — the public error type of capstan.h: the one conversion
 * from the library's cap_err, its release, and its one-line form. */
#include "capstan.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>

int cap_err_publish(capstan_error *out, cap_err *in, int default_code)
{
    if (!out) {
        cap_err_clear(in);
        return -1;
    }
    capstan_error_clear(out);
    out->code = in->code ? in->code : default_code;
    out->msg = in->msg ? in->msg : NULL;
    out->file = in->file;
    out->key = in->key;
    out->line = in->line;
    out->col = in->col;
    *in = (cap_err)CAP_ERR_INIT;
    if (!out->msg) {
        cap_err tmp = CAP_ERR_INIT;
        cap_err_set(&tmp, "unknown error");
        out->msg = tmp.msg;
    }
    return -1;
}

void capstan_error_clear(capstan_error *e)
{
    if (!e)
        return;
    free(e->msg);
    free(e->file);
    free(e->key);
    e->msg = e->file = e->key = NULL;
    e->line = e->col = 0;
    e->code = CAPSTAN_OK;
}

char *capstan_error_message(const capstan_error *e)
{
    cap_err c = {e->code, e->msg, e->file, e->key, e->line, e->col};
    return cap_err_format(&c);
}

const char *capstan_code_name(int code)
{
    static const char *const names[] = {
        [CAPSTAN_OK] = "ok",           [CAPSTAN_EUSAGE] = "usage",     [CAPSTAN_ENOTFOUND] = "not found",
        [CAPSTAN_ECONFLICT] = "conflict", [CAPSTAN_EAUTH] = "auth",     [CAPSTAN_EIO] = "io",
        [CAPSTAN_ERENDER] = "render",  [CAPSTAN_ECLUSTER] = "cluster", [CAPSTAN_ECANCELLED] = "cancelled",
        [CAPSTAN_ELIMIT] = "limit",
    };
    return code >= 0 && code < (int)(sizeof names / sizeof *names) && names[code] ? names[code] : "unknown";
}
