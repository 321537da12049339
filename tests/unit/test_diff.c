/* test_diff.c — capstan diff's core, held to helm-diff's output: the line diff
 * (which of equally long common subsequences it prints, --context), Secret
 * masking, object keys and order, the report formats. The expected texts are
 * worked out by hand from helm-diff's algorithm (diff/lcs.go, diff/diff.go,
 * diff/report.go) on inputs of our own. */
#include "unit.h"
#include "capstan.h"
#include "installer/release/diff.h"
#include "core/yaml.h"

#include <stdlib.h>
#include <string.h>

static char *lines_of(const char *old, const char *new_, int context, bool color)
{
    arena *a = arena_new();
    diff_rec *r;
    size_t n;
    diff_lines(a, old, strlen(old), new_, strlen(new_), false, &r, &n);
    strbuf sb = STRBUF_INIT;
    diff_print(&sb, r, n, context, color);
    arena_free(a);
    return sb_detach(&sb, NULL);
}

#define EXPECT_LINES(old, new_, ctx, want)                 \
    do {                                                   \
        char *got_ = lines_of(old, new_, ctx, false);      \
        assert_string_equal(got_, want);                   \
        free(got_);                                        \
    } while (0)

static const char *ten = "one\ntwo\nthree\nfour\nfive\nsix\nseven\neight\nnine\nten";
static const char *ten2 = "ONE\nthree\nfour\nfive\nsix\nseven\neight\nEIGHT\nnine\nten";

static void line_diff_context(void **state)
{
    (void)state;
    EXPECT_LINES(ten, ten2, -1,
                 "- one\n- two\n+ ONE\n  three\n  four\n  five\n  six\n  seven\n  eight\n+ EIGHT\n  nine\n  ten\n");
    EXPECT_LINES(ten, ten2, 0, "- one\n- two\n+ ONE\n...\n+ EIGHT\n...\n");
    EXPECT_LINES(ten, ten2, 1, "- one\n- two\n+ ONE\n  three\n...\n  eight\n+ EIGHT\n  nine\n...\n");
    EXPECT_LINES(ten, ten2, 2, "- one\n- two\n+ ONE\n  three\n  four\n...\n  seven\n  eight\n+ EIGHT\n  nine\n  ten\n");
    EXPECT_LINES(ten, ten, 0, "...\n");
    EXPECT_LINES(ten, ten, -1, "  one\n  two\n  three\n  four\n  five\n  six\n  seven\n  eight\n  nine\n  ten\n");
}

static void line_diff_choices(void **state)
{
    (void)state;
    /* among equally long common subsequences: helm-diff's split points */
    EXPECT_LINES("a\nb\nc\nd", "c\nd\na\nb", -1, "- a\n- b\n  c\n  d\n+ a\n+ b\n");
    /* a lone line is matched at its last occurrence */
    EXPECT_LINES("a\nb", "b\na\nb", -1, "+ b\n  a\n  b\n");
    EXPECT_LINES("a", "x\na\ny\na\nw", -1, "+ x\n+ a\n+ y\n  a\n+ w\n");
    /* an added object: the empty old text is one empty line, taken out first */
    EXPECT_LINES("", "a\nb", -1, "- \n+ a\n+ b\n");
    EXPECT_LINES("a\nb\n", "", -1, "- a\n- b\n\n");
    /* a trailing newline is a last, empty line, printed as an empty line */
    EXPECT_LINES("k: 1\n", "k: 2\n", -1, "- k: 1\n+ k: 2\n\n");
}

static void line_diff_colors(void **state)
{
    (void)state;
    char *got = lines_of("a\nb", "a\nc", -1, true);
    assert_string_equal(got, "  a\n\033[0;31m- b\033[0m\n\033[0;32m+ c\033[0m\n");
    free(got);
}

static void line_diff_big(void **state)
{
    (void)state;
    /* 3000 lines, every tenth changed: linear memory, and only those lines differ */
    strbuf o = STRBUF_INIT, n = STRBUF_INIT;
    for (int i = 0; i < 3000; i++) {
        sb_addf(&o, "line %d\n", i);
        sb_addf(&n, i % 10 == 0 ? "LINE %d\n" : "line %d\n", i);
    }
    arena *a = arena_new();
    diff_rec *r;
    size_t k, left = 0, right = 0;
    diff_lines(a, o.buf, o.len, n.buf, n.len, false, &r, &k);
    for (size_t i = 0; i < k; i++) {
        left += r[i].delta == DIFF_LEFT;
        right += r[i].delta == DIFF_RIGHT;
    }
    assert_int_equal(left, 300);
    assert_int_equal(right, 300);
    assert_int_equal(k, 3001 + 300);
    arena_free(a);
    sb_release(&o);
    sb_release(&n);
}

static char *report(const char *old, const char *new_, capstan_diff_opts *o, bool *changed)
{
    o->size = sizeof *o;
    char *out = NULL;
    size_t len;
    capstan_error err = {0};
    if (capstan_diff_manifests(old, new_, "default", o, &out, &len, changed, &err) < 0)
        fail_msg("capstan_diff_manifests: %s", err.msg);
    assert_int_equal(strlen(out), len);
    return out;
}

static const char *secret_old =
    "---\n# Source: app/templates/secret.yaml\n"
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  labels:\n    app: web\ntype: Opaque\n"
    "data:\n  user: YWRtaW4=\n  pass: czNjcmV0\n  old: eA==\n";
static const char *secret_new =
    "---\n# Source: app/templates/secret.yaml\n"
    "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\n  labels:\n    app: web\ntype: Opaque\n"
    "stringData:\n  user: admin\n  pass: n3w-s3cret\n  token: abc\n";

static void secrets_masked(void **state)
{
    (void)state;
    capstan_diff_opts o = {.context = -1};
    bool changed;
    char *out = report(secret_old, secret_new, &o, &changed);
    assert_true(changed);
    assert_string_equal(out, "default, creds, Secret (v1) has changed:\n"
                             "  # Source: app/templates/secret.yaml\n"
                             "  apiVersion: v1\n"
                             "  kind: Secret\n"
                             "  metadata:\n"
                             "    labels:\n"
                             "      app: web\n"
                             "    name: creds\n"
                             "  data:\n"
                             "-   old: '-------- # (1 bytes)'\n"
                             "-   pass: '-------- # (6 bytes)'\n"
                             "+   pass: '++++++++ # (10 bytes)'\n"
                             "+   token: '++++++++ # (3 bytes)'\n"
                             "    user: 'REDACTED # (5 bytes)'\n"
                             "  type: Opaque\n"
                             "\n");
    assert_null(strstr(out, "s3cret"));
    assert_null(strstr(out, "czNjcmV0"));
    assert_null(strstr(out, "abc'"));
    free(out);

    /* only the changed key shows with --context 0 */
    o.context = 0;
    out = report(secret_old, secret_new, &o, &changed);
    assert_string_equal(out, "default, creds, Secret (v1) has changed:\n...\n"
                             "-   old: '-------- # (1 bytes)'\n"
                             "-   pass: '-------- # (6 bytes)'\n"
                             "+   pass: '++++++++ # (10 bytes)'\n"
                             "+   token: '++++++++ # (3 bytes)'\n...\n");
    free(out);

    /* an added Secret: every value "++++++++" */
    o.context = -1;
    out = report("", secret_old, &o, &changed);
    assert_non_null(strstr(out, "default, creds, Secret (v1) has been added:\n+ # Source: app/templates/secret.yaml\n"));
    assert_non_null(strstr(out, "+   pass: '++++++++ # (6 bytes)'\n"));
    assert_null(strstr(out, "czNjcmV0"));
    free(out);

    /* --show-secrets: the manifests as they are */
    o.show_secrets = true;
    out = report(secret_old, secret_new, &o, &changed);
    assert_non_null(strstr(out, "-   pass: czNjcmV0\n"));
    assert_non_null(strstr(out, "+   pass: n3w-s3cret\n"));
    free(out);

    /* --show-secrets-decoded: decoded, under stringData */
    o.show_secrets = false;
    o.show_secrets_decoded = true;
    out = report(secret_old, secret_new, &o, &changed);
    assert_non_null(strstr(out, "-   pass: s3cret\n+   pass: n3w-s3cret\n"));
    free(out);

    /* a Secret whose data is not base64 */
    o.show_secrets_decoded = false;
    out = report(secret_old, "apiVersion: v1\nkind: Secret\nmetadata:\n  name: creds\ndata:\n  k: '%%%'\n", &o, &changed);
    assert_non_null(strstr(out, "+ Error parsing new secret: illegal base64 data at input byte 0\n"));
    free(out);
}

static const char *rel_old =
    "---\n# Source: app/templates/deploy.yaml\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 1\n"
    "---\n# Source: app/templates/gone.yaml\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: gone\ndata:\n  a: b\n"
    "---\n# Source: app/templates/kept.yaml\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: kept\n  annotations:\n    helm.sh/resource-policy: keep\n"
    "---\n# Source: app/templates/test.yaml\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n"
    "---\n# Source: app/templates/ns.yaml\n"
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n";
static const char *rel_new =
    "---\n# Source: app/templates/deploy.yaml\n"
    "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n"
    "---\n# Source: app/templates/new.yaml\n"
    "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: fresh\n  namespace: other\n"
    "---\n# Source: app/templates/test.yaml\n"
    "apiVersion: v1\nkind: Pod\nmetadata:\n  name: t\n  annotations:\n    helm.sh/hook: test\n    x: y\n"
    "---\n# Source: app/templates/ns.yaml\n"
    "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRole\nmetadata:\n  name: reader\n";

static void report_formats(void **state)
{
    (void)state;
    capstan_diff_opts o = {.context = -1};
    bool changed;
    /* changed objects in key order, then removed (not "keep"), then added; no test hooks */
    char *out = report(rel_old, rel_new, &o, &changed);
    assert_true(changed);
    assert_string_equal(out, "default, web, Deployment (apps) has changed:\n"
                             "  # Source: app/templates/deploy.yaml\n"
                             "  apiVersion: apps/v1\n"
                             "  kind: Deployment\n"
                             "  metadata:\n"
                             "    name: web\n"
                             "  spec:\n"
                             "-   replicas: 1\n"
                             "+   replicas: 3\n"
                             "default, gone, ConfigMap (v1) has been removed:\n"
                             "- # Source: app/templates/gone.yaml\n"
                             "- apiVersion: v1\n"
                             "- kind: ConfigMap\n"
                             "- metadata:\n"
                             "-   name: gone\n"
                             "- data:\n"
                             "-   a: b\n"
                             "+ \n"
                             "other, fresh, ConfigMap (v1) has been added:\n"
                             "- \n"
                             "+ # Source: app/templates/new.yaml\n"
                             "+ apiVersion: v1\n"
                             "+ kind: ConfigMap\n"
                             "+ metadata:\n"
                             "+   name: fresh\n"
                             "+   namespace: other\n");
    free(out);

    o.output = "simple";
    out = report(rel_old, rel_new, &o, &changed);
    assert_string_equal(out, "default, web, Deployment (apps) to be changed.\n"
                             "default, gone, ConfigMap (v1) to be removed.\n"
                             "other, fresh, ConfigMap (v1) to be added.\n"
                             "Plan: 1 to add, 1 to change, 1 to destroy, 0 to change ownership.\n");
    free(out);

    o.output = "json";
    out = report(rel_old, rel_new, &o, &changed);
    assert_string_equal(out, "[{\n  \"api\": \"apps\",\n  \"kind\": \"Deployment\",\n  \"namespace\": \"default\",\n"
                             "  \"name\": \"web\",\n  \"change\": \"MODIFY\"\n},{\n  \"api\": \"v1\",\n"
                             "  \"kind\": \"ConfigMap\",\n  \"namespace\": \"default\",\n  \"name\": \"gone\",\n"
                             "  \"change\": \"REMOVE\"\n},{\n  \"api\": \"v1\",\n  \"kind\": \"ConfigMap\",\n"
                             "  \"namespace\": \"other\",\n  \"name\": \"fresh\",\n  \"change\": \"ADD\"\n}]\n");
    free(out);

    /* no change: nothing printed, "[]" in json, a Plan line in simple */
    out = report(rel_new, rel_new, &o, &changed);
    assert_false(changed);
    assert_string_equal(out, "[]\n");
    free(out);
    o.output = "simple";
    out = report(rel_new, rel_new, &o, &changed);
    assert_string_equal(out, "Plan: 0 to add, 0 to change, 0 to destroy, 0 to change ownership.\n");
    free(out);
    o.output = NULL;
    out = report(rel_new, rel_new, &o, &changed);
    assert_string_equal(out, "");
    free(out);

    /* --include-tests: the test hook's change shows */
    o.include_tests = true;
    out = report(rel_old, rel_new, &o, &changed);
    assert_non_null(strstr(out, "default, t, Pod (v1) has changed:\n"));
    free(out);
    o.include_tests = false;

    /* --suppress KIND and colours */
    const char *kinds[] = {"Deployment"};
    o.suppress = kinds;
    o.n_suppress = 1;
    o.color = true;
    out = report(rel_old, rel_new, &o, &changed);
    assert_non_null(strstr(out, "\033[0;33mdefault, web, Deployment (apps) has changed:\033[0m\n"
                                "\033[0;33m+ Changes suppressed on sensitive content of type Deployment\n\033[0m"
                                "\033[0;31mdefault, gone, ConfigMap (v1) has been removed:\033[0m\n"));
    assert_non_null(strstr(out, "\033[0;32mother, fresh, ConfigMap (v1) has been added:\033[0m\n"));
    free(out);
}

static void errors_and_normalize(void **state)
{
    (void)state;
    capstan_diff_opts o = {.context = -1, .size = sizeof o};
    capstan_error err = {0};
    char *out = NULL;
    bool changed;
    /* a broken document names its template */
    assert_int_equal(capstan_diff_manifests("", "---\n# Source: app/templates/bad.yaml\nkind: [\n", "default", &o, &out,
                                            NULL, &changed, &err), -1);
    assert_non_null(err.file);
    assert_string_equal(err.file, "app/templates/bad.yaml");
    capstan_error_clear(&err);
    o.output = "dyff";
    assert_int_equal(capstan_diff_manifests("", "", "default", &o, &out, NULL, &changed, &err), -1);
    assert_string_equal(err.msg, "invalid output format \"dyff\": use diff, simple, template or json");
    capstan_error_clear(&err);
    o.output = NULL;
    /* capstan.h's rule for options: size 0 is this header's; a bigger struct
     * (a newer header) is refused when a field this library does not know is set */
    o.size = 0;
    assert_int_equal(capstan_diff_manifests("", "", "default", &o, &out, NULL, &changed, &err), 0);
    free(out);
    out = NULL;
    struct {
        capstan_diff_opts o;
        long newer_field;
    } newer = {o, 1};
    newer.o.size = sizeof newer;
    assert_int_equal(capstan_diff_manifests("", "", "default", &newer.o, &out, NULL, &changed, &err), -1);
    assert_int_equal(err.code, CAPSTAN_EUSAGE);
    capstan_error_clear(&err);
    newer.newer_field = 0;
    assert_int_equal(capstan_diff_manifests("", "", "default", &newer.o, &out, NULL, &changed, &err), 0);
    free(out);
    out = NULL;
    o.size = sizeof o;

    /* style differences vanish with --normalize-manifests */
    const char *a = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {b: '1', a: \"2\"}\n";
    const char *b = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  a: \"2\"\n  b: \"1\"\n";
    out = report(a, b, &o, &changed);
    assert_true(changed);
    free(out);
    o.normalize_manifests = true;
    out = report(a, b, &o, &changed);
    assert_false(changed);
    free(out);

    /* a List is its items; helm-diff/base-name names an object */
    const char *list = "apiVersion: v1\nkind: ConfigMapList\nitems:\n- apiVersion: v1\n  kind: ConfigMap\n"
                       "  metadata:\n    name: x\n- apiVersion: v1\n  kind: ConfigMap\n  metadata:\n    name: y-123\n"
                       "    annotations:\n      helm-diff/base-name: base\n";
    o.output = "simple";
    out = report("", list, &o, &changed);
    assert_string_equal(out, "default, base, ConfigMap (v1) to be added.\ndefault, x, ConfigMap (v1) to be added.\n"
                             "Plan: 2 to add, 0 to change, 0 to destroy, 0 to change ownership.\n");
    free(out);
}

static void keys_by_source(void **state)
{
    (void)state;
    /* diff release: objects keyed by template, a second one of a template "PATH 2" */
    const char *m = "---\n# Source: app/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: z\n"
                    "---\n# Source: app/templates/b.yaml\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n"
                    "---\n# Source: app/templates/a.yaml\napiVersion: v1\nkind: Secret\nmetadata:\n  name: s\n";
    arena *a = arena_new();
    diff_index ix;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(diff_index_parse(a, m, strlen(m), "ns", false, false, "test", &ix, &err), 0);
    assert_int_equal(ix.n, 3);
    assert_string_equal(ix.objs[0].key, "ns, a, ConfigMap (v1)");
    diff_index_by_source(a, &ix);
    assert_string_equal(ix.objs[0].key, "app/templates/a.yaml");
    assert_string_equal(ix.objs[1].key, "app/templates/b.yaml");
    assert_string_equal(ix.objs[1].name, "a"); /* the first in key order keeps the plain name */
    assert_string_equal(ix.objs[2].key, "app/templates/b.yaml 2");
    assert_string_equal(ix.objs[2].name, "z");
    arena_free(a);
}

static size_t fields_between(arena *a, const char *x, const char *y)
{
    cval *vx, *vy;
    cap_err err = CAP_ERR_INIT;
    if (yaml_parse(a, x, strlen(x), "x", &vx, &err) < 0 || yaml_parse(a, y, strlen(y), "y", &vy, &err) < 0)
        fail_msg("%s", err.msg);
    return diff_count_fields(vx, vy);
}

static void count_fields(void **state)
{
    (void)state;
    /* the plan's "update (N fields)": differing leaves, by path; lists item by item */
    arena *a = arena_new();
    const char *base = "spec:\n  replicas: 1\n  template:\n    containers:\n    - {name: a, image: x:1}\n";
    assert_int_equal(fields_between(a, base, base), 0);
    assert_int_equal(fields_between(a, base, "spec:\n  replicas: 2\n  template:\n    containers:\n"
                                             "    - {name: a, image: x:2}\n"), 2);
    /* a new key with two leaves, a second container with two */
    assert_int_equal(fields_between(a, base, "spec:\n  replicas: 1\n  strategy: {type: R, maxSurge: 1}\n"
                                             "  template:\n    containers:\n    - {name: a, image: x:1}\n"
                                             "    - {name: b, image: y:1}\n"), 4);
    /* a removed key counts its leaves; an empty map is one leaf */
    assert_int_equal(fields_between(a, "a: {b: 1, c: 2}\nd: {}\n", "d: {}\n"), 2);
    assert_int_equal(fields_between(a, "a: {}\n", "a: {b: 1}\n"), 1);
    assert_int_equal(fields_between(a, "a: [1, 2]\n", "a: x\n"), 2);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(count_fields),
    cmocka_unit_test(keys_by_source),
    cmocka_unit_test(line_diff_context),
    cmocka_unit_test(line_diff_choices),
    cmocka_unit_test(line_diff_colors),
    cmocka_unit_test(line_diff_big),
    cmocka_unit_test(secrets_masked),
    cmocka_unit_test(report_formats),
    cmocka_unit_test(errors_and_normalize),
};

UNIT_MAIN(tests)
