/* test_err.c — the error contract of capstan.h: codes, the bare message with
 * file/line/key in their own fields, one converter, and NULL errors accepted. */
#include "unit.h"
#include "capstan.h"
#include "core/err.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void publish_moves_fields_and_defaults_the_code(void **state)
{
    cap_err e = CAP_ERR_INIT;
    cap_err_at(&e, "values.yaml", 3, 7, "bad value");
    cap_err_set_key(&e, "image.tag");
    capstan_error pub = {0};
    assert_int_equal(cap_err_publish(&pub, &e, CAPSTAN_ERENDER), -1);
    assert_int_equal(pub.code, CAPSTAN_ERENDER);
    assert_string_equal(pub.msg, "bad value");
    assert_string_equal(pub.file, "values.yaml");
    assert_string_equal(pub.key, "image.tag");
    assert_int_equal(pub.line, 3);
    assert_int_equal(pub.col, 7);
    assert_null(e.msg);
    char *m = capstan_error_message(&pub);
    assert_string_equal(m, "values.yaml:3:7: bad value");
    free(m);
    /* a code already given wins over the default */
    cap_err_coded(&e, CAPSTAN_ENOTFOUND, "release: not found");
    cap_err_publish(&pub, &e, CAPSTAN_ECLUSTER);
    assert_int_equal(pub.code, CAPSTAN_ENOTFOUND);
    assert_null(pub.file);
    assert_string_equal(capstan_code_name(pub.code), "not found");
    capstan_error_clear(&pub);
    assert_null(pub.msg);
    /* NULL: dropped, and the internal error is freed */
    cap_err_set(&e, "dropped");
    assert_int_equal(cap_err_publish(NULL, &e, CAPSTAN_EIO), -1);
    assert_null(e.msg);
    cap_err_set(NULL, "nothing");
    capstan_error_clear(NULL);
}

static void http_statuses_have_codes(void **state)
{
    assert_int_equal(cap_err_http_code(401), CAPSTAN_EAUTH);
    assert_int_equal(cap_err_http_code(403), CAPSTAN_EAUTH);
    assert_int_equal(cap_err_http_code(404), CAPSTAN_ENOTFOUND);
    assert_int_equal(cap_err_http_code(409), CAPSTAN_ECONFLICT);
    assert_int_equal(cap_err_http_code(500), CAPSTAN_ECLUSTER);
}

static void apis_accept_null_errors(void **state)
{
    capstan_release *rel = NULL;
    assert_int_equal(capstan_render("/nonexistent/chart", NULL, &rel, NULL), -1);
    char *out = NULL;
    size_t n = 0;
    assert_int_equal(capstan_template("/nonexistent/chart", NULL, &out, &n, NULL), -1);
    assert_int_equal(capstan_show("/nonexistent/chart", "chart", &out, &n, NULL), -1);
    assert_int_equal(capstan_images("/nonexistent/chart", NULL, "yaml", &out, &n, NULL), -1);
    assert_int_equal(capstan_bundle_verify("/nonexistent/b.tgz", NULL, NULL), -1);
}

static void a_chart_error_is_bare_with_its_file(void **state)
{
    char dir[] = "/tmp/capstan-test-err-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[512];
    snprintf(path, sizeof path, "%s/Chart.yaml", dir);
    FILE *f = fopen(path, "w");
    fputs("apiVersion: v2\nname: c\nversion: 0.1.0\n", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/templates", dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/templates/a.yaml", dir);
    f = fopen(path, "w");
    fputs("a: {{ fail \"stop here\" }}\n", f);
    fclose(f);
    capstan_release *rel = NULL;
    capstan_error e = {0};
    assert_int_equal(capstan_render(dir, NULL, &rel, &e), -1);
    assert_int_equal(e.code, CAPSTAN_ERENDER);
    assert_non_null(strstr(e.msg, "stop here"));
    capstan_error_clear(&e);
    /* a missing values file is an io error naming the file */
    const char *vf[] = {"/nonexistent/values.yaml"};
    capstan_render_opts o = {0};
    o.value_files = vf;
    o.n_value_files = 1;
    assert_int_equal(capstan_render(dir, &o, &rel, &e), -1);
    assert_int_equal(e.code, CAPSTAN_EIO);
    assert_string_equal(e.file, "/nonexistent/values.yaml");
    capstan_error_clear(&e);
    snprintf(path, sizeof path, "rm -rf '%s'", dir);
    assert_int_equal(system(path), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(publish_moves_fields_and_defaults_the_code),
    cmocka_unit_test(http_statuses_have_codes),
    cmocka_unit_test(apis_accept_null_errors),
    cmocka_unit_test(a_chart_error_is_bare_with_its_file),
};

UNIT_MAIN(tests)
