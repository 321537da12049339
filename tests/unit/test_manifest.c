/* test_manifest.c — document splitting and kind order, as helm v4.1.4 does them
 * (expected results taken from helm template runs of tests/golden/charts/tricky-docs
 * and kind-order). */
#include "unit.h"

#include <string.h>

#include "core/arena.h"
#include "renderer/manifest.h"

static void test_split(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *text = "---\n---\n# only a comment\n---\n\n\na: 1\n---   \nb: 2\n  ---\nc: 3\n";
    const char **docs;
    size_t *lens;
    size_t n = manifest_split(a, text, strlen(text), &docs, &lens);
    assert_int_equal(n, 3);
    assert_memory_equal(docs[0], "---\n# only a comment", lens[0]); /* as helm prints it */
    assert_memory_equal(docs[1], "a: 1", lens[1]);
    assert_int_equal(lens[2], strlen("b: 2\n  ---\nc: 3") - 0);
    /* "---foo" after a newline splits too (the regexp needs no newline after ---) */
    n = manifest_split(a, "x: 1\n---foo: 2", 14, &docs, &lens);
    assert_int_equal(n, 2);
    assert_memory_equal(docs[1], "foo: 2", lens[1]);
    n = manifest_split(a, "  \n\n ", 5, &docs, &lens);
    assert_int_equal(n, 0);
    arena_free(a);
}

static void test_write(void **state)
{
    (void)state;
    strbuf sb = STRBUF_INIT;
    manifest_write(&sb, "c/templates/a.yaml", "a: 1", 4);
    assert_string_equal(sb_str(&sb), "---\n# Source: c/templates/a.yaml\na: 1\n");
    sb_release(&sb);
}

static void test_no_yaml_needed_for_empty(void **state)
{
    (void)state;
    arena *a = arena_new();
    manifest_input in[] = {{"c/templates/_p.tpl", arena_strdup(a, "x: 1"), 4},
                           {"c/templates/e.yaml", arena_strdup(a, " \n"), 2}};
    manifest *m, *h;
    size_t nm, nh;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(manifest_sort(a, in, 2, MANIFEST_ORDER_HELM4, &m, &nm, &h, &nh, NULL, &e), 0);
    assert_int_equal(nm, 0);
    assert_int_equal(nh, 0);
    arena_free(a);
}

static void test_kind_order(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *t = "kind: Deployment\n---\nkind: Zed\n---\nkind: Namespace\n---\nkind: Alpha\n---\n"
                    "kind: ValidatingWebhookConfiguration\n---\nkind: Service\n";
    manifest_input in[] = {{"c/templates/a.yaml", arena_strdup(a, t), strlen(t)}};
    manifest *m, *h;
    size_t nm, nh;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(manifest_sort(a, in, 1, MANIFEST_ORDER_HELM4, &m, &nm, &h, &nh, NULL, &e), 0);
    assert_int_equal(nm, 6);
    const char *want4[] = {"Namespace", "Service", "Deployment", "ValidatingWebhookConfiguration", "Alpha", "Zed"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(m[i].kind, want4[i]);
    in[0].text = arena_strdup(a, t); /* the first sort consumed it */
    assert_int_equal(manifest_sort(a, in, 1, MANIFEST_ORDER_HELM3, &m, &nm, &h, &nh, NULL, &e), 0);
    const char *want3[] = {"Namespace", "Service", "Deployment", "Alpha", "ValidatingWebhookConfiguration", "Zed"};
    for (size_t i = 0; i < 6; i++)
        assert_string_equal(m[i].kind, want3[i]);
    arena_free(a);
}

static void test_hooks_apart(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *t = "kind: Job\nmetadata:\n  name: j\n  annotations:\n    helm.sh/hook: \" Test , pre-install\"\n"
                    "    helm.sh/hook-weight: \"-3\"\n---\nkind: Pod\nmetadata:\n  annotations:\n    helm.sh/hook: nope\n"
                    "---\nkind: ConfigMap\nmetadata:\n  annotations:\n    x: z\n";
    manifest_input in[] = {{"c/templates/h.yaml", arena_strdup(a, t), strlen(t)}};
    manifest *m, *h;
    size_t nm, nh;
    cap_err e = CAP_ERR_INIT;
    int rc = manifest_sort(a, in, 1, MANIFEST_ORDER_HELM4, &m, &nm, &h, &nh, NULL, &e);
    if (rc)
        fprintf(stderr, "%s\n", e.msg);
    assert_int_equal(rc, 0);
    assert_int_equal(nm, 1);
    assert_string_equal(m[0].kind, "ConfigMap");
    assert_int_equal(nh, 1);
    assert_true(h[0].test);
    assert_int_equal(h[0].weight, -3);
    assert_string_equal(h[0].meta_name, "j");
    arena_free(a);
}

/* more than the insertion sort's run: merged, still stable, unknown kinds last by name */
static void test_kind_order_long(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *kinds[] = {"Zed", "Service", "Namespace", "Alpha", "Deployment"};
    strbuf t = STRBUF_INIT;
    for (int i = 0; i < 300; i++)
        sb_addf(&t, "kind: %s\nmetadata:\n  name: n%03d\n---\n", kinds[(i * 7) % 5], i);
    manifest_input in[] = {{"c/templates/a.yaml", arena_strdup(a, sb_str(&t)), t.len}};
    manifest *m, *h;
    size_t nm, nh;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(manifest_sort(a, in, 1, MANIFEST_ORDER_HELM4, &m, &nm, &h, &nh, NULL, &e), 0);
    assert_int_equal(nm, 300);
    const char *want[] = {"Namespace", "Service", "Deployment", "Alpha", "Zed"};
    size_t k = 0;
    for (int w = 0; w < 5; w++) {
        const char *prev = "";
        for (; k < nm && strcmp(m[k].kind, want[w]) == 0; k++) {
            assert_true(strcmp(prev, m[k].meta_name) < 0); /* the template's order kept */
            prev = m[k].meta_name;
        }
    }
    assert_int_equal(k, nm);
    sb_release(&t);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_kind_order_long),
    cmocka_unit_test(test_split),
    cmocka_unit_test(test_write),
    cmocka_unit_test(test_no_yaml_needed_for_empty),
    cmocka_unit_test(test_kind_order),
    cmocka_unit_test(test_hooks_apart),
};

UNIT_MAIN(tests)
