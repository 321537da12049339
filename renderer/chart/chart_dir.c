/* chart_dir.c — the files of a chart directory, as helm's LoadDir reads them:
 * .helmignore applied, a sorted walk that follows symlinks, BOM trimmed,
 * mtimes rounded as Go's tar writer rounds them.
 *
 * The walk has two passes. The first lists the tree (names and types from
 * readdir; a stat only for symlinks and file systems without d_type) and
 * stops at the first problem it can see without reading, remembering where.
 * The second reads the files in walk order and reports that problem when it
 * gets there, so a chart with several problems fails on the same one as a
 * single walk would. Between the two, chart_dir_read reads Chart.yaml and
 * templates/ first and reports each template to `early` as it is read, so
 * that parsing can start before the rest of the chart is read; what it read
 * is used again, at the same addresses. */
#include "renderer/chart/chart.h"
#include "core/fsutil.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* A file mapped into memory, unmapped when the render's arena goes. */
struct mapping {
    void *addr;
    size_t len;
};

static void unmap(void *p)
{
    struct mapping *m = p;
    munmap(m->addr, m->len);
}

/* Files at least this big are mapped rather than read: a chart's files/ may
 * hold megabytes (full CRDs, dashboards) that no template of this render
 * reads, and mapped pages cost nothing until they are touched. */
#define MAP_MIN (16 * 1024)

static const char utf8_bom[3] = { '\xEF', '\xBB', '\xBF' };

/* Read an open file whole (fd is closed). dir/rel (or rel alone, dir NULL)
 * names it in errors: the name is made only for one. *bom (may be NULL) says
 * whether it begins with a UTF-8 byte order mark. */
static int read_fd(arena *a, int fd, const struct stat *st, const char *dir, const char *rel, char **out,
                   size_t *len, bool *bom, cap_err *err)
{
    long page = sysconf(_SC_PAGESIZE);
    size_t size = (size_t)st->st_size;
    /* A mapping is NUL-terminated by the zeroed tail of its last page; a
     * size that fills its last page exactly has none, so it is read. */
    if (S_ISREG(st->st_mode) && size >= MAP_MIN && page > 0 && size % (size_t)page != 0) {
        void *m = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
        if (m != MAP_FAILED) {
            /* The mark is read, not looked for in the mapping: touching a
             * page maps its neighbours too (the kernel's fault-around, 64
             * KiB), memory for a file no template may read (CRDs, READMEs). */
            char head[3];
            if (bom)
                *bom = pread(fd, head, 3, 0) == 3 && memcmp(head, utf8_bom, 3) == 0;
            close(fd);
            struct mapping *mp = arena_alloc(a, sizeof *mp);
            mp->addr = m;
            mp->len = size;
            arena_defer(a, unmap, mp);
            *out = m;
            *len = size;
            return 0;
        }
    }
    /* Read into the arena, growing if the file grew since fstat. A regular
     * file's short read is its end (no second read to see it). */
    size_t cap = size + 2, used = 0;
    char *buf = arena_alloc(a, cap);
    for (;;) {
        if (used + 1 >= cap) {
            buf = arena_realloc(a, buf, cap, cap * 2);
            cap *= 2;
        }
        size_t want = cap - 1 - used;
        ssize_t n = read(fd, buf + used, want);
        if (n < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            close(fd);
            return cap_err_at(err, dir ? arena_printf(a, "%s/%s", dir, rel) : rel, 0, 0, "read error: %s",
                              strerror(e));
        }
        used += (size_t)n;
        if (n == 0 || (S_ISREG(st->st_mode) && (size_t)n < want))
            break;
    }
    close(fd);
    buf[used] = '\0';
    *out = buf;
    *len = used;
    if (bom)
        *bom = used >= 3 && memcmp(buf, utf8_bom, 3) == 0;
    return 0;
}

int chart_read_path(arena *a, const char *path, char **out, size_t *len, cap_err *err)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0)
        return cap_err_at(err, path, 0, 0, "%s", strerror(errno));
    struct stat st;
    if (fstat(fd, &st) != 0) {
        int e = errno;
        close(fd);
        return cap_err_at(err, path, 0, 0, "%s", strerror(e));
    }
    return read_fd(a, fd, &st, NULL, path, out, len, NULL, err);
}

/* ---- the first pass: the tree ---------------------------------------------- */

typedef struct entry {
    const char *rel;   /* relative to the chart root */
    const char *base;  /* its last element */
    char *data;        /* once read (BOM not yet trimmed) */
    bool bom;          /* data begins with a UTF-8 byte order mark */
    size_t len;
    long long mtime;
} entry;

typedef struct tree {
    arena *a;
    const char *top;
    const chart_ignore *ig;
    entry *e;
    size_t n, cap;
    cap_err problem;   /* the first problem seen without reading, after the n entries */
    chart_link_fn link; /* told of each symbolic link followed, or NULL */
    void *ctx;
    const char *abs_top; /* the root as Go's filepath.Abs makes it (made for the first link) */
} tree;

/* Tell t->link of the symbolic link rel, as helm's walk logs it: the path
 * below the absolute root, and what it resolves to. */
static void report_link(tree *t, int dfd, const char *name, unsigned char type, const char *rel)
{
    struct stat lst;
    if (!t->link || (type != DT_LNK && (fstatat(dfd, name, &lst, AT_SYMLINK_NOFOLLOW) != 0 || !S_ISLNK(lst.st_mode))))
        return;
    if (!t->abs_top) {
        char cwd[4096];
        t->abs_top = t->top[0] == '/' || !getcwd(cwd, sizeof cwd) ? t->top : arena_printf(t->a, "%s/%s", cwd, t->top);
        t->abs_top = chart_clean_path(t->a, t->abs_top);
    }
    const char *path = arena_printf(t->a, "%s/%s", t->abs_top, rel);
    char *resolved = realpath(path, NULL);
    if (!resolved)
        return;   /* the walk reports the broken link */
    t->link(t->ctx, path, resolved);
    free(resolved);
}

static int cmpstr(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* Record the problem with rel: its full path, then what. */
static int problem(tree *t, const char *rel, const char *what)
{
    const char *full = *rel ? arena_printf(t->a, "%s/%s", t->top, rel) : t->top;
    return cap_err_at(&t->problem, full, 0, 0, "%s", what);
}

/* what arena_printf("%s/%s") makes, without its cost: this runs for every
 * entry of the walk and every template */
char *chart_path_join(arena *a, const char *dir, const char *name)
{
    size_t dl = strlen(dir), nl = strlen(name);
    char *s = arena_alloc(a, dl + nl + 2);
    memcpy(s, dir, dl);
    s[dl] = '/';
    memcpy(s + dl + 1, name, nl + 1);
    return s;
}

/* List directory dfd (rel below the root); -1 once a problem is recorded. */
static int list(tree *t, int dfd, const char *rel, int depth)
{
    if (depth > CHART_MAX_DEPTH) {
        close(dfd);
        return cap_err_at(&t->problem, t->top, 0, 0, "directories nested too deeply");
    }
    DIR *d = fdopendir(dfd);
    if (!d) {
        int e = errno;
        close(dfd);
        return problem(t, rel, strerror(e));
    }
    size_t n = 0, cap = 16;
    char **names = malloc(cap * sizeof *names);
    if (!names)
        abort();
    struct dirent *de;
    while ((de = readdir(d))) {
        if (strcmp(de->d_name, ".") == 0 || strcmp(de->d_name, "..") == 0)
            continue;
        if (n == cap) {
            cap *= 2;
            names = realloc(names, cap * sizeof *names);
            if (!names)
                abort();
        }
        /* the type rides in front of the name, so that sorting keeps them together */
        size_t l = strlen(de->d_name);
        char *s = arena_alloc(t->a, l + 2);
        s[0] = (char)de->d_type;
        memcpy(s + 1, de->d_name, l + 1);
        names[n++] = s + 1;
    }
    qsort(names, n, sizeof *names, cmpstr);
    int rc = 0;
    for (size_t i = 0; i < n && rc == 0; i++) {
        const char *name = names[i];
        char *r = *rel ? chart_path_join(t->a, rel, name) : (char *)name;
        unsigned char type = (unsigned char)name[-1];
        bool is_dir = type == DT_DIR, is_reg = type == DT_REG;
        if (type != DT_DIR && type != DT_REG) {
            /* a symlink (followed, as helm's walk follows it) or an unknown type */
            struct stat st;
            if (fstatat(dirfd(d), name, &st, 0) != 0) {
                rc = problem(t, r, strerror(errno));
                break;
            }
            report_link(t, dirfd(d), name, type, r);
            is_dir = S_ISDIR(st.st_mode);
            is_reg = S_ISREG(st.st_mode);
        }
        if (is_dir) {
            if (chart_ignore_match(t->ig, r, true))
                continue;
            int sub = openat(dirfd(d), name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (sub < 0) {
                rc = problem(t, r, strerror(errno));
                break;
            }
            rc = list(t, sub, r, depth + 1);
            continue;
        }
        if (chart_ignore_match(t->ig, r, false))
            continue;
        if (!is_reg) {
            const char *full = arena_printf(t->a, "%s/%s", t->top, r);
            rc = cap_err_at(&t->problem, full, 0, 0,
                            "cannot load irregular file %s as it has file mode type bits set", full);
            break;
        }
        if (t->n >= CHART_MAX_FILES) {
            rc = cap_err_at(&t->problem, t->top, 0, 0, "chart has more than %d files", CHART_MAX_FILES);
            break;
        }
        if (t->n == t->cap) {
            size_t nc = t->cap ? t->cap * 2 : 64;
            t->e = arena_realloc(t->a, t->e, t->cap * sizeof *t->e, nc * sizeof *t->e);
            t->cap = nc;
        }
        entry *e = &t->e[t->n++];
        memset(e, 0, sizeof *e);
        e->rel = r;
        e->base = name;
    }
    closedir(d);
    free(names);
    return rc;
}

/* ---- the second pass: the files --------------------------------------------- */

/* Read entry e (below the root's fd). */
static int read_entry(tree *t, int topfd, entry *e, cap_err *err)
{
    int fd = openat(topfd, e->rel, O_RDONLY | O_CLOEXEC);
    struct stat st;
    if (fd < 0 || fstat(fd, &st) != 0) {
        int er = errno;
        if (fd >= 0)
            close(fd);
        return cap_err_at(err, arena_printf(t->a, "%s/%s", t->top, e->rel), 0, 0, "%s", strerror(er));
    }
    if (st.st_size > CHART_MAX_FILE_SIZE) {
        close(fd);
        return cap_err_at(err, arena_printf(t->a, "%s/%s", t->top, e->rel), 0, 0,
                          "chart file \"%s\" is larger than the maximum file size %ld", e->base, CHART_MAX_FILE_SIZE);
    }
    /* Go's tar writer rounds the modification time to the second */
    e->mtime = (long long)st.st_mtim.tv_sec + (st.st_mtim.tv_nsec >= 500000000L ? 1 : 0);
    return read_fd(t->a, fd, &st, t->top, e->rel, &e->data, &e->len, &e->bom, err);
}

static chart_file as_file(const entry *e)
{
    chart_file f = {e->rel, e->data, e->len, e->mtime};
    if (e->bom) { /* one, as helm's LoadDir trims it */
        f.data += 3;
        f.len -= 3;
    }
    return f;
}

/* Chart.yaml and templates/, read ahead and reported one by one; nothing
 * more once one cannot be read (or Chart.yaml cannot be parsed): the second
 * pass then meets the problem in its place. */
static void read_early(tree *t, int topfd, chart_early_fn early, void *ctx)
{
    entry *meta = NULL;
    for (size_t i = 0; i < t->n && !meta; i++)
        if (strcmp(t->e[i].rel, "Chart.yaml") == 0)
            meta = &t->e[i];
    if (!meta)
        return;
    cap_err scratch = CAP_ERR_INIT;
    chart_meta *m = NULL;
    chart_file cf;
    if (read_entry(t, topfd, meta, &scratch) != 0)
        goto out;
    cf = as_file(meta);
    if (chart_meta_parse(t->a, cf.data, cf.len, "Chart.yaml", &m, &scratch) != 0)
        goto out;
    for (size_t i = 0; i < t->n; i++) {
        entry *e = &t->e[i];
        if (strncmp(e->rel, "templates/", 10) != 0)
            continue;
        if (read_entry(t, topfd, e, &scratch) != 0)
            goto out;
        cf = as_file(e);
        early(ctx, m->name, &cf);
    }
out:
    cap_err_clear(&scratch);
}

int chart_dir_read(arena *a, const char *path, chart_early_fn early, chart_link_fn link, void *ctx, chart_file **out,
                   size_t *nout, cap_err *err)
{
    {
        /* helm's loader looks for the chart's Chart.yaml first */
        struct stat cy;
        const char *cyp = arena_printf(a, "%s/Chart.yaml", path);
        if (stat(cyp, &cy) != 0) {
            char why[128]; /* Go writes errno texts in lower case */
            snprintf(why, sizeof why, "%s", strerror(errno));
            why[0] = (char)tolower((unsigned char)why[0]);
            return cap_err_at(err, path, 0, 0, "unable to detect chart at %s: open %s: %s", cyp, cyp, why);
        }
    }
    char *top = arena_strdup(a, path);
    size_t tl = strlen(top);
    while (tl > 1 && top[tl - 1] == '/')
        top[--tl] = 0;
    const char *ignfile = arena_printf(a, "%s/.helmignore", top);
    chart_ignore *ig;
    struct stat st;
    if (stat(ignfile, &st) == 0) {
        char *text;
        size_t len;
        if (chart_read_path(a, ignfile, &text, &len, err) != 0)
            return -1;
        ig = chart_ignore_parse(a, text, len, err);
        if (!ig) {
            cap_err_set_file(err, ignfile);
            return -1;
        }
    } else {
        ig = chart_ignore_parse(a, NULL, 0, err);
    }
    int topfd = open(top, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (topfd < 0)
        return cap_err_at(err, top, 0, 0, "%s", strerror(errno));
    int listfd = dup(topfd);
    if (listfd < 0) {
        int e = errno;
        close(topfd);
        return cap_err_at(err, top, 0, 0, "%s", strerror(e));
    }
    tree t = {a, top, ig, NULL, 0, 0, CAP_ERR_INIT, link, ctx, NULL};
    list(&t, listfd, "", 0);
    if (early && !t.problem.msg)
        read_early(&t, topfd, early, ctx);
    chart_file *files = arena_alloc(a, (t.n + 1) * sizeof *files);
    for (size_t i = 0; i < t.n; i++) {
        if (!t.e[i].data && read_entry(&t, topfd, &t.e[i], err) != 0) {
            close(topfd);
            cap_err_clear(&t.problem);
            return -1;
        }
        files[i] = as_file(&t.e[i]);
    }
    close(topfd);
    if (t.problem.msg) {
        cap_err_move(err, &t.problem);
        return -1;
    }
    *out = files;
    *nout = t.n;
    return 0;
}

int chart_list_dir(arena *a, const char *path, chart_file **out, size_t *nout, cap_err *err)
{
    return chart_dir_read(a, path, NULL, NULL, NULL, out, nout, err);
}

char *chart_clean_path(arena *a, const char *p)
{
    strbuf sb = STRBUF_INIT;
    fsu_clean_into(&sb, p, strlen(p));
    char *out = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return out;
}
