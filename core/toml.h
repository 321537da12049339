/* toml.h — TOML out as Helm's toToml writes it (BurntSushi/toml's Encoder),
 * and in as fromToml reads it (toml.Unmarshal into map[string]interface{}).
 *
 * Writing: plain keys of a table first, then its sub-tables and arrays of
 * tables, each group in sorted key order; tables as [a.b] headers, indented
 * two spaces per level below the top; a blank line before each top-level
 * [table] and before every [[array]]; floats always with a '.' or exponent
 * (1.0, 1e+06, nan, inf); nil map values left out. Errors carry the
 * encoder's message (toToml prints it in place of the document):
 *   "toml: cannot encode array with nil element"
 *   "toml: top-level values must be Go maps or structs" (a list of maps at top)
 * A top-level value that is not a map writes its bare TOML value. Objects
 * (CV_OBJECT) are written as empty tables.
 *
 * Reading: TOML 1.0 (and 1.1's \e and \xHH escapes, and inline tables over
 * several lines): integers become int64 (CV_INT), floats float64, tables
 * maps, arrays lists ("[]interface {}"), arrays of tables lists typed
 * "[]map[string]interface {}". Date-times become strings as Go's time.Time
 * prints them ("1979-05-27 07:32:00 +0000 UTC"); local dates and times keep
 * their TOML text. Errors read "toml: line N: message" or, after a key,
 * "toml: line N (last key \"a.b\"): message", as BurntSushi's do, with its
 * messages (checked on ~60 bad inputs; rarer ones may differ in wording).
 * Nesting is limited to TOML_MAX_DEPTH.
 */
#ifndef CAPSTAN_TOML_H
#define CAPSTAN_TOML_H

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

#define TOML_MAX_DEPTH 200

/* toml.NewEncoder(out).Encode(v). On error nothing is appended. */
int toml_emit(strbuf *out, const cval *v, cap_err *err);

/* toml.Unmarshal(text, &map[string]interface{}); `file` names the input in
 * err->file (may be NULL; fromToml passes NULL). *out is always a map: on an
 * error an empty one, as Go's stays (BurntSushi parses all before it decodes). */
int toml_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

#endif
