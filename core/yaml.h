/* yaml.h — YAML in and out, as Helm reads and writes it.
 *
 * Reading follows sigs.k8s.io/yaml: YAML 1.1 scalars as go-yaml v2 resolves
 * them, then a JSON step, so numbers become float64 (n: 1000000 is 1e+06 to
 * %v), keys become strings, and documents that are not maps are errors where
 * Helm says so. Writing follows toYaml: the value is marshalled to JSON and then
 * emitted by go-yaml v2 (sorted keys, its quoting, block scalars, folding).
 *
 * Values are made in the arena given; on error, err names file, line, column.
 */
#ifndef CAPSTAN_YAML_H
#define CAPSTAN_YAML_H

#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

/* ERRORS. err->msg is the Go error text Helm shows, e.g.
 *   error converting YAML to JSON: yaml: line 2: mapping values are not allowed in this context
 *   error converting YAML to JSON: json: unsupported value: NaN
 *   error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}
 * with go-yaml's line numbering inside the text (parser errors count from 0,
 * scanner errors from 1, errors on the first line have no "line N: ").
 * err->file is `file`; err->line and err->col are the real 1-based position
 * of the problem in the whole input (0 when unknown).
 *
 * Nesting deeper than 2500 levels is an error ("exceeded max depth"; Go's
 * limit is 10000, too deep for a C stack under ASan).
 *
 * READING. All numbers become float64 (CV_FLOAT); keys that YAML reads as
 * ints, floats or bools become strings ("1", "1.5" via float32, "true"); null
 * keys and keys beyond int64 fail; only the first document is read;
 * duplicate keys: the last wins; "<<" merge keys, anchors and aliases are
 * expanded (with go-yaml's limits against alias bombs); invalid UTF-8 in
 * strings (from !!binary) becomes U+FFFD; timestamps stay strings. */

/* sigs.k8s.io/yaml.Unmarshal into interface{}: one document (the first), any
 * type; an empty document yields nil. `file` names the input in errors. */
int yaml_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* The same into map[string]interface{} (fromYaml) or []interface{}
 * (fromYamlArray): a document of another type fails with Go's json message;
 * an empty or null document yields an empty map / list (Go's target is left
 * as it was). fromYaml puts err->msg under "Error"; fromYamlArray returns
 * [err->msg]. */
int yaml_parse_map(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);
int yaml_parse_list(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* go-yaml v2's values before the JSON step, for readers of typed files
 * (Chart.yaml, requirements) that need to know 1000000 from 1e6: integers
 * stay CV_INT (CV_UINT beyond int64), floats CV_FLOAT (NaN/Inf allowed),
 * keys are still made strings. Only the first document. */
int yaml_parse_raw(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* sigs.k8s.io/yaml's coercion of a scalar read by yaml_parse_raw into a Go
 * string field (Chart.yaml's version: 1.10 becomes "1.1"): ints as they are,
 * floats with FormatFloat(f, 'g', -1, 32), bools as true/false, strings as
 * they are. -1 (nothing appended) for other kinds. */
int yaml_string_coerce(strbuf *out, const cval *v);

/* A values file as Helm v4's loader.LoadValues reads it (chart values.yaml
 * and -f files alike): split into documents at lines starting with "---"
 * (CRLF read as LF), each read as yaml_parse_map, and merged (maps deeply,
 * later documents win). Empty input yields an empty map. Messages start with
 * "cannot unmarshal yaml document: " or "error reading yaml document: "; the
 * caller adds Helm's "failed to parse FILE: " / "cannot load values.yaml: ". */
int yaml_parse_values(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* Parse every document of a YAML stream (separated by --- as libyaml sees
 * them) into a list, each through the JSON step. */
int yaml_parse_all(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* toYaml: the value as sigs.k8s.io/yaml.Marshal writes it (with its final newline;
 * Helm's toYaml trims it, which is the caller's business). Fails like json.Marshal
 * fails ("error marshaling into JSON: json: unsupported value: NaN"); on failure
 * nothing is appended. CV_OBJECT values are not supported (error).
 * The JSON round trip shows: float64 100 prints 100, 1.5e6 prints 1500000,
 * 1234567.5 prints 1.2345675e+06; []byte is base64; U+0085 inside a string
 * is folded as go-yaml reads it from the JSON (and fails the whole call in a
 * key, or before "---"/"..."): Helm's toYaml then prints "". */
int yaml_emit(strbuf *out, const cval *v, cap_err *err);

/* toYamlPretty: the value as go-yaml v3's Encoder with SetIndent(2) writes it,
 * with no JSON step: floats as Go's %g-ish FormatFloat (1e+06; NaN is .nan),
 * ints as ints, sequences under a key indented, no line folding. With the
 * final newline (Helm trims it). */
int yaml_emit_pretty(strbuf *out, const cval *v, cap_err *err);

#endif
