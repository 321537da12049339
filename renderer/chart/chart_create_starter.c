/* chart_create_starter.c — `helm create NAME --starter STARTER` (helm's CreateFrom and
 * SaveDir): the starter chart loaded as helm loads a chart (.helmignore applied), then
 * saved as the chart NAME in DIR/NAME. */
#include "renderer/chart/chart.h"
#include "renderer/chart/chart_create.h"
#include "renderer/chart/chart_package.h"
#include "core/fsutil.h"
#include "core/yaml.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* helm's cmd/create.go gives a starter chart this Chart.yaml, whatever the starter's */
static int write_chartfile(arena *a, const char *cdir, const char *name, cap_err *e)
{
    chart_meta *m = arena_zalloc(a, sizeof *m);
    m->api_version = "v2";
    m->name = name;
    m->description = "A Helm chart for Kubernetes";
    m->type = "application";
    m->version = "0.1.0";
    m->app_version = "0.1.0";
    strbuf sb = STRBUF_INIT;
    int rc = yaml_emit(&sb, chart_meta_to_json(a, m), e);
    if (rc == 0)
        rc = chart_create_write(arena_printf(a, "%s/Chart.yaml", cdir), sb_str(&sb), sb.len, NULL, e);
    sb_release(&sb);
    return rc;
}

/* A subchart of a starter folder, as helm's Save writes it: charts/NAME-VERSION.tgz.
 * A folder is packaged as `helm package` does; an archive keeps its bytes. */
static int write_subchart(arena *a, const chart *dep, const char *charts_dir, cap_err *e)
{
    size_t sl = strlen(dep->source);
    if (sl > 4 && strcmp(dep->source + sl - 4, ".tgz") == 0) {
        char *data;
        size_t len;
        if (chart_read_path(a, dep->source, &data, &len, e) != 0)
            return -1;
        const char *to = arena_printf(a, "%s/%s-%s.tgz", charts_dir, dep->meta->name, dep->meta->version);
        return chart_create_write(to, data, len, NULL, e);
    }
    chart_package_opts po = {.dest = charts_dir};
    char *out = NULL;
    if (chart_package_dir(dep->source, &po, &out, e) != 0) {
        cap_err_prefix(e, "saving %s", dep->meta->name);
        return -1;
    }
    free(out);
    return 0;
}

/* The starter loaded (folder or archive), with helm's "could not load" message */
static int load_starter(arena *a, const char *starter, chart **c, cap_err *e)
{
    struct stat st;
    char why[128];
    if (stat(starter, &st) != 0)
        return cap_err_set(e, "could not load %s: stat %s: %s", starter, starter,
                           fsu_errno_text(errno, why, sizeof why));
    if (chart_load(a, starter, c, e) != 0) {
        cap_err_prefix(e, "could not load %s", starter);
        return -1;
    }
    if (!S_ISDIR(st.st_mode) && (*c)->ndeps)
        return cap_err_set(e, "could not load %s: the subcharts of an archived starter are not supported; "
                              "unpack it into a folder", starter);
    return 0;
}

int chart_create_from(const char *starter, const char *dir, const char *name, cap_err *e)
{
    arena *a = arena_new();
    chart *c = NULL;
    int rc = -1;
    if (load_starter(a, starter, &c, e) != 0)
        goto out;
    char *cdir = fsu_clean(arena_printf(a, "%s/%s", dir, name));
    const char *cd = arena_strdup(a, cdir);
    free(cdir);
    struct stat st;
    if (stat(cd, &st) == 0 && !S_ISDIR(st.st_mode)) {
        cap_err_set(e, "file %s already exists and is not a directory", cd);
        goto out;
    }
    if (fsu_mkdirs(cd, NULL) != 0) {
        cap_err_set(e, "mkdir %s: %s", cd, strerror(errno));
        goto out;
    }
    if (write_chartfile(a, cd, name, e) != 0)
        goto out;
    if (c->values_raw &&
        chart_create_write(arena_printf(a, "%s/values.yaml", cd), c->values_raw, c->values_raw_len, name, e) != 0)
        goto out;
    if (c->schema &&
        chart_create_write(arena_printf(a, "%s/values.schema.json", cd), c->schema, c->schema_len, NULL, e) != 0)
        goto out;
    for (size_t i = 0; i < c->ntemplates; i++) {
        const chart_file *f = &c->templates[i];
        if (chart_create_write(arena_printf(a, "%s/%s", cd, f->name), f->data, f->len, name, e) != 0)
            goto out;
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        const chart_file *f = &c->files[i];
        if (chart_create_write(arena_printf(a, "%s/%s", cd, f->name), f->data, f->len, NULL, e) != 0)
            goto out;
    }
    const char *charts_dir = arena_printf(a, "%s/charts", cd);
    for (size_t i = 0; i < c->ndeps; i++)
        if (write_subchart(a, c->deps[i], charts_dir, e) != 0)
            goto out;
    rc = 0;
out:
    arena_free(a);
    return rc;
}
