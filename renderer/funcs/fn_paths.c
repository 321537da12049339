/* fn_paths.c — Sprig's path functions: Go's path.Base/Dir/Clean/Ext/IsAbs,
 * and the path/filepath forms, which on Linux (Helm's platform here) are the
 * same functions. */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/fsutil.h"


static cval *ret_sb(cv_call *c, strbuf *sb)
{
    cval *v = cv_string(c->a, sb_str(sb), sb->len);
    sb_release(sb);
    return v;
}

static cval *f_clean(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    fsu_clean_into(&sb, argv[0]->u.str.s, argv[0]->u.str.len);
    return ret_sb(c, &sb);
}

static cval *f_base(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *p = argv[0]->u.str.s;
    size_t n = argv[0]->u.str.len;
    if (n == 0)
        return cv_string(c->a, ".", 1);
    while (n > 0 && p[n - 1] == '/')
        n--;
    size_t i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    if (n - i == 0)
        return cv_string(c->a, "/", 1);
    return cv_string(c->a, p + i, n - i);
}

static cval *f_dir(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *p = argv[0]->u.str.s;
    size_t n = argv[0]->u.str.len, i = n;
    while (i > 0 && p[i - 1] != '/')
        i--;
    strbuf sb = STRBUF_INIT;
    fsu_clean_into(&sb, p, i);
    return ret_sb(c, &sb);
}

static cval *f_ext(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const char *p = argv[0]->u.str.s;
    size_t n = argv[0]->u.str.len;
    for (size_t i = n; i > 0 && p[i - 1] != '/'; i--)
        if (p[i - 1] == '.')
            return cv_string(c->a, p + i - 1, n - i + 1);
    return cv_string(c->a, "", 0);
}

static cval *f_is_abs(cv_call *c, int argc, cval **argv)
{
    (void)c; (void)argc;
    return cv_bool(argv[0]->u.str.len > 0 && argv[0]->u.str.s[0] == '/');
}

const cv_fnreg fn_paths_table[] = {
    {"base", f_base, "s"},
    {"dir", f_dir, "s"},
    {"clean", f_clean, "s"},
    {"ext", f_ext, "s"},
    {"isAbs", f_is_abs, "s"},
    {"osBase", f_base, "s"},
    {"osClean", f_clean, "s"},
    {"osDir", f_dir, "s"},
    {"osExt", f_ext, "s"},
    {"osIsAbs", f_is_abs, "s"},
    {NULL, NULL, NULL},
};
