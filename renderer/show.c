/* show.c — `helm show chart|values|readme|crds|all` (pkg/action/show.go):
 * Chart.yaml as yaml.Marshal(Metadata) writes it (JSON names, omitempty,
 * sorted keys), values.yaml as written, the README, the CRDs of the chart
 * and its subcharts. */
#include "capstan.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "renderer/chart/chart.h"
#include "core/err.h"
#include "core/yaml.h"

static void set_str(arena *a, cval *m, const char *key, const char *v, bool omitempty)
{
    if (!v)
        v = "";
    if (omitempty && !*v)
        return;
    cv_map_set(m, key, cv_cstring(a, v));
}

static void set_list(arena *a, cval *m, const char *key, const char **v, size_t n)
{
    if (n == 0)
        return;
    cval *l = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++)
        cv_list_push(l, cv_cstring(a, v[i] ? v[i] : ""));
    cv_map_set(m, key, l);
}

/* chart.Metadata as encoding/json sees it */
cval *chart_meta_to_json(arena *a, const chart_meta *md)
{
    cval *m = cv_map_new(a);
    set_str(a, m, "name", md->name, true);
    set_str(a, m, "home", md->home, true);
    set_list(a, m, "sources", md->sources, md->nsources);
    set_str(a, m, "version", md->version, true);
    set_str(a, m, "description", md->description, true);
    set_list(a, m, "keywords", md->keywords, md->nkeywords);
    if (md->nmaintainers) {
        cval *l = cv_list_new(a, md->nmaintainers);
        for (size_t i = 0; i < md->nmaintainers; i++) {
            cval *x = cv_map_new(a);
            set_str(a, x, "name", md->maintainers[i].name, true);
            set_str(a, x, "email", md->maintainers[i].email, true);
            set_str(a, x, "url", md->maintainers[i].url, true);
            cv_list_push(l, x);
        }
        cv_map_set(m, "maintainers", l);
    }
    set_str(a, m, "icon", md->icon, true);
    set_str(a, m, "apiVersion", md->api_version, true);
    set_str(a, m, "condition", md->condition, true);
    set_str(a, m, "tags", md->tags, true);
    set_str(a, m, "appVersion", md->app_version, true);
    if (md->deprecated)
        cv_map_set(m, "deprecated", cv_true());
    if (md->annotations && cv_map_len(md->annotations))
        cv_map_set(m, "annotations", md->annotations);
    set_str(a, m, "kubeVersion", md->kube_version, true);
    if (md->ndeps) {
        cval *l = cv_list_new(a, md->ndeps);
        for (size_t i = 0; i < md->ndeps; i++) {
            const chart_dep *d = md->deps[i];
            if (!d) {
                cv_list_push(l, cv_nil());
                continue;
            }
            cval *x = cv_map_new(a);
            set_str(a, x, "name", d->name, false);
            set_str(a, x, "version", d->version, true);
            set_str(a, x, "repository", d->repository, false);
            set_str(a, x, "condition", d->condition, true);
            set_list(a, x, "tags", d->tags, d->ntags);
            if (d->enabled)
                cv_map_set(x, "enabled", cv_true());
            if (d->import_values && cv_is(d->import_values, CV_LIST) && cv_list_len(d->import_values))
                cv_map_set(x, "import-values", d->import_values);
            set_str(a, x, "alias", d->alias, true);
            cv_list_push(l, x);
        }
        cv_map_set(m, "dependencies", l);
    }
    set_str(a, m, "type", md->type, true);
    return m;
}

static bool manifest_ext(const char *name)
{
    const char *sl = strrchr(name, '/');
    const char *dot = strrchr(name, '.');
    if (!dot || (sl && dot < sl))
        return false;
    return !strcasecmp(dot, ".yaml") || !strcasecmp(dot, ".yml") || !strcasecmp(dot, ".json");
}

static void show_crds(strbuf *out, const chart *c, int depth)
{
    for (size_t i = 0; i < c->nfiles; i++) {
        const chart_file *f = &c->files[i];
        if (strncmp(f->name, "crds/", 5) != 0 || !manifest_ext(f->name))
            continue;
        if (!(f->len >= 3 && memcmp(f->data, "---", 3) == 0))
            sb_adds(out, "---\n");
        sb_add(out, f->data, f->len);
        sb_addc(out, '\n');
    }
    if (depth < CHART_MAX_DEPTH)
        for (size_t i = 0; i < c->ndeps; i++)
            show_crds(out, c->deps[i], depth + 1);
}

int capstan_show(const char *chart_path, const char *what, char **out, size_t *outlen, capstan_error *err)
{
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    chart *c;
    if (chart_load(a, chart_path, &c, &e) != 0) {
        arena_free(a);
        return cap_err_publish(err, &e, CAPSTAN_ERENDER);
    }
    bool all = strcmp(what, "all") == 0;
    strbuf sb = STRBUF_INIT;
    if (all || strcmp(what, "chart") == 0) {
        if (yaml_emit(&sb, chart_meta_to_json(a, c->meta), &e) != 0) {
            sb_release(&sb);
            arena_free(a);
            return cap_err_publish(err, &e, CAPSTAN_ERENDER);
        }
        sb_addc(&sb, '\n');
    }
    if ((all || strcmp(what, "values") == 0) && c->values_raw) {
        if (all)
            sb_adds(&sb, "---\n");
        sb_add(&sb, c->values_raw, c->values_raw_len);
        sb_addc(&sb, '\n');
    }
    if (all || strcmp(what, "readme") == 0) {
        static const char *const names[] = {"readme.md", "readme.txt", "readme"};
        const chart_file *readme = NULL;
        for (size_t i = 0; i < c->nfiles && !readme; i++)
            for (size_t k = 0; k < 3; k++)
                if (strcasecmp(c->files[i].name, names[k]) == 0) {
                    readme = &c->files[i];
                    break;
                }
        if (readme) {
            if (all)
                sb_adds(&sb, "---\n");
            sb_add(&sb, readme->data, readme->len);
            sb_addc(&sb, '\n');
        }
    }
    if (all || strcmp(what, "crds") == 0)
        show_crds(&sb, c, 0);
    arena_free(a);
    *out = sb_detach(&sb, outlen);
    return 0;
}
