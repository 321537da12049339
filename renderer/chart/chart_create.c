/* chart_create.c — capstan_create: `helm create NAME`, the same files byte for byte
 * (chart_create_files.c), the same checks and messages. */
#include "capstan.h"
#include "renderer/chart/chart_create.h"
#include "core/err.h"
#include "core/strbuf.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_CHART_NAME 250

static bool name_ok(const char *s)
{
    for (; *s; s++)
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z') || (*s >= '0' && *s <= '9') || *s == '.' ||
              *s == '_' || *s == '-'))
            return false;
    return true;
}

/* Go's filepath.Abs: the path joined to the working directory and cleaned
 * (".", "..", repeated and trailing slashes), no symbolic link resolved. */
static void abs_clean(strbuf *out, const char *path)
{
    strbuf in = STRBUF_INIT;
    if (path[0] != '/') {
        char cwd[4096];
        sb_adds(&in, getcwd(cwd, sizeof cwd) ? cwd : ".");
        sb_addc(&in, '/');
    }
    sb_adds(&in, path);
    sb_reset(out);
    for (const char *p = sb_str(&in); *p;) {
        while (*p == '/')
            p++;
        size_t n = strcspn(p, "/");
        if (n == 0)
            break;
        if (n == 1 && p[0] == '.') {
        } else if (n == 2 && p[0] == '.' && p[1] == '.') {
            char *slash = out->len ? strrchr(out->buf, '/') : NULL;
            sb_setlen(out, slash ? (size_t)(slash - out->buf) : 0);
        } else {
            sb_addc(out, '/');
            sb_add(out, p, n);
        }
        p += n;
    }
    if (out->len == 0)
        sb_addc(out, '/');
    sb_release(&in);
}

/* mkdir -p, 0755 */
static int mkdirs(const char *path, cap_err *e)
{
    strbuf b = STRBUF_INIT;
    sb_adds(&b, path);
    for (char *p = b.buf + 1;; p++) {
        if (*p != '/' && *p)
            continue;
        char c = *p;
        *p = 0;
        if (mkdir(b.buf, 0755) < 0 && errno != EEXIST) {
            cap_err_set(e, "mkdir %s: %s", b.buf, strerror(errno));
            sb_release(&b);
            return -1;
        }
        *p = c;
        if (!c)
            break;
    }
    sb_release(&b);
    return 0;
}

static int write_file(const char *path, const char *content, const char *name, cap_err *e)
{
    strbuf dir = STRBUF_INIT;
    sb_adds(&dir, path);
    sb_setlen(&dir, (size_t)(strrchr(dir.buf, '/') - dir.buf));
    int rc = mkdirs(sb_str(&dir), e);
    sb_release(&dir);
    if (rc < 0)
        return -1;
    FILE *f = fopen(path, "w");
    if (!f)
        return cap_err_set(e, "open %s: %s", path, strerror(errno));
    for (const char *p = content; *p;) {
        const char *m = strstr(p, "<CHARTNAME>");
        size_t n = m ? (size_t)(m - p) : strlen(p);
        fwrite(p, 1, n, f);
        if (!m)
            break;
        fputs(name, f);
        p = m + strlen("<CHARTNAME>");
    }
    if (fclose(f) != 0)
        return cap_err_set(e, "write %s: %s", path, strerror(errno));
    chmod(path, 0644);
    return 0;
}

int capstan_create(const char *path, const capstan_create_opts *o, capstan_error *perr)
{
    cap_err e = CAP_ERR_INIT;
    strbuf dir = STRBUF_INIT, cdir = STRBUF_INIT, file = STRBUF_INIT;
    /* helm: the chart is named after the last element, made in the directory before it */
    strbuf tmp = STRBUF_INIT;
    sb_adds(&tmp, path);
    while (tmp.len > 1 && tmp.buf[tmp.len - 1] == '/')
        sb_setlen(&tmp, tmp.len - 1);
    char *slash = strrchr(tmp.buf, '/');
    const char *name = slash ? slash + 1 : tmp.buf;
    int rc = -1;
    struct stat st;
    if (!*name || strlen(name) > MAX_CHART_NAME) {
        cap_err_set(&e, "chart name must be between 1 and %d characters", MAX_CHART_NAME);
        goto out;
    }
    if (!name_ok(name)) {
        cap_err_set(&e, "chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"");
        goto out;
    }
    /* the directory is Go's filepath.Dir of the path as given ("foo/" makes foo/foo) */
    const char *last = strrchr(path, '/');
    if (last == path)
        abs_clean(&dir, "/");
    else if (last) {
        strbuf d = STRBUF_INIT;
        sb_add(&d, path, (size_t)(last - path));
        abs_clean(&dir, sb_str(&d));
        sb_release(&d);
    } else
        abs_clean(&dir, ".");
    if (stat(sb_str(&dir), &st) < 0) {
        cap_err_set(&e, "stat %s: %s", sb_str(&dir), errno == ENOENT ? "no such file or directory" : strerror(errno));
        goto out;
    }
    if (!S_ISDIR(st.st_mode)) {
        cap_err_set(&e, "no such directory %s", sb_str(&dir));
        goto out;
    }
    sb_addf(&cdir, "%s%s%s", sb_str(&dir), strcmp(sb_str(&dir), "/") == 0 ? "" : "/", name);
    if (stat(sb_str(&cdir), &st) == 0 && !S_ISDIR(st.st_mode)) {
        cap_err_set(&e, "file %s already exists and is not a directory", sb_str(&cdir));
        goto out;
    }
    for (const chart_create_file *f = chart_create_files; f->path; f++) {
        sb_reset(&file);
        sb_addf(&file, "%s/%s", sb_str(&cdir), f->path);
        if (stat(sb_str(&file), &st) == 0 && o && o->log) {
            strbuf w = STRBUF_INIT;
            sb_addf(&w, "WARNING: File \"%s\" already exists. Overwriting.", sb_str(&file));
            o->log(o->log_ctx, sb_str(&w));
            sb_release(&w);
        }
        if (write_file(sb_str(&file), f->content, name, &e) < 0)
            goto out;
    }
    sb_reset(&file);
    sb_addf(&file, "%s/charts", sb_str(&cdir));
    rc = mkdirs(sb_str(&file), &e);
out:
    sb_release(&dir);
    sb_release(&cdir);
    sb_release(&file);
    sb_release(&tmp);
    if (rc < 0) {
        cap_err_publish(perr, &e, CAPSTAN_EIO);
    }
    cap_err_clear(&e);
    return rc;
}
