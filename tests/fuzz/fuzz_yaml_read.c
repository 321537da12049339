/* fuzz_yaml_read.c — the YAML reader (core/yaml_read.c) through each of its
 * entry points: sigs.k8s.io/yaml's Unmarshal (yaml_parse, its map and list
 * forms), the typed reader (yaml_parse_raw), values files split at "---"
 * (yaml_parse_values) and whole streams (yaml_parse_all); what reads is
 * written back with toYaml and toYamlPretty. Every call succeeds with a value
 * or fails with a message. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/strbuf.h"
#include "core/yaml.h"

typedef int (*yaml_reader)(arena *, const char *, size_t, const char *, cval **, cap_err *);

static void read_one(yaml_reader rd, const char *text, size_t len)
{
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *v = NULL;
    int rc = rd(a, text, len, "fuzz.yaml", &v, &err);
    FUZZ_CHECK(rc == 0 || rc == -1);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && v != NULL : err.msg != NULL);
    if (rc == 0) {
        strbuf sb = STRBUF_INIT;
        cap_err e2 = CAP_ERR_INIT;
        if (v->kind != CV_OBJECT)
            (void)yaml_emit(&sb, v, &e2);
        cap_err_clear(&e2);
        sb_reset(&sb);
        (void)yaml_emit_pretty(&sb, v, &e2);
        cap_err_clear(&e2);
        sb_release(&sb);
    }
    cap_err_clear(&err);
    arena_free(a);
}

FUZZ_TARGET(yaml_read)
{
    char *text = fuzz_cstr(data, size);
    read_one(yaml_parse, text, size);
    read_one(yaml_parse_map, text, size);
    read_one(yaml_parse_list, text, size);
    read_one(yaml_parse_raw, text, size);
    read_one(yaml_parse_values, text, size);
    read_one(yaml_parse_all, text, size);
    free(text);
    return 0;
}
