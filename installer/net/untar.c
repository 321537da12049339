/* untar.c — unpack a chart archive as helm's chartutil.ExpandFile does (see
 * untar.h: fsu_untar), all or nothing.
 *
 * The archive is read whole by the chart loader first (chart_list_archive:
 * helm's LoadArchiveFiles, with its path checks and size limits), the chart's
 * name taken from its Chart.yaml, and only then is anything written: into a
 * fresh temporary folder beside the destination, which is renamed to DIR/NAME
 * once every file is in it. Entries land below NAME/ whatever their top folder
 * was called in the archive; on any failure the temporary folder goes and
 * nothing is left. */
#include "core/fsutil.h"
#include "installer/net/untar.h"
#include "core/xalloc.h"

#include "core/arena.h"
#include "renderer/chart/chart.h"
#include "core/gofmt.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The chart's name from its Chart.yaml, checked as helm's Expand checks it. */
static int chart_name_of(arena *a, const chart_file *f, size_t n, const char *shown, const char **out, cap_err *err)
{
    const char *name = "";
    for (size_t i = 0; i < n; i++) {
        if (strcmp(f[i].name, "Chart.yaml") != 0)
            continue;
        chart_meta *m = NULL;
        if (chart_meta_parse(a, f[i].data, f[i].len, "Chart.yaml", &m, err) != 0) {
            cap_err_prefix(err, "cannot load Chart.yaml");
            if (!err->file)
                cap_err_set_file(err, shown);
            return -1;
        }
        name = m->name ? m->name : "";
    }
    if (!*name)
        return cap_err_at(err, shown, 0, 0, "chart name not specified");
    strbuf q = STRBUF_INIT;
    gofmt_quote(&q, name, strlen(name));
    int rc = 0;
    if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        rc = cap_err_at(err, shown, 0, 0, "chart name %s is not allowed", q.buf);
    else if (strchr(name, '/'))
        rc = cap_err_at(err, shown, 0, 0, "chart name %s must not contain path separators", q.buf);
    sb_release(&q);
    *out = name;
    return rc;
}

/* Write one file at rel (clean, relative, no "..": the loader saw to it) below dirfd. */
static int write_below(int dirfd, const char *rel, const chart_file *f, const char *shown, cap_err *err)
{
    char *path = xstrdup(rel);
    int fd = dirfd, rc = 0;
    char *part = path;
    for (char *slash; rc == 0 && (slash = strchr(part, '/')); part = slash + 1) {
        *slash = '\0';
        if (mkdirat(fd, part, 0755) != 0 && errno != EEXIST)
            rc = cap_err_set(err, "%s/%s: cannot create the folder: %s", shown, rel, strerror(errno));
        int sub = rc == 0 ? openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
        if (rc == 0 && sub < 0)
            rc = cap_err_set(err, "%s/%s: %s", shown, rel, strerror(errno));
        if (fd != dirfd)
            close(fd);
        fd = sub;
    }
    int out = rc == 0 ? openat(fd, part, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644) : -1;
    if (rc == 0 && out < 0)
        rc = cap_err_set(err, "%s/%s: %s", shown, rel, strerror(errno));
    for (size_t done = 0; rc == 0 && done < f->len;) {
        ssize_t w = write(out, f->data + done, f->len - done);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            rc = cap_err_set(err, "%s/%s: %s", shown, rel, w < 0 ? strerror(errno) : "short write");
        else
            done += (size_t)w;
    }
    if (out >= 0 && close(out) != 0 && rc == 0)
        rc = cap_err_set(err, "%s/%s: %s", shown, rel, strerror(errno));
    if (fd >= 0 && fd != dirfd)
        close(fd);
    free(path);
    return rc;
}

static int rm_entry(const char *p, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)ftw;
    return flag == FTW_DP ? rmdir(p) : unlink(p);
}

/* Move tmp to dest unless dest exists (then EEXIST). */
static int rename_noreplace(const char *tmp, const char *dest)
{
#ifdef RENAME_NOREPLACE
    if (renameat2(AT_FDCWD, tmp, AT_FDCWD, dest, RENAME_NOREPLACE) == 0)
        return 0;
    if (errno != EINVAL && errno != ENOSYS)
        return -1;
#endif
    struct stat st;
    if (lstat(dest, &st) == 0) {
        errno = EEXIST;
        return -1;
    }
    return rename(tmp, dest);
}

int fsu_untar(const char *tgz, const char *shown, const char *dir, cap_err *err)
{
    if (!shown)
        shown = tgz;
    arena *a = arena_new();
    char *data;
    size_t len;
    chart_file *f = NULL;
    size_t n = 0;
    const char *name = NULL;
    struct stat st;
    int rc = 0;
    if (stat(tgz, &st) != 0)
        rc = cap_err_at(err, tgz, 0, 0, "cannot read the archive: %s", strerror(errno));
    else if (st.st_size > CHART_MAX_TOTAL_SIZE)
        rc = cap_err_at(err, shown, 0, 0, "chart archive is larger than the maximum size %ld", CHART_MAX_TOTAL_SIZE);
    if (rc == 0)
        rc = chart_read_path(a, tgz, &data, &len, err);
    if (rc == 0)
        rc = chart_list_archive(a, data, len, shown, &f, &n, err);
    if (rc == 0)
        rc = chart_name_of(a, f, n, shown, &name, err);
    /* everything is known good in memory: now write, beside the destination */
    strbuf dest = STRBUF_INIT, tmp = STRBUF_INIT;
    bool made = false;
    if (rc == 0) {
        sb_addf(&dest, "%s/%s", dir, name);
        sb_addf(&tmp, "%s/.%s.capstan-untar-XXXXXX", dir, name);
        if (lstat(dest.buf, &st) == 0)
            rc = cap_err_set(err, "failed to untar: a file or directory with the name %s already exists", dest.buf);
    }
    if (rc == 0)
        rc = fsu_mkdirs(dir, err);
    if (rc == 0 && !(made = mkdtemp(tmp.buf) != NULL))
        rc = cap_err_set(err, "%s: cannot create a temporary folder: %s", dir, strerror(errno));
    int tfd = made ? open(tmp.buf, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC) : -1;
    if (made && tfd < 0)
        rc = cap_err_set(err, "%s: %s", tmp.buf, strerror(errno));
    for (size_t i = 0; rc == 0 && i < n; i++)
        rc = write_below(tfd, f[i].name, &f[i], dest.buf, err);
    if (rc == 0 && fchmod(tfd, 0755) != 0)
        rc = cap_err_set(err, "%s: %s", tmp.buf, strerror(errno));
    if (tfd >= 0)
        close(tfd);
    if (rc == 0 && rename_noreplace(tmp.buf, dest.buf) != 0)
        rc = errno == EEXIST || errno == ENOTEMPTY
                 ? cap_err_set(err, "failed to untar: a file or directory with the name %s already exists", dest.buf)
                 : cap_err_set(err, "%s: cannot move the chart into place: %s", dest.buf, strerror(errno));
    if (rc != 0 && made)
        nftw(tmp.buf, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
    sb_release(&dest);
    sb_release(&tmp);
    arena_free(a);
    return rc;
}
