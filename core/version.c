/* version.c — the library's version. */
#include "capstan.h"

const char *capstan_version(void)
{
    return CAPSTAN_VERSION;
}
