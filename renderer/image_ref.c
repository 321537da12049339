/* image_ref.c — image references split, normalised and re-homed, after the
 * grammar of the distribution registry's reference package (normalize.go). */
#include "images.h"

#include <ctype.h>
#include <string.h>

static bool path_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    bool sep = true; /* a component may not start with a separator */
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
            sep = false;
        } else if (c == '.' || c == '_' || c == '-' || c == '/') {
            if (sep && c != '/' && !(i > 0 && s[i - 1] == c && (c == '_' || c == '-')))
                return false;
            if (c == '/' && (sep || i + 1 == n))
                return false;
            sep = true;
        } else {
            return false;
        }
    }
    return !sep;
}

static bool domain_ok(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr(".-:[]", s[i]))
            return false;
    return true;
}

static bool tag_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 128 || !(isalnum((unsigned char)s[0]) || s[0] == '_'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!isalnum((unsigned char)s[i]) && !strchr("_.-", s[i]))
            return false;
    return true;
}

static bool digest_ok(const char *s)
{
    const char *colon = strchr(s, ':');
    if (!colon || colon == s || !colon[1])
        return false;
    for (const char *p = s; p < colon; p++)
        if (!isalnum((unsigned char)*p) && !strchr("+._-", *p))
            return false;
    for (const char *p = colon + 1; *p; p++)
        if (!isxdigit((unsigned char)*p))
            return false;
    return true;
}

int img_ref_parse(arena *a, const char *s, img_ref *out)
{
    size_t n = strlen(s);
    if (n == 0 || n > 4096)
        return -1;
    for (size_t i = 0; i < n; i++)
        if (isspace((unsigned char)s[i]) || (unsigned char)s[i] < 0x20 || (unsigned char)s[i] >= 0x7f)
            return -1;
    const char *at = strchr(s, '@');
    size_t name_len = at ? (size_t)(at - s) : n;
    out->digest = at ? arena_strdup(a, at + 1) : "";
    if (at && !digest_ok(out->digest))
        return -1;
    char *name = arena_strndup(a, s, name_len);
    char *slash = strrchr(name, '/');
    char *colon = strrchr(slash ? slash : name, ':');
    out->tag = "";
    if (colon) {
        *colon = 0;
        out->tag = colon + 1;
        if (!tag_ok(out->tag))
            return -1;
    }
    char *first = strchr(name, '/');
    const char *path = name;
    out->registry = "docker.io";
    if (first) {
        size_t dl = (size_t)(first - name);
        bool upper = false;
        for (size_t i = 0; i < dl; i++)
            upper = upper || isupper((unsigned char)name[i]);
        if (memchr(name, '.', dl) || memchr(name, ':', dl) || (dl == 9 && memcmp(name, "localhost", 9) == 0) ||
            upper) {
            if (!domain_ok(name, dl))
                return -1;
            out->registry = arena_strndup(a, name, dl);
            path = first + 1;
        }
    }
    if (strcmp(out->registry, "index.docker.io") == 0)
        out->registry = "docker.io";
    if (!path_ok(path, strlen(path)))
        return -1;
    if (strcmp(out->registry, "docker.io") == 0 && !strchr(path, '/'))
        path = arena_printf(a, "library/%s", path);
    out->repository = path;
    return 0;
}

const char *img_ref_full(arena *a, const img_ref *r)
{
    return arena_printf(a, "%s/%s%s%s%s%s", r->registry, r->repository, *r->tag ? ":" : "", r->tag,
                        *r->digest ? "@" : (*r->tag ? "" : ":latest"), r->digest);
}

const char *img_ref_rewrite(arena *a, const char *s, const char *registry)
{
    img_ref r;
    if (img_ref_parse(a, s, &r) != 0)
        return NULL;
    return arena_printf(a, "%s/%s%s%s%s%s", registry, r.repository, *r.tag ? ":" : "", r.tag, *r.digest ? "@" : "",
                        r.digest);
}
