/* test_fuzz_corpus.c — every committed fuzz corpus (tests/fuzz/corpus/NAME/)
 * replayed through its target (tests/fuzz/fuzz_NAME.c, built here with
 * -DFUZZ_REPLAY and without libFuzzer), so that a regression shows in
 * `make check` without clang: each input must go through without a crash, a
 * broken invariant (the targets abort) or, under --enable-sanitizers, a
 * report. */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

/* Each target, and how many inputs its corpus has at least (fewer means it is missing). */
#define FUZZ_TARGETS(X)                                                              \
    X(tmpl_parse, 100) X(yaml_read, 5) X(yaml_scan, 5) X(json, 5) X(strvals, 5)      \
    X(schema, 5) X(chart_archive, 5) X(repo_index, 5) X(oci, 5) X(kubeconfig, 5)     \
    X(kube, 5)

typedef struct target {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
    size_t min_inputs;
} target;

#define DECLARE(name, min) int fuzz_##name(const uint8_t *data, size_t size);
FUZZ_TARGETS(DECLARE)
#define DESCRIBE(name, min) static const target t_##name = {#name, fuzz_##name, min};
FUZZ_TARGETS(DESCRIBE)

static uint8_t *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0, got;
    uint8_t *buf = malloc(cap);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

static void corpus_replays(void **state)
{
    const target *t = *state;
    const char *src = getenv("CAPSTAN_SRCDIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus/%s", src ? src : ".", t->name);
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    size_t n = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        size_t len = 0;
        uint8_t *buf = slurp(path, &len);
        if (!buf)
            fail_msg("cannot read %s", path);
        assert_int_equal(t->fn(buf, len), 0);
        free(buf);
        n++;
    }
    closedir(d);
    if (n < t->min_inputs)
        fail_msg("%s: %zu inputs, expected at least %zu", dir, n, t->min_inputs);
    printf("# %s: %zu corpus inputs\n", t->name, n);
}

/* each test named after its target */
#define REPLAY(name, min) {#name, corpus_replays, NULL, NULL, (void *)&t_##name},
static const struct CMUnitTest tests[] = {FUZZ_TARGETS(REPLAY)};

UNIT_MAIN(tests)
