/* json.h — JSON in and out the way Go's encoding/json does it.
 *
 * Reading (json_parse, json_unmarshal): json.Unmarshal into interface{}:
 * objects become maps, arrays lists, numbers float64 (CV_FLOAT), strings with
 * invalid UTF-8 or lone surrogates get U+FFFD. Syntax errors carry Go's exact
 * message ("invalid character 'x' looking for beginning of value",
 * "unexpected end of JSON input", ...) in err->msg, and the position in
 * err->line and err->col (1-based; the column counts bytes) and err->file.
 * Nesting deeper than 10000 is an error, as in Go.
 *
 * Writing (json_emit, json_emit_indent): json.Marshal's output exactly:
 * sorted map keys, <, > and & escaped as \u003c \u003e \u0026 unless
 * JSON_RAW, U+2028/U+2029 escaped, invalid UTF-8 as \ufffd, control
 * characters as \b \f \n \r \t or \u00XX, floats as Go writes float64 (100,
 * 1e+21, 1e-7, -0), integers in full, nil as null, []byte as base64, empty
 * lists and maps as [] and {}. NaN and ±Inf fail with "json: unsupported
 * value: NaN". CV_INVALID writes null. Objects (CV_OBJECT) write {}: their
 * classes do not list their fields. Nesting deeper than JSON_MAX_DEPTH fails
 * as Go fails on a cycle ("json: unsupported value: encountered a cycle via
 * map[string]interface {}").
 */
#ifndef CAPSTAN_JSON_H
#define CAPSTAN_JSON_H

#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

enum {
    JSON_RAW = 1,     /* toRawJson: no HTML escaping (Encoder.SetEscapeHTML(false)) */
};

#define JSON_MAX_DEPTH 10000

/* json.Marshal (compact). On error nothing is appended. */
int json_emit(strbuf *out, const cval *v, int flags, cap_err *err);
/* json.MarshalIndent(v, prefix, indent), as toPrettyJson uses it ("", "  "). */
int json_emit_indent(strbuf *out, const cval *v, const char *prefix, const char *indent, int flags, cap_err *err);
/* Go's encodeState string writer alone: s as a JSON string literal. */
void json_emit_string(strbuf *out, const char *s, size_t len, int flags);

/* json.Unmarshal into interface{}; `file` names the input in errors (may be NULL). */
int json_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* json.Unmarshal into a variable of Go type `into`:
 *   JSON_INTO_ANY  interface{}
 *   JSON_INTO_MAP  map[string]interface{}: null gives an empty map; another
 *                  kind fails with "json: cannot unmarshal array into Go value
 *                  of type map[string]interface {}"
 *   JSON_INTO_LIST []interface{}: null gives an empty list; likewise.
 * As in Go, a number out of float64's range ("json: cannot unmarshal number
 * 1e400 into Go value of type float64") still sets *out, with nil in place of
 * the number, and returns -1: Helm's fromJson shows both. On a syntax error
 * *out is an empty map/list (JSON_INTO_MAP/LIST) or nil (JSON_INTO_ANY).
 * err->msg is Go's message alone; no file is set. */
enum { JSON_INTO_ANY = 0, JSON_INTO_MAP, JSON_INTO_LIST };
int json_unmarshal(arena *a, const char *text, size_t len, int into, cval **out, cap_err *err);

#endif
