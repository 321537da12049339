/* fn_dates.h — Go's time.Time and time.Duration as templates see them, and
 * Sprig's date functions (fn_dates_table).
 *
 * A time.Time is a CV_OBJECT of class fn_time_class whose self is an
 * fn_time (in the value's arena). Its %v is Go's Time.String():
 * "2024-01-02 03:04:05.123456789 +0000 UTC". Time zones are read from the
 * system's TZif files (/usr/share/zoneinfo); "Local" follows $TZ as Go's
 * runtime does (unset: /etc/localtime; empty: UTC). Nothing is cached, so
 * there is no global state: each call reads the files it needs.
 *
 * A time.Duration is a CV_INT with gotype "time.Duration"; fmt prints it
 * through fn_duration_string (gofmt should call it for that gotype).
 */
#ifndef CAPSTAN_FN_DATES_H
#define CAPSTAN_FN_DATES_H

#include <stdint.h>

#include "core/strbuf.h"
#include "core/value.h"

typedef struct fn_zone fn_zone; /* a loaded *time.Location */

typedef struct fn_time {
    int64_t sec;        /* seconds since 1970-01-01 UTC */
    int32_t nsec;       /* 0..999999999 */
    const fn_zone *loc; /* NULL: UTC */
} fn_time;

extern const cv_class fn_time_class;

/* A time.Time value: time.Unix(sec, nsec).In(LoadLocation(zone)); an unknown
 * zone gives UTC (as Sprig's dateInZone falls back). */
cval *fn_time_new(arena *a, int64_t sec, int32_t nsec, const char *zone);

/* Time.Format(layout), appended to out. */
void fn_time_format(strbuf *out, const fn_time *t, const char *layout, size_t len);
/* Time.String() */
void fn_time_string(strbuf *out, const fn_time *t);
/* Time.MarshalJSON(): RFC 3339 with nanoseconds, quoted (as toJson writes it). */
void fn_time_marshal_json(strbuf *out, const fn_time *t);
/* Duration.String(): "1h2m3.5s", "1.5µs", "0s". */
void fn_duration_string(strbuf *out, int64_t d);
/* time.ParseDuration. Returns 0, or -1 with *err (arena a) in Go's words. */
int fn_parse_duration(arena *a, const char *s, size_t len, int64_t *out, const char **err);

extern const cv_fnreg fn_dates_table[];

#endif
