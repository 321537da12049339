/* lint_result.c — the list of lint messages the rules add to, and the file
 * reads the rules share. */
#include "renderer/lint/lint.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const sev_name[] = {"UNKNOWN", "INFO", "WARNING", "ERROR"};

void lint_add(lint_result *r, lint_sev sev, const char *path, const char *fmt, ...)
{
    if (r->n == r->cap) {
        r->cap = r->cap ? r->cap * 2 : 16;
        r->msgs = xrealloc(r->msgs, r->cap * sizeof *r->msgs);
    }
    va_list ap;
    va_start(ap, fmt);
    strbuf sb = STRBUF_INIT;
    sb_vaddf(&sb, fmt, ap);
    va_end(ap);
    lint_msg *m = &r->msgs[r->n++];
    m->sev = sev;
    m->path = xstrdup(path);
    m->text = sb_detach(&sb, NULL);
    if (sev > r->highest)
        r->highest = sev;
}

void lint_result_free(lint_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        free(r->msgs[i].path);
        free(r->msgs[i].text);
    }
    free(r->msgs);
    sb_release(&r->log);
    memset(r, 0, sizeof *r);
}

void lint_msg_format(strbuf *out, const lint_msg *m)
{
    sb_addf(out, "[%s] %s: %s", sev_name[m->sev], m->path, m->text);
}

int lint_read_file(arena *a, const char *path, char **data, size_t *len, const char **why)
{
    cap_err e = CAP_ERR_INIT;
    if (fsu_read_go(a, path, data, len, &e) == 0)
        return 0;
    *why = arena_strdup(a, e.msg);
    cap_err_clear(&e);
    return -1;
}
