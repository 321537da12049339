/* unit.h — shared by the cmocka unit tests: includes, and a main that ends
 * with the line "N passed, N failed" that tests/run-all sums. */
#ifndef CAPSTAN_UNIT_H
#define CAPSTAN_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#define UNIT_MAIN(tests)                                                        \
    int main(void)                                                              \
    {                                                                           \
        size_t n = sizeof(tests) / sizeof((tests)[0]);                          \
        int failed = cmocka_run_group_tests(tests, NULL, NULL);                 \
        printf("%zu passed, %d failed\n", n - (size_t)failed, failed);          \
        return failed ? 1 : 0;                                                  \
    }

#endif
