/* strvals.h — Helm's --set family parser (pkg/strvals).
 *
 *   --set a.b=c,d[0]=1,e={x,y}   typed values: true/false/null (any case),
 *                                int64 for decimal integers not starting with 0
 *   --set-string                 every value a string
 *   --set-file a=path            the value is the content of the file (reader)
 *   --set-json a=<json>          the value is JSON (a leading '{' means a whole map)
 *   --set-literal a.b=any,thing  the value is everything after '=', verbatim
 *
 * The result is merged into `dest` (a CV_MAP in arena a) as Helm's ParseInto
 * does. Errors carry Helm's text without the "failed parsing --set data: "
 * prefix, which strvals_apply() adds.
 */
#ifndef CAPSTAN_STRVALS_H
#define CAPSTAN_STRVALS_H

#include "core/err.h"
#include "core/value.h"

typedef enum strvals_mode {
    STRVALS_SET,
    STRVALS_STRING,
    STRVALS_FILE,
    STRVALS_JSON,
    STRVALS_LITERAL,
} strvals_mode;

#define STRVALS_MAX_INDEX 65536
#define STRVALS_MAX_NESTED 30

/* --set-file: make the value for `path` (Helm reads the file as a string).
 * Return NULL and set *errmsg (arena string) on failure. */
typedef cval *(*strvals_reader)(void *ctx, arena *a, const char *path, char **errmsg);

int strvals_parse_into(arena *a, const char *s, cval *dest, strvals_mode mode,
                       strvals_reader reader, void *ctx, cap_err *err);

/* The whole step of Helm's MergeValues for one flag value, with Helm's prefix
 * ("failed parsing --set data: ...", "failed parsing --set-json data ..."). */
int strvals_apply(arena *a, const char *s, cval *dest, strvals_mode mode,
                  strvals_reader reader, void *ctx, cap_err *err);

/* Go's %q of a string, appended (printable text kept, escapes as Go writes them). */
struct strbuf;
void strvals_quote(struct strbuf *out, const char *s, size_t len);

#endif
