/* placeholder */
#include "unit.h"
static void t(void **s) { (void)s; }
static const struct CMUnitTest tests[] = { cmocka_unit_test(t) };
UNIT_MAIN(tests)
