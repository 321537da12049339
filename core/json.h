/* json.h — JSON in (through jansson) and out (Go's encoding/json, by hand).
 *
 * Reading: numbers become float64, as json.Unmarshal into interface{} makes them.
 * Writing: json.Marshal's output exactly: sorted map keys, <, > and & escaped as
 * \u003c \u003e \u0026 unless raw, U+2028/U+2029 escaped, invalid UTF-8 as
 * \ufffd, floats in Go's format (1e+21, 1e-07, 100), NaN and Inf are errors.
 */
#ifndef CAPSTAN_JSON_H
#define CAPSTAN_JSON_H

#include "err.h"
#include "strbuf.h"
#include "value.h"

enum {
    JSON_RAW = 1,     /* toRawJson: no HTML escaping */
};

/* json.Marshal (compact). */
int json_emit(strbuf *out, const cval *v, int flags, cap_err *err);
/* json.MarshalIndent(v, prefix, indent), as toPrettyJson uses it ("", "  "). */
int json_emit_indent(strbuf *out, const cval *v, const char *prefix, const char *indent, int flags, cap_err *err);

/* json.Unmarshal into interface{}; `file` names the input in errors (may be NULL). */
int json_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

#endif
