/* fn_util.h — the conversions Sprig's functions share, as Helm v4.1.4 runs
 * them (Masterminds/sprig v3.3.0 with spf13/cast v1.7.0).
 *
 * Ownership: every cval and string these return lives in the arena passed in
 * (or, for the strbuf forms, in the caller's strbuf). Inputs are only read.
 *
 * Go's reflect kinds, as Sprig's list functions test them: a value "is a
 * slice" when it is a CV_LIST (any []T) or CV_BYTES ([]uint8). Elements of a
 * []byte come out as uint8 values.
 */
#ifndef CAPSTAN_FN_UTIL_H
#define CAPSTAN_FN_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "core/value.h"

/* ---- strings ----------------------------------------------------------- */

/* Sprig's strval: string and []byte as they are, anything else as fmt's %v
 * (gofmt_value). A nil interface gives "<nil>"; the "no value" gives "<nil>"
 * too, as Go passes nil for it. Appends to out. */
void fn_strval(strbuf *out, const cval *v);
/* The same, as a NUL-terminated arena string; *len (may be NULL) gets its length. */
const char *fn_strval_a(arena *a, const cval *v, size_t *len);
/* Sprig's toString: fn_strval as a CV_STRING value. */
cval *fn_tostring(arena *a, const cval *v);

/* ---- Go's strconv parsers ---------------------------------------------- */

enum { FN_PARSE_OK = 0, FN_PARSE_SYNTAX = -1, FN_PARSE_RANGE = -2 };

/* strconv.ParseInt(s, base, 64): base 0 takes 0x/0o/0b/0 prefixes and '_'
 * separators, as Go does. Returns FN_PARSE_*; *out is 0 on syntax errors and
 * the clamped value on range errors (as Go). */
int fn_parse_int(const char *s, size_t n, int base, int64_t *out);
/* strconv.ParseUint(s, base, 64). */
int fn_parse_uint(const char *s, size_t n, int base, uint64_t *out);
/* strconv.ParseFloat(s, 64): decimal and hex floats, inf/infinity/nan,
 * '_' only after a base prefix. Range errors give ±Inf (or 0). */
int fn_parse_float(const char *s, size_t n, double *out);

/* ---- spf13/cast -------------------------------------------------------- */

/* cast.ToInt64E: ints, uints and floats (truncated, as Go's conversion on
 * amd64: out of range or NaN gives INT64_MIN), strings through
 * ParseInt(trimZeroDecimal(s), 0, 64), bools as 0/1, nil as 0. Named types
 * (time.Duration, a named string) and everything else are errors.
 * Returns 0, or -1 with *out = 0. */
int fn_cast_int64(const cval *v, int64_t *out);
/* cast.ToFloat64E: the same kinds; strings through ParseFloat. */
int fn_cast_float64(const cval *v, double *out);
/* cast.ToStringE: strings, []byte, bools, numbers (floats as 'f', -1), nil as "". */
int fn_cast_string(arena *a, const cval *v, const char **out, size_t *len);
/* The message cast's errors carry: "unable to cast %#v of type %T to TYPE". */
const char *fn_cast_errmsg(arena *a, const cval *v, const char *type);

/* Sprig's toInt64 / toInt / toFloat64: the cast result, errors giving 0.
 * (Go's int is 64 bits on Helm's platforms, so toInt equals toInt64.) */
int64_t fn_to_int64(const cval *v);
int64_t fn_to_int(const cval *v);
double fn_to_float64(const cval *v);

/* Go's int64(f) on amd64: truncation; NaN and out-of-range give INT64_MIN. */
int64_t fn_float_to_int64(double f);

/* ---- lists ------------------------------------------------------------- */

/* reflect.TypeOf(v).Kind() is Slice or Array. */
bool fn_is_slice(const cval *v);
/* Length and i-th element of a slice (fn_is_slice must hold). Elements of
 * a []byte are made as uint8 values in a. */
size_t fn_slice_len(const cval *v);
cval *fn_slice_at(arena *a, const cval *v, size_t i);
/* v itself, or for a native object Go sees as a slice (.Capabilities.APIVersions,
 * a []string type with methods) its elements as a CV_LIST. */
cval *fn_object_slice(arena *a, cval *v);
/* A fresh []interface{} with the elements of any slice. */
cval *fn_to_raw_list(arena *a, const cval *v);
/* A new empty []interface{} of capacity cap. */
cval *fn_list(arena *a, size_t cap);

/* Sprig's strslice (toStrings, join, sortAlpha): []string as is (copied), the
 * elements of any other slice through strval with nils dropped, nil as an
 * empty list, anything else as a one-element list. The result is a CV_LIST
 * of gotype "[]string". */
cval *fn_strslice(arena *a, const cval *v);
/* A []string value from C strings. */
cval *fn_string_list(arena *a, size_t n, const char *const *items);

/* What reflect.Kind.String() says for v, as Sprig's messages print it
 * ("int", "float64", "string", "map", "slice", "bool", "ptr", "struct"). For
 * nil, Go's reflect.TypeOf(nil).Kind() crashes: see fn_nil_deref_msg. */
const char *fn_kind_name(const cval *v);

/* The runtime message Go's nil-pointer panics turn into in a template call. */
#define FN_NIL_DEREF_MSG "runtime error: invalid memory address or nil pointer dereference"

/* ---- UTF-8 and Unicode, as Go's unicode and unicode/utf8 packages ------ */

#define FN_RUNE_ERROR 0xFFFDu

/* utf8.DecodeRuneInString: the rune at s (n > 0 bytes) and its size; invalid
 * or short input gives FN_RUNE_ERROR with size 1. */
uint32_t fn_utf8_decode(const char *s, size_t n, size_t *size);
/* utf8.DecodeLastRuneInString. */
uint32_t fn_utf8_decode_last(const char *s, size_t n, size_t *size);
/* utf8.AppendRune / strings.Builder.WriteRune: invalid runes (surrogates,
 * > 0x10FFFF) are written as U+FFFD. */
void fn_utf8_put(strbuf *out, uint32_t r);
/* Go's []rune(s): decode all of s into a malloc'd array (caller frees). */
uint32_t *fn_utf8_runes(const char *s, size_t n, size_t *count);

bool fn_is_upper(uint32_t r);
bool fn_is_lower(uint32_t r);
bool fn_is_title(uint32_t r);
bool fn_is_letter(uint32_t r);
bool fn_is_number(uint32_t r);
bool fn_is_punct(uint32_t r);
bool fn_is_space(uint32_t r);   /* unicode.IsSpace */
uint32_t fn_to_upper(uint32_t r);
uint32_t fn_to_lower(uint32_t r);
uint32_t fn_to_title(uint32_t r);

#endif
