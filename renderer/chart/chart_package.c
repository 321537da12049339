/* chart_package.c — `helm package` (pkg/action/package.go, pkg/chart/v2/util/save.go):
 * load the chart directory as helm's LoadDir does, then write NAME-VERSION.tgz with
 * the members, order, headers and gzip header helm writes (see chart_package.h).
 * The tar stream is built here (Go's USTAR field formatting differs from
 * libarchive's), compressed with zlib, written to a temporary file and renamed. */
#include "renderer/chart/chart_package.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "renderer/chart/chart.h"
#include "core/semver.h"
#include "core/json.h"
#include "core/yaml.h"

/* ---- tar, as Go's archive/tar writes a USTAR header ------------------------------ */

/* Go's formatOctal: leading zeros, room left for a NUL. */
static void put_octal(unsigned char *b, size_t n, unsigned long long v)
{
    char tmp[32];
    snprintf(tmp, sizeof tmp, "%0*llo", (int)(n - 1), v);
    memcpy(b, tmp, n - 1);
    b[n - 1] = 0;
}

static bool is_ascii(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s >= 0x80)
            return false;
    return true;
}

/* Go's splitUSTARPath: prefix (<=155) '/' name (<=100). */
static bool split_ustar(const char *name, size_t *cut)
{
    size_t len = strlen(name);
    if (len <= 100 || !is_ascii(name))
        return false;
    size_t l = len;
    if (l > 156)
        l = 156;
    else if (name[l - 1] == '/')
        l--;
    size_t i = l;
    while (i > 0 && name[i - 1] != '/')
        i--;
    if (i == 0)
        return false;
    i--; /* index of the slash */
    size_t nlen = len - i - 1;
    if (i == 0 || nlen > 100 || nlen == 0 || i > 155)
        return false;
    *cut = i;
    return true;
}

static int tar_add(strbuf *sb, const char *name, const char *data, size_t len, long long mtime, cap_err *err)
{
    unsigned char h[512];
    memset(h, 0, sizeof h);
    size_t nl = strlen(name), cut = 0;
    if (!is_ascii(name) || (nl > 100 && !split_ustar(name, &cut)))
        return cap_err_set(err, "cannot package %s: the name needs a PAX header, which capstan does not write", name);
    if (cut) {
        memcpy(h + 345, name, cut);
        memcpy(h, name + cut + 1, nl - cut - 1);
    } else {
        memcpy(h, name, nl);
    }
    if (mtime == LLONG_MIN)
        mtime = (long long)time(NULL); /* helm: a zero time.Time becomes time.Now() */
    if (mtime < 0 || mtime > 077777777777LL)
        return cap_err_set(err, "cannot package %s: its modification time needs a PAX header, which capstan does not write",
                           name);
    put_octal(h + 100, 8, 0644);
    put_octal(h + 108, 8, 0);
    put_octal(h + 116, 8, 0);
    put_octal(h + 124, 12, len);
    put_octal(h + 136, 12, (unsigned long long)mtime);
    h[156] = '0';
    memcpy(h + 257, "ustar\0" "00", 8);
    put_octal(h + 329, 8, 0);
    put_octal(h + 337, 8, 0);
    memset(h + 148, ' ', 8);
    unsigned sum = 0;
    for (size_t i = 0; i < sizeof h; i++)
        sum += h[i];
    put_octal(h + 148, 7, sum); /* six digits, NUL, and the space stays */
    sb_add(sb, h, sizeof h);
    sb_add(sb, data, len);
    static const char zero[512];
    if (len % 512)
        sb_add(sb, zero, 512 - len % 512);
    return 0;
}

/* ---- Chart.lock, as yaml.Marshal(chart.Lock) writes it ----------------------------- */

static int digits(const char *s, int n, int *out)
{
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return 0;
}

/* An RFC 3339 time as Go's time.Time re-marshals it (RFC3339Nano: fraction without
 * trailing zeros, Z for UTC), and its instant rounded to the second. */
static int lock_time(arena *a, const char *s, const char **text, long long *secs)
{
    int Y, M, D, hh, mm, ss;
    size_t n = strlen(s);
    if (n < 20 || digits(s, 4, &Y) || s[4] != '-' || digits(s + 5, 2, &M) || s[7] != '-' || digits(s + 8, 2, &D) ||
        (s[10] != 'T' && s[10] != 't') || digits(s + 11, 2, &hh) || s[13] != ':' || digits(s + 14, 2, &mm) ||
        s[16] != ':' || digits(s + 17, 2, &ss))
        return -1;
    const char *p = s + 19;
    char frac[10] = "";
    long nsec = 0;
    if (*p == '.') {
        p++;
        int k = 0;
        while (*p >= '0' && *p <= '9') {
            if (k < 9)
                frac[k++] = *p;
            p++;
        }
        if (k == 0)
            return -1;
        for (int i = 0; i < 9; i++)
            nsec = nsec * 10 + (i < k ? frac[i] - '0' : 0);
        while (k > 0 && frac[k - 1] == '0')
            frac[--k] = 0;
    }
    int off = 0;
    const char *zone;
    if (*p == 'Z' || *p == 'z') {
        zone = "Z";
        p++;
    } else if ((*p == '+' || *p == '-') && strlen(p) == 6 && p[3] == ':') {
        int oh, om;
        if (digits(p + 1, 2, &oh) || digits(p + 4, 2, &om))
            return -1;
        off = (oh * 60 + om) * 60 * (*p == '-' ? -1 : 1);
        zone = off ? arena_strndup(a, p, 6) : "Z";
        p += 6;
    } else {
        return -1;
    }
    if (*p)
        return -1;
    /* days from civil (proleptic Gregorian) */
    int y = Y - (M <= 2);
    long era = (y >= 0 ? y : y - 399) / 400;
    long yoe = y - era * 400;
    long doy = (153L * (M + (M > 2 ? -3 : 9)) + 2) / 5 + D - 1;
    long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    long long days = era * 146097LL + doe - 719468;
    *secs = days * 86400 + hh * 3600 + mm * 60 + ss - off + (nsec >= 500000000L ? 1 : 0);
    *text = arena_printf(a, "%.19s%s%s%s", s, frac[0] ? "." : "", frac, zone);
    return 0;
}

static void put_str(arena *a, cval *m, const char *k, const cval *v, bool omitempty)
{
    const char *s = v && v->kind == CV_STRING ? v->u.str.s : "";
    if (!omitempty || *s)
        cv_map_set(m, k, cv_cstring(a, s));
}

/* The lock's YAML text and the mtime helm gives it (Lock.Generated). */
static int lock_marshal(arena *a, const chart *c, strbuf *out, long long *mtime, cap_err *err)
{
    const char *file = c->lock_raw == NULL ? "" : "Chart.lock";
    cval *v;
    if (yaml_parse(a, c->lock_raw, c->lock_len, file, &v, err) != 0) {
        cap_err_prefix(err, "cannot load Chart.lock");
        return -1;
    }
    if (v->kind != CV_MAP && v->kind != CV_NIL)
        return cap_err_set(err, "cannot load Chart.lock: not a map");
    cval *m = cv_map_new(a);
    cval *deps = v->kind == CV_MAP ? cv_map_get(v, "dependencies") : NULL;
    if (deps && deps->kind == CV_LIST) {
        cval *l = cv_list_new(a, cv_list_len(deps));
        for (size_t i = 0; i < cv_list_len(deps); i++) {
            cval *d = cv_list_get(deps, i);
            if (!d || d->kind != CV_MAP) {
                cv_list_push(l, cv_nil());
                continue;
            }
            cval *x = cv_map_new(a);
            put_str(a, x, "name", cv_map_get(d, "name"), false);
            put_str(a, x, "version", cv_map_get(d, "version"), true);
            put_str(a, x, "repository", cv_map_get(d, "repository"), false);
            put_str(a, x, "condition", cv_map_get(d, "condition"), true);
            put_str(a, x, "alias", cv_map_get(d, "alias"), true);
            cval *t = cv_map_get(d, "tags");
            if (t && t->kind == CV_LIST && cv_list_len(t))
                cv_map_set(x, "tags", t);
            cval *en = cv_map_get(d, "enabled");
            if (en && en->kind == CV_BOOL && en->u.b)
                cv_map_set(x, "enabled", cv_true());
            cval *iv = cv_map_get(d, "import-values");
            if (iv && iv->kind == CV_LIST && cv_list_len(iv))
                cv_map_set(x, "import-values", iv);
            cv_list_push(l, x);
        }
        cv_map_set(m, "dependencies", l);
    } else {
        cv_map_set(m, "dependencies", cv_nil());
    }
    put_str(a, m, "digest", v->kind == CV_MAP ? cv_map_get(v, "digest") : NULL, false);
    cval *g = v->kind == CV_MAP ? cv_map_get(v, "generated") : NULL;
    const char *gt = "0001-01-01T00:00:00Z";
    *mtime = LLONG_MIN;
    if (g && g->kind == CV_STRING && lock_time(a, g->u.str.s, &gt, mtime) != 0)
        return cap_err_set(err, "cannot load Chart.lock: parsing time \"%s\" as RFC 3339", g->u.str.s);
    cv_map_set(m, "generated", cv_cstring(a, gt));
    return yaml_emit(out, m, err);
}

/* ---- the chart, as writeTarContents ---------------------------------------------- */

static int write_chart(arena *a, strbuf *tar, chart *c, const char *prefix, cap_err *err)
{
    const char *name = chart_name(c);
    if (!*name || strchr(name, '/') || strcmp(name, ".") == 0 || strcmp(name, "..") == 0)
        return cap_err_set(err, "chart name \"%s\" is invalid", name);
    const char *base = *prefix ? arena_printf(a, "%s/%s", prefix, name) : name;
    chart_meta *md = c->meta;
    bool v1 = strcmp(md->api_version, "v1") == 0;
    size_t ndeps = md->ndeps;
    if (v1)
        md->ndeps = 0; /* a v1 chart keeps its dependencies in requirements.yaml */
    strbuf sb = STRBUF_INIT;
    int rc = yaml_emit(&sb, chart_meta_to_json(a, md), err);
    md->ndeps = ndeps;
    if (rc == 0)
        rc = tar_add(tar, arena_printf(a, "%s/Chart.yaml", base), sb_str(&sb), sb.len, c->meta_mtime, err);
    sb_release(&sb);
    if (rc != 0)
        return -1;
    if (!v1 && strcmp(md->api_version, "v2") == 0 && c->lock_raw) {
        long long mt = 0;
        strbuf lb = STRBUF_INIT;
        rc = lock_marshal(a, c, &lb, &mt, err);
        if (rc == 0)
            rc = tar_add(tar, arena_printf(a, "%s/Chart.lock", base), sb_str(&lb), lb.len, mt, err);
        sb_release(&lb);
        if (rc != 0)
            return -1;
    }
    if (c->values_raw &&
        tar_add(tar, arena_printf(a, "%s/values.yaml", base), c->values_raw, c->values_raw_len, c->values_mtime, err))
        return -1;
    if (c->schema) {
        cval *ignored;
        cap_err je = CAP_ERR_INIT;
        int bad = json_parse(a, c->schema, c->schema_len, "values.schema.json", &ignored, &je);
        cap_err_clear(&je);
        if (bad)
            return cap_err_set(err, "invalid JSON in values.schema.json");
        if (tar_add(tar, arena_printf(a, "%s/values.schema.json", base), c->schema, c->schema_len, c->schema_mtime,
                    err))
            return -1;
    }
    for (size_t i = 0; i < c->ntemplates; i++) {
        chart_file *f = &c->templates[i];
        if (tar_add(tar, arena_printf(a, "%s/%s", base, f->name), f->data, f->len, f->mtime, err))
            return -1;
    }
    for (size_t i = 0; i < c->nfiles; i++) {
        chart_file *f = &c->files[i];
        if (tar_add(tar, arena_printf(a, "%s/%s", base, f->name), f->data, f->len, f->mtime, err))
            return -1;
    }
    const char *sub = arena_printf(a, "%s/charts", base);
    for (size_t i = 0; i < c->ndeps; i++)
        if (write_chart(a, tar, c->deps[i], sub, err) != 0) {
            cap_err_prefix(err, "saving %s", chart_full_path(a, c->deps[i]));
            return -1;
        }
    return 0;
}

/* ---- gzip, with the header Go's gzip.Writer writes for helm ------------------------- */

static int gzip_to_file(const strbuf *tar, const char *path, cap_err *err)
{
    FILE *f = fopen(path, "wb");
    if (!f)
        return cap_err_set(err, "open %s: %s", path, strerror(errno));
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, Z_DEFAULT_COMPRESSION, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        fclose(f);
        return cap_err_set(err, "gzip: cannot initialise zlib");
    }
    static char extra[] = "+aHR0cHM6Ly95b3V0dS5iZS96OVV6MWljandyTQo=";
    static char comment[] = "Helm";
    gz_header gh;
    memset(&gh, 0, sizeof gh);
    gh.os = 255;
    gh.extra = (Bytef *)extra;
    gh.extra_len = sizeof extra - 1;
    gh.comment = (Bytef *)comment;
    deflateSetHeader(&z, &gh);
    z.next_in = (Bytef *)sb_str(tar);
    z.avail_in = (uInt)tar->len;
    unsigned char buf[65536];
    int zr, bad = 0;
    do {
        z.next_out = buf;
        z.avail_out = sizeof buf;
        zr = deflate(&z, Z_FINISH);
        size_t got = sizeof buf - z.avail_out;
        if (got && fwrite(buf, 1, got, f) != got)
            bad = 1;
    } while (zr == Z_OK && !bad);
    deflateEnd(&z);
    if (fclose(f) != 0)
        bad = 1;
    if (zr != Z_STREAM_END || bad)
        return cap_err_set(err, "write %s: %s", path, bad ? strerror(errno) : "gzip failed");
    return 0;
}

/* filepath.Join(dest, file) for the usual cases: "./x/" -> "x/file". */
static char *join_dest(arena *a, const char *dest, const char *file)
{
    while (dest[0] == '.' && dest[1] == '/')
        for (dest += 2; *dest == '/';)
            dest++;
    char *d = arena_strdup(a, dest);
    size_t n = strlen(d);
    while (n > 1 && d[n - 1] == '/')
        d[--n] = 0;
    if (n == 0 || strcmp(d, ".") == 0)
        return arena_strdup(a, file);
    return arena_printf(a, "%s%s%s", d, strcmp(d, "/") == 0 ? "" : "/", file);
}

int chart_package_dir(const char *dir, const chart_package_opts *o, char **out_path, cap_err *err)
{
    static const chart_package_opts none;
    if (!o)
        o = &none;
    *out_path = NULL;
    arena *a = arena_new();
    int rc = -1;
    chart_file *files;
    size_t n;
    chart *c;
    char *top = arena_strdup(a, dir);
    for (size_t l = strlen(top); l > 1 && top[l - 1] == '/';)
        top[--l] = 0;
    dir = top;
    struct stat st;
    if (stat(dir, &st) != 0) {
        char why[128]; /* Go writes errno texts in lower case */
        snprintf(why, sizeof why, "%s", strerror(errno));
        why[0] = (char)tolower((unsigned char)why[0]);
        cap_err_set(err, "stat %s: %s", dir, why);
        goto done;
    }
    if (!S_ISDIR(st.st_mode)) {
        char cwd[4096];
        const char *abs = dir[0] == '/' ? dir : arena_printf(a, "%s/%s", getcwd(cwd, sizeof cwd) ? cwd : ".", dir);
        cap_err_set(err, "unable to detect chart at %s/Chart.yaml: open %s/Chart.yaml: not a directory", abs, abs);
        goto done;
    }
    if (chart_list_dir(a, dir, &files, &n, err) != 0 || chart_load_files(a, files, n, dir, &c, err) != 0)
        goto done;
    chart_meta *md = c->meta;
    if (o->version && *o->version)
        md->version = arena_strdup(a, o->version);
    if (!chart_semver_valid(md->version)) {
        cap_err_at(err, dir, 0, 0, "Invalid Semantic Version");
        goto done;
    }
    if (o->app_version && *o->app_version)
        md->app_version = arena_strdup(a, o->app_version);
    if (md->ndeps && chart_check_deps(a, c, err) != 0)
        goto done;
    if (chart_meta_validate(md, err) != 0) {
        cap_err_prefix(err, "chart validation");
        goto done;
    }
    strbuf tar = STRBUF_INIT;
    if (write_chart(a, &tar, c, "", err) != 0) {
        sb_release(&tar);
        goto done;
    }
    static const char zeros[1024];
    sb_add(&tar, zeros, sizeof zeros);

    const char *dest = o->dest && *o->dest ? o->dest : ".";
    char *file = arena_printf(a, "%s-%s.tgz", md->name, md->version);
    char *path;
    if (strcmp(dest, ".") == 0) {
        char cwd[4096];
        if (!getcwd(cwd, sizeof cwd)) {
            sb_release(&tar);
            cap_err_set(err, "getwd: %s", strerror(errno));
            goto done;
        }
        path = join_dest(a, cwd, file);
    } else {
        if (fsu_mkdirs(dest, NULL) != 0) {
            sb_release(&tar);
            cap_err_set(err, "%s: %s", dest, errno == ENOTDIR ? "is not a directory" : strerror(errno));
            goto done;
        }
        path = join_dest(a, dest, file);
    }
    char *tmp = arena_printf(a, "%s.tmp-%ld", path, (long)getpid());
    rc = gzip_to_file(&tar, tmp, err);
    sb_release(&tar);
    if (rc == 0 && rename(tmp, path) != 0)
        rc = cap_err_set(err, "rename %s: %s", path, strerror(errno));
    if (rc != 0) {
        unlink(tmp);
        cap_err_prefix(err, "failed to save");
        goto done;
    }
    *out_path = xstrdup(path);
done:
    arena_free(a);
    return rc;
}
