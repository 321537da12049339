/* dep_lock.c — a chart directory's Chart.yaml and Chart.lock as the
 * dependency manager sees them: reading, helm's HashReq, writing the lock,
 * and `dependency list` (see dep_resolve.h, dep_int.h). */
#include "installer/net/dep_int.h"
#include "installer/net/dep_resolve.h"
#include "core/fsutil.h"
#include "core/json.h"
#include "core/semver.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <dirent.h>
#include <errno.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

static int read_opt(const char *path, strbuf *out, bool *present, cap_err *err)
{
    *present = false;
    if (access(path, F_OK) != 0)
        return 0;
    *present = true;
    return fsu_read_file(path, out, err);
}

static const char *str_or_empty(arena *a, const cval *v)
{
    if (!v)
        return "";
    if (v->kind == CV_STRING)
        return v->u.str.s;
    strbuf b = STRBUF_INIT;
    const char *s = "";
    if (yaml_string_coerce(&b, v) == 0)
        s = arena_strndup(a, sb_str(&b), b.len);
    sb_release(&b);
    return s;
}

int dep_read_chart(arena *a, const char *dir, dep_chart *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    out->dir = dir;
    struct stat st;
    if (stat(dir, &st) != 0)
        return cap_err_set(err, "could not find %s: %s", dir, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return cap_err_set(err, "only unpacked charts can be updated");
    const char *cy = arena_printf(a, "%s/Chart.yaml", dir);
    strbuf text = STRBUF_INIT;
    bool present;
    int rc = read_opt(cy, &text, &present, err);
    if (rc == 0 && !present)
        rc = cap_err_set(err, "%s: Chart.yaml file is missing", dir);
    if (rc == 0 && chart_meta_parse(a, sb_str(&text), text.len, cy, &out->meta, err) != 0) {
        cap_err_prefix(err, "cannot load Chart.yaml");
        rc = -1;
    }
    if (rc == 0 && chart_meta_validate(out->meta, err) != 0) {
        cap_err_set_file(err, cy);
        rc = -1;
    }
    sb_release(&text);
    if (rc != 0)
        return -1;
    out->v1 = strcmp(out->meta->api_version, "v1") == 0;
    if (out->v1) {
        const char *rq = arena_printf(a, "%s/requirements.yaml", dir);
        rc = read_opt(rq, &text, &present, err);
        if (rc == 0 && present)
            rc = chart_meta_merge_requirements(a, out->meta, sb_str(&text), text.len, rq, err);
        sb_release(&text);
        if (rc != 0)
            return -1;
    }
    const char *lp = arena_printf(a, "%s/%s", dir, out->v1 ? "requirements.lock" : "Chart.lock");
    rc = read_opt(lp, &text, &present, err);
    cval *doc = NULL;
    if (rc == 0 && present)
        rc = yaml_parse(a, sb_str(&text), text.len, lp, &doc, err);
    sb_release(&text);
    if (rc != 0)
        return -1;
    if (doc && doc->kind == CV_MAP) {
        out->has_lock = true;
        out->lock_digest = str_or_empty(a, cv_map_get(doc, "digest"));
        const cval *deps = cv_map_get(doc, "dependencies");
        size_t n = deps && deps->kind == CV_LIST ? cv_list_len(deps) : 0;
        out->lock = arena_zalloc(a, (n ? n : 1) * sizeof *out->lock);
        for (size_t i = 0; i < n; i++) {
            const cval *d = cv_list_get(deps, i);
            if (!d || d->kind != CV_MAP)
                continue;
            dep_locked *l = &out->lock[out->nlock++];
            l->name = str_or_empty(a, cv_map_get(d, "name"));
            l->repository = str_or_empty(a, cv_map_get(d, "repository"));
            l->version = str_or_empty(a, cv_map_get(d, "version"));
        }
    } else if (present && doc && doc->kind != CV_NIL) {
        return cap_err_at(err, lp, 1, 0, "a lock file must be a map");
    }
    return 0;
}

/* ---- helm's HashReq ------------------------------------------------------- */

static void jstr(strbuf *o, const char *s) { json_emit_string(o, s, strlen(s), 0); }

void dep_json_reqs(strbuf *o, chart_dep **deps, size_t n)
{
    sb_addc(o, '[');
    for (size_t i = 0; i < n; i++) {
        const chart_dep *d = deps[i];
        if (i)
            sb_addc(o, ',');
        sb_adds(o, "{\"name\":");
        jstr(o, d->name);
        if (*d->version) {
            sb_adds(o, ",\"version\":");
            jstr(o, d->version);
        }
        sb_adds(o, ",\"repository\":");
        jstr(o, d->repository);
        if (*d->condition) {
            sb_adds(o, ",\"condition\":");
            jstr(o, d->condition);
        }
        if (d->ntags) {
            sb_adds(o, ",\"tags\":[");
            for (size_t t = 0; t < d->ntags; t++) {
                if (t)
                    sb_addc(o, ',');
                jstr(o, d->tags[t]);
            }
            sb_addc(o, ']');
        }
        if (d->enabled)
            sb_adds(o, ",\"enabled\":true");
        if (d->import_values && d->import_values->kind == CV_LIST && cv_list_len(d->import_values)) {
            sb_adds(o, ",\"import-values\":");
            cap_err e = CAP_ERR_INIT;
            json_emit(o, d->import_values, 0, &e);
            cap_err_clear(&e);
        }
        if (*d->alias) {
            sb_adds(o, ",\"alias\":");
            jstr(o, d->alias);
        }
        sb_addc(o, '}');
    }
    sb_addc(o, ']');
}

void dep_json_locked(strbuf *o, const dep_locked *deps, size_t n)
{
    sb_addc(o, '[');
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(o, ',');
        sb_adds(o, "{\"name\":");
        jstr(o, deps[i].name);
        if (*deps[i].version) {
            sb_adds(o, ",\"version\":");
            jstr(o, deps[i].version);
        }
        sb_adds(o, ",\"repository\":");
        jstr(o, deps[i].repository);
        sb_addc(o, '}');
    }
    sb_addc(o, ']');
}

void dep_sha256_hex(const void *data, size_t len, char out[65])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    EVP_Digest(data, len, md, &n, EVP_sha256(), NULL);
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + 2 * i, 3, "%02x", md[i]);
}

void dep_hash_req(const char *req_json, const char *lock_json, char out[72])
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "[%s,%s]", req_json, lock_json);
    memcpy(out, "sha256:", 7);
    dep_sha256_hex(b.buf, b.len, out + 7);
    sb_release(&b);
}

/* ---- writing the lock ------------------------------------------------------- */

/* time.Now() as encoding/json writes it: RFC 3339 with nanoseconds (trailing
 * zeros dropped) in local time, "Z" for UTC. */
static void go_now(strbuf *o)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm;
    localtime_r(&ts.tv_sec, &tm);
    char buf[64];
    strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    sb_adds(o, buf);
    if (ts.tv_nsec) {
        char ns[16];
        snprintf(ns, sizeof ns, ".%09ld", ts.tv_nsec);
        size_t l = strlen(ns);
        while (l > 1 && ns[l - 1] == '0')
            ns[--l] = '\0';
        sb_adds(o, ns);
    }
    long off = tm.tm_gmtoff;
    if (off == 0)
        sb_addc(o, 'Z');
    else
        sb_addf(o, "%c%02ld:%02ld", off < 0 ? '-' : '+', labs(off) / 3600, (labs(off) % 3600) / 60);
}

int dep_write_lock(const dep_chart *c, const char *digest, const dep_locked *deps, size_t n, cap_err *err)
{
    const char *name = c->v1 ? "requirements.lock" : "Chart.lock";
    strbuf path = STRBUF_INIT;
    sb_addf(&path, "%s/%s", c->dir, name);
    struct stat st;
    if (lstat(path.buf, &st) == 0 && S_ISLNK(st.st_mode)) {
        char link[4096];
        ssize_t l = readlink(path.buf, link, sizeof link - 1);
        link[l < 0 ? 0 : l] = '\0';
        cap_err_set(err, "the %s file is a symlink to \"%s\"", name, link);
        sb_release(&path);
        return -1;
    }
    arena *a = arena_new();
    cval *doc = cv_map_new(a);
    cval *list = cv_list_new(a, n);
    for (size_t i = 0; i < n; i++) {
        cval *m = cv_map_new(a);
        cv_map_set(m, "name", cv_cstring(a, deps[i].name));
        cv_map_set(m, "repository", cv_cstring(a, deps[i].repository));
        if (*deps[i].version)
            cv_map_set(m, "version", cv_cstring(a, deps[i].version));
        cv_list_push(list, m);
    }
    cv_map_set(doc, "dependencies", list);
    cv_map_set(doc, "digest", cv_cstring(a, digest));
    strbuf now = STRBUF_INIT;
    go_now(&now);
    cv_map_set(doc, "generated", cv_cstring(a, sb_str(&now)));
    sb_release(&now);
    strbuf out = STRBUF_INIT;
    int rc = yaml_emit(&out, doc, err);
    if (rc == 0)
        rc = fsu_write_atomic(path.buf, sb_str(&out), out.len, 0644, err);
    sb_release(&out);
    sb_release(&path);
    arena_free(a);
    return rc;
}

/* ---- charts/ contents ------------------------------------------------------ */

int dep_peek_chart(arena *a, const char *path, const char **name, const char **version, cap_err *err)
{
    chart *ch = NULL;
    if (chart_load(a, path, &ch, err) != 0)
        return -1;
    *name = chart_name(ch);
    *version = ch->meta ? ch->meta->version : "";
    return 0;
}

/* ---- dependency list ----------------------------------------------------------- */

static bool strict_semver(const char *s)
{
    /* semver.StrictNewVersion: MAJOR.MINOR.PATCH[-pre][+meta], no 'v', no leading zeros */
    const char *p = s;
    for (int part = 0; part < 3; part++) {
        if (!(*p >= '0' && *p <= '9'))
            return false;
        if (*p == '0' && p[1] >= '0' && p[1] <= '9')
            return false;
        while (*p >= '0' && *p <= '9')
            p++;
        if (part < 2) {
            if (*p != '.')
                return false;
            p++;
        }
    }
    return *p == '\0' || *p == '-' || *p == '+';
}

static const char *version_status(arena *a, const char *want, const char *have)
{
    if (strcmp(want, have) == 0)
        return NULL;
    const char *why;
    int r = semver_satisfies(a, want, have, &why);
    if (r < 0)
        return "invalid version";
    return r ? NULL : "wrong version";
}

static const char *archive_status(arena *a, const char *path, const chart_dep *d)
{
    const char *n, *v;
    cap_err e = CAP_ERR_INIT;
    int rc = dep_peek_chart(a, path, &n, &v, &e);
    cap_err_clear(&e);
    if (rc != 0)
        return "corrupt";
    if (strcmp(n, d->name) != 0)
        return "misnamed";
    const char *s = version_status(a, d->version, v);
    return s ? s : "ok";
}

typedef struct names {
    char **v;
    size_t n;
} names;

static void list_dir(const char *dir, names *out)
{
    out->v = NULL;
    out->n = 0;
    DIR *d = opendir(dir);
    if (!d)
        return;
    struct dirent *de;
    while ((de = readdir(d))) {
        if (de->d_name[0] == '.' && (de->d_name[1] == '\0' || (de->d_name[1] == '.' && de->d_name[2] == '\0')))
            continue;
        out->v = xrealloc(out->v, (out->n + 1) * sizeof *out->v);
        out->v[out->n++] = xstrdup(de->d_name);
    }
    closedir(d);
    for (size_t i = 1; i < out->n; i++)   /* sorted, as filepath.Glob */
        for (size_t j = i; j > 0 && strcmp(out->v[j - 1], out->v[j]) > 0; j--) {
            char *t = out->v[j];
            out->v[j] = out->v[j - 1];
            out->v[j - 1] = t;
        }
}

static void names_free(names *n)
{
    for (size_t i = 0; i < n->n; i++)
        free(n->v[i]);
    free(n->v);
}

static const char *dep_status(arena *a, const char *charts, const names *files, const chart_dep *d)
{
    size_t nl = strlen(d->name);
    const char *found = NULL;
    size_t nfound = 0, narch = 0;
    for (size_t i = 0; i < files->n; i++) {
        const char *f = files->v[i];
        size_t fl = strlen(f);
        if (fl < nl + 5 || strncmp(f, d->name, nl) != 0 || f[nl] != '-' || strcmp(f + fl - 4, ".tgz") != 0)
            continue;
        narch++;
        char *ver = arena_strndup(a, f + nl + 1, fl - nl - 5);
        if (strict_semver(ver)) {
            found = f;
            nfound++;
        } else if (!found) {
            found = f;   /* with a single match, helm looks at it whatever its name */
        }
    }
    if (narch == 1 || (narch > 1 && nfound == 1)) {
        if (narch > 1)
            for (size_t i = 0; i < files->n; i++) { /* the one strict match */
                const char *f = files->v[i];
                size_t fl = strlen(f);
                if (fl >= nl + 5 && strncmp(f, d->name, nl) == 0 && f[nl] == '-' && strcmp(f + fl - 4, ".tgz") == 0 &&
                    strict_semver(arena_strndup(a, f + nl + 1, fl - nl - 5)))
                    found = f;
            }
        return archive_status(a, arena_printf(a, "%s/%s", charts, found), d);
    }
    if (narch > 1 && nfound > 1)
        return "too many matches";
    /* an unpacked subchart with that name */
    for (size_t i = 0; i < files->n; i++) {
        const char *p = arena_printf(a, "%s/%s", charts, files->v[i]);
        struct stat st;
        if (stat(p, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        const char *n, *v;
        cap_err e = CAP_ERR_INIT;
        int rc = dep_peek_chart(a, p, &n, &v, &e);
        cap_err_clear(&e);
        if (rc != 0 || strcmp(n, d->name) != 0)
            continue;
        const char *s = version_status(a, d->version, v);
        return s ? s : "unpacked";
    }
    return "missing";
}

int dep_list(const char *chart_path, dep_row **rows, size_t *nrows, dep_out_fn warn, void *ud, cap_err *err)
{
    *rows = NULL;
    *nrows = 0;
    arena *a = arena_new();
    chart *ch = NULL;
    if (chart_load(a, chart_path, &ch, err) != 0) {
        arena_free(a);
        return -1;
    }
    const char *charts = arena_printf(a, "%s/charts", chart_path);
    if (!ch->meta->has_deps) {
        if (warn)
            warn(ud, arena_printf(a, "WARNING: no dependencies at %s", charts));
        arena_free(a);
        return 0;
    }
    names files;
    list_dir(charts, &files);
    *rows = xcalloc(ch->meta->ndeps ? ch->meta->ndeps : 1, sizeof **rows);
    for (size_t i = 0; i < ch->meta->ndeps; i++) {
        const chart_dep *d = ch->meta->deps[i];
        dep_row *r = &(*rows)[(*nrows)++];
        r->name = xstrdup(d->name);
        r->version = xstrdup(d->version);
        r->repository = xstrdup(d->repository);
        r->status = xstrdup(dep_status(a, charts, &files, d));
    }
    for (size_t i = 0; warn && i < files.n; i++) {
        const char *f = files.v[i];
        const char *p = arena_printf(a, "%s/%s", charts, f);
        struct stat st;
        if (stat(p, &st) != 0)
            continue;
        size_t fl = strlen(f);
        if (!S_ISDIR(st.st_mode) && (fl < 4 || strcmp(f + fl - 4, ".tgz") != 0))
            continue;
        const char *n, *v;
        cap_err e = CAP_ERR_INIT;
        int rc = dep_peek_chart(a, p, &n, &v, &e);
        cap_err_clear(&e);
        if (rc != 0) {
            warn(ud, arena_printf(a, "WARNING: \"%s\" is not a chart.", p));
            continue;
        }
        bool found = false;
        for (size_t k = 0; k < ch->meta->ndeps && !found; k++)
            found = strcmp(ch->meta->deps[k]->name, n) == 0;
        if (!found)
            warn(ud, arena_printf(a, "WARNING: \"%s\" is not in Chart.yaml.", p));
    }
    names_free(&files);
    arena_free(a);
    return 0;
}

void dep_rows_free(dep_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].version);
        free(rows[i].repository);
        free(rows[i].status);
    }
    free(rows);
}
