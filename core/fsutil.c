/* fsutil.c — see fsutil.h. */
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int fsu_read_file(const char *path, strbuf *out, cap_err *err)
{
    if (sb_read_file(out, path) != 0)
        return cap_err_at(err, path, 0, 0, "cannot read: %s", strerror(errno));
    return 0;
}

int fsu_write_atomic(const char *path, const void *data, size_t len, mode_t mode, cap_err *err)
{
    strbuf tmp = STRBUF_INIT;
    sb_addf(&tmp, "%s.tmp-XXXXXX", path);
    int fd = mkstemp(tmp.buf);
    if (fd < 0) {
        sb_release(&tmp);
        return cap_err_set(err, "%s: cannot write: %s", path, strerror(errno));
    }
    fchmod(fd, mode);
    size_t off = 0;
    while (off < len) {
        ssize_t w = write(fd, (const char *)data + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0)
            break;
        off += (size_t)w;
    }
    int e = errno;
    bool ok = off == len;
    if (close(fd) != 0 && ok) {
        ok = false;
        e = errno;
    }
    if (ok && rename(tmp.buf, path) != 0) {
        ok = false;
        e = errno;
    }
    if (!ok) {
        unlink(tmp.buf);
        sb_release(&tmp);
        return cap_err_set(err, "%s: cannot write: %s", path, strerror(e));
    }
    sb_release(&tmp);
    return 0;
}

int fsu_mkdirs(const char *dir, cap_err *err)
{
    char *p = xstrdup(dir);
    for (char *s = p + 1; *s; s++)
        if (*s == '/') {
            *s = '\0';
            mkdir(p, 0755);
            *s = '/';
        }
    int rc = 0;
    struct stat st;
    if (mkdir(p, 0755) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode)))
        rc = cap_err_set(err, "%s: cannot create directory: %s", p, strerror(errno == EEXIST ? ENOTDIR : errno));
    free(p);
    return rc;
}

int fsu_mkdirs_for(const char *file, cap_err *err)
{
    const char *slash = strrchr(file, '/');
    if (!slash || slash == file)
        return 0;
    char *dir = xstrndup(file, (size_t)(slash - file));
    int rc = fsu_mkdirs(dir, err);
    free(dir);
    return rc;
}

char *fsu_clean(const char *path)
{
    bool abs = path[0] == '/';
    size_t n = strlen(path);
    const char **seg = xcalloc(n + 1, sizeof *seg);
    size_t *len = xcalloc(n + 1, sizeof *len);
    size_t ns = 0, up = 0;   /* up: leading ".." kept in a relative path */
    const char *s = path;
    while (*s) {
        while (*s == '/')
            s++;
        if (!*s)
            break;
        size_t l = strcspn(s, "/");
        if (l == 1 && s[0] == '.') {
            /* skip */
        } else if (l == 2 && s[0] == '.' && s[1] == '.') {
            if (ns > up)
                ns--;
            else if (!abs) {
                seg[ns] = s;
                len[ns++] = l;
                up = ns;
            }
        } else {
            seg[ns] = s;
            len[ns++] = l;
        }
        s += l;
    }
    strbuf out = STRBUF_INIT;
    if (abs)
        sb_addc(&out, '/');
    for (size_t i = 0; i < ns; i++) {
        if (i)
            sb_addc(&out, '/');
        sb_add(&out, seg[i], len[i]);
    }
    if (!out.len)
        sb_addc(&out, '.');
    free(seg);
    free(len);
    return sb_detach(&out, NULL);
}
