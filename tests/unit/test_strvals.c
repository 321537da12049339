/* test_strvals.c — the --set family against what helm v4.1.4 produced. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "renderer/chart/strvals.h"
#include "core/value.h"

struct svcase {
    strvals_mode mode;
    const char *arg;
    const char *want; /* toJson of .Values, or "Error: ..." */
};

static const struct svcase cases[] = {
#include "strvals_cases.inc"
};

/* A small JSON writer for what --set makes (sorted keys, Go's escapes are not
 * needed for these inputs except \" and \\). */
static void dump_str(strbuf *sb, const char *s, size_t n)
{
    sb_addc(sb, '"');
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (c == '\n') {
            sb_adds(sb, "\\n");
            continue;
        }
        if (c == '"' || c == '\\')
            sb_addc(sb, '\\');
        sb_addc(sb, c);
    }
    sb_addc(sb, '"');
}

static void dump(strbuf *sb, const cval *v)
{
    switch (v ? v->kind : CV_NIL) {
    case CV_NIL: case CV_INVALID: sb_adds(sb, "null"); break;
    case CV_BOOL: sb_adds(sb, v->u.b ? "true" : "false"); break;
    case CV_INT: sb_addf(sb, "%lld", (long long)v->u.i); break;
    case CV_UINT: sb_addf(sb, "%llu", (unsigned long long)v->u.u); break;
    case CV_FLOAT: sb_addf(sb, "%g", v->u.f); break;
    case CV_STRING: case CV_BYTES:
        dump_str(sb, v->u.str.s, v->u.str.len);
        break;
    case CV_LIST:
        sb_addc(sb, '[');
        for (size_t i = 0; i < cv_list_len(v); i++) {
            if (i) sb_addc(sb, ',');
            dump(sb, cv_list_get(v, i));
        }
        sb_addc(sb, ']');
        break;
    case CV_MAP: {
        size_t n;
        const cv_entry *e = cv_map_sorted(v, &n);
        sb_addc(sb, '{');
        for (size_t i = 0; i < n; i++) {
            if (i) sb_addc(sb, ',');
            dump_str(sb, e[i].key, e[i].keylen);
            sb_addc(sb, ':');
            dump(sb, e[i].val);
        }
        sb_addc(sb, '}');
        break;
    }
    default: sb_adds(sb, "?"); break;
    }
}

static bool have_json(void)
{
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    cap_err e = CAP_ERR_INIT;
    int r = strvals_parse_into(a, "a=1", m, STRVALS_JSON, NULL, NULL, &e);
    bool ok = r == 0 && cv_is(cv_map_get(m, "a"), CV_FLOAT);
    cap_err_clear(&e);
    arena_free(a);
    return ok;
}

static void test_helm_cases(void **state)
{
    (void)state;
    bool json = have_json();
    int bad = 0, run = 0;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const struct svcase *c = &cases[i];
        if (c->mode == STRVALS_JSON && !json)
            continue;
        arena *a = arena_new();
        cval *m = cv_map_new(a);
        cap_err e = CAP_ERR_INIT;
        strbuf got = STRBUF_INIT;
        if (strvals_apply(a, c->arg, m, c->mode, NULL, NULL, &e) != 0) {
            sb_addf(&got, "Error: %s", e.msg);
        } else if (strcmp(c->want, "LEN65537") == 0) {
            cval *l = cv_map_get(m, "a");
            sb_adds(&got, l && cv_list_len(l) == 65537 ? "LEN65537" : "bad length");
        } else {
            dump(&got, m);
        }
        run++;
        if (strcmp(sb_str(&got), c->want) != 0) {
            fprintf(stderr, "strvals case %zu (%s): got  %s\n                      want %s\n", i, c->arg, sb_str(&got), c->want);
            bad++;
        }
        sb_release(&got);
        cap_err_clear(&e);
        arena_free(a);
    }
    fprintf(stderr, "strvals: %d cases run, %d differ\n", run, bad);
    assert_int_equal(bad, 0);
}

static cval *file_reader(void *ctx, arena *a, const char *path, char **errmsg)
{
    (void)ctx;
    if (strcmp(path, "missing") == 0) {
        *errmsg = arena_strdup(a, "open missing: no such file or directory");
        return NULL;
    }
    return cv_cstring(a, strcmp(path, "f1") == 0 ? "content one\n" : "other");
}

static void test_set_file(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(strvals_apply(a, "x.y=f1,z[1]=f2", m, STRVALS_FILE, file_reader, NULL, &e), 0);
    strbuf got = STRBUF_INIT;
    dump(&got, m);
    assert_string_equal(sb_str(&got), "{\"x\":{\"y\":\"content one\\n\"},\"z\":[null,\"other\"]}");
    sb_release(&got);
    assert_int_equal(strvals_apply(a, "k=missing", m, STRVALS_FILE, file_reader, NULL, &e), -1);
    assert_string_equal(e.msg, "failed parsing --set-file data: open missing: no such file or directory");
    cap_err_clear(&e);
    arena_free(a);
}

static void test_merge_into_existing(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(strvals_apply(a, "a.b=1", m, STRVALS_SET, NULL, NULL, &e), 0);
    assert_int_equal(strvals_apply(a, "a.c=x", m, STRVALS_STRING, NULL, NULL, &e), 0);
    assert_int_equal(strvals_apply(a, "a.b=2,l={p,q}", m, STRVALS_SET, NULL, NULL, &e), 0);
    strbuf got = STRBUF_INIT;
    dump(&got, m);
    assert_string_equal(sb_str(&got), "{\"a\":{\"b\":2,\"c\":\"x\"},\"l\":[\"p\",\"q\"]}");
    sb_release(&got);
    arena_free(a);
}

static void test_deep_lists_bounded(void **state)
{
    (void)state;
    arena *a = arena_new();
    cval *m = cv_map_new(a);
    cap_err e = CAP_ERR_INIT;
    strbuf s = STRBUF_INIT;
    sb_adds(&s, "a");
    for (int i = 0; i < 5000; i++)
        sb_adds(&s, "[0]");
    sb_adds(&s, "=1");
    assert_int_equal(strvals_apply(a, sb_str(&s), m, STRVALS_SET, NULL, NULL, &e), -1);
    assert_non_null(strstr(e.msg, "nesting"));
    cap_err_clear(&e);
    sb_release(&s);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(test_helm_cases),
    cmocka_unit_test(test_set_file),
    cmocka_unit_test(test_merge_into_existing),
    cmocka_unit_test(test_deep_lists_bounded),
};

UNIT_MAIN(tests)
