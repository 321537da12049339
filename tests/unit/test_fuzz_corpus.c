/* test_fuzz_corpus.c — the inputs libFuzzer found (tests/fuzz/corpus) replayed
 * through the template lexer and parser as regression cases: each must parse
 * or fail cleanly (under --enable-sanitizers, without any report). */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>

int tmpl_parse_only(const char *data, size_t len);

static void corpus_parses_or_fails_cleanly(void **state)
{
    const char *src = getenv("CAPSTAN_SRCDIR");
    char dir[1024];
    snprintf(dir, sizeof dir, "%s/tests/fuzz/corpus", src ? src : ".");
    DIR *d = opendir(dir);
    if (!d)
        fail_msg("cannot open %s", dir);
    size_t n = 0, ok = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char path[2048];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        FILE *f = fopen(path, "rb");
        if (!f)
            continue;
        char *buf = malloc(1 << 16);
        size_t len = fread(buf, 1, 1 << 16, f);
        fclose(f);
        int rc = tmpl_parse_only(buf, len);
        assert_true(rc == 0 || rc == -1);
        ok += rc == 0;
        n++;
        free(buf);
    }
    closedir(d);
    assert_true(n >= 100); /* the committed corpus is there */
    printf("# %zu corpus inputs, %zu parse\n", n, ok);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(corpus_parses_or_fails_cleanly),
};

UNIT_MAIN(tests)
