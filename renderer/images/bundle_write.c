/* bundle_write.c — write a capstan bundle (see bundle.h): bundle.json, the
 * chart packaged, the values files, the image list, the OCI image layout,
 * and SHA256SUMS of every member, through a temporary file renamed at the end. */
#include "renderer/images/bundle.h"

#include <archive.h>
#include <archive_entry.h>
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "renderer/chart/chart.h"
#include "renderer/chart/chart_package.h"
#include "core/digest.h"
#include "core/json.h"
#include "core/strbuf.h"

typedef struct writer {
    arena *a;
    struct archive *ar;
    time_t mtime;
    const char **lines; /* "HEX  NAME\n" in write order (sorted at the end) */
    size_t nlines, caplines;
} writer;

static void add_sum(writer *w, const char *name, const unsigned char *dg)
{
    char hex[65];
    digest_to_hex(dg, 32, hex);
    if (w->nlines == w->caplines) {
        size_t nc = w->caplines ? w->caplines * 2 : 64;
        w->lines = arena_realloc(w->a, w->lines, w->caplines * sizeof *w->lines, nc * sizeof *w->lines);
        w->caplines = nc;
    }
    w->lines[w->nlines++] = arena_printf(w->a, "%s  %s\n", hex, name);
}

static struct archive_entry *entry(writer *w, const char *name, int64_t size)
{
    struct archive_entry *e = archive_entry_new();
    archive_entry_set_pathname(e, name);
    archive_entry_set_size(e, size);
    archive_entry_set_filetype(e, AE_IFREG);
    archive_entry_set_perm(e, 0644);
    archive_entry_set_mtime(e, w->mtime, 0);
    return e;
}

static int put_mem(writer *w, const char *name, const void *data, size_t len, bool sum, cap_err *err)
{
    struct archive_entry *e = entry(w, name, (int64_t)len);
    int rc = archive_write_header(w->ar, e);
    archive_entry_free(e);
    if (rc != ARCHIVE_OK || (len && archive_write_data(w->ar, data, len) != (la_ssize_t)len))
        return cap_err_set(err, "writing %s: %s", name, archive_error_string(w->ar));
    if (sum) {
        unsigned char dg[32];
        digest_bytes(DIGEST_SHA256, data, len, dg);
        add_sum(w, name, dg);
    }
    return 0;
}

static int put_file(writer *w, const char *name, const char *path, cap_err *err)
{
    FILE *f = fopen(path, "rb");
    struct stat st;
    if (!f || fstat(fileno(f), &st) != 0 || !S_ISREG(st.st_mode)) {
        if (f)
            fclose(f);
        return cap_err_at(err, path, 0, 0, "open %s: %s", path, f ? "not a regular file" : strerror(errno));
    }
    struct archive_entry *e = entry(w, name, (int64_t)st.st_size);
    int rc = archive_write_header(w->ar, e);
    archive_entry_free(e);
    if (rc != ARCHIVE_OK) {
        fclose(f);
        return cap_err_set(err, "writing %s: %s", name, archive_error_string(w->ar));
    }
    digest_sha256_ctx md;
    digest_sha256_init(&md);
    char buf[65536];
    size_t n, total = 0;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0 && total + n <= (size_t)st.st_size) {
        digest_sha256_update(&md, buf, n);
        total += n;
        if (archive_write_data(w->ar, buf, n) != (la_ssize_t)n)
            break;
    }
    fclose(f);
    unsigned char dg[32];
    digest_sha256_final(&md, dg);
    if (total != (size_t)st.st_size)
        return cap_err_at(err, path, 0, 0, "%s changed or could not be read while bundling", path);
    add_sum(w, name, dg);
    return 0;
}

/* the OCI image layout, every file under dir as images/REL */
static int put_tree(writer *w, const char *dir, const char *prefix, int depth, cap_err *err)
{
    if (depth > 8)
        return cap_err_at(err, dir, 0, 0, "directories nested too deeply");
    struct dirent **names;
    int n = scandir(dir, &names, NULL, alphasort);
    if (n < 0)
        return cap_err_at(err, dir, 0, 0, "open %s: %s", dir, strerror(errno));
    int rc = 0;
    for (int i = 0; i < n; i++) {
        const char *nm = names[i]->d_name;
        if (rc == 0 && strcmp(nm, ".") != 0 && strcmp(nm, "..") != 0) {
            char *full = arena_printf(w->a, "%s/%s", dir, nm);
            char *member = arena_printf(w->a, "%s/%s", prefix, nm);
            struct stat st;
            if (stat(full, &st) != 0)
                rc = cap_err_at(err, full, 0, 0, "%s", strerror(errno));
            else if (S_ISDIR(st.st_mode))
                rc = put_tree(w, full, member, depth + 1, err);
            else
                rc = put_file(w, member, full, err);
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* ---- the chart, packaged as helm package lays it out (NAME/...) -------------------- */

/* The chart directory as `capstan package` (helm's save.go) writes it, packaged
 * into a private temporary directory, then carried into the bundle. */
static int package_dir(writer *w, const char *dir, strbuf *out, cap_err *err)
{
    char tmp[] = "/tmp/capstan-bundle-XXXXXX";
    const char *tdir = getenv("TMPDIR");
    char *tmpl = tdir && *tdir ? arena_printf(w->a, "%s/capstan-bundle-XXXXXX", tdir) : tmp;
    if (!mkdtemp(tmpl))
        return cap_err_at(err, tmpl, 0, 0, "cannot make a temporary directory: %s", strerror(errno));
    chart_package_opts po = {.dest = tmpl};
    char *path = NULL;
    int rc = chart_package_dir(dir, &po, &path, err);
    if (rc == 0) {
        if (sb_read_file(out, path) != 0)
            rc = cap_err_at(err, path, 0, 0, "%s", strerror(errno));
        unlink(path);
    }
    free(path);
    rmdir(tmpl);
    return rc;
}

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int cmp_lines(const void *x, const void *y)
{
    /* by member name, after "HEX  " */
    return strcmp(*(const char *const *)x + 66, *(const char *const *)y + 66);
}

static int write_all(writer *w, const bundle_spec *s, cap_err *err)
{
    const char *chart_member = arena_printf(w->a, "chart/%s-%s.tgz", s->chart_name, s->chart_version);
    const char **vm = arena_zalloc(w->a, (s->nvalues + 1) * sizeof *vm);
    for (size_t i = 0; i < s->nvalues; i++)
        vm[i] = arena_printf(w->a, "values/%02zu-%s", i + 1, base_name(s->value_files[i]));
    strbuf meta = STRBUF_INIT;
    sb_adds(&meta, "{\"apiVersion\":\"capstan.dev/v1\",\"kind\":\"Bundle\",\"chart\":{\"name\":");
    json_emit_string(&meta, s->chart_name, strlen(s->chart_name), JSON_RAW);
    sb_adds(&meta, ",\"version\":");
    json_emit_string(&meta, s->chart_version, strlen(s->chart_version), JSON_RAW);
    sb_adds(&meta, ",\"file\":");
    json_emit_string(&meta, chart_member, strlen(chart_member), JSON_RAW);
    sb_adds(&meta, "},\"values\":[");
    for (size_t i = 0; i < s->nvalues; i++) {
        if (i)
            sb_addc(&meta, ',');
        json_emit_string(&meta, vm[i], strlen(vm[i]), JSON_RAW);
    }
    sb_addf(&meta, "],\"images\":\"%s\",\"layout\":\"%s\"}\n", BUNDLE_IMAGES, s->layout_dir ? BUNDLE_LAYOUT : "");
    int rc = put_mem(w, BUNDLE_META, sb_str(&meta), meta.len, true, err);
    sb_release(&meta);
    if (rc != 0)
        return -1;
    struct stat st;
    if (stat(s->chart_path, &st) == 0 && S_ISDIR(st.st_mode)) {
        strbuf tgz = STRBUF_INIT;
        rc = package_dir(w, s->chart_path, &tgz, err);
        if (rc == 0)
            rc = put_mem(w, chart_member, sb_str(&tgz), tgz.len, true, err);
        sb_release(&tgz);
    } else {
        rc = put_file(w, chart_member, s->chart_path, err);
    }
    for (size_t i = 0; i < s->nvalues && rc == 0; i++)
        rc = put_file(w, vm[i], s->value_files[i], err);
    if (rc == 0)
        rc = put_mem(w, BUNDLE_IMAGES, s->images_json, strlen(s->images_json), true, err);
    if (rc == 0 && s->layout_dir)
        rc = put_tree(w, s->layout_dir, BUNDLE_LAYOUT, 0, err);
    if (rc != 0)
        return -1;
    qsort(w->lines, w->nlines, sizeof *w->lines, cmp_lines);
    strbuf sums = STRBUF_INIT;
    for (size_t i = 0; i < w->nlines; i++)
        sb_adds(&sums, w->lines[i]);
    rc = put_mem(w, BUNDLE_SUMS, sb_str(&sums), sums.len, false, err);
    sb_release(&sums);
    return rc;
}

int bundle_write(arena *a, const bundle_spec *spec, const char *out_path, cap_err *err)
{
    for (size_t i = 0; i < spec->nvalues; i++)
        if (strcmp(spec->value_files[i], "-") == 0)
            return cap_err_set(err, "values from stdin cannot be bundled: give a file");
    char *tmp = arena_printf(a, "%s.tmp-XXXXXX", out_path);
    int fd = mkstemp(tmp);
    if (fd < 0)
        return cap_err_at(err, out_path, 0, 0, "create %s: %s", out_path, strerror(errno));
    writer w = {a, archive_write_new(), 0, NULL, 0, 0};
    const char *sde = getenv("SOURCE_DATE_EPOCH");
    w.mtime = sde && *sde ? (time_t)strtoll(sde, NULL, 10) : time(NULL);
    archive_write_add_filter_gzip(w.ar);
    archive_write_set_format_pax_restricted(w.ar);
    int rc = archive_write_open_fd(w.ar, fd) == ARCHIVE_OK ? write_all(&w, spec, err)
                                                           : cap_err_at(err, out_path, 0, 0, "%s",
                                                                        archive_error_string(w.ar));
    if (archive_write_close(w.ar) != ARCHIVE_OK && rc == 0)
        rc = cap_err_at(err, out_path, 0, 0, "write %s: %s", out_path, archive_error_string(w.ar));
    archive_write_free(w.ar);
    if (rc == 0 && fsync(fd) != 0)
        rc = cap_err_at(err, out_path, 0, 0, "write %s: %s", out_path, strerror(errno));
    close(fd);
    if (rc == 0 && rename(tmp, out_path) != 0)
        rc = cap_err_at(err, out_path, 0, 0, "rename to %s: %s", out_path, strerror(errno));
    if (rc != 0)
        unlink(tmp);
    else
        chmod(out_path, 0644);
    return rc;
}
