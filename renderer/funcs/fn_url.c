/* fn_url.c — Sprig's urlParse and urlJoin over Go's net/url (Parse, the
 * URL fields Sprig reads, Hostname, Userinfo.String, URL.String). */
#include <string.h>

#include "renderer/funcs/fn_sprig.h"
#include "renderer/funcs/fn_util.h"
#include "core/gofmt.h"

enum { ENC_PATH = 1, ENC_SEGMENT, ENC_HOST, ENC_ZONE, ENC_USER, ENC_QUERY, ENC_FRAGMENT };

static bool should_escape(unsigned char c, int mode)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return false;
    if (mode == ENC_HOST || mode == ENC_ZONE) {
        switch (c) {
        case '!': case '$': case '&': case '\'': case '(': case ')': case '*': case '+': case ',':
        case ';': case '=': case ':': case '[': case ']': case '<': case '>': case '"':
            return false;
        }
    }
    switch (c) {
    case '-': case '_': case '.': case '~':
        return false;
    case '$': case '&': case '+': case ',': case '/': case ':': case ';': case '=': case '?': case '@':
        switch (mode) {
        case ENC_USER: return c == '@' || c == '/' || c == '?' || c == ':';
        case ENC_PATH: return c == '?';
        case ENC_SEGMENT: return c == '/' || c == ';' || c == ',' || c == '?';
        case ENC_QUERY: return true;
        case ENC_FRAGMENT: return false;
        }
    }
    if (mode == ENC_FRAGMENT && (c == '!' || c == '(' || c == ')' || c == '*'))
        return false;
    return true;
}

static bool ishex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

static int unhex(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return c - 'A' + 10;
}

typedef struct { const char *s; size_t n; } str;

static str S_(const char *s, size_t n) { str r = {s, n}; return r; }

/* Go's unescape; on error sets *err (arena) and returns false. */
static bool unescape(arena *a, str in, int mode, str *out, const char **err)
{
    size_t pct = 0;
    const char *s = in.s;
    size_t n = in.n;
    for (size_t i = 0; i < n;) {
        if (s[i] == '%') {
            pct++;
            if (i + 2 >= n || !ishex(s[i + 1]) || !ishex(s[i + 2])) {
                size_t k = n - i > 3 ? 3 : n - i;
                strbuf sb = STRBUF_INIT;
                sb_adds(&sb, "invalid URL escape ");
                gofmt_quote(&sb, s + i, k);
                *err = arena_strndup(a, sb_str(&sb), sb.len);
                sb_release(&sb);
                return false;
            }
            bool bad = false;
            if (mode == ENC_HOST && unhex(s[i + 1]) < 8 && memcmp(s + i, "%25", 3))
                bad = true;
            if (mode == ENC_ZONE) {
                unsigned char v = (unsigned char)(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
                if (memcmp(s + i, "%25", 3) && v != ' ' && should_escape(v, ENC_HOST))
                    bad = true;
            }
            if (bad) {
                strbuf sb = STRBUF_INIT;
                sb_adds(&sb, "invalid URL escape ");
                gofmt_quote(&sb, s + i, 3);
                *err = arena_strndup(a, sb_str(&sb), sb.len);
                sb_release(&sb);
                return false;
            }
            i += 3;
        } else {
            if ((mode == ENC_HOST || mode == ENC_ZONE) && (unsigned char)s[i] < 0x80 &&
                should_escape((unsigned char)s[i], mode)) {
                strbuf sb = STRBUF_INIT;
                sb_adds(&sb, "invalid character ");
                gofmt_quote(&sb, s + i, 1);
                sb_adds(&sb, " in host name");
                *err = arena_strndup(a, sb_str(&sb), sb.len);
                sb_release(&sb);
                return false;
            }
            i++;
        }
    }
    if (pct == 0) {
        *out = in;
        return true;
    }
    char *t = arena_alloc(a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '%') {
            t[k++] = (char)(unhex(s[i + 1]) << 4 | unhex(s[i + 2]));
            i += 2;
        } else {
            t[k++] = s[i];
        }
    }
    t[k] = '\0';
    *out = S_(t, k);
    return true;
}

static void escape(strbuf *sb, str s, int mode)
{
    static const char hex[] = "0123456789ABCDEF";
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if (c == ' ' && mode == ENC_QUERY) {
            sb_addc(sb, '+');
        } else if (should_escape(c, mode)) {
            sb_addc(sb, '%');
            sb_addc(sb, hex[c >> 4]);
            sb_addc(sb, hex[c & 15]);
        } else {
            sb_addc(sb, (char)c);
        }
    }
}

static bool valid_optional_port(str p)
{
    if (p.n == 0)
        return true;
    if (p.s[0] != ':')
        return false;
    for (size_t i = 1; i < p.n; i++)
        if (p.s[i] < '0' || p.s[i] > '9')
            return false;
    return true;
}

static const char *memrchr_(const char *s, size_t n, char c)
{
    for (size_t i = n; i > 0; i--)
        if (s[i - 1] == c)
            return s + i - 1;
    return NULL;
}

static const char *port_err(arena *a, str p)
{
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "invalid port ");
    gofmt_quote(&sb, p.s, p.n);
    sb_adds(&sb, " after host");
    const char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* ---- net/netip.ParseAddr, as a check (Go 1.25 validates IP-literals) ---- */

/* Fill *err with parseAddrError's text; returns false. */
static bool addr_err(arena *a, str in, const char *msg, const char *at, size_t atn, const char **err)
{
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "ParseAddr(");
    gofmt_quote(&sb, in.s, in.n);
    sb_addf(&sb, "): %s", msg);
    if (at && atn) {
        sb_adds(&sb, " (at ");
        gofmt_quote(&sb, at, atn);
        sb_addc(&sb, ')');
    }
    *err = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return false;
}

static bool ipv4_fields(arena *a, str in, size_t off, size_t end, const char **err)
{
    const char *s = in.s + off;
    size_t n = end - off;
    int val = 0, pos = 0, dig = 0;
    for (size_t i = 0; i < n; i++) {
        if (s[i] >= '0' && s[i] <= '9') {
            if (dig == 1 && val == 0)
                return addr_err(a, in, "IPv4 field has octet with leading zero", NULL, 0, err);
            val = val * 10 + (s[i] - '0');
            dig++;
            if (val > 255)
                return addr_err(a, in, "IPv4 field has value >255", NULL, 0, err);
        } else if (s[i] == '.') {
            if (i == 0 || i == n - 1 || s[i - 1] == '.')
                return addr_err(a, in, "IPv4 field must have at least one digit", s + i, n - i, err);
            if (pos == 3)
                return addr_err(a, in, "IPv4 address too long", NULL, 0, err);
            pos++;
            val = 0;
            dig = 0;
        } else {
            return addr_err(a, in, "unexpected character", s + i, n - i, err);
        }
    }
    if (pos < 3)
        return addr_err(a, in, "IPv4 address too short", NULL, 0, err);
    return true;
}

static bool ipv6_check(arena *a, str in, const char **err)
{
    str s = in;
    size_t zonelen = 0;
    const char *pct = memchr(in.s, '%', in.n);
    if (pct) {
        s.n = (size_t)(pct - in.s);
        zonelen = in.n - s.n - 1;
        if (zonelen == 0)
            return addr_err(a, in, "zone must be a non-empty string", NULL, 0, err);
    }
    int ellipsis = -1, i = 0;
    if (s.n >= 2 && s.s[0] == ':' && s.s[1] == ':') {
        ellipsis = 0;
        s.s += 2;
        s.n -= 2;
        if (s.n == 0)
            return true;
    }
    while (i < 16) {
        size_t off = 0;
        uint32_t acc = 0;
        for (; off < s.n; off++) {
            char ch = s.s[off];
            if (!ishex(ch))
                break;
            acc = (acc << 4) + (uint32_t)unhex(ch);
            if (off > 3)
                return addr_err(a, in, "each group must have 4 or less digits", s.s, s.n, err);
            if (acc > 0xFFFF)
                return addr_err(a, in, "IPv6 field has value >=2^16", s.s, s.n, err);
        }
        if (off == 0)
            return addr_err(a, in, "each colon-separated field must have at least one digit", s.s, s.n, err);
        if (off < s.n && s.s[off] == '.') {
            if (ellipsis < 0 && i != 12)
                return addr_err(a, in, "embedded IPv4 address must replace the final 2 fields of the address",
                                s.s, s.n, err);
            if (i + 4 > 16)
                return addr_err(a, in, "too many hex fields to fit an embedded IPv4 at the end of the address",
                                s.s, s.n, err);
            size_t end = in.n - (zonelen ? zonelen + 1 : 0);
            if (!ipv4_fields(a, in, end - s.n, end, err))
                return false;
            s.n = 0;
            i += 4;
            break;
        }
        i += 2;
        s.s += off;
        s.n -= off;
        if (s.n == 0)
            break;
        if (s.s[0] != ':')
            return addr_err(a, in, "unexpected character, want colon", s.s, s.n, err);
        if (s.n == 1)
            return addr_err(a, in, "colon must be followed by more characters", s.s, s.n, err);
        s.s++;
        s.n--;
        if (s.s[0] == ':') {
            if (ellipsis >= 0)
                return addr_err(a, in, "multiple :: in address", s.s, s.n, err);
            ellipsis = i;
            s.s++;
            s.n--;
            if (s.n == 0)
                break;
        }
    }
    if (s.n != 0)
        return addr_err(a, in, "trailing garbage after address", s.s, s.n, err);
    if (i < 16 && ellipsis < 0)
        return addr_err(a, in, "address string too short", NULL, 0, err);
    if (i >= 16 && ellipsis >= 0)
        return addr_err(a, in, "the :: must expand to at least one field of zeros", NULL, 0, err);
    return true;
}

/* ParseAddr(in) succeeds as IPv6; *is4 says it parsed as IPv4. */
static bool parse_addr(arena *a, str in, bool *is4, const char **err)
{
    *is4 = false;
    for (size_t i = 0; i < in.n; i++) {
        if (in.s[i] == '.') {
            if (!ipv4_fields(a, in, 0, in.n, err))
                return false;
            *is4 = true;
            return true;
        }
        if (in.s[i] == ':')
            return ipv6_check(a, in, err);
        if (in.s[i] == '%')
            return addr_err(a, in, "missing IPv6 address", NULL, 0, err);
    }
    return addr_err(a, in, "unable to parse IP", NULL, 0, err);
}

/* Go 1.25's parseHost. */
static bool parse_host(arena *a, str host, str *out, const char **err)
{
    const char *lb = memrchr_(host.s, host.n, '[');
    if (lb && lb != host.s) {
        *err = "invalid IP-literal";
        return false;
    }
    if (lb) {
        const char *rb = memrchr_(host.s, host.n, ']');
        if (!rb) {
            *err = "missing ']' in host";
            return false;
        }
        size_t i = (size_t)(rb - host.s);
        str colon_port = S_(rb + 1, host.n - i - 1), port, h;
        if (!valid_optional_port(colon_port)) {
            *err = port_err(a, colon_port);
            return false;
        }
        if (!unescape(a, colon_port, ENC_HOST, &port, err))
            return false;
        str hostname = S_(host.s + 1, i - 1);
        const char *z = NULL;
        for (size_t k = 0; k + 3 <= hostname.n; k++)
            if (!memcmp(hostname.s + k, "%25", 3)) {
                z = hostname.s + k;
                break;
            }
        if (z) {
            str h1, h2;
            size_t zi = (size_t)(z - hostname.s);
            if (!unescape(a, S_(hostname.s, zi), ENC_HOST, &h1, err) ||
                !unescape(a, S_(z, hostname.n - zi), ENC_ZONE, &h2, err))
                return false;
            char *t = arena_printf(a, "%.*s%.*s", (int)h1.n, h1.s, (int)h2.n, h2.s);
            h = S_(t, h1.n + h2.n);
        } else if (!unescape(a, hostname, ENC_HOST, &h, err)) {
            return false;
        }
        bool is4;
        const char *why;
        if (!parse_addr(a, h, &is4, &why)) {
            *err = arena_printf(a, "invalid host: %s", why);
            return false;
        }
        if (is4) {
            *err = "invalid IP-literal";
            return false;
        }
        char *t = arena_printf(a, "[%.*s]%.*s", (int)h.n, h.s, (int)port.n, port.s);
        *out = S_(t, h.n + port.n + 2);
        return true;
    }
    const char *colon = memrchr_(host.s, host.n, ':');
    if (colon) {
        str cp = S_(colon, host.n - (size_t)(colon - host.s));
        if (!valid_optional_port(cp)) {
            *err = port_err(a, cp);
            return false;
        }
    }
    return unescape(a, host, ENC_HOST, out, err);
}

static bool valid_userinfo(str s)
{
    for (size_t i = 0; i < s.n; i++) {
        unsigned char c = (unsigned char)s.s[i];
        if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'))
            continue;
        if (strchr("-._:~!$&'()*+,;=%@", c) && c)
            continue;
        return false;
    }
    return true;
}

typedef struct {
    str scheme, opaque, user, pass, host, path, rawpath, query, fragment;
    bool has_user, has_pass;
} gourl;

static bool parse_no_frag(arena *a, str raw, gourl *u, const char **err)
{
    for (size_t i = 0; i < raw.n; i++)
        if ((unsigned char)raw.s[i] < 0x20 || raw.s[i] == 0x7f) {
            *err = "net/url: invalid control character in URL";
            return false;
        }
    if (raw.n == 1 && raw.s[0] == '*') {
        u->path = raw;
        return true;
    }
    str rest = raw;
    for (size_t i = 0; i < raw.n; i++) {
        char c = raw.s[i];
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
            continue;
        if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
            if (i == 0)
                break;
            continue;
        }
        if (c == ':') {
            if (i == 0) {
                *err = "missing protocol scheme";
                return false;
            }
            char *sch = arena_strndup(a, raw.s, i);
            for (char *p = sch; *p; p++)
                if (*p >= 'A' && *p <= 'Z')
                    *p = (char)(*p + 32);
            u->scheme = S_(sch, i);
            rest = S_(raw.s + i + 1, raw.n - i - 1);
        }
        break;
    }
    size_t nq = 0;
    for (size_t i = 0; i < rest.n; i++)
        nq += rest.s[i] == '?';
    if (rest.n && rest.s[rest.n - 1] == '?' && nq == 1) {
        rest.n--; /* ForceQuery; Sprig does not show it */
    } else {
        const char *q = memchr(rest.s, '?', rest.n);
        if (q) {
            u->query = S_(q + 1, rest.n - (size_t)(q - rest.s) - 1);
            rest.n = (size_t)(q - rest.s);
        }
    }
    if (!(rest.n && rest.s[0] == '/')) {
        if (u->scheme.n) {
            u->opaque = rest;
            return true;
        }
        const char *sl = memchr(rest.s, '/', rest.n);
        size_t seg = sl ? (size_t)(sl - rest.s) : rest.n;
        if (memchr(rest.s, ':', seg)) {
            *err = "first path segment in URL cannot contain colon";
            return false;
        }
    }
    bool triple = rest.n >= 3 && !memcmp(rest.s, "///", 3);
    if ((u->scheme.n || !triple) && rest.n >= 2 && !memcmp(rest.s, "//", 2)) {
        str auth = S_(rest.s + 2, rest.n - 2);
        rest = S_(rest.s + rest.n, 0);
        const char *sl = memchr(auth.s, '/', auth.n);
        if (sl) {
            rest = S_(sl, auth.n - (size_t)(sl - auth.s));
            auth.n = (size_t)(sl - auth.s);
        }
        const char *at = memrchr_(auth.s, auth.n, '@');
        str hostpart = at ? S_(at + 1, auth.n - (size_t)(at - auth.s) - 1) : auth;
        if (!parse_host(a, hostpart, &u->host, err))
            return false;
        if (at) {
            str ui = S_(auth.s, (size_t)(at - auth.s));
            if (!valid_userinfo(ui)) {
                *err = "net/url: invalid userinfo";
                return false;
            }
            u->has_user = true;
            const char *colon = memchr(ui.s, ':', ui.n);
            if (!colon) {
                if (!unescape(a, ui, ENC_USER, &u->user, err))
                    return false;
            } else {
                if (!unescape(a, S_(ui.s, (size_t)(colon - ui.s)), ENC_USER, &u->user, err) ||
                    !unescape(a, S_(colon + 1, ui.n - (size_t)(colon - ui.s) - 1), ENC_USER, &u->pass, err))
                    return false;
                u->has_pass = true;
            }
        }
    }
    return unescape(a, rest, ENC_PATH, &u->path, err);
}

/* url.Parse; on error *err is the *url.Error text. */
static bool go_url_parse(arena *a, str raw, gourl *u, const char **err)
{
    memset(u, 0, sizeof *u);
    const char *hash = memchr(raw.s, '#', raw.n);
    str body = hash ? S_(raw.s, (size_t)(hash - raw.s)) : raw;
    const char *why = NULL;
    str quoted = body;
    bool ok = parse_no_frag(a, body, u, &why);
    if (ok && hash && hash + 1 < raw.s + raw.n) {
        quoted = raw;
        ok = unescape(a, S_(hash + 1, raw.n - body.n - 1), ENC_FRAGMENT, &u->fragment, &why);
    }
    if (!ok) {
        strbuf sb = STRBUF_INIT;
        sb_adds(&sb, "parse ");
        gofmt_quote(&sb, quoted.s, quoted.n);
        sb_addf(&sb, ": %s", why);
        *err = arena_strndup(a, sb_str(&sb), sb.len);
        sb_release(&sb);
    }
    return ok;
}

static cval *mkstr(cv_call *c, str s) { return cv_string(c->a, s.s, s.n); }

static cval *f_url_parse(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    gourl u;
    const char *err;
    if (!go_url_parse(c->a, S_(argv[0]->u.str.s, argv[0]->u.str.len), &u, &err))
        return cv_call_fail(c, "unable to parse url: %s", err);
    cval *m = cv_map_new(c->a);
    cv_map_set(m, "scheme", mkstr(c, u.scheme));
    cv_map_set(m, "host", mkstr(c, u.host));
    /* Hostname(): strip a valid :port, then [ ] */
    str hn = u.host;
    const char *colon = memrchr_(hn.s, hn.n, ':');
    if (colon && valid_optional_port(S_(colon, hn.n - (size_t)(colon - hn.s))))
        hn.n = (size_t)(colon - hn.s);
    if (hn.n >= 2 && hn.s[0] == '[' && hn.s[hn.n - 1] == ']')
        hn = S_(hn.s + 1, hn.n - 2);
    cv_map_set(m, "hostname", mkstr(c, hn));
    cv_map_set(m, "path", mkstr(c, u.path));
    cv_map_set(m, "query", mkstr(c, u.query));
    cv_map_set(m, "opaque", mkstr(c, u.opaque));
    cv_map_set(m, "fragment", mkstr(c, u.fragment));
    strbuf sb = STRBUF_INIT;
    if (u.has_user) {
        escape(&sb, u.user, ENC_USER);
        if (u.has_pass) {
            sb_addc(&sb, ':');
            escape(&sb, u.pass, ENC_USER);
        }
    }
    cv_map_set(m, "userinfo", cv_string(c->a, sb_str(&sb), sb.len));
    sb_release(&sb);
    return m;
}

/* Sprig's dictGetOrEmpty; false after failing c. */
static bool dict_str(cv_call *c, cval *d, const char *key, str *out)
{
    *out = S_("", 0);
    cval *v = cv_map_get(d, key);
    if (!v)
        return true;
    if (cv_is_nil(v)) {
        cv_call_fail(c, "%s", FN_NIL_DEREF_MSG);
        return false;
    }
    if (v->kind != CV_STRING) {
        cv_call_fail(c, "unable to parse %s key, must be of type string, but %s found", key, cv_gokind(v));
        return false;
    }
    *out = S_(v->u.str.s, v->u.str.len);
    return true;
}

static cval *f_url_join(cv_call *c, int argc, cval **argv)
{
    (void)argc;
    gourl u;
    memset(&u, 0, sizeof u);
    str ui;
    if (!dict_str(c, argv[0], "scheme", &u.scheme) || !dict_str(c, argv[0], "host", &u.host) ||
        !dict_str(c, argv[0], "path", &u.path) || !dict_str(c, argv[0], "query", &u.query) ||
        !dict_str(c, argv[0], "opaque", &u.opaque) || !dict_str(c, argv[0], "fragment", &u.fragment) ||
        !dict_str(c, argv[0], "userinfo", &ui))
        return NULL;
    if (ui.n) {
        char *raw = arena_printf(c->a, "proto://%.*s@host", (int)ui.n, ui.s);
        gourl t;
        const char *err;
        if (!go_url_parse(c->a, S_(raw, strlen(raw)), &t, &err))
            return cv_call_fail(c, "unable to parse userinfo in dict: %s", err);
        u.has_user = t.has_user;
        u.user = t.user;
        u.pass = t.pass;
        u.has_pass = t.has_pass;
    }
    strbuf sb = STRBUF_INIT;
    if (u.scheme.n) {
        sb_add(&sb, u.scheme.s, u.scheme.n);
        sb_addc(&sb, ':');
    }
    if (u.opaque.n) {
        sb_add(&sb, u.opaque.s, u.opaque.n);
    } else {
        if (u.scheme.n || u.host.n || u.has_user) {
            if (u.host.n || u.path.n || u.has_user)
                sb_adds(&sb, "//");
            if (u.has_user) {
                escape(&sb, u.user, ENC_USER);
                if (u.has_pass) {
                    sb_addc(&sb, ':');
                    escape(&sb, u.pass, ENC_USER);
                }
                sb_addc(&sb, '@');
            }
            if (u.host.n)
                escape(&sb, u.host, ENC_HOST);
        }
        strbuf path = STRBUF_INIT;
        if (u.path.n == 1 && u.path.s[0] == '*')
            sb_addc(&path, '*');
        else
            escape(&path, u.path, ENC_PATH);
        if (path.len && path.buf[0] != '/' && u.host.n)
            sb_addc(&sb, '/');
        if (sb.len == 0) {
            const char *sl = memchr(sb_str(&path), '/', path.len);
            size_t seg = sl ? (size_t)(sl - path.buf) : path.len;
            if (seg && memchr(path.buf, ':', seg))
                sb_adds(&sb, "./");
        }
        sb_add(&sb, sb_str(&path), path.len);
        sb_release(&path);
    }
    if (u.query.n) {
        sb_addc(&sb, '?');
        sb_add(&sb, u.query.s, u.query.n);
    }
    if (u.fragment.n) {
        sb_addc(&sb, '#');
        escape(&sb, u.fragment, ENC_FRAGMENT);
    }
    cval *r = cv_string(c->a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

const cv_fnreg fn_url_table[] = {
    {"urlParse", f_url_parse, "s"},
    {"urlJoin", f_url_join, "m"},
    {NULL, NULL, NULL},
};
