/* fuzz_tmpl_parse.c — the template lexer and parser (renderer/engine/tmpl_lex.c,
 * tmpl_parse.c): every input parses or fails with an error. */
#include "fuzz.h"

int tmpl_parse_only(const char *data, size_t len);

FUZZ_TARGET(tmpl_parse)
{
    int rc = tmpl_parse_only((const char *)data, size);
    FUZZ_CHECK(rc == 0 || rc == -1);
    return 0;
}
