/* dep_package.c — pack a chart directory into NAME-VERSION.tgz for a file://
 * dependency (see dep_int.h). With renderer/chart/chart_package.h (`capstan
 * package`, helm's save.go) built in, that packager is used. Otherwise a
 * minimal one: every file the chart's .helmignore keeps, byte for byte, under
 * NAME/ in a gzipped tar, with sorted paths so that the archive is the same
 * for the same tree (helm's Save would re-marshal Chart.yaml). */
#include "renderer/chart/chart.h"
#include "installer/net/dep_int.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#if __has_include("chart_package.h")
#include "renderer/chart/chart_package.h"

int dep_package_dir(const char *dir, const char *name, const char *dest, cap_err *err)
{
    (void)name;
    const char *slash = strrchr(dest, '/');
    char *ddir = slash ? xstrndup(dest, (size_t)(slash - dest)) : xstrdup(".");
    chart_package_opts o = {ddir, NULL, NULL};
    char *out = NULL;
    int rc = chart_package_dir(dir, &o, &out, err);
    if (rc == 0 && strcmp(out, dest) != 0 && rename(out, dest) != 0)
        rc = cap_err_set(err, "%s: cannot write: %s", dest, strerror(errno));
    free(out);
    free(ddir);
    return rc;
}
#else
typedef struct walk {
    const char *root;
    chart_ignore *ig;
    char **paths;    /* relative, files only */
    size_t n, cap;
    size_t total;
} walk;

static int cmp_str(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

static int walk_dir(walk *w, const char *rel, int depth, cap_err *err)
{
    if (depth > CHART_MAX_DEPTH)
        return cap_err_set(err, "%s/%s: directories nested too deep", w->root, rel);
    strbuf p = STRBUF_INIT;
    sb_addf(&p, "%s%s%s", w->root, *rel ? "/" : "", rel);
    DIR *d = opendir(p.buf);
    if (!d) {
        cap_err_set(err, "%s: %s", p.buf, strerror(errno));
        sb_release(&p);
        return -1;
    }
    int rc = 0;
    struct dirent *de;
    while (rc == 0 && (de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        strbuf r = STRBUF_INIT, full = STRBUF_INIT;
        sb_addf(&r, "%s%s%s", rel, *rel ? "/" : "", de->d_name);
        sb_addf(&full, "%s/%s", w->root, r.buf);
        struct stat st;
        if (stat(full.buf, &st) != 0) {
            rc = cap_err_set(err, "%s: %s", full.buf, strerror(errno));
        } else if (S_ISDIR(st.st_mode)) {
            if (!(w->ig && chart_ignore_match(w->ig, r.buf, true)))
                rc = walk_dir(w, r.buf, depth + 1, err);
        } else if (S_ISREG(st.st_mode)) {
            if (!(w->ig && chart_ignore_match(w->ig, r.buf, false)) && strcmp(r.buf, ".helmignore") != 0) {
                if ((long)st.st_size > CHART_MAX_FILE_SIZE)
                    rc = cap_err_set(err, "%s: file too large for a chart", full.buf);
                w->total += (size_t)st.st_size;
                if (w->n == w->cap) {
                    w->cap = w->cap ? w->cap * 2 : 32;
                    w->paths = xrealloc(w->paths, w->cap * sizeof *w->paths);
                }
                w->paths[w->n++] = sb_detach(&r, NULL);
                if (w->n > CHART_MAX_FILES || w->total > (size_t)CHART_MAX_TOTAL_SIZE)
                    rc = cap_err_set(err, "%s: chart too large", w->root);
            }
        }
        sb_release(&r);
        sb_release(&full);
    }
    closedir(d);
    sb_release(&p);
    return rc;
}

int dep_package_dir(const char *dir, const char *name, const char *dest, cap_err *err)
{
    arena *a = arena_new();
    walk w = {dir, NULL, NULL, 0, 0, 0};
    strbuf text = STRBUF_INIT, ignpath = STRBUF_INIT;
    sb_addf(&ignpath, "%s/.helmignore", dir);
    int rc = 0;
    if (access(ignpath.buf, F_OK) == 0) {
        cap_err e2 = CAP_ERR_INIT;
        if (fsu_read_file(ignpath.buf, &text, &e2) == 0)
            w.ig = chart_ignore_parse(a, sb_str(&text), text.len, &e2);
        if (e2.msg) {
            cap_err_move(err, &e2);
            cap_err_set_file(err, ignpath.buf);
            rc = -1;
        }
    }
    if (rc == 0)
        rc = walk_dir(&w, "", 0, err);
    if (rc == 0)
        qsort(w.paths, w.n, sizeof *w.paths, cmp_str);
    struct archive *ar = NULL;
    strbuf tmp = STRBUF_INIT;
    if (rc == 0) {
        sb_addf(&tmp, "%s.tmp-%ld", dest, (long)getpid());
        ar = archive_write_new();
        archive_write_add_filter_gzip(ar);
        archive_write_set_format_pax_restricted(ar);
        if (archive_write_open_filename(ar, tmp.buf) != ARCHIVE_OK)
            rc = cap_err_set(err, "%s: %s", dest, archive_error_string(ar));
    }
    for (size_t i = 0; rc == 0 && i < w.n; i++) {
        strbuf full = STRBUF_INIT, data = STRBUF_INIT, in = STRBUF_INIT;
        sb_addf(&full, "%s/%s", dir, w.paths[i]);
        sb_addf(&in, "%s/%s", name, w.paths[i]);
        rc = fsu_read_file(full.buf, &data, err);
        if (rc == 0) {
            struct archive_entry *e = archive_entry_new();
            archive_entry_set_pathname(e, in.buf);
            archive_entry_set_size(e, (la_int64_t)data.len);
            archive_entry_set_filetype(e, AE_IFREG);
            archive_entry_set_perm(e, 0644);
            archive_entry_set_mtime(e, 0, 0);
            if (archive_write_header(ar, e) != ARCHIVE_OK ||
                (data.len && archive_write_data(ar, data.buf, data.len) < 0))
                rc = cap_err_set(err, "%s: %s", dest, archive_error_string(ar));
            archive_entry_free(e);
        }
        sb_release(&full);
        sb_release(&data);
        sb_release(&in);
    }
    if (ar) {
        if (archive_write_close(ar) != ARCHIVE_OK && rc == 0)
            rc = cap_err_set(err, "%s: %s", dest, archive_error_string(ar));
        archive_write_free(ar);
        if (rc == 0 && rename(tmp.buf, dest) != 0)
            rc = cap_err_set(err, "%s: cannot write: %s", dest, strerror(errno));
        if (rc != 0)
            unlink(tmp.buf);
    }
    for (size_t i = 0; i < w.n; i++)
        free(w.paths[i]);
    free(w.paths);
    sb_release(&tmp);
    sb_release(&text);
    sb_release(&ignpath);
    arena_free(a);
    return rc;
}
#endif
