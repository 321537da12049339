/* oci_auth.c — WWW-Authenticate challenges and helm's registry config
 * (docker's config.json format: {"auths": {"HOST": {"auth": base64(user:pass)}}}). */
#include "core/fsutil.h"
#include "installer/net/oci_int.h"
#include "core/base64.h"
#include "core/json.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- WWW-Authenticate -------------------------------------------------- */

static const char *skip_ws(const char *p)
{
    while (*p == ' ' || *p == '\t')
        p++;
    return p;
}

static bool tchar(char c)
{
    return isalnum((unsigned char)c) || strchr("!#$%&'*+-.^_`|~/:", c);
}

int oci_challenge_parse(const char *h, oci_challenge *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    const char *p = skip_ws(h ? h : "");
    const char *s = p;
    while (*p && tchar(*p))
        p++;
    if (p == s)
        return cap_err_set(err, "bad WWW-Authenticate header \"%s\": no scheme", h ? h : "");
    out->scheme = xstrndup(s, (size_t)(p - s));
    for (char *q = out->scheme; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    for (;;) {
        p = skip_ws(p);
        while (*p == ',' || *p == ' ' || *p == '\t')
            p++;
        if (!*p)
            break;
        const char *ks = p;
        while (*p && tchar(*p) && *p != '=')
            p++;
        size_t kl = (size_t)(p - ks);
        const char *after = p;
        p = skip_ws(p);
        if (kl == 0 || *p != '=') {
            if (kl > 0 && (*after == ' ' || *after == '\0' || *after == ','))
                break; /* the next challenge begins: keep the first */
            oci_challenge_release(out);
            return cap_err_set(err, "bad WWW-Authenticate header \"%s\"", h);
        }
        p = skip_ws(p + 1);
        strbuf v = STRBUF_INIT;
        if (*p == '"') {
            p++;
            while (*p && *p != '"') {
                if (*p == '\\' && p[1])
                    p++;
                sb_addc(&v, *p++);
            }
            if (*p != '"') {
                sb_release(&v);
                oci_challenge_release(out);
                return cap_err_set(err, "bad WWW-Authenticate header \"%s\": unterminated quoted string", h);
            }
            p++;
        } else {
            while (*p && *p != ',' && *p != ' ' && *p != '\t')
                sb_addc(&v, *p++);
        }
        char **slot = NULL;
        if (kl == 5 && strncasecmp(ks, "realm", 5) == 0)
            slot = &out->realm;
        else if (kl == 7 && strncasecmp(ks, "service", 7) == 0)
            slot = &out->service;
        else if (kl == 5 && strncasecmp(ks, "scope", 5) == 0)
            slot = &out->scope;
        if (slot) {
            free(*slot);
            *slot = sb_detach(&v, NULL);
        }
        sb_release(&v);
    }
    return 0;
}

void oci_challenge_release(oci_challenge *ch)
{
    free(ch->scheme);
    free(ch->realm);
    free(ch->service);
    free(ch->scope);
    memset(ch, 0, sizeof *ch);
}

/* ---- the registry config file ------------------------------------------ */

char *oci_registry_config_path(void)
{
    strbuf p = STRBUF_INIT;
    const char *v;
    if ((v = getenv("HELM_REGISTRY_CONFIG")) && *v)
        sb_adds(&p, v);
    else if ((v = getenv("HELM_CONFIG_HOME")) && *v)
        sb_addf(&p, "%s/registry/config.json", v);
    else if ((v = getenv("XDG_CONFIG_HOME")) && *v)
        sb_addf(&p, "%s/helm/registry/config.json", v);
    else
        sb_addf(&p, "%s/.config/helm/registry/config.json", getenv("HOME") ? getenv("HOME") : ".");
    return sb_detach(&p, NULL);
}

/* Read and parse the config; a missing file is an empty config. */
static int read_config(arena *a, const char *path, cval **out, cap_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        if (errno == ENOENT) {
            *out = cv_map_new(a);
            return 0;
        }
        return cap_err_set(err, "%s: %s", path, strerror(errno));
    }
    strbuf sb = STRBUF_INIT;
    sb_read_fp(&sb, f);
    fclose(f);
    int rc = 0;
    if (sb.len == 0)
        *out = cv_map_new(a);
    else if (json_parse(a, sb.buf, sb.len, path, out, err) < 0)
        rc = -1;
    else if (!cv_is(*out, CV_MAP))
        rc = cap_err_set(err, "%s: not a JSON object", path);
    sb_release(&sb);
    return rc;
}

/* The keys a host may be stored under (docker and oras accept these). */
static bool host_matches(const char *key, const char *host)
{
    if (strcmp(key, host) == 0)
        return true;
    const char *k = key;
    if (strncmp(k, "https://", 8) == 0)
        k += 8;
    else if (strncmp(k, "http://", 7) == 0)
        k += 7;
    size_t hl = strlen(host);
    if (strncmp(k, host, hl) == 0 && (k[hl] == '\0' || k[hl] == '/'))
        return true;
    if (strcmp(host, "docker.io") == 0 || strcmp(host, "registry-1.docker.io") == 0)
        return strncmp(k, "index.docker.io", 15) == 0 || strncmp(k, "registry-1.docker.io", 20) == 0;
    return false;
}

int oci_registry_config_lookup(const char *path, const char *host, char **user, char **pass, cap_err *err)
{
    *user = *pass = NULL;
    arena *a = arena_new();
    cval *cfg;
    int rc = 0;
    if (read_config(a, path, &cfg, err) < 0) {
        arena_free(a);
        return -1;
    }
    cval *auths = cv_map_get(cfg, "auths");
    if (cv_is(auths, CV_MAP)) {
        size_t n;
        const cv_entry *e = cv_map_sorted(auths, &n);
        for (size_t i = 0; i < n && rc == 0; i++) {
            if (!host_matches(e[i].key, host) || !cv_is(e[i].val, CV_MAP))
                continue;
            cval *au = cv_map_get(e[i].val, "auth");
            cval *u = cv_map_get(e[i].val, "username");
            cval *pw = cv_map_get(e[i].val, "password");
            if (cv_is(au, CV_STRING) && au->u.str.len) {
                strbuf dec = STRBUF_INIT;
                size_t bad;
                char *colon;
                if (base64_decode(&dec, au->u.str.s, au->u.str.len, B64_STD, &bad) < 0 ||
                    !(colon = memchr(dec.buf, ':', dec.len))) {
                    sb_release(&dec);
                    rc = cap_err_set(err, "%s: the \"auth\" of %s is not base64 of USER:PASSWORD", path, e[i].key);
                    break;
                }
                *user = xstrndup(dec.buf, (size_t)(colon - dec.buf));
                *pass = xstrndup(colon + 1, dec.len - (size_t)(colon - dec.buf) - 1);
                sb_release(&dec);
                rc = 1;
            } else if (cv_is(u, CV_STRING) && u->u.str.len) {
                *user = xstrdup(u->u.str.s);
                *pass = xstrdup(cv_is(pw, CV_STRING) ? pw->u.str.s : "");
                rc = 1;
            }
        }
    }
    arena_free(a);
    return rc;
}

static int write_config(const char *path, const cval *cfg, cap_err *err)
{
    strbuf out = STRBUF_INIT;
    int rc = json_emit_indent(&out, cfg, "", "\t", JSON_RAW, err);
    if (rc == 0)
        rc = fsu_mkdirs_for(path, err);
    if (rc == 0)
        rc = fsu_write_atomic(path, out.buf, out.len, 0600, err);
    sb_release(&out);
    return rc;
}

int oci_registry_config_store(const char *path, const char *host, const char *username, const char *password,
                              cap_err *err)
{
    arena *a = arena_new();
    cval *cfg;
    int rc = -1;
    if (read_config(a, path, &cfg, err) == 0) {
        cval *auths = cv_map_get(cfg, "auths");
        if (!cv_is(auths, CV_MAP)) {
            auths = cv_map_new(a);
            cv_map_set(cfg, "auths", auths);
        }
        strbuf up = STRBUF_INIT, b64 = STRBUF_INIT;
        sb_addf(&up, "%s:%s", username, password);
        base64_encode(&b64, up.buf, up.len, B64_STD);
        cval *ent = cv_map_new(a);
        cv_map_set(ent, "auth", cv_string(a, b64.buf, b64.len));
        cv_map_set(auths, host, ent);
        sb_release(&up);
        sb_release(&b64);
        rc = write_config(path, cfg, err);
    }
    arena_free(a);
    return rc;
}

int oci_registry_config_remove(const char *path, const char *host, cap_err *err)
{
    arena *a = arena_new();
    cval *cfg;
    int rc = -1;
    if (read_config(a, path, &cfg, err) == 0) {
        cval *auths = cv_map_get(cfg, "auths");
        if (!cv_is(auths, CV_MAP) || !cv_map_delete(auths, host))
            rc = cap_err_coded(err, CAPSTAN_ENOTFOUND, "not logged in to %s", host);
        else
            rc = write_config(path, cfg, err);
    }
    arena_free(a);
    return rc;
}
