/* test_value.c — the value model: maps in Go's key order, truth, types, copies. */
#include "unit.h"
#include "core/value.h"
#include "core/strbuf.h"

#include <string.h>

static void map_iterates_sorted(void **state)
{
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    const char *keys[] = {"b", "a", "c", "B", "aa", "", "z1", "z10", "z2"};
    for (size_t i = 0; i < sizeof keys / sizeof *keys; i++)
        cv_map_set(m, keys[i], cv_int(a, (int64_t)i));
    size_t n;
    const cv_entry *e = cv_map_sorted(m, &n);
    assert_int_equal(n, 9);
    const char *want[] = {"", "B", "a", "aa", "b", "c", "z1", "z10", "z2"};
    for (size_t i = 0; i < n; i++)
        assert_string_equal(e[i].key, want[i]);
    assert_int_equal(cv_map_get(m, "aa")->u.i, 4);
    arena_free(a);
}

static void map_large_set_get_delete(void **state)
{
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    char key[32];
    for (int i = 0; i < 5000; i++) {
        snprintf(key, sizeof key, "k%d", (i * 7919) % 5000);
        cv_map_set(m, key, cv_int(a, i));
    }
    assert_int_equal(cv_map_len(m), 5000);
    for (int i = 0; i < 5000; i += 3) {
        snprintf(key, sizeof key, "k%d", i);
        assert_non_null(cv_map_get(m, key));
        assert_true(cv_map_delete(m, key));
        assert_null(cv_map_get(m, key));
    }
    assert_int_equal(cv_map_len(m), 5000 - 1667);
    size_t n;
    const cv_entry *e = cv_map_sorted(m, &n);
    for (size_t i = 1; i < n; i++)
        assert_true(strcmp(e[i - 1].key, e[i].key) < 0);
    /* the index still finds every key after sorting */
    assert_non_null(cv_map_get(m, "k1"));
    assert_null(cv_map_get(m, "k0"));
    cv_map_set(m, "k1", cv_int(a, -1));
    assert_int_equal(cv_map_get(m, "k1")->u.i, -1);
    assert_int_equal(cv_map_len(m), 5000 - 1667);
    arena_free(a);
}

static void truth_follows_text_template(void **state)
{
    arena *a = arena_new();
    assert_false(cv_truth(cv_nil()));
    assert_false(cv_truth(cv_novalue()));
    assert_false(cv_truth(cv_int(a, 0)));
    assert_true(cv_truth(cv_int(a, -1)));
    assert_false(cv_truth(cv_float(a, 0.0)));
    assert_false(cv_truth(cv_cstring(a, "")));
    assert_true(cv_truth(cv_cstring(a, "0")));
    assert_false(cv_truth(cv_list_new(a, 0)));
    assert_false(cv_truth(cv_map_new(a)));
    cval *l = cv_list_new(a, 0);
    cv_list_push(l, cv_nil());
    assert_true(cv_truth(l));
    arena_free(a);
}

static void gotype_names(void **state)
{
    arena *a = arena_new();
    assert_string_equal(cv_gotype(cv_nil()), "<nil>");
    assert_string_equal(cv_gotype(cv_int(a, 1)), "int64");
    assert_string_equal(cv_gotype(cv_goint(a, 1)), "int");
    assert_string_equal(cv_gotype(cv_float(a, 1)), "float64");
    assert_string_equal(cv_gotype(cv_list_new(a, 0)), "[]interface {}");
    assert_string_equal(cv_gotype(cv_map_new(a)), "map[string]interface {}");
    assert_string_equal(cv_gotype(cv_bytes(a, "x", 1)), "[]uint8");
    assert_string_equal(cv_gokind(cv_list_new(a, 0)), "slice");
    assert_string_equal(cv_gokind(cv_goint(a, 1)), "int");
    assert_string_equal(cv_gokind(cv_int_typed(a, 1, "time.Duration")), "int64");
    arena_free(a);
}

static void deep_copy_and_equal(void **state)
{
    arena *a = arena_new(), *b = arena_new();
    cval *m = cv_map_new(a), *l = cv_list_new(a, 0);
    cv_list_push(l, cv_cstring(a, "x"));
    cv_list_push(l, cv_float(a, 1.5));
    cv_map_set(m, "list", l);
    cv_map_set(m, "nil", cv_nil());
    cval *c = cv_deep_copy(b, m);
    assert_true(cv_deep_equal(m, c));
    cv_list_push(l, cv_true());
    assert_false(cv_deep_equal(m, c));
    assert_false(cv_deep_equal(cv_int(a, 1), cv_goint(a, 1))); /* int64 vs int */
    arena_free(a);
    assert_int_equal(cv_list_len(cv_map_get(c, "list")), 2);
    arena_free(b);
}

static void strings_keep_nul_bytes(void **state)
{
    arena *a = arena_new();
    cval *s = cv_string(a, "a\0b", 3);
    assert_int_equal(s->u.str.len, 3);
    assert_int_equal(s->u.str.s[3], '\0');
    assert_memory_equal(s->u.str.s, "a\0b", 3);
    arena_free(a);
}

static void arena_realloc_grows_in_place_and_moves(void **state)
{
    arena *a = arena_new();
    char *p = arena_alloc(a, 10);
    memcpy(p, "123456789", 10);
    char *q = arena_realloc(a, p, 10, 100);
    assert_string_equal(q, "123456789");
    char *big = arena_realloc(a, q, 100, 1 << 20);
    assert_string_equal(big, "123456789");
    assert_true(arena_used(a) >= (1 << 20));
    arena_free(a);
}

static void count_defer(void *p) { ++*(int *)p; }

/* What a mark's stretch made, small, big and deferred, goes back at its end */
static void arena_mark_gives_back(void **state)
{
    arena *a = arena_new();
    cval *old = cv_cstring(a, "old");
    size_t live = arena_live(a), used = arena_used(a);
    int ran = 0;
    arena_mark m;
    arena_mark_take(a, &m);
    cval *l = cv_list_new(a, 0);
    for (int i = 0; i < 100000; i++)
        cv_list_push(l, cv_int(a, i)); /* young list: no escape */
    arena_alloc(a, 1 << 20);             /* a big block behind the head chunk */
    arena_defer(a, count_defer, &ran);
    assert_true(arena_live(a) > live + (4 << 20));
    assert_int_equal(arena_gen_of(a, l), m.gen);
    assert_int_equal(arena_gen_of(a, old), 0);
    assert_true(arena_mark_end(a, &m, true));
    assert_int_equal(arena_live(a), live);
    assert_int_equal(ran, 1);
    assert_true(arena_used(a) > used); /* counts what was handed out, ever */
    assert_string_equal(old->u.str.s, "old");
    /* not asked to: kept */
    arena_mark_take(a, &m);
    cval *s = cv_cstring(a, "kept");
    assert_false(arena_mark_end(a, &m, false));
    assert_string_equal(s->u.str.s, "kept");
    arena_free(a);
    assert_int_equal(ran, 1);
}

/* A store into an older list or map, or a pin, keeps the younger marks only */
static void arena_mark_keeps_what_escapes(void **state)
{
    arena *a = arena_new();
    cval *m0 = cv_map_new(a);
    arena_mark outer, inner;
    arena_mark_take(a, &outer);
    cval *m1 = cv_map_new(a);
    arena_mark_take(a, &inner);
    cv_map_set(m1, "k", cv_cstring(a, "young")); /* m1 is older than inner only */
    assert_false(arena_mark_end(a, &inner, true));
    assert_string_equal(cv_map_get(m1, "k")->u.str.s, "young");
    arena_mark_take(a, &inner); /* a later mark does not inherit the escape */
    cv_map_set(cv_map_new(a), "k", cv_int(a, 1));
    assert_true(arena_mark_end(a, &inner, true));
    assert_true(arena_mark_end(a, &outer, true));

    arena_mark_take(a, &outer);
    cval *l = cv_list_new(a, 0);
    cv_list_push(l, cv_int(a, 1));
    arena_mark_take(a, &inner);
    cv_map_set(m0, "k", l); /* m0 is older than both */
    assert_false(arena_mark_end(a, &inner, true));
    assert_false(arena_mark_end(a, &outer, true));
    assert_int_equal(cv_list_get(cv_map_get(m0, "k"), 0)->u.i, 1);

    arena_mark_take(a, &outer);
    arena_pin(a);
    assert_false(arena_mark_end(a, &outer, true));
    arena_mark_take(a, &outer);
    assert_true(arena_mark_end(a, &outer, true));
    arena_free(a);
}

static void arena_limit_says_when_over(void **state)
{
    arena *a = arena_new();
    arena_set_limit(a, 1 << 20);
    arena_alloc(a, 1000);
    assert_false(arena_over_limit(a));
    arena_mark m;
    arena_mark_take(a, &m);
    arena_alloc(a, 2 << 20);
    assert_true(arena_over_limit(a));
    assert_true(arena_mark_end(a, &m, true));
    assert_false(arena_over_limit(a));
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(map_iterates_sorted),
    cmocka_unit_test(map_large_set_get_delete),
    cmocka_unit_test(truth_follows_text_template),
    cmocka_unit_test(gotype_names),
    cmocka_unit_test(deep_copy_and_equal),
    cmocka_unit_test(strings_keep_nul_bytes),
    cmocka_unit_test(arena_realloc_grows_in_place_and_moves),
    cmocka_unit_test(arena_mark_gives_back),
    cmocka_unit_test(arena_mark_keeps_what_escapes),
    cmocka_unit_test(arena_limit_says_when_over),
};

UNIT_MAIN(tests)
