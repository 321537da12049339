/* test_release_labels.c — helm 4's --labels on release records: the storage's
 * own names refused, an upgrade's merge ("null" removes), the object written
 * with the custom labels beside helm's own and the encoded release without
 * them (helm's json:"-"), and read back. */
#include "unit.h"
#include "installer/release/release_codec.h"
#include "installer/release/release_labels.h"
#include "installer/release/release_store.h"

#include <string.h>

static const char *lab(const cval *m, const char *k)
{
    const char *v = cv_get_str(m, k);
    return v ? v : "(none)";
}

static void reserved_names_are_refused(void **state)
{
    (void)state;
    const char *ok[] = {"team", "a", "tier", "web"}, *bad[] = {"team", "a", "owner", "me"};
    capstan_install_opts o = {.labels = ok, .n_labels = 2};
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(release_labels_check(&o, &err), 0);
    o.labels = bad;
    assert_int_equal(release_labels_check(&o, &err), -1);
    assert_string_equal(err.msg, "user supplied labels contains system reserved label name. System labels: "
                                 "[name owner status version createdAt modifiedAt]");
    cap_err_clear(&err);
    assert_true(release_label_is_system("modifiedAt"));
    assert_false(release_label_is_system("modified"));
}

static void upgrade_merges_and_null_removes(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *cur = cv_map_new(a);
    cv_map_set(cur, "team", cv_cstring(a, "a"));
    cv_map_set(cur, "tier", cv_cstring(a, "web"));
    const char *set[] = {"tier", "null", "new", "1", "gone", "null"};
    capstan_install_opts o = {.labels = set, .n_labels = 3};
    cval *m = release_labels_merge(a, cur, &o);
    assert_int_equal(cv_map_len(m), 2);
    assert_string_equal(lab(m, "team"), "a");
    assert_string_equal(lab(m, "new"), "1");
    assert_null(cv_map_get(m, "tier"));
    /* nothing left: no map */
    const char *none[] = {"team", "null", "new", "null"};
    o.labels = none;
    o.n_labels = 2;
    assert_null(release_labels_merge(a, m, &o));
    arena_free(a);
}

static void stored_on_the_object_not_in_the_record(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *rel = cv_map_new(a), *info = cv_map_new(a), *labels = cv_map_new(a);
    cv_map_set(rel, "name", cv_cstring(a, "r"));
    cv_map_set(info, "status", cv_cstring(a, "deployed"));
    cv_map_set(rel, "info", info);
    cv_map_set(rel, "version", cv_int(a, 3));
    cv_map_set(rel, "namespace", cv_cstring(a, "ns"));
    cv_map_set(labels, "team", cv_cstring(a, "a"));
    cv_map_set(labels, "name", cv_cstring(a, "not-this")); /* helm's own win */
    cv_map_set(rel, "labels", labels);
    cval *secret, *back;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(release_secret(a, rel, 1795718574, &secret, &err), 0);
    cval *ol = cv_get(cv_get(secret, "metadata"), "labels");
    assert_string_equal(lab(ol, "team"), "a");
    assert_string_equal(lab(ol, "name"), "r");
    assert_string_equal(lab(ol, "owner"), "helm");
    assert_string_equal(lab(ol, "version"), "3");
    assert_non_null(cv_map_get(rel, "labels")); /* the caller's record keeps them */
    assert_int_equal(release_from_secret(a, secret, &back, &err), 0);
    assert_null(cv_map_get(back, "labels")); /* not in the encoded release */
    release_rec rec;
    assert_int_equal(release_from_secret_rec(a, secret, &rec, &err), 0);
    cval *custom = cv_map_get(rec.rel, "labels");
    assert_int_equal(cv_map_len(custom), 1);
    assert_string_equal(lab(custom, "team"), "a");
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(reserved_names_are_refused),
    cmocka_unit_test(upgrade_merges_and_null_removes),
    cmocka_unit_test(stored_on_the_object_not_in_the_record),
};

UNIT_MAIN(tests)
