/* dep_api.c — the public dependency commands of capstan.h over dep_resolve.h:
 * `helm dependency update|build|list`. */
#include "capstan.h"
#include "core/opts.h"
#include "installer/net/dep_resolve.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void print_line(void *ud, const char *line)
{
    FILE *out = ud;
    if (!out)
        return;
    fprintf(out, "%s\n", line);
    fflush(out);
}

static void add_line(void *ud, const char *line)
{
    sb_addf((strbuf *)ud, "%s\n", line);
}

static void to_dep_opts(const capstan_chart_opts *o, dep_opts *d)
{
    memset(d, 0, sizeof *d);
    d->out = print_line;
    if (!o)
        return;
    d->out_ud = o->out;
    d->skip_refresh = o->skip_refresh;
    d->offline = o->offline;
    d->re_resolve = o->refresh;
    d->plain_http = o->plain_http;
    d->registry_config = o->registry_config;
}

int capstan_dependency_update(const char *chart_dir, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    dep_opts d;
    to_dep_opts(opts, &d);
    cap_err err = CAP_ERR_INIT;
    return dep_update(chart_dir, &d, &err) == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

int capstan_dependency_build(const char *chart_dir, const capstan_chart_opts *opts, capstan_error *perr)
{
    OPTS_IN(capstan_chart_opts, opts, perr);
    dep_opts d;
    to_dep_opts(opts, &d);
    cap_err err = CAP_ERR_INIT;
    return dep_build(chart_dir, &d, &err) == 0 ? 0 : cap_err_publish(perr, &err, CAPSTAN_EIO);
}

int capstan_dependency_list_get(const char *chart, capstan_dependency_list **out, capstan_error *perr)
{
    dep_row *rows;
    size_t n;
    strbuf warns = STRBUF_INIT;
    cap_err err = CAP_ERR_INIT;
    if (dep_list(chart, &rows, &n, add_line, &warns, &err) != 0) {
        sb_release(&warns);
        return cap_err_publish(perr, &err, CAPSTAN_EIO);
    }
    capstan_dependency_list *l = xcalloc(1, sizeof *l);
    l->n = n;
    l->names = xcalloc(n + 1, sizeof *l->names);
    l->versions = xcalloc(n + 1, sizeof *l->versions);
    l->repositories = xcalloc(n + 1, sizeof *l->repositories);
    l->statuses = xcalloc(n + 1, sizeof *l->statuses);
    for (size_t i = 0; i < n; i++) { /* the strings change hands */
        l->names[i] = rows[i].name;
        l->versions[i] = rows[i].version;
        l->repositories[i] = rows[i].repository;
        l->statuses[i] = rows[i].status;
        memset(&rows[i], 0, sizeof rows[i]);
    }
    dep_rows_free(rows, n);
    l->warnings = sb_detach(&warns, NULL);
    *out = l;
    return 0;
}

void capstan_dependency_list_free(capstan_dependency_list *l)
{
    if (!l)
        return;
    for (size_t i = 0; i < l->n; i++) {
        free(l->names[i]);
        free(l->versions[i]);
        free(l->repositories[i]);
        free(l->statuses[i]);
    }
    free(l->names);
    free(l->versions);
    free(l->repositories);
    free(l->statuses);
    free(l->warnings);
    free(l);
}
