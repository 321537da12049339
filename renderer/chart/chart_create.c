/* chart_create.c — capstan_create: `helm create NAME` with capstan's own scaffold
 * (chart_create_files.c), or with --starter (chart_create_starter.c); helm's checks
 * and messages. */
#include "capstan.h"
#include "renderer/chart/chart_create.h"
#include "core/err.h"
#include "core/fsutil.h"
#include "core/helm_paths.h"
#include "core/opts.h"
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

/* Go's filepath.Dir of the path as given ("foo/" gives "foo", so that helm makes
 * foo/foo), appended to out. */
static void go_dir(strbuf *out, const char *path)
{
    const char *last = strrchr(path, '/');
    if (last == path)
        sb_adds(out, "/");
    else if (last)
        sb_add(out, path, (size_t)(last - path));
    else
        sb_adds(out, ".");
}

/* go_dir made absolute, as filepath.Abs does */
static void parent_dir(strbuf *dir, const char *path)
{
    strbuf d = STRBUF_INIT;
    go_dir(&d, path);
    abs_clean(dir, sb_str(&d));
    sb_release(&d);
}

/* helm's Create: the scaffold in dir/name, which must be a folder (or absent) in
 * the existing folder dir. */
static int create_scaffold(const char *dir, const char *name, const capstan_create_opts *o, cap_err *e)
{
    struct stat st;
    if (stat(dir, &st) < 0)
        return cap_err_set(e, "stat %s: %s", dir, errno == ENOENT ? "no such file or directory" : strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cap_err_set(e, "no such directory %s", dir);
    strbuf cdir = STRBUF_INIT, file = STRBUF_INIT;
    int rc = -1;
    sb_addf(&cdir, "%s%s%s", dir, strcmp(dir, "/") == 0 ? "" : "/", name);
    if (stat(sb_str(&cdir), &st) == 0 && !S_ISDIR(st.st_mode)) {
        cap_err_set(e, "file %s already exists and is not a directory", sb_str(&cdir));
        goto out;
    }
    for (const chart_create_file *f = chart_create_files; f->path; f++) {
        sb_reset(&file);
        sb_addf(&file, "%s/%s", sb_str(&cdir), f->path);
        if (stat(sb_str(&file), &st) == 0 && o->log) {
            strbuf w = STRBUF_INIT;
            sb_addf(&w, "WARNING: File \"%s\" already exists. Overwriting.", sb_str(&file));
            o->log(o->log_ctx, sb_str(&w));
            sb_release(&w);
        }
        if (chart_create_write(sb_str(&file), f->content, strlen(f->content), name, e) < 0)
            goto out;
    }
    sb_reset(&file);
    sb_addf(&file, "%s/charts", sb_str(&cdir));
    rc = fsu_mkdirs(sb_str(&file), NULL);
    if (rc < 0)
        cap_err_set(e, "mkdir %s: %s", sb_str(&file), strerror(errno));
out:
    sb_release(&cdir);
    sb_release(&file);
    return rc;
}

/* helm's starter: a name under starters_dir, or an absolute path */
static int create_from_starter(const char *path, const char *name, const capstan_create_opts *o, cap_err *e)
{
    strbuf src = STRBUF_INIT, dir = STRBUF_INIT;
    if (o->starter[0] == '/') {
        sb_adds(&src, o->starter);
    } else {
        if (o->starters_dir && *o->starters_dir)
            sb_adds(&src, o->starters_dir);
        else
            helm_data_path(&src, "starters");
        sb_addf(&src, "/%s", o->starter);
    }
    go_dir(&dir, path);
    char *clean = fsu_clean(sb_str(&src));
    int rc = chart_create_from(clean, sb_str(&dir), name, e);
    free(clean);
    sb_release(&src);
    sb_release(&dir);
    return rc;
}

int capstan_create(const char *path, const capstan_create_opts *o, capstan_error *perr)
{
    OPTS_IN(capstan_create_opts, o, perr);
    cap_err e = CAP_ERR_INIT;
    strbuf dir = STRBUF_INIT, tmp = STRBUF_INIT;
    /* helm: the chart is named after the last element, made in the directory before it */
    sb_adds(&tmp, path);
    while (tmp.len > 1 && tmp.buf[tmp.len - 1] == '/')
        sb_setlen(&tmp, tmp.len - 1);
    char *slash = strrchr(tmp.buf, '/');
    const char *name = slash ? slash + 1 : tmp.buf;
    int rc = -1;
    if (o->starter && *o->starter) { /* helm checks no name for a starter */
        rc = create_from_starter(path, *name ? name : ".", o, &e);
        goto out;
    }
    if (!*name || strlen(name) > MAX_CHART_NAME) {
        cap_err_set(&e, "chart name must be between 1 and %d characters", MAX_CHART_NAME);
        goto out;
    }
    if (!name_ok(name)) {
        cap_err_set(&e, "chart name must match the regular expression \"^[a-zA-Z0-9._-]+$\"");
        goto out;
    }
    parent_dir(&dir, path);
    rc = create_scaffold(sb_str(&dir), name, o, &e);
out:
    sb_release(&dir);
    sb_release(&tmp);
    if (rc < 0)
        cap_err_publish(perr, &e, CAPSTAN_EIO);
    cap_err_clear(&e);
    return rc;
}
