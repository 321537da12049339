/* fuzz_tmpl_parse.c — libFuzzer target for the template lexer and parser.
 *
 *   tests/fuzz/run [SECONDS]     builds it with clang (-fsanitize=fuzzer,address,undefined)
 *                                and runs it on tests/fuzz/corpus/
 */
#include <stddef.h>
#include <stdint.h>

int tmpl_parse_only(const char *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    tmpl_parse_only((const char *)data, size);
    return 0;
}
