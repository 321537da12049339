/* fuzz_strvals.c — Helm's --set family (renderer/chart/strvals.c). The first byte
 * picks the flag (--set, --set-string, --set-file, --set-json,
 * --set-literal); the rest is the flag's value, applied twice into one map
 * (as two flags are). --set-file's reader answers with the path itself. */
#include "fuzz.h"

#include "core/arena.h"
#include "renderer/chart/strvals.h"
#include "core/value.h"

#include <string.h>

static cval *path_as_value(void *ctx, arena *a, const char *path, char **errmsg)
{
    (void)ctx;
    if (path[0] == '!') {
        *errmsg = arena_strdup(a, "open: no such file");
        return NULL;
    }
    return cv_string(a, path, strlen(path));
}

FUZZ_TARGET(strvals)
{
    if (size == 0)
        return 0;
    strvals_mode mode = (strvals_mode)(data[0] % 5);
    char *s = fuzz_cstr(data + 1, size - 1);
    arena *a = arena_new();
    cval *dest = cv_map_new(a);
    for (int i = 0; i < 2; i++) {
        cap_err err = CAP_ERR_INIT;
        int rc = strvals_apply(a, s, dest, mode, path_as_value, NULL, &err);
        FUZZ_CHECK(rc == 0 ? err.msg == NULL : rc == -1 && err.msg != NULL);
        FUZZ_CHECK(dest->kind == CV_MAP);
        cap_err_clear(&err);
    }
    arena_free(a);
    free(s);
    return 0;
}
