/* sprig_extra_util.h — helpers shared by the sprig-extra unit tests: call a
 * function from a table by name, and print results as Helm's toJson would. */
#ifndef SPRIG_EXTRA_UTIL_H
#define SPRIG_EXTRA_UTIL_H

#include <stdio.h>
#include <string.h>

#include "core/strbuf.h"
#include "core/value.h"

/* Call NAME from table; on failure returns NULL and *err = the message. */
static inline cval *tcall(arena *a, const cv_fnreg *table, const char *name, int argc, cval **argv,
                          const char **err)
{
    for (const cv_fnreg *r = table; r->name; r++) {
        if (strcmp(r->name, name) != 0)
            continue;
        cv_call c = {a, NULL, NULL, name, NULL};
        cval *v = r->fn(&c, argc, argv);
        if (!v && err)
            *err = c.errmsg ? c.errmsg : "(no message)";
        return v;
    }
    if (err)
        *err = "no such function";
    return NULL;
}

/* Call a method of an object. */
static inline cval *tmethod(arena *a, cval *obj, const char *name, int argc, cval **argv,
                            const char **err)
{
    for (const cv_fnreg *r = obj->u.obj.cls->methods; r && r->name; r++) {
        if (strcmp(r->name, name) != 0)
            continue;
        cv_call c = {a, NULL, obj->u.obj.self, name, NULL};
        cval *v = r->fn(&c, argc, argv);
        if (!v && err)
            *err = c.errmsg ? c.errmsg : "(no message)";
        return v;
    }
    if (err)
        *err = "no such method";
    return NULL;
}

/* Go's encoding/json string escaping (HTML-safe, as toJson writes). */
static inline void tjson_str(strbuf *o, const char *s, size_t n)
{
    static const char hex[] = "0123456789abcdef";
    sb_addc(o, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            sb_addc(o, '\\');
            sb_addc(o, (char)c);
        } else if (c == '\n') {
            sb_adds(o, "\\n");
        } else if (c == '\r') {
            sb_adds(o, "\\r");
        } else if (c == '\t') {
            sb_adds(o, "\\t");
        } else if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            sb_adds(o, "\\u00");
            sb_addc(o, hex[c >> 4]);
            sb_addc(o, hex[c & 15]);
        } else {
            sb_addc(o, (char)c);
        }
    }
    sb_addc(o, '"');
}

/* toJson of strings, bools, ints, lists of those, and objects with a
 * format function (printed as a JSON string: semver's MarshalJSON). */
static inline void tjson(strbuf *o, const cval *v)
{
    switch (v->kind) {
    case CV_STRING: tjson_str(o, v->u.str.s, v->u.str.len); break;
    case CV_BOOL: sb_adds(o, v->u.b ? "true" : "false"); break;
    case CV_INT: sb_addf(o, "%lld", (long long)v->u.i); break;
    case CV_UINT: sb_addf(o, "%llu", (unsigned long long)v->u.u); break;
    case CV_NIL: sb_adds(o, "null"); break;
    case CV_LIST:
        if (cv_list_len(v) == 0 && v->gotype && strcmp(v->gotype, "[]string") == 0) {
            sb_adds(o, "[]");
            break;
        }
        sb_addc(o, '[');
        for (size_t i = 0; i < cv_list_len(v); i++) {
            if (i)
                sb_addc(o, ',');
            tjson(o, cv_list_get(v, i));
        }
        sb_addc(o, ']');
        break;
    case CV_OBJECT: {
        arena *a = arena_new();
        cval *j = tmethod(a, (cval *)v, "MarshalJSON", 0, NULL, NULL);
        if (j) {
            sb_add(o, j->u.str.s, j->u.str.len);
            arena_free(a);
            break;
        }
        arena_free(a);
        strbuf t = STRBUF_INIT;
        v->u.obj.cls->format(&t, v->u.obj.self);
        tjson_str(o, t.buf ? t.buf : "", t.len);
        sb_release(&t);
        break;
    }
    default: sb_adds(o, "?"); break;
    }
}

#endif
