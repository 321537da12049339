/* tagged_values.h — test values written as tagged JSON, shared by the unit
 * tests whose expected output Go printed (test_gofmt, test_json, test_toml). */
#ifndef CAPSTAN_TAGGED_VALUES_H
#define CAPSTAN_TAGGED_VALUES_H

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "core/value.h"

static size_t unhex(const char *h, char *out)
{
    size_t n = 0;
    for (; h[0] && h[1]; h += 2) {
        unsigned v;
        sscanf(h, "%2x", &v);
        out[n++] = (char)v;
    }
    return n;
}

/* Tagged JSON arguments: ["n"] nil, ["nv"] no value, ["b",true], ["i","42"]
 * int64, ["I","7"] int, ["u8","1"] uint8, ["u","1"] uint64, ["f","1e21"],
 * ["s","x"], ["sx","hex"] string, ["B","hex"] []byte, ["l",[...]] list,
 * ["L",["a"]] []string, ["m",{...}] map. */
static cval *tagged_value(arena *a, json_t *j)
{
    const char *t = json_string_value(json_array_get(j, 0));
    json_t *x = json_array_get(j, 1);
    const char *xs = json_string_value(x);
    char buf[256];
    if (!strcmp(t, "n")) return cv_nil();
    if (!strcmp(t, "nv")) return cv_novalue();
    if (!strcmp(t, "b")) return cv_bool(json_is_true(x));
    if (!strcmp(t, "i")) return cv_int(a, strtoll(xs, NULL, 10));
    if (!strcmp(t, "I")) return cv_goint(a, strtoll(xs, NULL, 10));
    if (!strcmp(t, "u8")) return cv_uint(a, strtoull(xs, NULL, 10), "uint8");
    if (!strcmp(t, "u")) return cv_uint(a, strtoull(xs, NULL, 10), NULL);
    if (!strcmp(t, "f")) return cv_float(a, strtod(xs, NULL));
    if (!strcmp(t, "s")) return cv_string(a, xs, json_string_length(x));
    if (!strcmp(t, "sx")) return cv_string(a, buf, unhex(xs, buf));
    if (!strcmp(t, "B")) return cv_bytes(a, buf, unhex(xs, buf));
    if (!strcmp(t, "l") || !strcmp(t, "L")) {
        cval *l = cv_list_new(a, 0);
        size_t k;
        json_t *e;
        json_array_foreach(x, k, e)
            cv_list_push(l, t[0] == 'l' ? tagged_value(a, e) : cv_cstring(a, json_string_value(e)));
        if (t[0] == 'L')
            l->gotype = "[]string";
        return l;
    }
    if (!strcmp(t, "m")) {
        cval *m = cv_map_new(a);
        const char *key;
        json_t *e;
        json_object_foreach(x, key, e)
            cv_map_set(m, key, tagged_value(a, e));
        return m;
    }
    fail_msg("bad tag %s", t);
    return NULL;
}

#endif
