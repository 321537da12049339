/* funcs.h — the registry of template functions, and the calling convention
 * every function table follows.
 *
 * Each family file exports a table ending with a zeroed row:
 *     const cv_fnreg fn_strings_table[] = { {"trimSuffix", fn_trim_suffix, "ss"}, ..., {0} };
 * funcs.c lists all tables in fn_all_tables[]; when two tables define the same
 * name, the LATER table wins (Helm's functions come last and override Sprig's
 * `fail` and `getHostByName`, as helm's funcMap does).
 *
 * ==== CALLING CONVENTION (implemented by renderer/engine/tmpl_exec.c) ============
 *
 * A function is  cval *fn(cv_call *c, int argc, cval **argv).
 *
 * 1. Arity. sig has one letter per Go parameter; a final '*' makes the letter
 *    before it variadic ("sv*" = (string, ...interface{})). The engine checks
 *    the count before calling, with Go's messages:
 *      wrong number of args for NAME: want 2 got 1
 *      wrong number of args for NAME: want at least 1 got 0
 *    so argc is always len(sig) for fixed signatures and >= fixed part for
 *    variadic ones. sig NULL means "v*" (anything, any count).
 *
 * 2. Conversion, per letter, as text/template's validateType/evalArg do:
 *      v  interface{}: any value. A missing value (<no value>) or Go nil arrives
 *         as cv_nil() (kind CV_NIL). Template number constants arrive as Go's
 *         untyped constants become: 5 -> CV_INT gotype "int", 5.0/1e3 -> CV_FLOAT,
 *         'a' -> CV_INT "int" (97); 0x10 -> int 16.
 *      s  string:  CV_STRING only (any other kind is an error, see below).
 *      b  bool:    CV_BOOL.
 *      i  int:     CV_INT whose gotype is "int" (an int64 value is NOT accepted:
 *                  "wrong type for value; expected int; got int64", as in Go).
 *      I  int64:   CV_INT with default gotype (int64).
 *      f  float64: CV_FLOAT. u uint: CV_UINT gotype "uint".
 *      l  []interface{}: CV_LIST of the default type.   L []string: CV_LIST "[]string".
 *      m  map[string]interface{}: CV_MAP of default type or a named map type
 *         (e.g. "common.Values"), never "map[string]string".
 *      B  []byte: CV_BYTES.
 *    For l, L, m, B a Go nil (the `nil` constant, a missing value) arrives as a
 *    fresh EMPTY list/map/bytes value (reads like Go's nil slice/map; writes to
 *    it are lost as in Go they would panic).
 *    Constants in the template convert only to their own kind, as in Go:
 *    a number constant to i/I/u/f/v, a string constant to s/v, true/false to b/v.
 *    Errors, all wrapped by the engine as Helm shows them
 *    (template: NAME:L:C: executing "NAME" at <ARG>: MSG):
 *      wrong type for value; expected string; got float64
 *      invalid value; expected string          (a missing value for a non-nilable type)
 *      cannot assign nil to string             (the nil constant)
 *      expected string; found 5                (a constant of the wrong kind)
 *      expected integer; found "x"   expected unsigned integer; found ...
 *      expected float; found ...     expected bool; found ...
 *    Go type names in messages: int, int64, uint, float64, string, bool,
 *    []interface {}, []string, map[string]interface {}, []uint8.
 *
 * 3. Result. Return a cval allocated in c->a (or a shared constant). Return
 *    cv_nil() for Go's nil interface{} result. Never return NULL on success.
 *
 * 4. Errors. `return cv_call_fail(c, "fmt", ...)` (returns NULL). The engine
 *    wraps the message as text/template wraps a function's error:
 *      template: t.yaml:1:3: executing "t.yaml" at <semver "x">: error calling semver: MSG
 *    Write MSG exactly as the Go function's error (or panic value) reads.
 *
 * 5. Context. c->name is the function's name; c->env is the engine state. Use
 *    tmpl_call_opts(c) for the render options (seed for random functions,
 *    lookup callback, strict/lint mode). c->self is the receiver for methods
 *    of cv_class (NULL for functions).
 *
 * 6. Values a function gets are never CV_INVALID (a missing value is cv_nil()),
 *    except in the builtins table, whose private letter 'r' (Go's
 *    reflect.Value parameter) passes values unconverted: CV_INVALID for a
 *    missing value, CV_NIL for a nil held in an interface.
 *
 * 7. The engine treats a CV_NIL result as Go's nil interface{} (it prints as
 *    "<no value>", which Helm then strips; `.x` on it is "nil pointer
 *    evaluating interface {}.x"). Lists are iterated as []interface{} unless
 *    their gotype says otherwise ("[]string"); maps' elements are interface{}
 *    unless the gotype is "map[string]string" (a missing key then reads "").
 *
 * Methods of objects (cv_class.methods) follow the same convention; c->self is
 * the object's self, which may be NULL for a nil pointer (Go would still call
 * a pointer method). A field lookup (cv_class.field) returning NULL means "no
 * such field": "can't evaluate field X in type T". For map-like classes (Go's
 * Files is a map[string][]byte), return the zero value for unknown keys
 * instead (helm prints `.Files.nope` as "[]").
 * ========================================================================== */
#ifndef CAPSTAN_FUNCS_H
#define CAPSTAN_FUNCS_H

#include <stddef.h>

#include "renderer/engine/tmpl.h"
#include "renderer/engine/tmpl_fnindex.h"
#include "core/value.h"

/* Sprig's families */
extern const cv_fnreg fn_strings_table[];
extern const cv_fnreg fn_lists_table[];
extern const cv_fnreg fn_dicts_table[];
extern const cv_fnreg fn_math_table[];
extern const cv_fnreg fn_defaults_table[];
extern const cv_fnreg fn_reflect_table[];
extern const cv_fnreg fn_encoding_table[];
extern const cv_fnreg fn_paths_table[];
extern const cv_fnreg fn_url_table[];
extern const cv_fnreg fn_random_table[];
extern const cv_fnreg fn_crypto_table[];
extern const cv_fnreg fn_dates_table[];
extern const cv_fnreg fn_semver_table[];
extern const cv_fnreg fn_regex_table[];
extern const cv_fnreg fn_network_table[];
/* Sprig's getHostByName (fn_network.c), which helm's (fn_helm.c) calls under --enable-dns. */
cval *fn_net_host_by_name(cv_call *c, int argc, cval **argv);

/* mustRegexMatch for callers outside templates (values.schema.json's
 * patterns): the compiled patterns are kept in *cache (NULL at first, or
 * when it cannot be made; funcs_regex_cache_free after). A bool, or NULL
 * with c->errmsg set. */
cval *funcs_regex_match(cv_call *c, void **cache, cval *pat, cval *s);
void funcs_regex_cache_free(void *cache);

/* Helm's own functions (include, tpl, required, toYaml, ...) */
extern const cv_fnreg fn_helm_table[];

/* All tables, in override order (later wins), ending with NULL. The first
 * table is always tmpl_builtins_table. */
extern const cv_fnreg *const fn_all_tables[];

/* The render options, from inside a template function. */
const tmpl_opts *tmpl_call_opts(const cv_call *c);


#endif
