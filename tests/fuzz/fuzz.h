/* fuzz.h — what every libFuzzer target in tests/fuzz/ shares.
 *
 * A target is written once as
 *     FUZZ_TARGET(name) { ... data, size ... return 0; }
 * and built two ways:
 *   - by tests/fuzz/run with clang -fsanitize=fuzzer,address,undefined, where
 *     it is LLVMFuzzerTestOneInput;
 *   - into tests/unit/test_fuzz_corpus (make check) with -DFUZZ_REPLAY, where
 *     it is fuzz_<name>(), called on every file of tests/fuzz/corpus/<name>/.
 * A target returns 0; it aborts (FUZZ_CHECK) when an invariant of the reader
 * does not hold, so that both the fuzzer and the replay report it.
 */
#ifndef CAPSTAN_FUZZ_H
#define CAPSTAN_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#ifdef FUZZ_REPLAY
#define FUZZ_TARGET(name)                                  \
    int fuzz_##name(const uint8_t *data, size_t size);     \
    int fuzz_##name(const uint8_t *data, size_t size)
#else
#define FUZZ_TARGET(name)                                            \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);    \
    int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
#endif

/* An invariant that must hold for every input. */
#define FUZZ_CHECK(cond)                                                              \
    do {                                                                              \
        if (!(cond)) {                                                                \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #cond); \
            abort();                                                                  \
        }                                                                             \
    } while (0)

/* The input as a NUL-terminated malloc'd copy (most readers take C strings or
 * rely on a NUL after the text). */
static inline char *fuzz_cstr(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    for (size_t i = 0; i < size; i++)
        s[i] = (char)data[i];
    s[size] = '\0';
    return s;
}

/* An input in two parts: before its first NUL byte, and after it (empty when
 * there is none). Both malloc'd, NUL-terminated; fuzz_pair_free frees them. */
typedef struct fuzz_pair {
    char *first, *second;
    size_t first_len, second_len;
} fuzz_pair;

static inline fuzz_pair fuzz_split(const uint8_t *data, size_t size)
{
    size_t i = 0;
    while (i < size && data[i])
        i++;
    fuzz_pair p = {fuzz_cstr(data, i), NULL, i, i < size ? size - i - 1 : 0};
    p.second = fuzz_cstr(data + (i < size ? i + 1 : size), p.second_len);
    return p;
}

static inline void fuzz_pair_free(fuzz_pair *p)
{
    free(p->first);
    free(p->second);
}

#endif
