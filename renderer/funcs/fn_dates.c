/* fn_dates.c — Go's time package as far as Sprig's date functions need it
 * (Format with reference-time layouts, ParseInLocation, ParseDuration,
 * Duration.String, time zones from TZif files), and the functions:
 * now date dateInZone date_in_zone htmlDate htmlDateInZone dateModify
 * date_modify mustDateModify must_date_modify ago duration durationRound
 * toDate mustToDate unixEpoch.
 *
 * Differences from Go that remain: `now` carries no monotonic clock reading,
 * so its %v lacks Go's " m=+0.001" suffix; time zones come only from the
 * system's zoneinfo directories (Go could also use an embedded copy).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "renderer/funcs/fn_dates.h"
#include "renderer/funcs/fn_util.h"
#include "core/strbuf.h"

/* ---- calendar -------------------------------------------------------------- */

#define SECS_PER_DAY 86400LL
/* seconds from 0001-01-01 to 1970-01-01 (Go's zero Time is year 1) */
#define ZERO_UNIX (-62135596800LL)

/* int64 arithmetic that wraps, as Go's does (C's overflow is undefined) */
static int64_t wrap_add(int64_t x, int64_t y) { return (int64_t)((uint64_t)x + (uint64_t)y); }
static int64_t wrap_mul(int64_t x, int64_t y) { return (int64_t)((uint64_t)x * (uint64_t)y); }

static int64_t floordiv(int64_t a, int64_t b) { return a / b - ((a % b != 0) && ((a < 0) != (b < 0))); }

/* days since 1970-01-01 to civil date (proleptic Gregorian) */
static void civil_from_days(int64_t z, int64_t *y, int *m, int *d)
{
    z += 719468;
    int64_t era = floordiv(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t yy = yoe + era * 400;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (*m <= 2);
}

static int64_t days_from_civil(int64_t y, int m, int d)
{
    y = wrap_add(y, -(int64_t)(m <= 2));
    int64_t era = floordiv(y, 400);
    int64_t yoe = y - era * 400;
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return wrap_add(wrap_mul(era, 146097), doe - 719468);
}

static bool is_leap(int64_t y) { return y % 4 == 0 && (y % 100 != 0 || y % 400 == 0); }

static int days_in(int m, int64_t y)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

static const int days_before[] = {0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334, 365};

static const char *const long_months[] = {"January", "February", "March", "April", "May", "June", "July",
                                          "August", "September", "October", "November", "December"};
static const char *const long_days[] = {"Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday",
                                        "Saturday"};

/* ---- zones (TZif) ------------------------------------------------------------ */

typedef struct zrec {
    char *name;
    int32_t offset;
    bool dst;
} zrec;

typedef struct ztrans {
    int64_t when;
    uint8_t idx;
} ztrans;

struct fn_zone {
    const char *name;    /* "UTC", "Local", "America/New_York", or a fixed zone's name */
    zrec *zones;
    size_t nzones;
    ztrans *tx;
    size_t ntx;
    const char *extend;  /* POSIX TZ rule for times after the last transition */
};

#define OMEGA INT64_MAX
#define ALPHA INT64_MIN

static const fn_zone utc_zone = {"UTC", NULL, 0, NULL, 0, ""};

static fn_zone *fixed_zone(arena *a, const char *name, int32_t offset)
{
    fn_zone *z = arena_zalloc(a, sizeof *z);
    z->name = arena_strdup(a, name);
    z->zones = arena_zalloc(a, sizeof *z->zones);
    z->zones[0].name = arena_strdup(a, name);
    z->zones[0].offset = offset;
    z->nzones = 1;
    z->extend = "";
    return z;
}

static uint32_t be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static int64_t be64(const unsigned char *p) { return (int64_t)((uint64_t)be32(p) << 32 | be32(p + 4)); }

/* LoadLocationFromTZData */
static fn_zone *parse_tzif(arena *a, const char *name, const unsigned char *d, size_t n)
{
    if (n < 44 || memcmp(d, "TZif", 4) != 0)
        return NULL;
    int version = d[4] == 0 ? 1 : d[4] - '0';
    const unsigned char *p = d, *end = d + n;
    int tsize = 4;
    for (int pass = 0; pass < 2; pass++) {
        if (end - p < 44)
            return NULL;
        uint32_t isutc = be32(p + 20), isstd = be32(p + 24), leap = be32(p + 28), timecnt = be32(p + 32),
                 typecnt = be32(p + 36), charcnt = be32(p + 40);
        size_t body = (size_t)timecnt * tsize + timecnt + (size_t)typecnt * 6 + charcnt +
                      (size_t)leap * (tsize + 4) + isstd + isutc;
        p += 44;
        if ((size_t)(end - p) < body)
            return NULL;
        if (pass == 0 && version >= 2) {
            p += body;
            tsize = 8;
            continue;
        }
        fn_zone *z = arena_zalloc(a, sizeof *z);
        z->name = arena_strdup(a, name);
        z->ntx = timecnt;
        z->tx = arena_zalloc(a, (timecnt + 1) * sizeof *z->tx);
        const unsigned char *times = p, *idx = p + (size_t)timecnt * tsize,
                            *types = idx + timecnt, *chars = types + (size_t)typecnt * 6;
        for (uint32_t i = 0; i < timecnt; i++) {
            z->tx[i].when = tsize == 8 ? be64(times + 8 * i) : (int64_t)(int32_t)be32(times + 4 * i);
            z->tx[i].idx = idx[i];
            if (idx[i] >= typecnt)
                return NULL;
        }
        if (typecnt == 0)
            return NULL;
        z->nzones = typecnt;
        z->zones = arena_zalloc(a, typecnt * sizeof *z->zones);
        for (uint32_t i = 0; i < typecnt; i++) {
            const unsigned char *t = types + 6 * i;
            z->zones[i].offset = (int32_t)be32(t);
            z->zones[i].dst = t[4] != 0;
            uint8_t ci = t[5];
            if (ci >= charcnt)
                return NULL;
            size_t len = strnlen((const char *)chars + ci, charcnt - ci);
            z->zones[i].name = arena_strndup(a, (const char *)chars + ci, len);
        }
        p += body;
        z->extend = "";
        if (version >= 2 && p < end && *p == '\n') {
            const unsigned char *q = memchr(p + 1, '\n', (size_t)(end - p - 1));
            if (q)
                z->extend = arena_strndup(a, (const char *)p + 1, (size_t)(q - p - 1));
        }
        return z;
    }
    return NULL;
}

static fn_zone *load_file(arena *a, const char *name, const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t k;
    while ((k = fread(buf, 1, sizeof buf, f)) > 0 && sb.len < (1u << 22))
        sb_add(&sb, buf, k);
    fclose(f);
    fn_zone *z = parse_tzif(a, name, (const unsigned char *)sb_str(&sb), sb.len);
    sb_release(&sb);
    return z;
}

static fn_zone *load_from_dirs(arena *a, const char *name, const char *as)
{
    static const char *const dirs[] = {"/usr/share/zoneinfo/", "/usr/share/lib/zoneinfo/",
                                       "/usr/lib/locale/TZ/", "/etc/zoneinfo/"};
    const char *zi = getenv("ZONEINFO");
    if (zi && *zi) {
        fn_zone *z = load_file(a, as, arena_printf(a, "%s/%s", zi, name));
        if (z)
            return z;
    }
    for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++) {
        fn_zone *z = load_file(a, as, arena_printf(a, "%s%s", dirs[i], name));
        if (z)
            return z;
    }
    return NULL;
}

/* Go's Local: $TZ unset -> /etc/localtime; "" or "UTC" -> UTC; else the zone. */
static const fn_zone *local_zone(arena *a)
{
    const char *tz = getenv("TZ");
    fn_zone *z = NULL;
    if (!tz) {
        z = load_file(a, "Local", "/etc/localtime");
    } else if (*tz && strcmp(tz, "UTC") != 0) {
        if (*tz == ':')
            tz++;
        if (*tz == '/')
            z = load_file(a, "Local", tz);
        else
            z = load_from_dirs(a, tz, "Local");
    }
    if (!z)
        return &utc_zone;
    return z;
}

/* time.LoadLocation; NULL when unknown. */
static const fn_zone *load_location(arena *a, const char *name)
{
    if (*name == '\0' || strcmp(name, "UTC") == 0)
        return &utc_zone;
    if (strcmp(name, "Local") == 0)
        return local_zone(a);
    if (strstr(name, "..") || name[0] == '/' || name[0] == '\\')
        return NULL;
    return load_from_dirs(a, name, name);
}

/* ---- POSIX TZ rules (Go's tzset) ----------------------------------------------- */

typedef struct rule {
    int kind; /* 0 Julian, 1 DOY, 2 month-week-day */
    int day, week, mon, time;
} rule;

static bool tz_name(const char **sp, const char **name, size_t *nlen)
{
    const char *s = *sp;
    if (!*s)
        return false;
    if (*s != '<') {
        const char *p = s;
        while (*p && !strchr("0123456789,-+", *p))
            p++;
        if (p - s < 3)
            return false;
        *name = s;
        *nlen = (size_t)(p - s);
        *sp = p;
        return true;
    }
    const char *close = strchr(s, '>');
    if (!close)
        return false;
    *name = s + 1;
    *nlen = (size_t)(close - s - 1);
    *sp = close + 1;
    return true;
}

static bool tz_num(const char **sp, int min, int max, int *out)
{
    const char *s = *sp;
    int n = 0, i = 0;
    while (s[i] >= '0' && s[i] <= '9') {
        n = n * 10 + (s[i] - '0');
        if (n > max)
            return false;
        i++;
    }
    if (i == 0 || n < min)
        return false;
    *out = n;
    *sp = s + i;
    return true;
}

static bool tz_offset(const char **sp, int *off)
{
    const char *s = *sp;
    int neg = 0;
    if (*s == '+')
        s++;
    else if (*s == '-')
        s++, neg = 1;
    int h, m = 0, sec = 0;
    if (!tz_num(&s, 0, 24 * 7, &h))
        return false;
    if (*s == ':') {
        s++;
        if (!tz_num(&s, 0, 59, &m))
            return false;
        if (*s == ':') {
            s++;
            if (!tz_num(&s, 0, 59, &sec))
                return false;
        }
    }
    int v = h * 3600 + m * 60 + sec;
    *off = neg ? -v : v;
    *sp = s;
    return true;
}

static bool tz_rule(const char **sp, rule *r)
{
    const char *s = *sp;
    memset(r, 0, sizeof *r);
    if (*s == 'J') {
        s++;
        if (!tz_num(&s, 1, 365, &r->day))
            return false;
        r->kind = 0;
    } else if (*s == 'M') {
        s++;
        if (!tz_num(&s, 1, 12, &r->mon) || *s++ != '.' || !tz_num(&s, 1, 5, &r->week) || *s++ != '.' ||
            !tz_num(&s, 0, 6, &r->day))
            return false;
        r->kind = 2;
    } else {
        if (!tz_num(&s, 0, 365, &r->day))
            return false;
        r->kind = 1;
    }
    if (*s != '/') {
        r->time = 2 * 3600;
        *sp = s;
        return true;
    }
    s++;
    if (!tz_offset(&s, &r->time))
        return false;
    *sp = s;
    return true;
}

static int64_t tz_rule_time(int64_t year, const rule *r, int off)
{
    int64_t s = 0;
    switch (r->kind) {
    case 0:
        s = (int64_t)(r->day - 1) * SECS_PER_DAY;
        if (is_leap(year) && r->day >= 60)
            s += SECS_PER_DAY;
        break;
    case 1:
        s = (int64_t)r->day * SECS_PER_DAY;
        break;
    default: {
        int m1 = (r->mon + 9) % 12 + 1;
        int64_t yy0 = year;
        if (r->mon <= 2)
            yy0--;
        int64_t yy1 = yy0 / 100, yy2 = yy0 % 100;
        int64_t dow = ((26 * m1 - 2) / 10 + 1 + yy2 + yy2 / 4 + yy1 / 4 - 2 * yy1) % 7;
        if (dow < 0)
            dow += 7;
        int64_t d = r->day - dow;
        if (d < 0)
            d += 7;
        for (int i = 1; i < r->week; i++) {
            if (d + 7 >= days_in(r->mon, year))
                break;
            d += 7;
        }
        d += days_before[r->mon - 1];
        if (is_leap(year) && r->mon > 2)
            d++;
        s = d * SECS_PER_DAY;
    }
    }
    return s + r->time - off;
}

typedef struct zinfo {
    const char *name;
    size_t namelen;
    int offset;
    int64_t start, end;
    bool dst;
} zinfo;

static bool go_tzset(const char *s, int64_t last_tx, int64_t sec, zinfo *out)
{
    const char *std, *dstn;
    size_t stdlen, dstlen;
    int stdoff, dstoff;
    if (!tz_name(&s, &std, &stdlen) || !tz_offset(&s, &stdoff))
        return false;
    stdoff = -stdoff;
    if (!*s || *s == ',') {
        *out = (zinfo){std, stdlen, stdoff, last_tx, OMEGA, false};
        return true;
    }
    if (!tz_name(&s, &dstn, &dstlen))
        return false;
    if (!*s || *s == ',') {
        dstoff = stdoff + 3600;
    } else {
        if (!tz_offset(&s, &dstoff))
            return false;
        dstoff = -dstoff;
    }
    if (!*s)
        s = ",M3.2.0,M11.1.0";
    if (*s != ',' && *s != ';')
        return false;
    s++;
    rule sr, er;
    if (!tz_rule(&s, &sr) || *s != ',')
        return false;
    s++;
    if (!tz_rule(&s, &er) || *s)
        return false;
    int64_t days = floordiv(sec, SECS_PER_DAY), year;
    int mo, dd;
    civil_from_days(days, &year, &mo, &dd);
    int64_t yday = days - days_from_civil(year, 1, 1) + 1;
    int64_t ysec = (yday - 1) * SECS_PER_DAY + sec % SECS_PER_DAY;
    int64_t ystart = sec - ysec;
    int64_t startsec = tz_rule_time(year, &sr, stdoff), endsec = tz_rule_time(year, &er, dstoff);
    bool dst_is_dst = true, std_is_dst = false;
    if (endsec < startsec) {
        int64_t t = startsec; startsec = endsec; endsec = t;
        const char *tn = std; std = dstn; dstn = tn;
        size_t tl = stdlen; stdlen = dstlen; dstlen = tl;
        int to = stdoff; stdoff = dstoff; dstoff = to;
        bool tb = std_is_dst; std_is_dst = dst_is_dst; dst_is_dst = tb;
    }
    if (ysec < startsec)
        *out = (zinfo){std, stdlen, stdoff, ystart, startsec + ystart, std_is_dst};
    else if (ysec >= endsec)
        *out = (zinfo){std, stdlen, stdoff, endsec + ystart, ystart + 365 * SECS_PER_DAY, std_is_dst};
    else
        *out = (zinfo){dstn, dstlen, dstoff, startsec + ystart, endsec + ystart, dst_is_dst};
    return true;
}

static size_t first_zone(const fn_zone *z)
{
    /* Go's lookupFirstZone */
    bool used = false;
    for (size_t i = 0; i < z->ntx; i++)
        if (z->tx[i].idx == 0)
            used = true;
    if (!used)
        return 0;
    if (z->ntx > 0 && z->zones[z->tx[0].idx].dst) {
        for (long zi = (long)z->tx[0].idx - 1; zi >= 0; zi--)
            if (!z->zones[zi].dst)
                return (size_t)zi;
    }
    for (size_t zi = 0; zi < z->nzones; zi++)
        if (!z->zones[zi].dst)
            return zi;
    return 0;
}

/* Location.lookup(sec) */
static zinfo zlookup(const fn_zone *z, int64_t sec)
{
    zinfo r = {"UTC", 3, 0, ALPHA, OMEGA, false};
    if (!z || z->nzones == 0)
        return r;
    if (z->ntx == 0 || sec < z->tx[0].when) {
        const zrec *zr = &z->zones[first_zone(z)];
        r.name = zr->name;
        r.namelen = strlen(zr->name);
        r.offset = zr->offset;
        r.dst = zr->dst;
        r.end = z->ntx > 0 ? z->tx[0].when : OMEGA;
        return r;
    }
    size_t lo = 0, hi = z->ntx;
    int64_t end = OMEGA;
    while (hi - lo > 1) {
        size_t m = lo + (hi - lo) / 2;
        if (sec < z->tx[m].when) {
            end = z->tx[m].when;
            hi = m;
        } else {
            lo = m;
        }
    }
    const zrec *zr = &z->zones[z->tx[lo].idx];
    r.name = zr->name;
    r.namelen = strlen(zr->name);
    r.offset = zr->offset;
    r.start = z->tx[lo].when;
    r.end = end;
    r.dst = zr->dst;
    if (lo == z->ntx - 1 && *z->extend) {
        zinfo e;
        if (go_tzset(z->extend, r.start, sec, &e))
            return e;
    }
    return r;
}

/* ---- time values ------------------------------------------------------------- */

static cval *time_val(arena *a, int64_t sec, int32_t nsec, const fn_zone *loc)
{
    fn_time *t = arena_alloc(a, sizeof *t);
    t->sec = sec;
    t->nsec = nsec;
    t->loc = loc;
    return cv_object(a, &fn_time_class, t);
}

cval *fn_time_new(arena *a, int64_t sec, int32_t nsec, const char *zone)
{
    const fn_zone *loc = load_location(a, zone);
    return time_val(a, sec, nsec, loc ? loc : &utc_zone);
}

/* time.Date(y, m, d, h, mi, s, ns, loc), with Go's normalisation. */
static fn_time go_date(int64_t y, int64_t m, int64_t d, int64_t h, int64_t mi, int64_t s, int64_t ns, const fn_zone *loc)
{
    /* absurd fields (AddDate's) wrap rather than overflow */
    int64_t m0 = wrap_add(m, -1);
    y = wrap_add(y, floordiv(m0, 12));
    m0 -= floordiv(m0, 12) * 12;
    s = wrap_add(s, floordiv(ns, 1000000000));
    ns -= floordiv(ns, 1000000000) * 1000000000;
    int64_t days = wrap_add(days_from_civil(y, (int)m0 + 1, 1), wrap_add(d, -1));
    int64_t unix = wrap_add(wrap_add(wrap_mul(days, SECS_PER_DAY), wrap_mul(h, 3600)), wrap_add(wrap_mul(mi, 60), s));
    zinfo zi = zlookup(loc, unix);
    if (zi.offset != 0) {
        int64_t utc = wrap_add(unix, -(int64_t)zi.offset);
        if (utc < zi.start || utc >= zi.end)
            zi = zlookup(loc, utc);
        unix = wrap_add(unix, -(int64_t)zi.offset);
    }
    fn_time t = {unix, (int32_t)ns, loc};
    return t;
}

typedef struct civil {
    int64_t year;
    int month, day, hour, min, sec, yday, wday;
    zinfo zone;
} civil;

static civil to_civil(const fn_time *t)
{
    civil c;
    c.zone = zlookup(t->loc, t->sec);
    /* Go's absolute seconds (Time.absSec): Unix seconds, plus the zone's
     * offset, plus unixToAbsolute (a whole number of days back to March 1 of
     * year -292277022400), added in int64 that wraps and read as unsigned; so
     * every int64 is a date, as in Go. */
    const uint64_t unix_to_abs = 9223372028741760000ULL;
    uint64_t abs = (uint64_t)t->sec + (uint64_t)(int64_t)c.zone.offset + unix_to_abs;
    int64_t days = (int64_t)(abs / SECS_PER_DAY) - (int64_t)(unix_to_abs / SECS_PER_DAY);
    int64_t rem = (int64_t)(abs % SECS_PER_DAY);
    civil_from_days(days, &c.year, &c.month, &c.day);
    c.hour = (int)(rem / 3600);
    c.min = (int)(rem % 3600 / 60);
    c.sec = (int)(rem % 60);
    c.yday = (int)(days - days_from_civil(c.year, 1, 1)) + 1;
    c.wday = (int)(((days % 7) + 11) % 7); /* 1970-01-01 was a Thursday */
    return c;
}

/* ---- layouts ------------------------------------------------------------------ */

enum {
    STD_NONE = 0, STD_LONG_MONTH, STD_MONTH, STD_NUM_MONTH, STD_ZERO_MONTH, STD_LONG_WEEKDAY, STD_WEEKDAY,
    STD_DAY, STD_UNDER_DAY, STD_ZERO_DAY, STD_UNDER_YDAY, STD_ZERO_YDAY, STD_HOUR, STD_HOUR12,
    STD_ZERO_HOUR12, STD_MINUTE, STD_ZERO_MINUTE, STD_SECOND, STD_ZERO_SECOND, STD_LONG_YEAR, STD_YEAR,
    STD_PM, STD_pm, STD_TZ, STD_ISO_TZ, STD_ISO_SECONDS_TZ, STD_ISO_SHORT_TZ, STD_ISO_COLON_TZ,
    STD_ISO_COLON_SECONDS_TZ, STD_NUM_TZ, STD_NUM_SECONDS_TZ, STD_NUM_SHORT_TZ, STD_NUM_COLON_TZ,
    STD_NUM_COLON_SECONDS_TZ, STD_FRAC0, STD_FRAC9,
};

typedef struct chunk {
    size_t prefix;   /* bytes of literal text before the element */
    int std;
    size_t stdlen;   /* bytes of the element */
    int fracdigits;  /* STD_FRAC*: digits */
    char sep;        /* STD_FRAC*: '.' or ',' */
} chunk;

static bool lower_at(const char *s, size_t n, size_t i) { return i < n && s[i] >= 'a' && s[i] <= 'z'; }
static bool has(const char *s, size_t n, size_t i, const char *w)
{
    size_t k = strlen(w);
    return i + k <= n && memcmp(s + i, w, k) == 0;
}
static bool digit_at(const char *s, size_t n, size_t i) { return i < n && s[i] >= '0' && s[i] <= '9'; }

/* Go's nextStdChunk */
static chunk next_chunk(const char *l, size_t n)
{
    chunk c = {n, STD_NONE, 0, 0, 0};
#define RET(std_, len_) do { c.prefix = i; c.std = (std_); c.stdlen = (len_); return c; } while (0)
    for (size_t i = 0; i < n; i++) {
        switch (l[i]) {
        case 'J':
            if (has(l, n, i, "Jan")) {
                if (has(l, n, i, "January"))
                    RET(STD_LONG_MONTH, 7);
                if (!lower_at(l, n, i + 3))
                    RET(STD_MONTH, 3);
            }
            break;
        case 'M':
            if (has(l, n, i, "Mon")) {
                if (has(l, n, i, "Monday"))
                    RET(STD_LONG_WEEKDAY, 6);
                if (!lower_at(l, n, i + 3))
                    RET(STD_WEEKDAY, 3);
            }
            if (has(l, n, i, "MST"))
                RET(STD_TZ, 3);
            break;
        case '0':
            if (i + 1 < n && l[i + 1] >= '1' && l[i + 1] <= '6') {
                static const int x[] = {STD_ZERO_MONTH, STD_ZERO_DAY, STD_ZERO_HOUR12, STD_ZERO_MINUTE,
                                        STD_ZERO_SECOND, STD_YEAR};
                RET(x[l[i + 1] - '1'], 2);
            }
            if (has(l, n, i, "002"))
                RET(STD_ZERO_YDAY, 3);
            break;
        case '1':
            if (i + 1 < n && l[i + 1] == '5')
                RET(STD_HOUR, 2);
            RET(STD_NUM_MONTH, 1);
        case '2':
            if (has(l, n, i, "2006"))
                RET(STD_LONG_YEAR, 4);
            RET(STD_DAY, 1);
        case '_':
            if (i + 1 < n && l[i + 1] == '2') {
                if (has(l, n, i + 1, "2006")) {
                    c.prefix = i + 1;
                    c.std = STD_LONG_YEAR;
                    c.stdlen = 4;
                    return c;
                }
                RET(STD_UNDER_DAY, 2);
            }
            if (has(l, n, i, "__2"))
                RET(STD_UNDER_YDAY, 3);
            break;
        case '3': RET(STD_HOUR12, 1);
        case '4': RET(STD_MINUTE, 1);
        case '5': RET(STD_SECOND, 1);
        case 'P':
            if (i + 1 < n && l[i + 1] == 'M')
                RET(STD_PM, 2);
            break;
        case 'p':
            if (i + 1 < n && l[i + 1] == 'm')
                RET(STD_pm, 2);
            break;
        case '-':
            if (has(l, n, i, "-070000")) RET(STD_NUM_SECONDS_TZ, 7);
            if (has(l, n, i, "-07:00:00")) RET(STD_NUM_COLON_SECONDS_TZ, 9);
            if (has(l, n, i, "-0700")) RET(STD_NUM_TZ, 5);
            if (has(l, n, i, "-07:00")) RET(STD_NUM_COLON_TZ, 6);
            if (has(l, n, i, "-07")) RET(STD_NUM_SHORT_TZ, 3);
            break;
        case 'Z':
            if (has(l, n, i, "Z070000")) RET(STD_ISO_SECONDS_TZ, 7);
            if (has(l, n, i, "Z07:00:00")) RET(STD_ISO_COLON_SECONDS_TZ, 9);
            if (has(l, n, i, "Z0700")) RET(STD_ISO_TZ, 5);
            if (has(l, n, i, "Z07:00")) RET(STD_ISO_COLON_TZ, 6);
            if (has(l, n, i, "Z07")) RET(STD_ISO_SHORT_TZ, 3);
            break;
        case '.': case ',':
            if (i + 1 < n && (l[i + 1] == '0' || l[i + 1] == '9')) {
                char ch = l[i + 1];
                size_t j = i + 1;
                while (j < n && l[j] == ch)
                    j++;
                if (!digit_at(l, n, j)) {
                    c.prefix = i;
                    c.std = ch == '0' ? STD_FRAC0 : STD_FRAC9;
                    c.stdlen = j - i;
                    c.fracdigits = (int)(j - (i + 1));
                    c.sep = l[i];
                    return c;
                }
            }
            break;
        }
    }
#undef RET
    return c;
}

static void append_int(strbuf *o, int64_t x, int width)
{
    char buf[32];
    uint64_t u = x < 0 ? (uint64_t)(-(x + 1)) + 1 : (uint64_t)x;
    if (x < 0)
        sb_addc(o, '-');
    int n = snprintf(buf, sizeof buf, "%llu", (unsigned long long)u);
    for (int i = n; i < width; i++)
        sb_addc(o, '0');
    sb_add(o, buf, (size_t)n);
}

void fn_time_format(strbuf *o, const fn_time *t, const char *l, size_t n)
{
    civil c = to_civil(t);
    while (n > 0) {
        chunk ch = next_chunk(l, n);
        sb_add(o, l, ch.prefix);
        if (ch.std == STD_NONE)
            break;
        l += ch.prefix + ch.stdlen;
        n -= ch.prefix + ch.stdlen;
        int hr;
        switch (ch.std) {
        case STD_YEAR: append_int(o, (c.year < 0 ? -c.year : c.year) % 100, 2); break;
        case STD_LONG_YEAR: append_int(o, c.year, 4); break;
        case STD_MONTH: sb_add(o, long_months[c.month - 1], 3); break;
        case STD_LONG_MONTH: sb_adds(o, long_months[c.month - 1]); break;
        case STD_NUM_MONTH: append_int(o, c.month, 0); break;
        case STD_ZERO_MONTH: append_int(o, c.month, 2); break;
        case STD_WEEKDAY: sb_add(o, long_days[c.wday], 3); break;
        case STD_LONG_WEEKDAY: sb_adds(o, long_days[c.wday]); break;
        case STD_DAY: append_int(o, c.day, 0); break;
        case STD_UNDER_DAY:
            if (c.day < 10)
                sb_addc(o, ' ');
            append_int(o, c.day, 0);
            break;
        case STD_ZERO_DAY: append_int(o, c.day, 2); break;
        case STD_UNDER_YDAY:
            if (c.yday < 100) {
                sb_addc(o, ' ');
                if (c.yday < 10)
                    sb_addc(o, ' ');
            }
            append_int(o, c.yday, 0);
            break;
        case STD_ZERO_YDAY: append_int(o, c.yday, 3); break;
        case STD_HOUR: append_int(o, c.hour, 2); break;
        case STD_HOUR12:
        case STD_ZERO_HOUR12:
            hr = c.hour % 12;
            if (hr == 0)
                hr = 12;
            append_int(o, hr, ch.std == STD_HOUR12 ? 0 : 2);
            break;
        case STD_MINUTE: append_int(o, c.min, 0); break;
        case STD_ZERO_MINUTE: append_int(o, c.min, 2); break;
        case STD_SECOND: append_int(o, c.sec, 0); break;
        case STD_ZERO_SECOND: append_int(o, c.sec, 2); break;
        case STD_PM: sb_adds(o, c.hour >= 12 ? "PM" : "AM"); break;
        case STD_pm: sb_adds(o, c.hour >= 12 ? "pm" : "am"); break;
        case STD_ISO_TZ: case STD_ISO_COLON_TZ: case STD_ISO_SECONDS_TZ: case STD_ISO_SHORT_TZ:
        case STD_ISO_COLON_SECONDS_TZ: case STD_NUM_TZ: case STD_NUM_COLON_TZ: case STD_NUM_SECONDS_TZ:
        case STD_NUM_SHORT_TZ: case STD_NUM_COLON_SECONDS_TZ: {
            int off = c.zone.offset;
            bool iso = ch.std == STD_ISO_TZ || ch.std == STD_ISO_COLON_TZ || ch.std == STD_ISO_SECONDS_TZ ||
                       ch.std == STD_ISO_SHORT_TZ || ch.std == STD_ISO_COLON_SECONDS_TZ;
            if (off == 0 && iso) {
                sb_addc(o, 'Z');
                break;
            }
            int zone = off / 60, absoff = off;
            if (zone < 0) {
                sb_addc(o, '-');
                zone = -zone;
                absoff = -absoff;
            } else {
                sb_addc(o, '+');
            }
            append_int(o, zone / 60, 2);
            bool colon = ch.std == STD_ISO_COLON_TZ || ch.std == STD_NUM_COLON_TZ ||
                         ch.std == STD_ISO_COLON_SECONDS_TZ || ch.std == STD_NUM_COLON_SECONDS_TZ;
            if (colon)
                sb_addc(o, ':');
            if (ch.std != STD_NUM_SHORT_TZ && ch.std != STD_ISO_SHORT_TZ)
                append_int(o, zone % 60, 2);
            if (ch.std == STD_ISO_SECONDS_TZ || ch.std == STD_NUM_SECONDS_TZ ||
                ch.std == STD_NUM_COLON_SECONDS_TZ || ch.std == STD_ISO_COLON_SECONDS_TZ) {
                if (ch.std == STD_NUM_COLON_SECONDS_TZ || ch.std == STD_ISO_COLON_SECONDS_TZ)
                    sb_addc(o, ':');
                append_int(o, absoff % 60, 2);
            }
            break;
        }
        case STD_TZ:
            if (c.zone.namelen > 0) {
                sb_add(o, c.zone.name, c.zone.namelen);
                break;
            } else {
                int zone = c.zone.offset / 60;
                if (zone < 0) {
                    sb_addc(o, '-');
                    zone = -zone;
                } else {
                    sb_addc(o, '+');
                }
                append_int(o, zone / 60, 2);
                append_int(o, zone % 60, 2);
            }
            break;
        case STD_FRAC0:
        case STD_FRAC9: {
            bool trim = ch.std == STD_FRAC9;
            if (trim && (ch.fracdigits == 0 || t->nsec == 0))
                break;
            char buf[16];
            snprintf(buf, sizeof buf, "%09d", (int)t->nsec);
            int nd = ch.fracdigits < 9 ? ch.fracdigits : 9;
            while (trim && nd > 0 && buf[nd - 1] == '0')
                nd--;
            if (trim && nd == 0)
                break;
            sb_addc(o, ch.sep);
            sb_add(o, buf, (size_t)nd);
            break;
        }
        }
    }
}

void fn_time_string(strbuf *out, const fn_time *t)
{
    static const char layout[] = "2006-01-02 15:04:05.999999999 -0700 MST";
    fn_time_format(out, t, layout, sizeof layout - 1);
}

void fn_time_marshal_json(strbuf *out, const fn_time *t)
{
    static const char layout[] = "2006-01-02T15:04:05.999999999Z07:00";
    sb_addc(out, '"');
    fn_time_format(out, t, layout, sizeof layout - 1);
    sb_addc(out, '"');
}

/* ---- parsing (time.ParseInLocation) ---------------------------------------------- */

/* time's quote() */
static void tquote(strbuf *o, const char *s, size_t n)
{
    sb_addc(o, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_addc(o, '\\');
            sb_addc(o, (char)c);
        } else if (c < 0x20 || c >= 0x80) {
            sb_addf(o, "\\x%02x", c);
        } else {
            sb_addc(o, (char)c);
        }
    }
    sb_addc(o, '"');
}

typedef struct pctx {
    arena *a;
    const char *layout, *value;
    size_t llen, vlen;
    const char **err;
} pctx;

static int perr(pctx *p, const char *lelem, size_t lelen, const char *velem, size_t velen, const char *msg)
{
    strbuf o = STRBUF_INIT;
    sb_adds(&o, "parsing time ");
    tquote(&o, p->value, p->vlen);
    if (msg) {
        sb_adds(&o, msg);
    } else {
        sb_adds(&o, " as ");
        tquote(&o, p->layout, p->llen);
        sb_adds(&o, ": cannot parse ");
        tquote(&o, velem, velen);
        sb_adds(&o, " as ");
        tquote(&o, lelem, lelen);
    }
    *p->err = arena_strdup(p->a, sb_str(&o));
    sb_release(&o);
    return -1;
}

static bool isdig(const char *s, size_t n, size_t i) { return i < n && s[i] >= '0' && s[i] <= '9'; }

static int getnum(const char **v, size_t *n, bool fixed, int *out)
{
    const char *s = *v;
    if (!isdig(s, *n, 0))
        return -1;
    if (!isdig(s, *n, 1)) {
        if (fixed)
            return -1;
        *out = s[0] - '0';
        *v += 1;
        *n -= 1;
        return 0;
    }
    *out = (s[0] - '0') * 10 + (s[1] - '0');
    *v += 2;
    *n -= 2;
    return 0;
}

static int lookup_name(const char *const *tab, size_t ntab, size_t len, const char **v, size_t *n)
{
    for (size_t i = 0; i < ntab; i++) {
        size_t k = len ? len : strlen(tab[i]);
        if (*n >= k && strncasecmp(*v, tab[i], k) == 0) {
            *v += k;
            *n -= k;
            return (int)i;
        }
    }
    return -1;
}

static size_t leading_signed_offset(const char *s, size_t n)
{
    if (n == 0 || (s[0] != '-' && s[0] != '+'))
        return 0;
    size_t i = 1;
    uint64_t x = 0;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        x = x * 10 + (uint64_t)(s[i] - '0');
        if (x > 1000)
            return 0;
        i++;
    }
    if (i == 1 || x > 23)
        return 0;
    return i;
}

static size_t parse_tz_name(const char *s, size_t n, bool *ok)
{
    *ok = false;
    if (n < 3)
        return 0;
    if (n >= 4 && (memcmp(s, "ChST", 4) == 0 || memcmp(s, "MeST", 4) == 0)) {
        *ok = true;
        return 4;
    }
    if (memcmp(s, "GMT", 3) == 0) {
        *ok = true;
        return 3 + (n > 3 ? leading_signed_offset(s + 3, n - 3) : 0);
    }
    if (s[0] == '+' || s[0] == '-') {
        size_t k = leading_signed_offset(s, n);
        *ok = k > 0;
        return k;
    }
    size_t up = 0;
    while (up < 6 && up < n && s[up] >= 'A' && s[up] <= 'Z')
        up++;
    switch (up) {
    case 5:
        if (s[4] == 'T') {
            *ok = true;
            return 5;
        }
        break;
    case 4:
        if (s[3] == 'T' || memcmp(s, "WITA", 4) == 0) {
            *ok = true;
            return 4;
        }
        break;
    case 3:
        *ok = true;
        return 3;
    }
    return 0;
}

static int parse_nanos(const char *v, size_t nbytes, int *ns, const char **range)
{
    if (v[0] != '.' && v[0] != ',')
        return -1;
    if (nbytes > 10)
        nbytes = 10;
    int x = 0;
    for (size_t i = 1; i < nbytes; i++) {
        if (v[i] < '0' || v[i] > '9')
            return -1;
        x = x * 10 + (v[i] - '0');
    }
    if (nbytes < 2)
        return -1;
    for (size_t i = 0; i < 10 - nbytes; i++)
        x *= 10;
    *ns = x;
    (void)range;
    return 0;
}

/* time.ParseInLocation(layout, value, loc); local is Local for zone lookups. */
static int go_parse(arena *a, const char *layout, size_t llen, const char *value, size_t vlen,
                    const fn_zone *loc, fn_time *out, const char **err)
{
    pctx p = {a, layout, value, llen, vlen, err};
    const char *l = layout, *v = value;
    size_t ln = llen, vn = vlen;
    bool am = false, pm = false;
    int64_t year = 0;
    int month = -1, day = -1, yday = -1, hour = 0, min = 0, sec = 0, nsec = 0;
    bool z_utc = false;
    int zone_offset = -1;
    const char *zone_name = NULL;
    size_t zone_namelen = 0;
    for (;;) {
        chunk ch = next_chunk(l, ln);
        const char *stdstr = l + ch.prefix;
        size_t stdlen = ch.stdlen;
        /* skip(value, prefix) */
        const char *pre = l;
        size_t pn = ch.prefix;
        while (pn > 0) {
            if (*pre == ' ') {
                if (vn > 0 && *v != ' ')
                    return perr(&p, l, ch.prefix, v, vn, NULL);
                while (pn > 0 && *pre == ' ')
                    pre++, pn--;
                while (vn > 0 && *v == ' ')
                    v++, vn--;
                continue;
            }
            if (vn == 0 || *v != *pre)
                return perr(&p, l, ch.prefix, v, vn, NULL);
            pre++, pn--;
            v++, vn--;
        }
        if (ch.std == STD_NONE) {
            if (vn != 0) {
                strbuf m = STRBUF_INIT;
                sb_adds(&m, ": extra text: ");
                tquote(&m, v, vn);
                int r = perr(&p, "", 0, v, vn, sb_str(&m));
                sb_release(&m);
                return r;
            }
            break;
        }
        l += ch.prefix + ch.stdlen;
        ln -= ch.prefix + ch.stdlen;
        const char *hold = v;
        size_t holdn = vn;
        const char *range = NULL;
        int bad = 0;
        switch (ch.std) {
        case STD_YEAR:
            if (vn < 2 || !isdig(v, vn, 0) || !isdig(v, vn, 1)) {
                bad = 1;
                break;
            }
            year = (v[0] - '0') * 10 + (v[1] - '0');
            year += year >= 69 ? 1900 : 2000;
            v += 2, vn -= 2;
            break;
        case STD_LONG_YEAR:
            if (vn < 4 || !isdig(v, vn, 0)) {
                bad = 1;
                break;
            }
            year = 0;
            for (int i = 0; i < 4; i++) {
                if (!isdig(v, vn, (size_t)i)) {
                    bad = 1;
                    break;
                }
                year = year * 10 + (v[i] - '0');
            }
            if (!bad)
                v += 4, vn -= 4;
            break;
        case STD_MONTH: {
            int k = lookup_name(long_months, 12, 3, &v, &vn);
            if (k < 0)
                bad = 1;
            else
                month = k + 1;
            break;
        }
        case STD_LONG_MONTH: {
            int k = lookup_name(long_months, 12, 0, &v, &vn);
            if (k < 0)
                bad = 1;
            else
                month = k + 1;
            break;
        }
        case STD_NUM_MONTH: case STD_ZERO_MONTH:
            if (getnum(&v, &vn, ch.std == STD_ZERO_MONTH, &month) < 0)
                bad = 1;
            else if (month <= 0 || month > 12)
                range = "month";
            break;
        case STD_WEEKDAY:
            if (lookup_name(long_days, 7, 3, &v, &vn) < 0)
                bad = 1;
            break;
        case STD_LONG_WEEKDAY:
            if (lookup_name(long_days, 7, 0, &v, &vn) < 0)
                bad = 1;
            break;
        case STD_DAY: case STD_UNDER_DAY: case STD_ZERO_DAY:
            if (ch.std == STD_UNDER_DAY && vn > 0 && *v == ' ')
                v++, vn--;
            if (getnum(&v, &vn, ch.std == STD_ZERO_DAY, &day) < 0)
                bad = 1;
            break;
        case STD_UNDER_YDAY: case STD_ZERO_YDAY: {
            for (int i = 0; i < 2; i++)
                if (ch.std == STD_UNDER_YDAY && vn > 0 && *v == ' ')
                    v++, vn--;
            int k = 0, x = 0;
            while (k < 3 && isdig(v, vn, (size_t)k))
                x = x * 10 + (v[k] - '0'), k++;
            if (k == 0 || (ch.std == STD_ZERO_YDAY && k != 3))
                bad = 1;
            else
                yday = x, v += k, vn -= (size_t)k;
            break;
        }
        case STD_HOUR:
            if (getnum(&v, &vn, false, &hour) < 0)
                bad = 1;
            if (hour < 0 || hour >= 24)
                range = "hour";
            break;
        case STD_HOUR12: case STD_ZERO_HOUR12:
            if (getnum(&v, &vn, ch.std == STD_ZERO_HOUR12, &hour) < 0)
                bad = 1;
            if (hour < 0 || hour > 12)
                range = "hour";
            break;
        case STD_MINUTE: case STD_ZERO_MINUTE:
            if (getnum(&v, &vn, ch.std == STD_ZERO_MINUTE, &min) < 0)
                bad = 1;
            if (min < 0 || min >= 60)
                range = "minute";
            break;
        case STD_SECOND: case STD_ZERO_SECOND:
            if (getnum(&v, &vn, ch.std == STD_ZERO_SECOND, &sec) < 0) {
                bad = 1;
                break;
            }
            if (sec < 0 || sec >= 60) {
                range = "second";
                break;
            }
            if (vn >= 2 && (v[0] == '.' || v[0] == ',') && isdig(v, vn, 1)) {
                chunk nx = next_chunk(l, ln);
                if (nx.std == STD_FRAC0 || nx.std == STD_FRAC9)
                    break;
                size_t k = 2;
                while (k < vn && isdig(v, vn, k))
                    k++;
                if (parse_nanos(v, k, &nsec, &range) < 0)
                    bad = 1;
                v += k, vn -= k;
            }
            break;
        case STD_PM: case STD_pm:
            if (vn < 2) {
                bad = 1;
                break;
            }
            if (memcmp(v, ch.std == STD_PM ? "PM" : "pm", 2) == 0)
                pm = true;
            else if (memcmp(v, ch.std == STD_PM ? "AM" : "am", 2) == 0)
                am = true;
            else
                bad = 1;
            v += 2, vn -= 2;
            break;
        case STD_ISO_TZ: case STD_ISO_SHORT_TZ: case STD_ISO_COLON_TZ: case STD_ISO_SECONDS_TZ:
        case STD_ISO_COLON_SECONDS_TZ:
            if (vn >= 1 && *v == 'Z') {
                v++, vn--;
                z_utc = true;
                break;
            }
            /* fallthrough */
        case STD_NUM_TZ: case STD_NUM_SHORT_TZ: case STD_NUM_COLON_TZ: case STD_NUM_SECONDS_TZ:
        case STD_NUM_COLON_SECONDS_TZ: {
            char sign;
            const char *hh, *mm = "00", *ss = "00";
            size_t adv;
            int s = ch.std;
            if (s == STD_ISO_COLON_TZ || s == STD_NUM_COLON_TZ) {
                if (vn < 6 || v[3] != ':') { bad = 1; break; }
                hh = v + 1, mm = v + 4, adv = 6;
            } else if (s == STD_NUM_SHORT_TZ || s == STD_ISO_SHORT_TZ) {
                if (vn < 3) { bad = 1; break; }
                hh = v + 1, adv = 3;
            } else if (s == STD_ISO_COLON_SECONDS_TZ || s == STD_NUM_COLON_SECONDS_TZ) {
                if (vn < 9 || v[3] != ':' || v[6] != ':') { bad = 1; break; }
                hh = v + 1, mm = v + 4, ss = v + 7, adv = 9;
            } else if (s == STD_ISO_SECONDS_TZ || s == STD_NUM_SECONDS_TZ) {
                if (vn < 7) { bad = 1; break; }
                hh = v + 1, mm = v + 3, ss = v + 5, adv = 7;
            } else {
                if (vn < 5) { bad = 1; break; }
                hh = v + 1, mm = v + 3, adv = 5;
            }
            sign = v[0];
            v += adv, vn -= adv;
            int hr = 0, mi = 0, se = 0;
            const char *q;
            size_t qn;
            q = hh, qn = 2;
            if (getnum(&q, &qn, true, &hr) < 0) { bad = 1; break; }
            q = mm, qn = 2;
            if (getnum(&q, &qn, true, &mi) < 0) { bad = 1; break; }
            q = ss, qn = 2;
            if (getnum(&q, &qn, true, &se) < 0) { bad = 1; break; }
            if (hr > 24) range = "time zone offset hour";
            if (mi > 60) range = "time zone offset minute";
            if (se > 60) range = "time zone offset second";
            zone_offset = (hr * 60 + mi) * 60 + se;
            if (sign == '-')
                zone_offset = -zone_offset;
            else if (sign != '+')
                bad = 1;
            break;
        }
        case STD_TZ: {
            if (vn >= 3 && memcmp(v, "UTC", 3) == 0) {
                z_utc = true;
                v += 3, vn -= 3;
                break;
            }
            bool ok;
            size_t k = parse_tz_name(v, vn, &ok);
            if (!ok) {
                bad = 1;
                break;
            }
            zone_name = v;
            zone_namelen = k;
            v += k, vn -= k;
            break;
        }
        case STD_FRAC0: {
            size_t nd = 1 + (size_t)ch.fracdigits;
            if (vn < nd) {
                bad = 1;
                break;
            }
            if (parse_nanos(v, nd, &nsec, &range) < 0)
                bad = 1;
            v += nd, vn -= nd;
            break;
        }
        case STD_FRAC9: {
            if (vn < 2 || (v[0] != '.' && v[0] != ',') || v[1] < '0' || v[1] > '9')
                break;
            size_t i = 0;
            while (i + 1 < vn && v[i + 1] >= '0' && v[i + 1] <= '9')
                i++;
            if (parse_nanos(v, 1 + i, &nsec, &range) < 0)
                bad = 1;
            v += 1 + i, vn -= 1 + i;
            break;
        }
        }
        if (range) {
            strbuf m = STRBUF_INIT;
            sb_addf(&m, ": %s out of range", range);
            int r = perr(&p, stdstr, stdlen, v, vn, sb_str(&m));
            sb_release(&m);
            return r;
        }
        if (bad)
            return perr(&p, stdstr, stdlen, hold, holdn, NULL);
    }
    if (pm && hour < 12)
        hour += 12;
    else if (am && hour == 12)
        hour = 0;
    if (yday >= 0) {
        int d = 0, m = 0;
        if (is_leap(year)) {
            if (yday == 31 + 29) {
                m = 2;
                d = 29;
            } else if (yday > 31 + 29) {
                yday--;
            }
        }
        if (yday < 1 || yday > 365)
            return perr(&p, "", 0, v, vn, ": day-of-year out of range");
        if (m == 0) {
            m = (yday - 1) / 31 + 1;
            if (days_before[m] < yday)
                m++;
            d = yday - days_before[m - 1];
        }
        if (month >= 0 && month != m)
            return perr(&p, "", 0, v, vn, ": day-of-year does not match month");
        month = m;
        if (day >= 0 && day != d)
            return perr(&p, "", 0, v, vn, ": day-of-year does not match day");
        day = d;
    } else {
        if (month < 0)
            month = 1;
        if (day < 0)
            day = 1;
    }
    if (day < 1 || day > days_in(month, year))
        return perr(&p, "", 0, v, vn, ": day out of range");
    if (z_utc) {
        *out = go_date(year, month, day, hour, min, sec, nsec, &utc_zone);
        return 0;
    }
    const fn_zone *local = local_zone(a);
    if (zone_offset != -1) {
        fn_time t = go_date(year, month, day, hour, min, sec, nsec, &utc_zone);
        t.sec -= zone_offset;
        zinfo zi = zlookup(local, t.sec);
        if (zi.offset == zone_offset &&
            (!zone_name || (zi.namelen == zone_namelen && memcmp(zi.name, zone_name, zone_namelen) == 0))) {
            t.loc = local;
            *out = t;
            return 0;
        }
        char *nm = zone_name ? arena_strndup(a, zone_name, zone_namelen) : "";
        t.loc = fixed_zone(a, nm, zone_offset);
        *out = t;
        return 0;
    }
    if (zone_name) {
        fn_time t = go_date(year, month, day, hour, min, sec, nsec, &utc_zone);
        /* Location.lookupName: a zone of that name in effect around t */
        int offset = 0;
        bool found = false;
        for (size_t i = 0; local->zones && i < local->nzones; i++) {
            const zrec *zr = &local->zones[i];
            if (strlen(zr->name) == zone_namelen && memcmp(zr->name, zone_name, zone_namelen) == 0) {
                zinfo zi = zlookup(local, t.sec - zr->offset);
                if (zi.namelen == zone_namelen && memcmp(zi.name, zone_name, zone_namelen) == 0) {
                    offset = zi.offset;
                    found = true;
                    break;
                }
            }
        }
        if (!found)
            for (size_t i = 0; local->zones && i < local->nzones; i++) {
                const zrec *zr = &local->zones[i];
                if (strlen(zr->name) == zone_namelen && memcmp(zr->name, zone_name, zone_namelen) == 0) {
                    offset = zr->offset;
                    found = true;
                    break;
                }
            }
        if (found) {
            t.sec -= offset;
            t.loc = local;
            *out = t;
            return 0;
        }
        char *nm = arena_strndup(a, zone_name, zone_namelen);
        offset = 0;
        if (zone_namelen > 3 && memcmp(zone_name, "GMT", 3) == 0)
            offset = atoi(nm + 3) * 3600;
        t.loc = fixed_zone(a, nm, offset);
        *out = t;
        return 0;
    }
    *out = go_date(year, month, day, hour, min, sec, nsec, loc);
    return 0;
}

/* ---- durations ----------------------------------------------------------------- */

void fn_duration_string(strbuf *out, int64_t d)
{
    char buf[40];
    int w = (int)sizeof buf;
    uint64_t u = (uint64_t)d;
    bool neg = d < 0;
    if (neg)
        u = -u;
#define FRAC(prec)                                    \
    do {                                              \
        bool print = false;                           \
        for (int i = 0; i < (prec); i++) {            \
            unsigned digit = (unsigned)(u % 10);      \
            print = print || digit != 0;              \
            if (print)                                \
                buf[--w] = (char)('0' + digit);       \
            u /= 10;                                  \
        }                                             \
        if (print)                                    \
            buf[--w] = '.';                           \
    } while (0)
#define INT(v)                                        \
    do {                                              \
        uint64_t x_ = (v);                            \
        if (x_ == 0)                                  \
            buf[--w] = '0';                           \
        while (x_ > 0) {                              \
            buf[--w] = (char)('0' + x_ % 10);         \
            x_ /= 10;                                 \
        }                                             \
    } while (0)
    if (u < 1000000000ULL) {
        int prec = 0;
        buf[--w] = 's';
        if (u == 0) {
            buf[--w] = '0';
            sb_add(out, buf + w, sizeof buf - (size_t)w);
            return;
        } else if (u < 1000ULL) {
            prec = 0;
            buf[--w] = 'n';
        } else if (u < 1000000ULL) {
            prec = 3;
            buf[--w] = '\xb5';
            buf[--w] = '\xc2'; /* µ */
        } else {
            prec = 6;
            buf[--w] = 'm';
        }
        FRAC(prec);
        INT(u);
    } else {
        buf[--w] = 's';
        FRAC(9);
        INT(u % 60);
        u /= 60;
        if (u > 0) {
            buf[--w] = 'm';
            INT(u % 60);
            u /= 60;
            if (u > 0) {
                buf[--w] = 'h';
                INT(u);
            }
        }
    }
#undef FRAC
#undef INT
    if (neg)
        buf[--w] = '-';
    sb_add(out, buf + w, sizeof buf - (size_t)w);
}

static int dur_err(arena *a, const char **err, const char *msg, const char *s, size_t n)
{
    strbuf o = STRBUF_INIT;
    sb_addf(&o, "time: %s ", msg);
    tquote(&o, s, n);
    *err = arena_strdup(a, sb_str(&o));
    sb_release(&o);
    return -1;
}

int fn_parse_duration(arena *a, const char *s0, size_t n0, int64_t *out, const char **err)
{
    const char *s = s0;
    size_t n = n0;
    uint64_t d = 0;
    bool neg = false;
    if (n > 0 && (s[0] == '-' || s[0] == '+')) {
        neg = s[0] == '-';
        s++, n--;
    }
    if (n == 1 && s[0] == '0') {
        *out = 0;
        return 0;
    }
    if (n == 0)
        return dur_err(a, err, "invalid duration", s0, n0);
    while (n > 0) {
        uint64_t v = 0, f = 0;
        double scale = 1;
        if (!(s[0] == '.' || (s[0] >= '0' && s[0] <= '9')))
            return dur_err(a, err, "invalid duration", s0, n0);
        size_t i = 0;
        for (; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
            if (v > (1ULL << 63) / 10)
                return dur_err(a, err, "invalid duration", s0, n0);
            v = v * 10 + (uint64_t)(s[i] - '0');
            if (v > 1ULL << 63)
                return dur_err(a, err, "invalid duration", s0, n0);
        }
        bool pre = i > 0;
        s += i, n -= i;
        bool post = false;
        if (n > 0 && s[0] == '.') {
            s++, n--;
            bool overflow = false;
            for (i = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++) {
                if (overflow)
                    continue;
                if (f > ((1ULL << 63) - 1) / 10) {
                    overflow = true;
                    continue;
                }
                uint64_t y = f * 10 + (uint64_t)(s[i] - '0');
                if (y > 1ULL << 63) {
                    overflow = true;
                    continue;
                }
                f = y;
                scale *= 10;
            }
            post = i > 0;
            s += i, n -= i;
        }
        if (!pre && !post)
            return dur_err(a, err, "invalid duration", s0, n0);
        for (i = 0; i < n; i++)
            if (s[i] == '.' || (s[i] >= '0' && s[i] <= '9'))
                break;
        if (i == 0)
            return dur_err(a, err, "missing unit in duration", s0, n0);
        static const struct { const char *u; uint64_t v; } units[] = {
            {"ns", 1ULL}, {"us", 1000ULL}, {"\xc2\xb5s", 1000ULL}, {"\xce\xbcs", 1000ULL},
            {"ms", 1000000ULL}, {"s", 1000000000ULL}, {"m", 60000000000ULL}, {"h", 3600000000000ULL},
        };
        uint64_t unit = 0;
        for (size_t k = 0; k < sizeof units / sizeof *units; k++)
            if (strlen(units[k].u) == i && memcmp(units[k].u, s, i) == 0)
                unit = units[k].v;
        if (unit == 0) {
            strbuf m = STRBUF_INIT;
            sb_adds(&m, "unknown unit ");
            tquote(&m, s, i);
            sb_adds(&m, " in duration");
            int r = dur_err(a, err, sb_str(&m), s0, n0);
            sb_release(&m);
            return r;
        }
        s += i, n -= i;
        if (v > (1ULL << 63) / unit)
            return dur_err(a, err, "invalid duration", s0, n0);
        v *= unit;
        if (f > 0) {
            v += (uint64_t)((double)f * ((double)unit / scale));
            if (v > 1ULL << 63)
                return dur_err(a, err, "invalid duration", s0, n0);
        }
        d += v;
        if (d > 1ULL << 63)
            return dur_err(a, err, "invalid duration", s0, n0);
    }
    if (neg) {
        *out = (int64_t)(0 - d);
        return 0;
    }
    if (d > (1ULL << 63) - 1)
        return dur_err(a, err, "invalid duration", s0, n0);
    *out = (int64_t)d;
    return 0;
}

/* ---- the time.Time class --------------------------------------------------------- */

static void time_fmt(strbuf *out, void *self) { fn_time_string(out, self); }
static bool time_truth(void *self) { (void)self; return true; }

static fn_time *tself(cv_call *c) { return c->self; }

static cval *now_val(arena *a)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return time_val(a, ts.tv_sec, (int32_t)ts.tv_nsec, local_zone(a));
}

#define M0(name, expr)                                                        \
    static cval *name(cv_call *c, int argc, cval **argv)                      \
    {                                                                         \
        (void)argc, (void)argv;                                               \
        fn_time *t = tself(c);                                                \
        civil cv = to_civil(t);                                               \
        (void)cv;                                                             \
        return (expr);                                                        \
    }

M0(m_year, cv_goint(c->a, cv.year))
M0(m_day, cv_goint(c->a, cv.day))
M0(m_hour, cv_goint(c->a, cv.hour))
M0(m_minute, cv_goint(c->a, cv.min))
M0(m_second, cv_goint(c->a, cv.sec))
M0(m_nanosecond, cv_goint(c->a, t->nsec))
M0(m_yearday, cv_goint(c->a, cv.yday))
M0(m_unix, cv_int(c->a, t->sec))
/* Go multiplies in int64, which wraps */
M0(m_unixmilli, cv_int(c->a, (int64_t)((uint64_t)t->sec * 1000 + (uint64_t)(t->nsec / 1000000))))
M0(m_unixmicro, cv_int(c->a, (int64_t)((uint64_t)t->sec * 1000000 + (uint64_t)(t->nsec / 1000))))
M0(m_unixnano, cv_int(c->a, (int64_t)((uint64_t)t->sec * 1000000000 + (uint64_t)t->nsec)))
M0(m_utc, time_val(c->a, t->sec, t->nsec, &utc_zone))
M0(m_local, time_val(c->a, t->sec, t->nsec, local_zone(c->a)))
M0(m_iszero, cv_bool(t->sec == ZERO_UNIX && t->nsec == 0))

static void month_fmt(strbuf *o, void *self) { sb_adds(o, long_months[*(int *)self - 1]); }
static cval *m_name_string(cv_call *c, int argc, cval **argv);
static const cv_fnreg named_methods[] = {{"String", m_name_string, ""}, {NULL, NULL, NULL}};
static const cv_class month_class = {"time.Month", "int", NULL, named_methods, month_fmt, NULL};

static cval *m_name_string(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    /* self is an int; which table is known by range only: months 1..12 are
     * stored with a tag in the int's high bits */
    int v = *(int *)c->self;
    if (v & 0x100)
        return cv_cstring(c->a, long_days[v & 0xff]);
    return cv_cstring(c->a, long_months[v - 1]);
}

static cval *m_month(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    civil cv = to_civil(tself(c));
    int *p = arena_alloc(c->a, sizeof *p);
    *p = cv.month;
    return cv_object(c->a, &month_class, p);
}

static void weekday_fmt2(strbuf *o, void *self) { sb_adds(o, long_days[*(int *)self & 0xff]); }
static const cv_class weekday_class2 = {"time.Weekday", "int", NULL, named_methods, weekday_fmt2, NULL};

static cval *m_weekday(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    civil cv = to_civil(tself(c));
    int *p = arena_alloc(c->a, sizeof *p);
    *p = cv.wday | 0x100;
    return cv_object(c->a, &weekday_class2, p);
}

static cval *m_format(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    strbuf sb = STRBUF_INIT;
    fn_time_format(&sb, tself(c), argv[0]->u.str.s, argv[0]->u.str.len);
    cval *v = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}

static cval *m_string(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    strbuf sb = STRBUF_INIT;
    fn_time_string(&sb, tself(c));
    cval *v = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}

static cval *m_marshal_json(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    strbuf sb = STRBUF_INIT;
    fn_time_marshal_json(&sb, tself(c));
    cval *v = cv_bytes(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}

/* Go's time.Time keeps seconds since year 1 (its "internal" seconds):
 * time.Unix(sec, 0) adds 62135596800 to sec in int64, wrapping, and Add and
 * Sub work on that count. An fn_time keeps Unix seconds; these convert, with
 * the same wrapping, so the arithmetic below is Go's to the last bit. */
#define UNIX_TO_INTERNAL 62135596800ULL

static int64_t go_internal(const fn_time *t) { return (int64_t)((uint64_t)t->sec + UNIX_TO_INTERNAL); }
static int64_t go_unix(int64_t internal) { return (int64_t)((uint64_t)internal - UNIX_TO_INTERNAL); }

/* Time.Add(d): the seconds saturate (Time.addSec) instead of wrapping. */
static fn_time add_dur(const fn_time *t, int64_t d)
{
    fn_time r = *t;
    int64_t ds = d / 1000000000, ns = (int64_t)t->nsec + d % 1000000000;
    if (ns >= 1000000000) {
        ds++;
        ns -= 1000000000;
    } else if (ns < 0) {
        ds--;
        ns += 1000000000;
    }
    r.nsec = (int32_t)ns;
    int64_t ext = go_internal(t), sum = wrap_add(ext, ds);
    if ((sum > ext) == (ds > 0))
        ext = sum;
    else
        ext = ds > 0 ? INT64_MAX : -INT64_MAX;
    r.sec = go_unix(ext);
    return r;
}

/* Time.Sub(u): t-u, or the Duration's bound it overflows. */
static int64_t sub_time(const fn_time *t, const fn_time *u)
{
    int64_t ts = go_internal(t), us = go_internal(u);
    uint64_t dsec = (uint64_t)ts - (uint64_t)us;
    int64_t d = wrap_add((int64_t)(dsec * 1000000000ULL), (int64_t)t->nsec - u->nsec);
    fn_time back = add_dur(u, d);
    if (go_internal(&back) == ts && back.nsec == t->nsec)
        return d;
    if (ts < us || (ts == us && t->nsec < u->nsec))
        return INT64_MIN;
    return INT64_MAX;
}

static bool int_arg(const cval *v, int64_t *out)
{
    if (v->kind == CV_INT) {
        *out = v->u.i;
        return true;
    }
    if (v->kind == CV_UINT) {
        *out = (int64_t)v->u.u;
        return true;
    }
    return false;
}

static cval *m_add(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    int64_t d;
    if (!int_arg(argv[0], &d))
        return cv_call_fail(c, "wrong type for value; expected time.Duration; got %s", cv_gotype(argv[0]));
    fn_time r = add_dur(tself(c), d);
    return time_val(c->a, r.sec, r.nsec, r.loc);
}

static cval *m_adddate(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    fn_time *t = tself(c);
    civil cv = to_civil(t);
    fn_time r = go_date(wrap_add(cv.year, argv[0]->u.i), wrap_add(cv.month, argv[1]->u.i),
                        wrap_add(cv.day, argv[2]->u.i), cv.hour, cv.min, cv.sec, t->nsec, t->loc);
    return time_val(c->a, r.sec, r.nsec, r.loc);
}

static const fn_time *time_arg(cv_call *c, const cval *v)
{
    if (!cv_is(v, CV_OBJECT) || v->u.obj.cls != &fn_time_class) {
        cv_call_fail(c, "wrong type for value; expected time.Time; got %s", cv_gotype(v));
        return NULL;
    }
    return v->u.obj.self;
}

/* Time.Compare: on Go's internal seconds (see go_internal) */
static int tcmp(const fn_time *x, const fn_time *y)
{
    int64_t xs = go_internal(x), ys = go_internal(y);
    if (xs != ys)
        return xs < ys ? -1 : 1;
    if (x->nsec != y->nsec)
        return x->nsec < y->nsec ? -1 : 1;
    return 0;
}

static cval *cmp_m(cv_call *c, cval *o, int mode)
{
    const fn_time *u = time_arg(c, o);
    if (!u)
        return NULL;
    int d = tcmp(tself(c), u);
    if (mode == 0)
        return cv_bool(d < 0);
    if (mode == 1)
        return cv_bool(d > 0);
    if (mode == 2)
        return cv_bool(d == 0);
    return cv_int_typed(c->a, sub_time(tself(c), u), "time.Duration");
}
static cval *m_before(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_m(c, argv[0], 0); }
static cval *m_after(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_m(c, argv[0], 1); }
static cval *m_equal(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_m(c, argv[0], 2); }
static cval *m_sub(cv_call *c, int argc, cval **argv) { (void)argc; return cmp_m(c, argv[0], 3); }

static const cv_fnreg time_methods[] = {
    {"Add", m_add, "v"},
    {"AddDate", m_adddate, "iii"},
    {"After", m_after, "v"},
    {"Before", m_before, "v"},
    {"Day", m_day, ""},
    {"Equal", m_equal, "v"},
    {"Format", m_format, "s"},
    {"Hour", m_hour, ""},
    {"IsZero", m_iszero, ""},
    {"Local", m_local, ""},
    {"MarshalJSON", m_marshal_json, ""},
    {"Minute", m_minute, ""},
    {"Month", m_month, ""},
    {"Nanosecond", m_nanosecond, ""},
    {"Second", m_second, ""},
    {"String", m_string, ""},
    {"Sub", m_sub, "v"},
    {"UTC", m_utc, ""},
    {"Unix", m_unix, ""},
    {"UnixMicro", m_unixmicro, ""},
    {"UnixMilli", m_unixmilli, ""},
    {"UnixNano", m_unixnano, ""},
    {"Weekday", m_weekday, ""},
    {"Year", m_year, ""},
    {"YearDay", m_yearday, ""},
    {NULL, NULL, NULL},
};

static void time_json(strbuf *out, void *self) { fn_time_marshal_json(out, self); }

const cv_class fn_time_class = {"time.Time", "struct", NULL, time_methods, time_fmt, time_truth, time_json};

/* ---- Sprig's functions ------------------------------------------------------------ */

/* The date argument of dateInZone: time.Time, or int/int64/int32 seconds;
 * anything else is time.Now(), as in Sprig. */
static fn_time date_arg(arena *a, const cval *v)
{
    if (cv_is(v, CV_OBJECT) && v->u.obj.cls == &fn_time_class)
        return *(const fn_time *)v->u.obj.self;
    if (v->kind == CV_INT) {
        const char *g = cv_gotype(v);
        if (strcmp(g, "int64") == 0 || strcmp(g, "int") == 0 || strcmp(g, "int32") == 0) {
            fn_time t = {v->u.i, 0, local_zone(a)};
            return t;
        }
    }
    return *(const fn_time *)now_val(a)->u.obj.self;
}

static cval *format_in_zone(cv_call *c, const cval *layout, const cval *date, const char *zone)
{
    fn_time t = date_arg(c->a, date);
    const fn_zone *loc = load_location(c->a, zone);
    t.loc = loc ? loc : &utc_zone;
    strbuf sb = STRBUF_INIT;
    fn_time_format(&sb, &t, layout->u.str.s, layout->u.str.len);
    cval *v = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return v;
}

static cval *fn_now(cv_call *c, int argc, cval **argv)
{
    (void)argc, (void)argv;
    return now_val(c->a);
}

static cval *fn_date(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return format_in_zone(c, argv[0], argv[1], "Local");
}

static cval *fn_date_in_zone(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    return format_in_zone(c, argv[0], argv[1], argv[2]->u.str.s);
}

static cval *fn_html_date(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval layout = {.kind = CV_STRING, .u.str = {"2006-01-02", 10}};
    return format_in_zone(c, &layout, argv[0], "Local");
}

static cval *fn_html_date_in_zone(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    cval layout = {.kind = CV_STRING, .u.str = {"2006-01-02", 10}};
    return format_in_zone(c, &layout, argv[0], argv[1]->u.str.s);
}

static cval *do_date_modify(cv_call *c, cval **argv, bool must)
{
    const fn_time *t = time_arg(c, argv[1]);
    if (!t)
        return NULL;
    int64_t d;
    const char *err;
    if (fn_parse_duration(c->a, argv[0]->u.str.s, argv[0]->u.str.len, &d, &err) < 0) {
        if (must)
            return cv_call_fail(c, "%s", err);
        return time_val(c->a, t->sec, t->nsec, t->loc);
    }
    fn_time r = add_dur(t, d);
    return time_val(c->a, r.sec, r.nsec, r.loc);
}
static cval *fn_date_modify(cv_call *c, int argc, cval **argv) { (void)argc; return do_date_modify(c, argv, false); }
static cval *fn_must_date_modify(cv_call *c, int argc, cval **argv) { (void)argc; return do_date_modify(c, argv, true); }

/* time.Since(t) */
static int64_t since(const fn_time *t)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    fn_time now = {(int64_t)ts.tv_sec, (int32_t)ts.tv_nsec, NULL};
    return sub_time(&now, t);
}

/* Duration.Round(time.Second) */
static int64_t round_second(int64_t d)
{
    const int64_t m = 1000000000;
    int64_t r = d % m;
    if (d < 0) {
        r = -r;
        if (r + r < m)
            return d + r;
        int64_t d1 = d - m + r;
        if (d1 < d)
            return d1;
        return INT64_MIN;
    }
    if (r + r < m)
        return d - r;
    int64_t d1 = d + m - r;
    if (d1 > d)
        return d1;
    return INT64_MAX;
}

static cval *fn_ago(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *v = argv[0];
    fn_time t;
    if (cv_is(v, CV_OBJECT) && v->u.obj.cls == &fn_time_class)
        t = *(const fn_time *)v->u.obj.self;
    else if (v->kind == CV_INT && (strcmp(cv_gotype(v), "int64") == 0 || strcmp(cv_gotype(v), "int") == 0))
        t = (fn_time){v->u.i, 0, NULL};
    else
        t = *(const fn_time *)now_val(c->a)->u.obj.self;
    strbuf sb = STRBUF_INIT;
    fn_duration_string(&sb, round_second(since(&t)));
    cval *r = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static cval *fn_duration(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *v = argv[0];
    int64_t n = 0;
    if (v->kind == CV_STRING && !v->gotype)
        fn_parse_int(v->u.str.s, v->u.str.len, 10, &n); /* Sprig ignores the error: 0, or the clamped value */
    else if (v->kind == CV_INT && strcmp(cv_gotype(v), "int64") == 0)
        n = v->u.i;
    strbuf sb = STRBUF_INIT;
    fn_duration_string(&sb, (int64_t)((uint64_t)n * 1000000000ULL));
    cval *r = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

static cval *fn_duration_round(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const cval *v = argv[0];
    int64_t d = 0;
    if (v->kind == CV_STRING && !v->gotype) {
        const char *err;
        if (fn_parse_duration(c->a, v->u.str.s, v->u.str.len, &d, &err) < 0)
            d = 0;
    } else if (v->kind == CV_INT && strcmp(cv_gotype(v), "int64") == 0) {
        d = v->u.i;
    } else if (cv_is(v, CV_OBJECT) && v->u.obj.cls == &fn_time_class) {
        d = since(v->u.obj.self);
    }
    uint64_t u = (uint64_t)d;
    if (d < 0)
        u = -u;
    const uint64_t second = 1000000000ULL, minute = 60 * second, hour = 60 * minute, day = 24 * hour,
                   month = 30 * day, year = 365 * day;
    char *s;
    if (u > year)
        s = arena_printf(c->a, "%lluy", (unsigned long long)(u / year));
    else if (u > month)
        s = arena_printf(c->a, "%llumo", (unsigned long long)(u / month));
    else if (u > day)
        s = arena_printf(c->a, "%llud", (unsigned long long)(u / day));
    else if (u > hour)
        s = arena_printf(c->a, "%lluh", (unsigned long long)(u / hour));
    else if (u > minute)
        s = arena_printf(c->a, "%llum", (unsigned long long)(u / minute));
    else if (u > second)
        s = arena_printf(c->a, "%llus", (unsigned long long)(u / second));
    else
        s = "0s";
    return cv_cstring(c->a, s);
}

static cval *do_to_date(cv_call *c, cval **argv, bool must)
{
    fn_time t;
    const char *err;
    const fn_zone *local = local_zone(c->a);
    if (go_parse(c->a, argv[0]->u.str.s, argv[0]->u.str.len, argv[1]->u.str.s, argv[1]->u.str.len, local, &t,
                 &err) < 0) {
        if (must)
            return cv_call_fail(c, "%s", err);
        return time_val(c->a, ZERO_UNIX, 0, &utc_zone);
    }
    return time_val(c->a, t.sec, t.nsec, t.loc);
}
static cval *fn_to_date(cv_call *c, int argc, cval **argv) { (void)argc; return do_to_date(c, argv, false); }
static cval *fn_must_to_date(cv_call *c, int argc, cval **argv) { (void)argc; return do_to_date(c, argv, true); }

static cval *fn_unix_epoch(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    const fn_time *t = time_arg(c, argv[0]);
    if (!t)
        return NULL;
    return cv_cstring(c->a, arena_printf(c->a, "%lld", (long long)t->sec));
}

/* dateModify, mustDateModify and unixEpoch take a time.Time: the engine has
 * no letter for it, so they take "v" and check the type themselves. */
const cv_fnreg fn_dates_table[] = {
    {"ago", fn_ago, "v"},
    {"date", fn_date, "sv"},
    {"date_in_zone", fn_date_in_zone, "svs"},
    {"date_modify", fn_date_modify, "sv"},
    {"dateInZone", fn_date_in_zone, "svs"},
    {"dateModify", fn_date_modify, "sv"},
    {"duration", fn_duration, "v"},
    {"durationRound", fn_duration_round, "v"},
    {"htmlDate", fn_html_date, "v"},
    {"htmlDateInZone", fn_html_date_in_zone, "vs"},
    {"must_date_modify", fn_must_date_modify, "sv"},
    {"mustDateModify", fn_must_date_modify, "sv"},
    {"mustToDate", fn_must_to_date, "ss"},
    {"now", fn_now, ""},
    {"toDate", fn_to_date, "ss"},
    {"unixEpoch", fn_unix_epoch, "v"},
    {NULL, NULL, NULL},
};
