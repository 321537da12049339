/* gofmt.h — Go's fmt and strconv, as templates see them through print,
 * printf, %v and string conversion.
 *
 * All functions append to a strbuf the caller owns; none allocates values.
 */
#ifndef CAPSTAN_GOFMT_H
#define CAPSTAN_GOFMT_H

#include "strbuf.h"
#include "value.h"

/* fmt.Sprint's %v of one value: maps as map[a:1 b:[x y]], nil as <nil>,
 * floats as %g with the shortest representation (1e+06), []byte as [104 105],
 * objects through their class. CV_INVALID prints "<no value>"... as text/template
 * prints it at top level; inside a map or list it prints "<nil>"? See gofmt.c. */
void gofmt_value(strbuf *out, const cval *v);

/* fmt.Sprintf(format, args...) with Go's verbs, flags, width and precision,
 * including %!d(string=x), %!(EXTRA ...) and %!v(MISSING). */
void gofmt_sprintf(strbuf *out, const char *format, size_t formatlen, int argc, cval **argv);

/* fmt.Sprint(args...): spaces only between operands when neither is a string. */
void gofmt_sprint(strbuf *out, int argc, cval **argv);
/* fmt.Sprintln(args...): spaces always, and a final newline. */
void gofmt_sprintln(strbuf *out, int argc, cval **argv);

/* strconv.FormatFloat(f, fmt, prec, 64): fmt is one of e E f g G b x X;
 * prec -1 means the shortest representation that round-trips. */
void gofmt_float(strbuf *out, double f, char fmt, int prec);

/* strconv.Quote(s): Go's double-quoted string with its escapes. */
void gofmt_quote(strbuf *out, const char *s, size_t len);

#endif
