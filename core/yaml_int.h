/* yaml_int.h — internals shared by yaml_read.c and yaml_emit.c (not public).
 *
 * go-yaml v2's scalar resolution (resolve.go): what an untagged plain scalar
 * means in YAML 1.1 as go-yaml v2 reads it, and Go's number formatting the
 * JSON step needs.
 */
#ifndef CAPSTAN_YAML_INT_H
#define CAPSTAN_YAML_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

typedef enum yres_kind {
    YRES_STR,       /* stays a string */
    YRES_NULL,      /* "", ~, null, Null, NULL */
    YRES_BOOL,      /* y Y yes Yes YES true ... on off n N no ... */
    YRES_INT,       /* fits int64: u.i */
    YRES_UINT,      /* beyond int64, fits uint64: u.u */
    YRES_FLOAT,     /* u.f (also .inf, .nan) */
    YRES_TIMESTAMP, /* 2001-12-14 and friends (kept as strings into interface{}) */
    YRES_MERGE,     /* << */
} yres_kind;

typedef struct yres {
    yres_kind kind;
    union { bool b; int64_t i; uint64_t u; double f; } u;
} yres;

/* resolve("", s): the meaning of the plain scalar s (len n, NUL-terminated). */
yres yaml_resolve_plain(const char *s, size_t n);

/* Go's strconv.ParseInt(s, 0, 64) / ParseUint(s, 0, 64) (no underscores);
 * return false on syntax or range error. */
bool yaml_go_parse_int(const char *s, size_t n, int64_t *out);
bool yaml_go_parse_uint(const char *s, size_t n, uint64_t *out);

/* Go's strconv.FormatFloat(f, fmt, -1, 64) for fmt 'g' or 'e' or 'f', and
 * encoding/json's float format (fmt 'j'). NaN/Inf print as Go prints them. */
void yaml_go_float(strbuf *out, double f, char fmt);
/* strconv.FormatFloat(f, 'g', -1, 32): the float rounded to float32 first. */
void yaml_go_float32(strbuf *out, double f);

/* Go's utf8.ValidString, and the repair json.Marshal applies (each invalid
 * byte becomes U+FFFD). fix returns false when s was valid (out untouched). */
bool yaml_utf8_valid(const char *s, size_t n);
void yaml_utf8_fix(strbuf *out, const char *s, size_t n);
/* Decode one rune at s (Go's utf8.DecodeRune): returns its width (>=1),
 * *r = 0xFFFD for an invalid byte. n > 0. */
int yaml_utf8_decode(const unsigned char *s, size_t n, uint32_t *r);

/* yaml_parse_values always the long way: the text split into documents
 * line by line and each copied, even when it is one document that could be
 * read in place (for the tests that compare the two). */
int yaml_parse_values_split(arena *a, const char *text, size_t len, const char *file, cval **out, cap_err *err);

/* go-yaml v2's base-60 float pattern (1:20, 190:20:30.15): such a string is
 * quoted by toYaml although it resolves as a string. */
bool yaml_is_base60_float(const char *s, size_t n);

/* A finite float64 as toYaml writes it: encoding/json's text read back by
 * go-yaml v2 (1e6 -> 1000000, 1.5e6 -> 1.5e+06). */
void yaml_float_text(strbuf *out, double f);
/* The same always the long way: encoding/json's text, go-yaml's resolve,
 * then the int or float it reads as (yaml_float_text's own path for what is
 * not a whole number below 2^53; the tests compare the two). */
void yaml_float_text_json(strbuf *out, double f);

/* toYaml written without libyaml's emitter for a mapping or sequence of
 * simple words, numbers, booleans and nulls (yaml_emit_block.c); false:
 * not such a value, nothing written. */
bool yaml_emit_block(strbuf *out, const cval *v);
/* yaml_emit always through libyaml's emitter (for the tests that compare). */
int yaml_emit_libyaml(strbuf *out, const cval *v, cap_err *err);

/* The entries of a map in go-yaml's key order (v3 for toYamlPretty, else v2),
 * an array the caller free()s. */
const cv_entry **yaml_sorted_entries(const cval *map, bool v3, size_t *n);

/* go-yaml (v2 and v3) checks for a BOM at the start of the whole value
 * instead of at each character, so a double-quoted string that starts with
 * U+FEFF has every character escaped ("\uFEFF\x78"), with no line breaks.
 * Appends that rendering, quotes included. */
bool yaml_starts_with_bom(const char *s, size_t n);
void yaml_bom_double_quoted(strbuf *out, const char *s, size_t n);

#endif
