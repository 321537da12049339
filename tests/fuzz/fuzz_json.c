/* fuzz_json.c — the JSON reader (core/json_parse.c) as json.Unmarshal into
 * interface{}, a map and a list. Every input gives a value or a message;
 * what reads, written back with json_emit, reads again to the same value. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/value.h"

FUZZ_TARGET(json)
{
    char *text = fuzz_cstr(data, size);
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v = NULL;
    int rc = json_parse(a, text, size, "fuzz.json", &v, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && v != NULL : rc == -1 && err.msg != NULL);
    cap_err_clear(&err);
    if (rc == 0) {
        strbuf sb = STRBUF_INIT;
        cap_err e2 = CAP_ERR_INIT;
        if (json_emit(&sb, v, 0, &e2) == 0) {
            cval *back = NULL;
            FUZZ_CHECK(json_parse(a, sb_str(&sb), sb.len, "again", &back, &e2) == 0);
            FUZZ_CHECK(cv_deep_equal(v, back));
        }
        cap_err_clear(&e2);
        sb_release(&sb);
    }
    for (int into = JSON_INTO_ANY; into <= JSON_INTO_LIST; into++) {
        cval *u = NULL;
        rc = json_unmarshal(a, text, size, into, &u, &err);
        FUZZ_CHECK(rc == 0 ? err.msg == NULL : rc == -1 && err.msg != NULL);
        FUZZ_CHECK(into == JSON_INTO_ANY || u != NULL);
        cap_err_clear(&err);
    }
    arena_free(a);
    free(text);
    return 0;
}
