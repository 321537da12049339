/* fuzz_schema.c — the values-schema validator (renderer/chart/values_schema.c): the
 * input is a values.schema.json, a NUL, and a values document (YAML) checked
 * against it. Either a schema error, or the problems found, or none. */
#include "fuzz.h"

#include "core/arena.h"
#include "core/strbuf.h"
#include "renderer/chart/values.h"
#include "core/yaml.h"

FUZZ_TARGET(schema)
{
    fuzz_pair in = fuzz_split(data, size); /* the schema, the values */
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    cval *vals = NULL;
    if (yaml_parse_map(a, in.second, in.second_len, "values.yaml", &vals, &err) != 0) {
        cap_err_clear(&err);
        vals = cv_map_new(a);
    }
    strbuf problems = STRBUF_INIT;
    int rc = values_validate_schema(a, in.first, in.first_len, "fuzz", vals, &problems, &err);
    FUZZ_CHECK(rc == -1 ? err.msg != NULL : err.msg == NULL);
    FUZZ_CHECK(rc == 1 ? problems.len > 0 : rc == 0 || rc == -1);
    sb_release(&problems);
    cap_err_clear(&err);
    arena_free(a);
    fuzz_pair_free(&in);
    return 0;
}
