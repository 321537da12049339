/* untar.c — unpack a chart archive safely (see fsutil.h: fsu_untar). */
#include "fsutil.h"
#include "xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define UNTAR_MAX_TOTAL (100L * 1024 * 1024)

static bool safe_name(const char *p)
{
    if (!*p || *p == '/')
        return false;
    const char *s = p;
    while (*s) {
        size_t l = strcspn(s, "/");
        if (l == 2 && s[0] == '.' && s[1] == '.')
            return false;
        s += l;
        if (*s == '/')
            s++;
    }
    return true;
}

int fsu_untar(const char *tgz, const char *dest, cap_err *err)
{
    struct archive *ar = archive_read_new();
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    int rc = 0;
    if (archive_read_open_filename(ar, tgz, 65536) != ARCHIVE_OK) {
        rc = cap_err_at(err, tgz, 0, 0, "cannot read the archive: %s", archive_error_string(ar));
        archive_read_free(ar);
        return rc;
    }
    long total = 0;
    struct archive_entry *e;
    while (rc == 0) {
        int r = archive_read_next_header(ar, &e);
        if (r == ARCHIVE_EOF)
            break;
        if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
            rc = cap_err_at(err, tgz, 0, 0, "corrupt archive: %s", archive_error_string(ar));
            break;
        }
        const char *name = archive_entry_pathname(e);
        mode_t type = archive_entry_filetype(e);
        if (type == AE_IFDIR)
            continue;
        if (type != AE_IFREG) {
            rc = cap_err_at(err, tgz, 0, 0, "%s: only regular files may be in a chart archive", name);
            break;
        }
        if (!safe_name(name)) {
            rc = cap_err_at(err, tgz, 0, 0, "%s: path escapes the destination", name);
            break;
        }
        strbuf path = STRBUF_INIT;
        sb_addf(&path, "%s/%s", dest, name);
        rc = fsu_mkdirs_for(path.buf, err);
        int fd = rc == 0 ? open(path.buf, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0644) : -1;
        if (rc == 0 && fd < 0)
            rc = cap_err_set(err, "%s: %s", path.buf, strerror(errno));
        char buf[65536];
        la_ssize_t n;
        while (rc == 0 && (n = archive_read_data(ar, buf, sizeof buf)) != 0) {
            if (n < 0) {
                rc = cap_err_at(err, tgz, 0, 0, "corrupt archive: %s", archive_error_string(ar));
                break;
            }
            total += n;
            if (total > UNTAR_MAX_TOTAL) {
                rc = cap_err_at(err, tgz, 0, 0, "archive is larger than the maximum size %ld", UNTAR_MAX_TOTAL);
                break;
            }
            if (write(fd, buf, (size_t)n) != n)
                rc = cap_err_set(err, "%s: %s", path.buf, strerror(errno));
        }
        if (fd >= 0)
            close(fd);
        sb_release(&path);
    }
    archive_read_free(ar);
    return rc;
}
