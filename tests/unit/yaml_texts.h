/* yaml_texts.h — texts for the differential tests of the YAML scanner
 * (test_yaml_scan, test_manifest_head): every document of the golden outputs
 * helm printed, and small edits of a text (one string inserted at a place,
 * or one byte deleted; several such edits at places a small generator picks). */
#ifndef CAPSTAN_TEST_YAML_TEXTS_H
#define CAPSTAN_TEST_YAML_TEXTS_H

#include <dirent.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/json.h"
#include "renderer/manifest.h"
#include "core/strbuf.h"

/* out = s with ins put before byte at (ins NULL: byte at deleted) */
static inline void mutate_at(strbuf *out, const char *s, size_t len, size_t at, const char *ins)
{
    sb_reset(out);
    sb_add(out, s, at);
    if (ins) {
        sb_adds(out, ins);
        sb_add(out, s + at, len - at);
    } else if (at < len) {
        sb_add(out, s + at + 1, len - at - 1);
    }
}

/* `edits` random edits of sb, each an insert of one of ins[] or a deletion */
static inline void mutate_random(strbuf *sb, const char *const *ins, size_t nins, uint64_t *seed, int edits)
{
    strbuf t = STRBUF_INIT;
    for (int ed = 0; ed < edits && sb->len; ed++) {
        *seed ^= *seed << 13, *seed ^= *seed >> 7, *seed ^= *seed << 17;
        size_t at = (size_t)(*seed >> 8) % sb->len, m = (size_t)(*seed >> 40) % (nins + 1);
        mutate_at(&t, sb_str(sb), sb->len, at, m < nins ? ins[m] : NULL);
        sb_reset(sb);
        sb_add(sb, sb_str(&t), t.len);
    }
    sb_release(&t);
}

/* every document of the golden outputs helm printed */
static inline size_t golden_docs(arena *a, const char ***docs, size_t **lens)
{
    const char *dir = "tests/golden/expected";
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0, cap = 1024;
    *docs = malloc(cap * sizeof **docs);
    *lens = malloc(cap * sizeof **lens);
    struct dirent *de;
    while ((de = readdir(d))) {
        if (!strstr(de->d_name, ".json"))
            continue;
        char path[512];
        snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        strbuf sb = STRBUF_INIT;
        assert_int_equal(sb_read_file(&sb, path), 0);
        cval *v;
        cap_err e = CAP_ERR_INIT;
        assert_int_equal(json_parse(a, sb_str(&sb), sb.len, path, &v, &e), 0);
        sb_release(&sb);
        cval *runs = cv_map_get(v, "runs");
        for (size_t r = 0; runs && r < cv_list_len(runs); r++) {
            cval *out = cv_map_get(cv_list_get(runs, r), "stdout");
            if (!cv_is(out, CV_STRING))
                continue;
            const char **dd;
            size_t *ll;
            size_t nd = manifest_split(a, out->u.str.s, out->u.str.len, &dd, &ll);
            for (size_t k = 0; k < nd; k++) {
                if (n == cap) {
                    cap *= 2;
                    *docs = realloc(*docs, cap * sizeof **docs);
                    *lens = realloc(*lens, cap * sizeof **lens);
                }
                /* helm's "# Source:" line is part of the document as printed; the
                 * document the head reader saw started after it */
                const char *p = dd[k];
                size_t l = ll[k];
                if (l > 9 && !memcmp(p, "# Source:", 9)) {
                    const char *nl = memchr(p, '\n', l);
                    l = nl ? l - (size_t)(nl + 1 - p) : 0;
                    p = nl ? nl + 1 : p + l;
                }
                (*docs)[n] = p;
                (*lens)[n] = l;
                n++;
            }
        }
    }
    closedir(d);
    return n;
}

/* Every file under dir (not hidden, under 200 kB, at most 8 levels down)
 * whose name `want` accepts, read and handed to add(ctx, text, len). */
static inline void each_file(const char *dir, bool (*want)(const char *name),
                             void (*add)(void *ctx, const char *text, size_t len), void *ctx, int depth)
{
    DIR *d = depth <= 8 ? opendir(dir) : NULL;
    if (!d)
        return;
    for (struct dirent *de; (de = readdir(d));) {
        if (de->d_name[0] == '.')
            continue;
        char path[1024];
        struct stat st;
        int pl = snprintf(path, sizeof path, "%s/%s", dir, de->d_name);
        if (pl < 0 || (size_t)pl >= sizeof path || stat(path, &st) != 0)
            continue;
        if (S_ISDIR(st.st_mode)) {
            each_file(path, want, add, ctx, depth + 1);
        } else if (want(de->d_name) && st.st_size < 200000) {
            strbuf sb = STRBUF_INIT;
            if (sb_read_file(&sb, path) == 0)
                add(ctx, sb_str(&sb), sb.len);
            sb_release(&sb);
        }
    }
    closedir(d);
}

#endif
