/* capstan_error.c — the public error type of capstan.h, and its one-line form. */
#include "capstan.h"
#include "err.h"

#include <stdlib.h>

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

void cap_err_to_public(const cap_err *e, capstan_error *pub)
{
    pub->msg = cap_err_format(e);
    pub->file = NULL;
    pub->line = pub->col = 0;
}
