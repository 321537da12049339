/* chart_load.c — load a chart from a directory or a gzipped tar archive, as
 * Helm's pkg/chart/v2/loader does (LoadDir, LoadArchive, LoadFiles), reading
 * archives safely: no absolute paths, no escapes from the chart, no symlinks,
 * no entry or chart over the size limits, no more than CHART_MAX_FILES files. */
#include "renderer/chart/chart.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/yaml.h"

typedef chart_budget budget;
#define BUDGET_INIT CHART_BUDGET_INIT

static int load_files(arena *a, chart_file *files, size_t n, const char *name, budget *left, chart **out,
                      cap_err *err);

typedef struct filelist {
    chart_file *f;
    size_t n, cap;
    size_t total;
} filelist;

static void fl_add(arena *a, filelist *fl, const char *name, const char *data, size_t len, long long mtime)
{
    if (fl->n == fl->cap) {
        size_t nc = fl->cap ? fl->cap * 2 : 32;
        fl->f = arena_realloc(a, fl->f, fl->cap * sizeof *fl->f, nc * sizeof *fl->f);
        fl->cap = nc;
    }
    fl->f[fl->n].name = name;
    fl->f[fl->n].data = data;
    fl->f[fl->n].len = len;
    fl->f[fl->n].mtime = mtime;
    fl->n++;
}

static int load_dir(arena *a, const char *path, chart **out, cap_err *err)
{
    chart_file *f;
    size_t n;
    if (chart_list_dir(a, path, &f, &n, err) != 0)
        return -1;
    return chart_load_files(a, f, n, path, out, err);
}

/* ---- archives ------------------------------------------------------------- */


/* libarchive's complaint in the words of Go's gzip and tar readers, which helm prints. */
static const char *archive_problem(struct archive *ar)
{
    const char *m = archive_error_string(ar);
    if (!m)
        return "unexpected EOF";
    if (strcasestr(m, "truncated") || strcasestr(m, "premature end"))
        return "unexpected EOF (the archive is truncated)";
    if (strcasestr(m, "decompression failed") || strcasestr(m, "invalid") || strcasestr(m, "corrupt"))
        return "flate: corrupt input (the archive is not valid gzip)";
    return m;
}

static int by_name_then_index(const void *x, const void *y, void *ctx)
{
    const chart_file *f = ctx;
    size_t i = *(const size_t *)x, j = *(const size_t *)y;
    int c = strcmp(f[i].name, f[j].name);
    return c ? c : (i > j) - (i < j);
}

/* An archive may hold the same member twice: helm's loader keeps every copy
 * and the later one wins everywhere (templates, values, .Files, Expand's
 * writes), so only the last copy of each name stays, in its place. */
static void drop_earlier_duplicates(filelist *fl)
{
    size_t *ix = malloc(fl->n * sizeof *ix);
    bool *dead = calloc(fl->n, sizeof *dead);
    if (!ix || !dead)
        abort();
    for (size_t i = 0; i < fl->n; i++)
        ix[i] = i;
    qsort_r(ix, fl->n, sizeof *ix, by_name_then_index, fl->f);
    size_t ndead = 0;
    for (size_t k = 0; k + 1 < fl->n; k++)
        if (strcmp(fl->f[ix[k]].name, fl->f[ix[k + 1]].name) == 0)
            dead[ix[k]] = true, ndead++;
    if (ndead) {
        size_t w = 0;
        for (size_t i = 0; i < fl->n; i++)
            if (!dead[i])
                fl->f[w++] = fl->f[i];
        fl->n = w;
    }
    free(ix);
    free(dead);
}

static int list_archive(arena *a, const void *data, size_t len, const char *name, budget *left, chart_file **out,
                        size_t *nout, cap_err *err)
{
    const unsigned char *b = data;
    if (len < 3 || b[0] != 0x1f || b[1] != 0x8b || b[2] != 0x08)
        return cap_err_at(err, name, 0, 0, "file '%s' does not appear to be a gzipped archive", name);
    struct archive *ar = archive_read_new();
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    archive_read_support_format_gnutar(ar);
    filelist fl = {0};
    int rc = 0;
    if (archive_read_open_memory(ar, data, len) != ARCHIVE_OK) {
        rc = cap_err_at(err, name, 0, 0, "%s", archive_problem(ar));
        goto done;
    }
    size_t remaining = left->bytes;
    for (;;) {
        struct archive_entry *e;
        int r = archive_read_next_header(ar, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            rc = cap_err_at(err, name, 0, 0, "%s", archive_problem(ar));
            goto done;
        }
        const char *hn = archive_entry_pathname(e);
        if (!hn)
            hn = "";
        mode_t ft = archive_entry_filetype(e);
        if (ft == AE_IFDIR)
            continue;
        if (ft == AE_IFLNK || archive_entry_hardlink(e)) {
            rc = cap_err_at(err, name, 0, 0, "chart archive contains a link, which is not allowed: %s", hn);
            goto done;
        }
        if (ft != AE_IFREG && ft != 0) {
            rc = cap_err_at(err, name, 0, 0, "chart archive contains a special file, which is not allowed: %s", hn);
            goto done;
        }
        const char *delim = strchr(hn, '\\') ? "\\" : "/";
        const char *slash = strstr(hn, delim);
        char *n = arena_strdup(a, slash ? slash + 1 : "");
        bool first_is_chart = slash ? (size_t)(slash - hn) == 10 && strncmp(hn, "Chart.yaml", 10) == 0
                                    : strcmp(hn, "Chart.yaml") == 0;
        if (*delim == '\\')
            for (char *q = n; *q; q++)
                if (*q == '\\')
                    *q = '/';
        if (n[0] == '/') {
            rc = cap_err_at(err, name, 0, 0, "chart illegally contains absolute paths");
            goto done;
        }
        n = chart_clean_path(a, n);
        if (strcmp(n, ".") == 0) {
            rc = cap_err_at(err, name, 0, 0, "chart illegally contains content outside the base directory: \"%s\"", hn);
            goto done;
        }
        if (strncmp(n, "..", 2) == 0) {
            rc = cap_err_at(err, name, 0, 0, "chart illegally references parent directory");
            goto done;
        }
        if (((n[0] >= 'a' && n[0] <= 'z') || (n[0] >= 'A' && n[0] <= 'Z')) && n[1] == ':' && n[2] == '/') {
            rc = cap_err_at(err, name, 0, 0, "chart contains illegally named files");
            goto done;
        }
        if (first_is_chart) {
            rc = cap_err_at(err, name, 0, 0, "chart yaml not in base directory");
            goto done;
        }
        int64_t size = archive_entry_size(e);
        if (size > (int64_t)remaining) {
            rc = cap_err_at(err, name, 0, 0, "decompressed chart is larger than the maximum size %ld", CHART_MAX_TOTAL_SIZE);
            goto done;
        }
        if (size > CHART_MAX_FILE_SIZE) {
            rc = cap_err_at(err, name, 0, 0, "decompressed chart file \"%s\" is larger than the maximum file size %ld", hn,
                            CHART_MAX_FILE_SIZE);
            goto done;
        }
        if (left->files == 0) {
            rc = cap_err_at(err, name, 0, 0, "chart archive has more than %d files", CHART_MAX_FILES);
            goto done;
        }
        strbuf sb = STRBUF_INIT;
        char buf[65536];
        la_ssize_t got;
        while ((got = archive_read_data(ar, buf, sizeof buf)) > 0) {
            sb_add(&sb, buf, (size_t)got);
            if (sb.len > CHART_MAX_FILE_SIZE || sb.len > remaining)
                break;
        }
        if (got < 0) {
            sb_release(&sb);
            rc = cap_err_at(err, name, 0, 0, "%s", archive_problem(ar));
            goto done;
        }
        if (sb.len > CHART_MAX_FILE_SIZE || sb.len > remaining) {
            sb_release(&sb);
            rc = cap_err_at(err, name, 0, 0, "decompressed chart is larger than the maximum size %ld", CHART_MAX_TOTAL_SIZE);
            goto done;
        }
        remaining -= sb.len;
        left->bytes = remaining;
        left->files--;
        long long mt = (long long)archive_entry_mtime(e);
        if (archive_entry_mtime_is_set(e) && archive_entry_mtime_nsec(e) >= 500000000L)
            mt++;
        /* one byte order mark trimmed, as helm's archive loader does (a
         * directory's files were trimmed as they were read) */
        size_t skip = sb.len >= 3 && memcmp(sb_str(&sb), "\xEF\xBB\xBF", 3) == 0 ? 3 : 0;
        fl_add(a, &fl, n, arena_strndup(a, sb_str(&sb) + skip, sb.len - skip), sb.len - skip, mt);
        sb_release(&sb);
    }
    if (fl.n == 0) {
        rc = cap_err_at(err, name, 0, 0, "no files in chart archive");
        goto done;
    }
    drop_earlier_duplicates(&fl);
done:
    archive_read_free(ar);
    if (rc != 0)
        return rc;
    *out = fl.f;
    *nout = fl.n;
    return 0;
}

int chart_list_archive(arena *a, const void *data, size_t len, const char *name, chart_file **out, size_t *nout,
                       cap_err *err)
{
    budget left = BUDGET_INIT;
    return list_archive(a, data, len, name, &left, out, nout, err);
}

int chart_list_archive_within(arena *a, const void *data, size_t len, const char *name, chart_budget *left,
                              chart_file **out, size_t *nout, cap_err *err)
{
    return list_archive(a, data, len, name, left, out, nout, err);
}

static int load_archive(arena *a, const void *data, size_t len, const char *name, budget *left, chart **out,
                        cap_err *err)
{
    chart_file *f;
    size_t n;
    if (list_archive(a, data, len, name, left, &f, &n, err) != 0)
        return -1;
    return load_files(a, f, n, name, left, out, err);
}

int chart_load_archive(arena *a, const void *data, size_t len, const char *name, chart **out, cap_err *err)
{
    budget left = BUDGET_INIT;
    return load_archive(a, data, len, name, &left, out, err);
}

/* ---- LoadFiles -------------------------------------------------------------- */

cval *chart_merge_maps(arena *a, cval *x, cval *y)
{
    cval *out = cv_map_new(a);
    size_t n;
    const cv_entry *e = cv_map_sorted(x, &n);
    for (size_t i = 0; i < n; i++)
        cv_map_setn(out, e[i].key, e[i].keylen, e[i].val);
    e = cv_map_sorted(y, &n);
    for (size_t i = 0; i < n; i++) {
        cval *ov = cv_map_getn(out, e[i].key, e[i].keylen);
        if (cv_is(e[i].val, CV_MAP) && cv_is(ov, CV_MAP)) {
            cv_map_setn(out, e[i].key, e[i].keylen, chart_merge_maps(a, ov, e[i].val));
            continue;
        }
        cv_map_setn(out, e[i].key, e[i].keylen, e[i].val);
    }
    return out;
}

int chart_read_values(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err)
{
    /* Helm v4's loader: documents split at "---" lines, each read, merged deeply */
    return yaml_parse_values(a, text, len, file, out, err);
}

static bool has_ext(const char *name, const char *ext)
{
    const char *slash = strrchr(name, '/');
    const char *base = slash ? slash + 1 : name;
    const char *dot = strrchr(base, '.');
    return dot && strcmp(dot, ext) == 0;
}

typedef struct group {
    const char *name;
    filelist files;
} group;


int chart_load_early(arena *a, const char *path, chart_early_fn early, chart_link_fn link, void *ctx, chart **out,
                     cap_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
        return chart_load(a, path, out, err);
    chart_file *f;
    size_t n;
    if (chart_dir_read(a, path, early, link, ctx, &f, &n, err) != 0)
        return -1;
    return chart_load_files(a, f, n, path, out, err);
}

int chart_load_files(arena *a, chart_file *files, size_t n, const char *name, chart **out, cap_err *err)
{
    budget left = BUDGET_INIT;
    return load_files(a, files, n, name, &left, out, err);
}

static int load_files(arena *a, chart_file *files, size_t n, const char *name, budget *left, chart **out,
                      cap_err *err)
{
    int depth = 0;
    for (const char *q = name; (q = strstr(q, "/charts/")); q++)
        depth++;
    if (depth > CHART_MAX_DEPTH)
        return cap_err_at(err, name, 0, 0, "subcharts nested more than %d deep", CHART_MAX_DEPTH);
    chart *c = arena_zalloc(a, sizeof *c);
    c->source = name;
    c->values = cv_map_new(a);
    for (size_t i = 0; i < n; i++) {
        if (strcmp(files[i].name, "Chart.yaml") == 0) {
            const char *fn = arena_printf(a, "%s/Chart.yaml", name);
            c->meta_mtime = files[i].mtime;
            if (chart_meta_parse(a, files[i].data, files[i].len, fn, &c->meta, err) != 0) {
                cap_err_prefix(err, "cannot load Chart.yaml");
                if (!err->file)
                    cap_err_set_file(err, fn);
                return -1;
            }
        }
    }
    filelist tpl = {0}, other = {0};
    group *groups = NULL;
    size_t ngroups = 0, gcap = 0;
    for (size_t i = 0; i < n; i++) {
        chart_file *f = &files[i];
        const char *fn = f->name;
        if (strcmp(fn, "Chart.yaml") == 0)
            continue;
        if (strcmp(fn, "Chart.lock") == 0 || strcmp(fn, "requirements.lock") == 0) {
            c->lock_raw = f->data;
            c->lock_len = f->len;
            if (fn[0] == 'C')
                continue;
        }
        if (strcmp(fn, "values.yaml") == 0) {
            const char *path = arena_printf(a, "%s/values.yaml", name);
            if (chart_read_values(a, f->data, f->len, path, &c->values, err) != 0) {
                cap_err_prefix(err, "cannot load values.yaml");
                if (!err->file)
                    cap_err_set_file(err, path);
                return -1;
            }
            c->values_raw = f->data;
            c->values_raw_len = f->len;
            c->values_mtime = f->mtime;
        } else if (strcmp(fn, "values.schema.json") == 0) {
            c->schema = f->data;
            c->schema_len = f->len;
            c->schema_mtime = f->mtime;
        } else if (strcmp(fn, "requirements.yaml") == 0) {
            if (!c->meta) {
                c->meta = arena_zalloc(a, sizeof *c->meta);
                c->meta->api_version = c->meta->name = c->meta->home = c->meta->version = "";
                c->meta->description = c->meta->icon = c->meta->condition = c->meta->tags = "";
                c->meta->app_version = c->meta->kube_version = c->meta->type = "";
            }
            const char *path = arena_printf(a, "%s/requirements.yaml", name);
            if (chart_meta_merge_requirements(a, c->meta, f->data, f->len, path, err) != 0) {
                cap_err_prefix(err, "cannot load requirements.yaml");
                if (!err->file)
                    cap_err_set_file(err, path);
                return -1;
            }
            if (strcmp(c->meta->api_version, "v1") == 0)
                fl_add(a, &other, fn, f->data, f->len, f->mtime);
        } else if (strcmp(fn, "requirements.lock") == 0) {
            if (c->meta && strcmp(c->meta->api_version, "v1") == 0)
                fl_add(a, &other, fn, f->data, f->len, f->mtime);
        } else if (strncmp(fn, "templates/", 10) == 0) {
            fl_add(a, &tpl, fn, f->data, f->len, f->mtime);
        } else if (strncmp(fn, "charts/", 7) == 0) {
            if (has_ext(fn, ".prov")) {
                fl_add(a, &other, fn, f->data, f->len, f->mtime);
                continue;
            }
            const char *rest = fn + 7;
            const char *sl = strchr(rest, '/');
            size_t cl = sl ? (size_t)(sl - rest) : strlen(rest);
            group *g = NULL;
            for (size_t k = 0; k < ngroups; k++)
                if (strlen(groups[k].name) == cl && strncmp(groups[k].name, rest, cl) == 0)
                    g = &groups[k];
            if (!g) {
                if (ngroups == gcap) {
                    size_t nc = gcap ? gcap * 2 : 8;
                    groups = arena_realloc(a, groups, gcap * sizeof *groups, nc * sizeof *groups);
                    gcap = nc;
                }
                g = &groups[ngroups++];
                memset(g, 0, sizeof *g);
                g->name = arena_strndup(a, rest, cl);
            }
            fl_add(a, &g->files, rest, f->data, f->len, f->mtime);
        } else {
            fl_add(a, &other, fn, f->data, f->len, f->mtime);
        }
    }
    if (!c->meta)
        return cap_err_at(err, name, 0, 0, "Chart.yaml file is missing");
    if (chart_meta_validate(c->meta, err) != 0) {
        cap_err_set_file(err, arena_printf(a, "%s/Chart.yaml", name));
        return -1;
    }
    c->templates = tpl.f;
    c->ntemplates = tpl.n;
    c->files = other.f;
    c->nfiles = other.n;
    /* subcharts, in name order */
    for (size_t i = 1; i < ngroups; i++)
        for (size_t j = i; j > 0 && strcmp(groups[j - 1].name, groups[j].name) > 0; j--) {
            group t = groups[j];
            groups[j] = groups[j - 1];
            groups[j - 1] = t;
        }
    c->deps = arena_zalloc(a, (ngroups + 1) * sizeof *c->deps);
    for (size_t k = 0; k < ngroups; k++) {
        group *g = &groups[k];
        if (g->name[0] == '_' || g->name[0] == '.')
            continue;
        chart *sc = NULL;
        const char *subname = arena_printf(a, "%s/charts/%s", name, g->name);
        cap_err e2 = CAP_ERR_INIT;
        int r;
        if (has_ext(g->name, ".tgz")) {
            if (strcmp(g->files.f[0].name, g->name) != 0) {
                return cap_err_at(err, subname, 0, 0, "error unpacking subchart tar in %s: expected %s, got %s",
                                  chart_name(c), g->name, g->files.f[0].name);
            }
            r = load_archive(a, g->files.f[0].data, g->files.f[0].len, subname, left, &sc, &e2);
        } else {
            filelist sub = {0};
            for (size_t i = 0; i < g->files.n; i++) {
                const char *sl = strchr(g->files.f[i].name, '/');
                if (!sl)
                    continue;
                fl_add(a, &sub, sl + 1, g->files.f[i].data, g->files.f[i].len, g->files.f[i].mtime);
            }
            r = load_files(a, sub.f, sub.n, subname, left, &sc, &e2);
        }
        if (r != 0) {
            cap_err_move(err, &e2);
            cap_err_prefix(err, "error unpacking subchart %s in %s", g->name, chart_name(c));
            return -1;
        }
        sc->parent = c;
        c->deps[c->ndeps++] = sc;
    }
    *out = c;
    return 0;
}

int chart_load(arena *a, const char *path, chart **out, cap_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cap_err_at(err, path, 0, 0, "path \"%s\" not found", path);
    if (S_ISDIR(st.st_mode))
        return load_dir(a, path, out, err);
    char *data;
    size_t len;
    if (st.st_size > CHART_MAX_TOTAL_SIZE)
        return cap_err_at(err, path, 0, 0, "chart archive is larger than the maximum size %ld", CHART_MAX_TOTAL_SIZE);
    if (chart_read_path(a, path, &data, &len, err) != 0)
        return -1;
    size_t pl = strlen(path);
    if (len < 3 || (unsigned char)data[0] != 0x1f || (unsigned char)data[1] != 0x8b) {
        if (pl > 4 && (strcmp(path + pl - 4, ".yml") == 0 || (pl > 5 && strcmp(path + pl - 5, ".yaml") == 0)))
            return cap_err_at(err, path, 0, 0, "file '%s' seems to be a YAML file, but expected a gzipped archive", path);
    }
    return chart_load_archive(a, data, len, path, out, err);
}

const char *chart_full_path(arena *a, const chart *c)
{
    if (!c->parent)
        return chart_name(c);
    return arena_printf(a, "%s/charts/%s", chart_full_path(a, c->parent), chart_name(c));
}

bool chart_is_library(const chart *c)
{
    return c->meta && strcmp(c->meta->type, "library") == 0;
}
