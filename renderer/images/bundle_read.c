/* bundle_read.c — open a capstan bundle, check every member against
 * SHA256SUMS, keep chart, values and image list in memory, and extract the
 * OCI image layout when asked. One pass over the archive; nothing is trusted
 * until the whole archive has been read and every checksum matched. */
#include "renderer/images/bundle.h"
#include "core/fsutil.h"
#include "core/xalloc.h"

#include <archive.h>
#include <archive_entry.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/digest.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/value.h"

#define MAX_MEMBERS 200000
#define MAX_KEPT (256L << 20) /* bytes kept in memory: chart, values, image list, sums */

typedef struct member {
    const char *name;
    char sha[65];
    const char *data; /* kept members only */
    size_t len;
    bool listed;      /* seen in SHA256SUMS */
} member;

typedef struct reader {
    arena *a;
    const char *path;
    member *m;
    size_t n, cap;
    uint64_t bytes, kept;
} reader;

bool bundle_is(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0 || !S_ISREG(st.st_mode))
        return false;
    struct archive *ar = archive_read_new();
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    bool is = false;
    struct archive_entry *e;
    if (archive_read_open_filename(ar, path, 16384) == ARCHIVE_OK && archive_read_next_header(ar, &e) == ARCHIVE_OK)
        is = strcmp(archive_entry_pathname(e), BUNDLE_META) == 0;
    archive_read_free(ar);
    return is;
}

static bool safe_name(const char *n)
{
    if (!*n || n[0] == '/' || strchr(n, '\\'))
        return false;
    for (const char *p = n; *p;) {
        size_t k = strcspn(p, "/");
        if (k == 0 || (k == 1 && p[0] == '.') || (k == 2 && p[0] == '.' && p[1] == '.'))
            return false;
        p += k;
        if (*p)
            p++;
    }
    return true;
}

static bool kept(const char *name)
{
    return strcmp(name, BUNDLE_META) == 0 || strcmp(name, BUNDLE_SUMS) == 0 || strcmp(name, BUNDLE_IMAGES) == 0 ||
           strncmp(name, "chart/", 6) == 0 || strncmp(name, "values/", 7) == 0;
}

static const char *problem(struct archive *ar)
{
    const char *m = archive_error_string(ar);
    return m ? m : "unexpected end of data";
}

/* One member: hash it, keep it or write it out. */
static int read_member(reader *r, struct archive *ar, const char *name, const char *layout_dir, cap_err *err)
{
    bool keep = kept(name);
    FILE *out = NULL;
    if (layout_dir && strncmp(name, BUNDLE_LAYOUT "/", sizeof BUNDLE_LAYOUT) == 0) {
        char *dst = arena_printf(r->a, "%s/%s", layout_dir, name + sizeof BUNDLE_LAYOUT);
        if (fsu_mkdirs_for(dst, NULL) != 0 || !(out = fopen(dst, "wb")))
            return cap_err_at(err, dst, 0, 0, "cannot write %s: %s", dst, strerror(errno));
    }
    digest_sha256_ctx md;
    digest_sha256_init(&md);
    strbuf sb = STRBUF_INIT;
    char buf[65536];
    int rc = 0;
    for (;;) {
        la_ssize_t n = archive_read_data(ar, buf, sizeof buf);
        if (n < 0) {
            rc = cap_err_at(err, r->path, 0, 0, "corrupt or truncated bundle (in member %s: %s)", name, problem(ar));
            break;
        }
        if (n == 0)
            break;
        digest_sha256_update(&md, buf, (size_t)n);
        r->bytes += (uint64_t)n;
        if (keep) {
            r->kept += (uint64_t)n;
            if (r->kept > (uint64_t)MAX_KEPT) {
                rc = cap_err_at(err, r->path, 0, 0, "bundle member %s is too large", name);
                break;
            }
            sb_add(&sb, buf, (size_t)n);
        }
        if (out && fwrite(buf, 1, (size_t)n, out) != (size_t)n) {
            rc = cap_err_at(err, layout_dir, 0, 0, "cannot write under %s: %s", layout_dir, strerror(errno));
            break;
        }
    }
    if (out && fclose(out) != 0 && rc == 0)
        rc = cap_err_at(err, layout_dir, 0, 0, "cannot write under %s: %s", layout_dir, strerror(errno));
    unsigned char dg[32];
    digest_sha256_final(&md, dg);
    if (rc == 0) {
        if (r->n == r->cap) {
            size_t nc = r->cap ? r->cap * 2 : 64;
            r->m = arena_realloc(r->a, r->m, r->cap * sizeof *r->m, nc * sizeof *r->m);
            r->cap = nc;
        }
        member *m = &r->m[r->n++];
        m->name = arena_strdup(r->a, name);
        digest_to_hex(dg, 32, m->sha);
        m->data = keep ? arena_strndup(r->a, sb_str(&sb), sb.len) : NULL;
        m->len = sb.len;
        m->listed = false;
    }
    sb_release(&sb);
    return rc;
}

static member *find(reader *r, const char *name)
{
    for (size_t i = 0; i < r->n; i++)
        if (strcmp(r->m[i].name, name) == 0)
            return &r->m[i];
    return NULL;
}

/* SHA256SUMS against what was read: every member listed once, every sum right. */
static int check_sums(reader *r, cap_err *err)
{
    member *sums = find(r, BUNDLE_SUMS);
    if (!sums)
        return cap_err_at(err, r->path, 0, 0, "not a complete bundle: %s is missing", BUNDLE_SUMS);
    const char *p = sums->data, *end = sums->data + sums->len;
    int line = 0;
    while (p < end) {
        const char *eol = memchr(p, '\n', (size_t)(end - p));
        if (!eol)
            eol = end;
        line++;
        size_t ll = (size_t)(eol - p);
        if (ll < 67 || p[64] != ' ' || p[65] != ' ')
            return cap_err_at(err, r->path, 0, 0, "%s line %d is malformed", BUNDLE_SUMS, line);
        char *name = arena_strndup(r->a, p + 66, ll - 66);
        member *m = find(r, name);
        if (!m || m == sums)
            return cap_err_at(err, r->path, 0, 0, "%s lists %s, which is missing from the bundle", BUNDLE_SUMS, name);
        if (m->listed)
            return cap_err_at(err, r->path, 0, 0, "%s lists %s twice", BUNDLE_SUMS, name);
        m->listed = true;
        if (memcmp(m->sha, p, 64) != 0)
            return cap_err_at(err, r->path, 0, 0, "checksum mismatch for member %s (sha256 %s, %s says %.64s)", name,
                              m->sha, BUNDLE_SUMS, p);
        p = eol + 1;
    }
    for (size_t i = 0; i < r->n; i++)
        if (&r->m[i] != sums && !r->m[i].listed)
            return cap_err_at(err, r->path, 0, 0, "member %s is not in %s", r->m[i].name, BUNDLE_SUMS);
    return 0;
}

static const char *str_at(const cval *m, const char *key)
{
    cval *v = cv_is(m, CV_MAP) ? cv_map_get(m, key) : NULL;
    return cv_is(v, CV_STRING) ? v->u.str.s : NULL;
}

/* bundle.json: what the bundle says it holds, checked against what it holds. */
static int read_meta(reader *r, bundle *b, cap_err *err)
{
    member *mm = find(r, BUNDLE_META);
    cval *meta = NULL;
    cap_err e = CAP_ERR_INIT;
    if (json_parse(r->a, mm->data, mm->len, BUNDLE_META, &meta, &e) != 0 || !cv_is(meta, CV_MAP)) {
        cap_err_clear(&e);
        return cap_err_at(err, r->path, 0, 0, "%s is not a JSON object", BUNDLE_META);
    }
    const char *kind = str_at(meta, "kind");
    if (!kind || strcmp(kind, "Bundle") != 0)
        return cap_err_at(err, r->path, 0, 0, "%s: kind is not Bundle", BUNDLE_META);
    cval *ch = cv_map_get(meta, "chart");
    b->chart_name = str_at(ch, "name");
    b->chart_version = str_at(ch, "version");
    b->chart_member = str_at(ch, "file");
    member *cm = b->chart_member ? find(r, b->chart_member) : NULL;
    if (!b->chart_name || !b->chart_version || !cm || strncmp(b->chart_member, "chart/", 6) != 0)
        return cap_err_at(err, r->path, 0, 0, "%s names no chart the bundle holds", BUNDLE_META);
    b->chart_data = cm->data;
    b->chart_len = cm->len;
    cval *vals = cv_map_get(meta, "values");
    size_t nv = cv_is(vals, CV_LIST) ? cv_list_len(vals) : 0;
    b->value_members = arena_zalloc(r->a, (nv + 1) * sizeof *b->value_members);
    b->value_data = arena_zalloc(r->a, (nv + 1) * sizeof *b->value_data);
    b->value_lens = arena_zalloc(r->a, (nv + 1) * sizeof *b->value_lens);
    for (size_t i = 0; i < nv; i++) {
        cval *v = cv_list_get(vals, i);
        member *vm = cv_is(v, CV_STRING) && strncmp(v->u.str.s, "values/", 7) == 0 ? find(r, v->u.str.s) : NULL;
        if (!vm)
            return cap_err_at(err, r->path, 0, 0, "%s lists a values file the bundle does not hold", BUNDLE_META);
        b->value_members[i] = vm->name;
        b->value_data[i] = vm->data;
        b->value_lens[i] = vm->len;
    }
    b->nvalues = nv;
    member *im = find(r, BUNDLE_IMAGES);
    b->images_json = im ? im->data : "";
    b->images_len = im ? im->len : 0;
    const char *layout = str_at(meta, "layout");
    b->has_layout = layout && *layout;
    if (b->has_layout && (!find(r, BUNDLE_LAYOUT "/index.json") || !find(r, BUNDLE_LAYOUT "/oci-layout")))
        return cap_err_at(err, r->path, 0, 0, "%s says it holds images, but %s/index.json or %s/oci-layout is missing",
                          BUNDLE_META, BUNDLE_LAYOUT, BUNDLE_LAYOUT);
    return 0;
}

int bundle_read(arena *a, const char *path, const char *layout_dir, bundle **out, cap_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0)
        return cap_err_at(err, path, 0, 0, "open %s: %s", path, strerror(errno));
    struct archive *ar = archive_read_new();
    archive_read_support_filter_gzip(ar);
    archive_read_support_format_tar(ar);
    reader r = {a, path, NULL, 0, 0, 0, 0};
    int rc = 0;
    if (archive_read_open_filename(ar, path, 65536) != ARCHIVE_OK) {
        rc = cap_err_at(err, path, 0, 0, "corrupt or truncated bundle (%s)", problem(ar));
        goto done;
    }
    for (size_t i = 0;; i++) {
        struct archive_entry *e;
        int h = archive_read_next_header(ar, &e);
        if (h == ARCHIVE_EOF)
            break;
        if (h != ARCHIVE_OK) {
            rc = cap_err_at(err, path, 0, 0, "corrupt or truncated bundle (%s)", problem(ar));
            goto done;
        }
        const char *name = archive_entry_pathname(e);
        if (!name || !safe_name(name)) {
            rc = cap_err_at(err, path, 0, 0, "bundle member \"%s\" has an unsafe name", name ? name : "");
            goto done;
        }
        if (i == 0 && strcmp(name, BUNDLE_META) != 0) {
            rc = cap_err_at(err, path, 0, 0, "not a capstan bundle (the first member is %s, not %s)", name, BUNDLE_META);
            goto done;
        }
        if (archive_entry_filetype(e) == AE_IFDIR)
            continue;
        if (archive_entry_filetype(e) != AE_IFREG) {
            rc = cap_err_at(err, path, 0, 0, "bundle member %s is not a regular file", name);
            goto done;
        }
        if (find(&r, name)) {
            rc = cap_err_at(err, path, 0, 0, "bundle member %s appears twice", name);
            goto done;
        }
        if (r.n >= MAX_MEMBERS) {
            rc = cap_err_at(err, path, 0, 0, "bundle has more than %d members", MAX_MEMBERS);
            goto done;
        }
        if ((rc = read_member(&r, ar, name, layout_dir, err)) != 0)
            goto done;
    }
    if (r.n == 0) {
        rc = cap_err_at(err, path, 0, 0, "not a capstan bundle (empty archive)");
        goto done;
    }
    if ((rc = check_sums(&r, err)) != 0)
        goto done;
    bundle *b = arena_zalloc(a, sizeof *b);
    b->path = arena_strdup(a, path);
    b->nmembers = r.n;
    b->bytes = r.bytes;
    if ((rc = read_meta(&r, b, err)) != 0)
        goto done;
    *out = b;
done:
    archive_read_free(ar);
    return rc ? -1 : 0;
}
