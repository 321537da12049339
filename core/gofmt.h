/* gofmt.h — Go's fmt and strconv, as templates see them through print,
 * printf, %v and string conversion.
 *
 * All functions append to a strbuf the caller owns; none allocates values.
 * The value-printing functions follow fmt's rules for the Go type a cval
 * stands for (see value.h's gotype): CV_INT and CV_UINT as integers, CV_FLOAT
 * as float64, CV_BYTES as []byte, CV_LIST as a slice, CV_MAP as a map with
 * string keys (printed in sorted key order), CV_OBJECT through its class's
 * format hook ("{}" without one). CV_INVALID, text/template's "no value",
 * prints "<no value>" at top level in gofmt_value and acts as a nil interface
 * everywhere else (inside lists and maps, and as an argument of Sprint/Sprintf,
 * as text/template passes it). Nesting deeper than GOFMT_MAX_DEPTH prints
 * "..." in place of the deeper values.
 */
#ifndef CAPSTAN_GOFMT_H
#define CAPSTAN_GOFMT_H

#include <stdbool.h>
#include <stdint.h>

#include "core/strbuf.h"
#include "core/value.h"

#define GOFMT_MAX_DEPTH 10000

/* fmt.Sprint's %v of one value: maps as map[a:1 b:[x y]], nil as <nil>,
 * floats as %g with the shortest representation (1e+06), []byte as [104 105],
 * objects through their class. CV_INVALID prints "<no value>" (as text/template
 * prints a missing value); nested inside a list or map it prints "<nil>". */
void gofmt_value(strbuf *out, const cval *v);

/* fmt.Sprintf(format, args...) with Go's verbs, flags, width and precision
 * (also from '*' arguments) and argument indexes (%[2]d), including the error
 * forms %!d(string=x), %!(EXTRA string=x), %!v(MISSING), %!(NOVERB),
 * %!(BADWIDTH), %!(BADPREC) and %!d(BADINDEX). */
void gofmt_sprintf(strbuf *out, const char *format, size_t formatlen, int argc, cval **argv);

/* fmt.Sprint(args...): spaces only between operands when neither is a string. */
void gofmt_sprint(strbuf *out, int argc, cval **argv);
/* fmt.Sprintln(args...): spaces always, and a final newline. */
void gofmt_sprintln(strbuf *out, int argc, cval **argv);

/* strconv.FormatFloat(f, fmt, prec, 64): fmt is one of e E f g G b x X;
 * prec -1 means the shortest representation that round-trips. */
void gofmt_float(strbuf *out, double f, char fmt, int prec);

/* fmt's %v of a []byte, "[104 105]": written straight into out, a block at
 * a time, with no formatting call per byte (.Files printed whole is megabytes
 * of these). */
void gofmt_bytes_v(strbuf *out, const char *b, size_t n);

/* What a printing function made in sb, handed to the arena (freed with it)
 * and sb reset: copied when small; a large text keeps its buffer, trimmed,
 * so that megabytes of %v output are never copied once more. */
char *gofmt_arena_text(arena *a, strbuf *sb, size_t *len);

/* strconv.FormatInt(i, 10) and strconv.FormatUint(u, 10). */
void gofmt_int(strbuf *out, int64_t i);
void gofmt_uint(strbuf *out, uint64_t u);

/* strconv.Quote(s): Go's double-quoted string with its escapes. */
void gofmt_quote(strbuf *out, const char *s, size_t len);
/* strconv.QuoteToASCII(s): as gofmt_quote, non-ASCII escaped too. */
void gofmt_quote_ascii(strbuf *out, const char *s, size_t len);
/* strconv.QuoteRune(r) ('x', '\n', '☺'); ascii: QuoteRuneToASCII. */
void gofmt_quote_rune(strbuf *out, int32_t r, bool ascii);
/* strconv.CanBackquote(s). */
bool gofmt_can_backquote(const char *s, size_t len);
/* strconv.IsPrint(r) (unicode.IsPrint, but U+0020 is the only printable space). */
bool gofmt_isprint(int32_t r);

/* utf8.DecodeRune: the rune at s (len > 0) and its width. Invalid encodings
 * (bad bytes, overlong forms, surrogates, > U+10FFFF, truncated) give
 * U+FFFD with width 1. */
int gofmt_decode_rune(const char *s, size_t len, int32_t *r);
/* utf8.AppendRune: invalid runes are written as U+FFFD. */
void gofmt_add_rune(strbuf *out, int32_t r);
/* utf8.RuneCount. */
size_t gofmt_rune_count(const char *s, size_t len);

/* strconv's underscoreOK: in a number text, '_' only between digits (a base
 * prefix such as 0x counts as a digit). */
bool gofmt_underscore_ok(const char *s, size_t n);

#endif
