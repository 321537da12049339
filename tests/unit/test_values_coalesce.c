/* test_values_coalesce.c — coalescing leaves the charts' defaults as they
 * are: what the result takes from them is copied (maps and lists), so a
 * template's `set` on .Values never reaches them (nor the release record that
 * stores them), and a null in the user's values never writes into them. */
#include "unit.h"

#include <string.h>

#include "core/json.h"
#include "core/strbuf.h"
#include "core/value.h"
#include "core/yaml.h"
#include "renderer/chart/values.h"

static cval *yaml(arena *a, const char *text)
{
    cval *v = NULL;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(yaml_parse_map(a, text, strlen(text), "t.yaml", &v, &e), 0);
    return v;
}

static const char *json(arena *a, const cval *v)
{
    strbuf sb = STRBUF_INIT;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(json_emit(&sb, v, 0, &e), 0);
    const char *s = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return s;
}

static chart *mkchart(arena *a, const char *name, const char *values)
{
    chart *c = arena_zalloc(a, sizeof *c);
    c->meta = arena_zalloc(a, sizeof *c->meta);
    c->meta->name = name;
    c->values = yaml(a, values);
    return c;
}

static const char parent_values[] = "a:\n  b: 1\n  l: [1, {x: 2}]\n  gone: 3\nsub:\n  s: 1\nglobal:\n  g: {h: 1}\n";
static const char sub_values[] = "s: 2\nt: {u: 3}\n";

static void defaults_stay_and_are_not_shared(void **state)
{
    (void)state;
    arena *a = arena_new();
    chart *p = mkchart(a, "parent", parent_values);
    chart *s = mkchart(a, "sub", sub_values);
    p->deps = arena_zalloc(a, sizeof *p->deps);
    p->deps[0] = s;
    p->ndeps = 1;
    const char *pbefore = json(a, p->values), *sbefore = json(a, s->values);
    cval *user = yaml(a, "a:\n  gone: null\n  new: 4\nsub:\n  t: null\n");
    const char *ubefore = json(a, user);
    cval *out;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(values_coalesce(a, p, user, false, &out, &e), 0);
    assert_string_equal(json(a, out), "{\"a\":{\"b\":1,\"l\":[1,{\"x\":2}],\"new\":4},\"global\":{\"g\":{\"h\":1}},"
                                      "\"sub\":{\"global\":{\"g\":{\"h\":1}},\"s\":1}}");
    /* the nulls deleted keys of the result, not of the defaults or the user's values */
    assert_string_equal(json(a, p->values), pbefore);
    assert_string_equal(json(a, s->values), sbefore);
    assert_string_equal(json(a, user), ubefore);
    /* what a template's set/unset would change is the result's own */
    cval *ra = cv_map_get(out, "a");
    assert_ptr_not_equal(ra, cv_map_get(p->values, "a"));
    assert_ptr_not_equal(cv_map_get(ra, "l"), cv_map_get(cv_map_get(p->values, "a"), "l"));
    cv_map_set(ra, "b", cv_int(a, 9));
    cv_map_set(cv_list_get(cv_map_get(ra, "l"), 1), "x", cv_int(a, 9));
    cv_map_delete(cv_map_get(out, "sub"), "s");
    assert_string_equal(json(a, p->values), pbefore);
    assert_string_equal(json(a, s->values), sbefore);
    /* a second coalescing of the same chart sees the same defaults */
    assert_int_equal(values_coalesce(a, p, NULL, false, &out, &e), 0);
    assert_string_equal(json(a, cv_map_get(out, "a")), "{\"b\":1,\"gone\":3,\"l\":[1,{\"x\":2}]}");
    assert_string_equal(json(a, cv_map_get(out, "sub")),
                        "{\"global\":{\"g\":{\"h\":1}},\"s\":1,\"t\":{\"u\":3}}");
    arena_free(a);
}

static void merge_keeps_nulls_without_writing_defaults(void **state)
{
    (void)state;
    arena *a = arena_new();
    chart *p = mkchart(a, "parent", "a: {b: {c: 1}, d: 2}\n");
    const char *before = json(a, p->values);
    cval *out;
    cap_err e = CAP_ERR_INIT;
    /* MergeValues: a null stays; a null over a table is a null, not a warning's table */
    assert_int_equal(values_coalesce(a, p, yaml(a, "a: {b: null, d: null}\n"), true, &out, &e), 0);
    assert_string_equal(json(a, out), "{\"a\":{\"b\":null,\"d\":null}}");
    assert_string_equal(json(a, p->values), before);
    arena_free(a);
}

static void copy_tree_shares_scalars_only(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *v = yaml(a, "m: {k: v, ls: [1, {o: p}]}\ns: str\n");
    cval *c = cv_copy_tree(a, v);
    assert_string_equal(json(a, c), json(a, v));
    assert_ptr_not_equal(c, v);
    assert_ptr_not_equal(cv_map_get(c, "m"), cv_map_get(v, "m"));
    assert_ptr_equal(cv_map_get(c, "s"), cv_map_get(v, "s"));
    cval *n = cv_map_get(cv_map_get(c, "m"), "ls");
    assert_ptr_not_equal(n, cv_map_get(cv_map_get(v, "m"), "ls"));
    cv_map_set(cv_list_get(n, 1), "o", cv_cstring(a, "q"));
    cv_list_push(n, cv_int(a, 3));
    cv_map_set(c, "new", cv_nil());
    assert_string_equal(json(a, v), "{\"m\":{\"k\":\"v\",\"ls\":[1,{\"o\":\"p\"}]},\"s\":\"str\"}");
    /* a big map keeps finding its keys */
    cval *big = cv_map_new(a);
    char key[16];
    for (int i = 0; i < 100; i++) {
        snprintf(key, sizeof key, "k%d", 99 - i);
        cv_map_set(big, key, cv_int(a, i));
    }
    cval *bc = cv_copy_tree(a, big);
    assert_int_equal(cv_map_len(bc), 100);
    assert_int_equal(cv_map_get(bc, "k0")->u.i, 99);
    cv_map_set(bc, "k100", cv_int(a, 100));
    assert_int_equal(cv_map_len(bc), 101);
    assert_null(cv_map_get(big, "k100"));
    size_t nb;
    assert_string_equal(cv_map_sorted(bc, &nb)[0].key, "k0");
    arena_free(a);
}

/* values_coalesce_taking: the result values_coalesce gives, with the
 * chart's own maps taken (not copied) and its subcharts' defaults left as they are */
static void taking_gives_the_same_values(void **state)
{
    (void)state;
    arena *a = arena_new();
    const char *users[] = {NULL, "a:\n  gone: null\n  new: 4\nsub:\n  t: null\n", "sub: 5\n", "global: {g: 1}\n"};
    for (size_t i = 0; i < sizeof users / sizeof *users; i++) {
        chart *p[2], *s[2];
        cval *out[2];
        int rc[2];
        for (int k = 0; k < 2; k++) {
            p[k] = mkchart(a, "parent", parent_values);
            s[k] = mkchart(a, "sub", sub_values);
            p[k]->deps = arena_zalloc(a, sizeof *p[k]->deps);
            p[k]->deps[0] = s[k];
            p[k]->ndeps = 1;
            cap_err e = CAP_ERR_INIT;
            cval *user = users[i] ? yaml(a, users[i]) : NULL;
            rc[k] = k ? values_coalesce_taking(a, p[k], user, false, &out[k], &e)
                      : values_coalesce(a, p[k], user, false, &out[k], &e);
            cap_err_clear(&e);
        }
        assert_int_equal(rc[0], rc[1]);
        if (rc[0] != 0)
            continue;
        assert_string_equal(json(a, out[1]), json(a, out[0]));
        assert_string_equal(json(a, s[1]->values), json(a, s[0]->values)); /* the subchart's stay */
        if (!users[i])
            assert_ptr_equal(cv_map_get(out[1], "a"), cv_map_get(p[1]->values, "a")); /* taken */
    }
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(taking_gives_the_same_values),
    cmocka_unit_test(defaults_stay_and_are_not_shared),
    cmocka_unit_test(merge_keeps_nulls_without_writing_defaults),
    cmocka_unit_test(copy_tree_shares_scalars_only),
};

UNIT_MAIN(tests)
