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

#include "err.h"
#include "strbuf.h"
#include "value.h"

/* Parse one YAML document (as yaml.Unmarshal into interface{} would, through
 * the JSON step). An empty document yields nil. `file` names the input in errors. */
int yaml_parse(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* Parse a values file: like yaml_parse, but the result must be a map (or empty,
 * which yields an empty map), as chartutil.ReadValues requires. */
int yaml_parse_values(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* Parse every document of a YAML stream separated by ---, into a list. */
int yaml_parse_all(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* toYaml: the value as sigs.k8s.io/yaml.Marshal writes it (with its final newline;
 * Helm's toYaml trims it, which is the caller's business). Fails like json.Marshal
 * fails (e.g. NaN). */
int yaml_emit(strbuf *out, const cval *v, cap_err *err);

#endif
