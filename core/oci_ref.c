/* oci_ref.c — see oci_ref.h. */
#include "core/oci_ref.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

static bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
static bool is_hex_lower(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

/* One path component: [a-z0-9]+ ((\.|_|__|-+)[a-z0-9]+)* */
static const char *check_component(const char *s, size_t n)
{
    if (n == 0)
        return "empty path component";
    size_t i = 0;
    while (i < n) {
        if (!is_lower_alnum(s[i])) {
            if (isupper((unsigned char)s[i]))
                return "repository name must be lowercase";
            return "invalid repository name";
        }
        while (i < n && is_lower_alnum(s[i]))
            i++;
        if (i == n)
            break;
        /* a separator */
        if (s[i] == '.')
            i++;
        else if (s[i] == '_') {
            i++;
            if (i < n && s[i] == '_')
                i++;
        } else if (s[i] == '-') {
            while (i < n && s[i] == '-')
                i++;
        } else if (isupper((unsigned char)s[i]))
            return "repository name must be lowercase";
        else
            return "invalid repository name";
        if (i == n)
            return "invalid repository name";
    }
    return NULL;
}

/* host: dns labels joined by '.', or [ipv6]; then an optional :port. */
static const char *check_host(const char *s, size_t n)
{
    if (n == 0)
        return "empty registry";
    size_t i = 0;
    if (s[0] == '[') {
        while (i < n && s[i] != ']') {
            if (!(isxdigit((unsigned char)s[i]) || s[i] == ':' || s[i] == '.' || s[i] == '['))
                return "invalid registry";
            i++;
        }
        if (i == n)
            return "invalid registry";
        i++;
    } else {
        for (;;) {
            size_t st = i;
            while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-'))
                i++;
            if (i == st || s[st] == '-' || s[i - 1] == '-')
                return "invalid registry";
            if (i < n && s[i] == '.') {
                i++;
                continue;
            }
            break;
        }
    }
    if (i < n && s[i] == ':') {
        i++;
        size_t st = i;
        while (i < n && isdigit((unsigned char)s[i]))
            i++;
        if (i == st)
            return "invalid registry port";
    }
    return i == n ? NULL : "invalid registry";
}

static const char *check_tag(const char *t)
{
    size_t n = strlen(t);
    if (n == 0)
        return "empty tag";
    if (n > 128)
        return "tag is longer than 128 characters";
    for (size_t i = 0; i < n; i++) {
        char c = t[i];
        bool ok = isalnum((unsigned char)c) || c == '_' || (i > 0 && (c == '.' || c == '-'));
        if (!ok)
            return "invalid tag";
    }
    return NULL;
}

bool oci_digest_valid(const char *d)
{
    size_t want;
    const char *hex;
    if (!d)
        return false;
    if (strncmp(d, "sha256:", 7) == 0) {
        hex = d + 7;
        want = 64;
    } else if (strncmp(d, "sha512:", 7) == 0) {
        hex = d + 7;
        want = 128;
    } else
        return false;
    size_t i = 0;
    for (; hex[i]; i++)
        if (!is_hex_lower(hex[i]))
            return false;
    return i == want;
}

static bool looks_like_host(const char *s, size_t n)
{
    if (n == 9 && memcmp(s, "localhost", 9) == 0)
        return true;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '.' || s[i] == ':' || s[i] == '[' || isupper((unsigned char)s[i]))
            return true;
    return false;
}

int oci_ref_parse(const char *s, int flags, oci_ref *out, cap_err *err)
{
    memset(out, 0, sizeof *out);
    const char *input = s ? s : "";
    const char *why = NULL;
    if (strncmp(input, "oci://", 6) == 0)
        s = input + 6;
    else
        s = input;
    char *work = xstrdup(s);
    char *digest = NULL, *tag = NULL;
    char *at = strrchr(work, '@');
    if (at) {
        *at = '\0';
        digest = at + 1;
        if (!oci_digest_valid(digest)) {
            why = "invalid digest";
            goto fail;
        }
    }
    char *colon = strrchr(work, ':');
    if (colon && !strchr(colon, '/')) {
        *colon = '\0';
        tag = colon + 1;
        if (flags & OCI_REF_PLUS_TAG)
            for (char *p = tag; *p; p++)
                if (*p == '+')
                    *p = '_';
        if ((why = check_tag(tag)))
            goto fail;
    }
    if (!*work) {
        why = "empty name";
        goto fail;
    }
    char *slash = strchr(work, '/');
    const char *host = NULL, *path = work;
    size_t host_len = 0;
    if (flags & OCI_REF_NEED_HOST) {
        if (!slash) {
            why = "no repository after the registry (want HOST/REPOSITORY)";
            goto fail;
        }
        host = work;
        host_len = (size_t)(slash - work);
        path = slash + 1;
    } else if (slash && looks_like_host(work, (size_t)(slash - work))) {
        host = work;
        host_len = (size_t)(slash - work);
        path = slash + 1;
    }
    if (host && (why = check_host(host, host_len)))
        goto fail;
    if (strlen(path) > 255) {
        why = "repository name is longer than 255 characters";
        goto fail;
    }
    for (const char *p = path;;) {
        const char *e = strchr(p, '/');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if ((why = check_component(p, n)))
            goto fail;
        if (!e)
            break;
        p = e + 1;
    }
    if (host) {
        out->registry = xstrndup(host, host_len);
        if (!(flags & OCI_REF_NEED_HOST) && strcmp(out->registry, "index.docker.io") == 0) {
            free(out->registry);
            out->registry = xstrdup("docker.io");
        }
    } else
        out->registry = xstrdup("docker.io");
    if (strcmp(out->registry, "docker.io") == 0 && !(flags & OCI_REF_NEED_HOST) && !strchr(path, '/')) {
        strbuf b = STRBUF_INIT;
        sb_addf(&b, "library/%s", path);
        out->repository = sb_detach(&b, NULL);
    } else
        out->repository = xstrdup(path);
    if (tag)
        out->tag = xstrdup(tag);
    else if (!digest && (flags & OCI_REF_DEFAULT_TAG))
        out->tag = xstrdup("latest");
    if (digest)
        out->digest = xstrdup(digest);
    free(work);
    return 0;
fail:
    free(work);
    return cap_err_set(err, "invalid reference \"%s\": %s", input, why);
}

void oci_ref_release(oci_ref *r)
{
    free(r->registry);
    free(r->repository);
    free(r->tag);
    free(r->digest);
    memset(r, 0, sizeof *r);
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

void oci_ref_copy(oci_ref *dst, const oci_ref *src)
{
    dst->registry = dup_or_null(src->registry);
    dst->repository = dup_or_null(src->repository);
    dst->tag = dup_or_null(src->tag);
    dst->digest = dup_or_null(src->digest);
}

static void add_suffix(strbuf *b, const oci_ref *r)
{
    if (r->tag)
        sb_addf(b, ":%s", r->tag);
    if (r->digest)
        sb_addf(b, "@%s", r->digest);
}

char *oci_ref_format(const oci_ref *r)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/%s", r->registry, r->repository);
    add_suffix(&b, r);
    return sb_detach(&b, NULL);
}

char *oci_ref_familiar(const oci_ref *r)
{
    strbuf b = STRBUF_INIT;
    if (strcmp(r->registry, "docker.io") == 0) {
        const char *p = r->repository;
        if (strncmp(p, "library/", 8) == 0 && !strchr(p + 8, '/'))
            p += 8;
        sb_adds(&b, p);
    } else
        sb_addf(&b, "%s/%s", r->registry, r->repository);
    add_suffix(&b, r);
    return sb_detach(&b, NULL);
}

char *oci_ref_name(const oci_ref *r)
{
    strbuf b = STRBUF_INIT;
    sb_addf(&b, "%s/%s", r->registry, r->repository);
    return sb_detach(&b, NULL);
}

const char *oci_ref_reference(const oci_ref *r)
{
    return r->tag ? r->tag : r->digest;
}

const char *oci_ref_endpoint(const oci_ref *r)
{
    if (strcmp(r->registry, "docker.io") == 0 || strcmp(r->registry, "index.docker.io") == 0)
        return "registry-1.docker.io";
    return r->registry;
}

bool oci_host_is_loopback(const char *registry)
{
    size_t n = strcspn(registry, ":");
    if (registry[0] == '[')
        return strncmp(registry, "[::1]", 5) == 0;
    if (n == 9 && strncmp(registry, "localhost", 9) == 0)
        return true;
    return strncmp(registry, "127.", 4) == 0;
}

char *oci_ref_rehost(const char *image, const char *prefix, cap_err *err)
{
    oci_ref r;
    if (oci_ref_parse(image, 0, &r, err) < 0)
        return NULL;
    size_t pl = strlen(prefix);
    while (pl > 0 && prefix[pl - 1] == '/')
        pl--;
    strbuf b = STRBUF_INIT;
    sb_add(&b, prefix, pl);
    sb_addf(&b, "/%s", r.repository);
    add_suffix(&b, &r);
    oci_ref_release(&r);
    return sb_detach(&b, NULL);
}
