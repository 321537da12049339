#include "unit.h"
static void nothing(void **s){(void)s;}
static const struct CMUnitTest tests[] = {cmocka_unit_test(nothing)};
UNIT_MAIN(tests)
