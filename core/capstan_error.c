/* capstan_error.c — the public error type of capstan.h, and its one-line form. */
#include "capstan.h"
#include "err.h"

#include <stdlib.h>
#include <string.h>

void capstan_error_clear(capstan_error *e)
{
    free(e->msg);
    free(e->file);
    e->msg = e->file = NULL;
    e->line = e->col = 0;
}

char *capstan_error_message(const capstan_error *e)
{
    cap_err c = {e->msg, e->file, NULL, e->line, e->col};
    return cap_err_format(&c);
}

int cap_err_export(capstan_error *out, cap_err *e)
{
    if (out) {
        capstan_error_clear(out);
        out->msg = strdup(e->msg ? e->msg : "unknown error");
        out->file = e->file ? strdup(e->file) : NULL;
        out->line = e->line;
        out->col = e->col;
    }
    cap_err_clear(e);
    return -1;
}
