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
        return cap_err_set_code(err, (cap_err_at(err, path, 0, 0, "cannot read: %s", strerror(errno)), CAPSTAN_EIO));
    return 0;
}

const char *fsu_errno_text(int e, char *buf, size_t n)
{
    snprintf(buf, n, "%s", strerror(e));
    if (buf[0] >= 'A' && buf[0] <= 'Z')
        buf[0] = (char)(buf[0] - 'A' + 'a');
    return buf;
}

int fsu_read_go(arena *a, const char *path, char **data, size_t *len, cap_err *err)
{
    char why[128];
    FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
    if (!f)
        return cap_err_set_code(err, (cap_err_at(err, path, 0, 0, "open %s: %s", path,
                                                 fsu_errno_text(errno, why, sizeof why)), CAPSTAN_EIO));
    strbuf sb = STRBUF_INIT;
    int rc = sb_read_fp(&sb, f);
    int e = errno;
    if (f != stdin)
        fclose(f);
    if (rc != 0) {
        sb_release(&sb);
        return cap_err_set_code(err, (cap_err_at(err, path, 0, 0, "read %s: %s", path,
                                                 fsu_errno_text(e, why, sizeof why)), CAPSTAN_EIO));
    }
    *data = arena_strndup(a, sb_str(&sb), sb.len);
    *len = sb.len;
    sb_release(&sb);
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
    if (mkdir(p, 0755) != 0 && (errno != EEXIST || stat(p, &st) != 0 || !S_ISDIR(st.st_mode))) {
        if (errno == EEXIST)
            errno = ENOTDIR;
        int e = errno;
        rc = cap_err_set(err, "%s: cannot create directory: %s", p, strerror(e));
        errno = e;
    }
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

void fsu_clean_into(strbuf *sb, const char *p, size_t n)
{
    if (n == 0) {
        sb_addc(sb, '.');
        return;
    }
    bool rooted = p[0] == '/';
    size_t base = sb->len, r = 0, dotdot = 0;
#define W (sb->len - base)
    if (rooted) {
        sb_addc(sb, '/');
        r = dotdot = 1;
    }
    while (r < n) {
        if (p[r] == '/') {
            r++;
        } else if (p[r] == '.' && (r + 1 == n || p[r + 1] == '/')) {
            r++;
        } else if (p[r] == '.' && p[r + 1] == '.' && (r + 2 == n || p[r + 2] == '/')) {
            r += 2;
            if (W > dotdot) {
                size_t w = W - 1;
                while (w > dotdot && sb->buf[base + w] != '/')
                    w--;
                sb_setlen(sb, base + w);
            } else if (!rooted) {
                if (W > 0)
                    sb_addc(sb, '/');
                sb_adds(sb, "..");
                dotdot = W;
            }
        } else {
            if ((rooted && W != 1) || (!rooted && W != 0))
                sb_addc(sb, '/');
            for (; r < n && p[r] != '/'; r++)
                sb_addc(sb, p[r]);
        }
    }
    if (W == 0)
        sb_addc(sb, '.');
#undef W
}

char *fsu_clean(const char *path)
{
    strbuf out = STRBUF_INIT;
    fsu_clean_into(&out, path, strlen(path));
    return sb_detach(&out, NULL);
}
