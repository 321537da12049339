/* chart_files.c — .Files, Helm's engine.files (a map[string][]byte with
 * methods): Get, GetBytes, Glob, Lines, AsConfig, AsSecrets.
 *
 * Engine note: Go ranges over .Files (and .Files.Glob ...) as a map. The
 * object's method "__map" returns the CV_MAP (name -> []byte, gotype
 * "engine.files") for range, toJson and %v. */
#include "renderer/chart/chart.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "renderer/chart/chart_glob.h"
#include "core/gofmt.h"
#include "core/yaml.h"

typedef struct files {
    const chart_file *f;
    size_t n;
} files;

static const char *const FILES_TYPE = "engine.files";

static const chart_file *find(const files *fs, const char *name)
{
    /* the last of a name wins, as in a Go map built in order */
    const chart_file *r = NULL;
    for (size_t i = 0; i < fs->n; i++)
        if (strcmp(fs->f[i].name, name) == 0)
            r = &fs->f[i];
    return r;
}

static cval *m_getbytes(cv_call *c, int argc, cval **argv)
{
    const chart_file *f = find(c->self, argv[0]->u.str.s);
    return cv_bytes_ref(c->a, f ? f->data : "", f ? f->len : 0);
}

static cval *m_get(cv_call *c, int argc, cval **argv)
{
    const chart_file *f = find(c->self, argv[0]->u.str.s);
    return cv_string_ref(c->a, f ? f->data : "", f ? f->len : 0);
}

static const cv_fnreg files_methods[];
static const cv_class files_class;

static cval *m_glob(cv_call *c, int argc, cval **argv)
{
    const files *fs = c->self;
    files *nf = arena_zalloc(c->a, sizeof *nf);
    chart_file *out = arena_zalloc(c->a, (fs->n + 1) * sizeof *out);
    const chart_glob *g = chart_glob_compile(c->a, argv[0]->u.str.s, argv[0]->u.str.len);
    for (size_t i = 0; i < fs->n; i++)
        if (chart_glob_match(g, fs->f[i].name, strlen(fs->f[i].name)))
            out[nf->n++] = fs->f[i];
    nf->f = out;
    return cv_object(c->a, &files_class, nf);
}

static cval *m_lines(cv_call *c, int argc, cval **argv)
{
    const chart_file *f = find(c->self, argv[0]->u.str.s);
    cval *l = cv_list_new(c->a, 4);
    l->gotype = "[]string";
    if (!f)
        return l;
    size_t n = f->len;
    if (n && f->data[n - 1] == '\n')
        n--;
    size_t st = 0;
    for (size_t i = 0; i <= n; i++)
        if (i == n || f->data[i] == '\n') {
            cv_list_push(l, cv_string(c->a, f->data + st, i - st));
            st = i + 1;
        }
    return l;
}

static void b64(strbuf *sb, const unsigned char *p, size_t n)
{
    static const char t[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)p[i] << 16 | (i + 1 < n ? (unsigned)p[i + 1] << 8 : 0) | (i + 2 < n ? p[i + 2] : 0);
        sb_addc(sb, t[(v >> 18) & 63]);
        sb_addc(sb, t[(v >> 12) & 63]);
        sb_addc(sb, i + 1 < n ? t[(v >> 6) & 63] : '=');
        sb_addc(sb, i + 2 < n ? t[v & 63] : '=');
    }
}

static cval *as_map(cv_call *c, bool secrets)
{
    const files *fs = c->self;
    cval *m = cv_map_new(c->a);
    m->gotype = "map[string]string";
    for (size_t i = 0; i < fs->n; i++) {
        const char *base = strrchr(fs->f[i].name, '/');
        base = base ? base + 1 : fs->f[i].name;
        if (secrets) {
            strbuf sb = STRBUF_INIT;
            b64(&sb, (const unsigned char *)fs->f[i].data, fs->f[i].len);
            cv_map_set(m, base, cv_string(c->a, sb_str(&sb), sb.len));
            sb_release(&sb);
        } else {
            cv_map_set(m, base, cv_string_ref(c->a, fs->f[i].data, fs->f[i].len));
        }
    }
    strbuf out = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    if (yaml_emit(&out, m, &e) != 0) {
        sb_release(&out);
        cval *r = cv_call_fail(c, "%s", e.msg);
        cap_err_clear(&e);
        return r;
    }
    size_t len = out.len;
    if (len && out.buf[len - 1] == '\n')
        len--;
    cval *r = cv_string(c->a, sb_str(&out), len);
    sb_release(&out);
    return r;
}

static cval *m_asconfig(cv_call *c, int argc, cval **argv) { return as_map(c, false); }
static cval *m_assecrets(cv_call *c, int argc, cval **argv) { return as_map(c, true); }

static cval *m_map(cv_call *c, int argc, cval **argv)
{
    const files *fs = c->self;
    cval *m = cv_map_new(c->a);
    m->gotype = FILES_TYPE;
    for (size_t i = 0; i < fs->n; i++)
        cv_map_set(m, fs->f[i].name, cv_bytes_ref(c->a, fs->f[i].data, fs->f[i].len));
    return m;
}

static const cv_fnreg files_methods[] = {
    {"Get", m_get, "s"},
    {"GetBytes", m_getbytes, "s"},
    {"Glob", m_glob, "s"},
    {"Lines", m_lines, "s"},
    {"AsConfig", m_asconfig, ""},
    {"AsSecrets", m_assecrets, ""},
    {"__map", m_map, ""},
    {NULL, NULL, NULL},
};

static int by_name(const void *x, const void *y)
{
    return strcmp((*(const chart_file *const *)x)->name, (*(const chart_file *const *)y)->name);
}

static void files_format(strbuf *out, void *self)
{
    const files *fs = self;
    /* map[name:[bytes...]] with sorted keys */
    sb_adds(out, "map[");
    const chart_file **order = NULL;
    size_t n = fs->n;
    order = xmalloc((n + 1) * sizeof *order);
    for (size_t i = 0; i < n; i++)
        order[i] = &fs->f[i];
    qsort(order, n, sizeof *order, by_name);
    for (size_t i = 0; i < n; i++) {
        if (i)
            sb_addc(out, ' ');
        sb_adds(out, order[i]->name);
        sb_addc(out, ':');
        gofmt_bytes_v(out, order[i]->data, order[i]->len);
    }
    sb_addc(out, ']');
    free(order);
}

/* .Files.NAME: Go's map lookup, the file's bytes (a nil []byte when absent) */
static cval *files_field(arena *a, void *self, const char *name)
{
    const chart_file *f = find(self, name);
    return cv_bytes_ref(a, f ? f->data : "", f ? f->len : 0);
}

static bool files_truth(void *self) { return ((files *)self)->n > 0; }

static const cv_class files_class = {
    "engine.files", "map", files_field, files_methods, files_format, files_truth,
};

cval *chart_files_object(arena *a, const chart_file *f, size_t n)
{
    files *fs = arena_zalloc(a, sizeof *fs);
    fs->f = f;
    fs->n = n;
    return cv_object(a, &files_class, fs);
}
