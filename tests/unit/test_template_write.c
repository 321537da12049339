/* test_template_write.c — capstan_template_write (the output streamed, as the
 * CLI prints it) gives exactly capstan_template's text, for every chart of the
 * golden suite with the options that change what is printed; and a failing
 * writer stops it with an error. */
#include "unit.h"

#include <dirent.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "capstan.h"
#include "core/strbuf.h"

static int to_strbuf(void *ctx, const char *p, size_t n)
{
    sb_add(ctx, p, n);
    return 0;
}

static int refuse(void *ctx, const char *p, size_t n)
{
    (void)ctx;
    (void)p;
    (void)n;
    return -1;
}

static void test_same_text(void **state)
{
    (void)state;
    DIR *d = opendir("tests/golden/charts");
    assert_non_null(d);
    struct dirent *de;
    size_t compared = 0;
    while ((de = readdir(d))) {
        char path[512];
        snprintf(path, sizeof path, "tests/golden/charts/%s", de->d_name);
        struct stat st;
        if (de->d_name[0] == '.' || stat(path, &st) != 0 || !S_ISDIR(st.st_mode))
            continue;
        for (int variant = 0; variant < 4; variant++) {
            capstan_render_opts o = {0};
            o.include_crds = variant == 1;
            o.no_hooks = variant == 2;
            o.skip_tests = variant == 3;
            o.seed = 42; /* random functions give the same text in both renders */
            char *whole = NULL;
            size_t n = 0;
            capstan_error e1 = {0}, e2 = {0};
            int r1 = capstan_template(path, &o, &whole, &n, &e1);
            strbuf streamed = STRBUF_INIT;
            int r2 = capstan_template_write(path, &o, to_strbuf, &streamed, &e2);
            if (r1 != r2 || (r1 == 0 && (n != streamed.len || memcmp(whole, streamed.buf, n) != 0)) ||
                (r1 != 0 && strcmp(e1.msg, e2.msg) != 0)) {
                fprintf(stderr, "%s (variant %d): capstan_template and capstan_template_write differ\n", path,
                        variant);
                fail();
            }
            if (r1 != 0)
                assert_int_equal(streamed.len, 0); /* nothing written when rendering fails */
            compared++;
            free(whole);
            sb_release(&streamed);
            capstan_error_clear(&e1);
            capstan_error_clear(&e2);
        }
    }
    closedir(d);
    assert_true(compared > 100);
}

static void test_write_error(void **state)
{
    (void)state;
    capstan_render_opts o = {0};
    capstan_error e = {0};
    assert_int_equal(capstan_template_write("tests/golden/charts/basic", &o, refuse, NULL, &e), -1);
    assert_string_equal(e.msg, "error writing the output");
    capstan_error_clear(&e);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_same_text),
    cmocka_unit_test(test_write_error),
};

UNIT_MAIN(tests)
