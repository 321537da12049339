/* sprig_eval.c — a tiny evaluator for template call expressions, so that the
 * unit tests can run the very expressions that were run through helm:
 *     trunc 3 "abcdef"      add1 (int64 "5")      join "," (list 1 nil "a")
 * Calls, parenthesized sub-calls, int/float/string/bool/nil constants. Arguments
 * are converted by the sig letters roughly as text/template does: constants
 * adapt to the parameter type, computed values must match it. */
#include "sprig_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"

static const cv_fnreg *const tables[] = {
    fn_strings_table, fn_lists_table, fn_dicts_table, fn_math_table, fn_defaults_table,
    fn_reflect_table, fn_encoding_table, fn_paths_table, fn_url_table, fn_random_table,
};

const cv_fnreg *sprig_find(const char *name)
{
    for (size_t t = 0; t < sizeof tables / sizeof *tables; t++)
        for (const cv_fnreg *r = tables[t]; r->name; r++)
            if (!strcmp(r->name, name))
                return r;
    return NULL;
}

typedef struct {
    arena *a;
    const char *p;
    char *err;
} ev;

typedef struct {
    cval *v;
    bool literal;
} arg;

static void skip_ws(ev *e)
{
    while (*e->p == ' ' || *e->p == '\t')
        e->p++;
}

static cval *call(ev *e);

static bool parse_arg(ev *e, arg *out)
{
    skip_ws(e);
    const char *p = e->p;
    out->literal = false;
    if (*p == '(') {
        e->p++;
        out->v = call(e);
        if (!out->v)
            return false;
        skip_ws(e);
        if (*e->p != ')') {
            e->err = arena_strdup(e->a, "missing )");
            return false;
        }
        e->p++;
        return true;
    }
    if (*p == '"') {
        strbuf sb = STRBUF_INIT;
        p++;
        while (*p && *p != '"') {
            if (*p == '\\') {
                p++;
                switch (*p) {
                case 'n': sb_addc(&sb, '\n'); break;
                case 't': sb_addc(&sb, '\t'); break;
                case 'r': sb_addc(&sb, '\r'); break;
                case 'u': {
                    char h[5] = {p[1], p[2], p[3], p[4], 0};
                    fn_utf8_put(&sb, (uint32_t)strtol(h, NULL, 16));
                    p += 4;
                    break;
                }
                case 'x': {
                    char h[3] = {p[1], p[2], 0};
                    sb_addc(&sb, (char)strtol(h, NULL, 16));
                    p += 2;
                    break;
                }
                default: sb_addc(&sb, *p);
                }
                p++;
            } else {
                sb_addc(&sb, *p++);
            }
        }
        if (*p != '"') {
            sb_release(&sb);
            e->err = arena_strdup(e->a, "unterminated string");
            return false;
        }
        e->p = p + 1;
        out->v = cv_string(e->a, sb_str(&sb), sb.len);
        out->literal = true;
        sb_release(&sb);
        return true;
    }
    if (*p == '`') {
        const char *q = strchr(p + 1, '`');
        if (!q) {
            e->err = arena_strdup(e->a, "unterminated raw string");
            return false;
        }
        out->v = cv_string(e->a, p + 1, (size_t)(q - p - 1));
        out->literal = true;
        e->p = q + 1;
        return true;
    }
    size_t n = strcspn(p, " \t()");
    if (n == 0) {
        e->err = arena_strdup(e->a, "missing argument");
        return false;
    }
    char *tok = arena_strndup(e->a, p, n);
    e->p = p + n;
    out->literal = true;
    if (!strcmp(tok, "nil")) {
        out->v = cv_nil();
        return true;
    }
    if (!strcmp(tok, "true") || !strcmp(tok, "false")) {
        out->v = cv_bool(tok[0] == 't');
        return true;
    }
    int64_t i;
    if (fn_parse_int(tok, n, 0, &i) == FN_PARSE_OK) {
        out->v = cv_goint(e->a, i);
        return true;
    }
    double f;
    if (fn_parse_float(tok, n, &f) == FN_PARSE_OK) {
        out->v = cv_float(e->a, f);
        return true;
    }
    /* a bare word: a call without arguments */
    const cv_fnreg *r = sprig_find(tok);
    if (r) {
        e->p = p;
        out->literal = false;
        out->v = call(e);
        return out->v != NULL;
    }
    e->err = arena_printf(e->a, "bad token %s", tok);
    return false;
}

static bool convert(ev *e, const char *fname, char letter, arg *x, cval **out)
{
    cval *v = x->v;
    switch (letter) {
    case 'v':
        *out = v;
        return true;
    case 's':
        if (v->kind == CV_STRING) {
            *out = v;
            return true;
        }
        break;
    case 'i':
    case 'I':
        if (v->kind == CV_INT && (x->literal || !strcmp(cv_gotype(v), letter == 'i' ? "int" : "int64"))) {
            *out = letter == 'i' ? cv_goint(e->a, v->u.i) : cv_int(e->a, v->u.i);
            return true;
        }
        break;
    case 'f':
        if (v->kind == CV_FLOAT || (x->literal && v->kind == CV_INT)) {
            *out = v->kind == CV_FLOAT ? v : cv_float(e->a, (double)v->u.i);
            return true;
        }
        break;
    case 'b':
        if (v->kind == CV_BOOL) {
            *out = v;
            return true;
        }
        break;
    case 'm':
        if (v->kind == CV_MAP) {
            *out = v;
            return true;
        }
        break;
    case 'l':
    case 'L':
        if (v->kind == CV_LIST) {
            *out = v;
            return true;
        }
        break;
    }
    e->err = arena_printf(e->a, "wrong type for value in %s: %c got %s", fname, letter, cv_gotype(v));
    return false;
}

static cval *call(ev *e)
{
    skip_ws(e);
    size_t n = strcspn(e->p, " \t()");
    char *name = arena_strndup(e->a, e->p, n);
    e->p += n;
    const cv_fnreg *r = sprig_find(name);
    if (!r) {
        e->err = arena_printf(e->a, "function \"%s\" not defined", name);
        return NULL;
    }
    arg args[64];
    int argc = 0;
    for (;;) {
        skip_ws(e);
        if (!*e->p || *e->p == ')')
            break;
        if (argc == 64 || !parse_arg(e, &args[argc]))
            return NULL;
        argc++;
    }
    /* match the sig */
    const char *sig = r->sig;
    size_t sl = strlen(sig);
    bool variadic = sl && sig[sl - 1] == '*';
    int fixed = (int)(variadic ? sl - 2 : sl);
    if (argc < fixed || (!variadic && argc != fixed)) {
        e->err = arena_printf(e->a, "wrong number of args for %s: want %d got %d", name, fixed, argc);
        return NULL;
    }
    cval **argv = arena_alloc(e->a, sizeof(cval *) * (size_t)(argc + 1));
    for (int i = 0; i < argc; i++) {
        char letter = i < fixed ? sig[i] : sig[sl - 2];
        if (!convert(e, name, letter, &args[i], &argv[i]))
            return NULL;
    }
    cv_call c = {e->a, NULL, NULL, r->name, NULL};
    cval *res = r->fn(&c, argc, argv);
    if (!res) {
        e->err = arena_printf(e->a, "error calling %s: %s", name, c.errmsg ? c.errmsg : "?");
        return NULL;
    }
    return res;
}

cval *sprig_eval(arena *a, const char *expr, char **err)
{
    ev e = {a, expr, NULL};
    cval *v = call(&e);
    if (v) {
        skip_ws(&e);
        if (*e.p) {
            e.err = arena_printf(a, "trailing text: %s", e.p);
            v = NULL;
        }
    }
    *err = e.err;
    return v;
}
