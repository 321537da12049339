/* cmd_version.c — `capstan version`. */
#include "cli.h"
#include "capstan.h"

#include <stdio.h>
#include <string.h>

int cmd_version(int argc, char **argv)
{
    int shortv = 0;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--short") == 0) {
            shortv = 1;
        } else {
            cli_error("unknown flag: %s", argv[i]);
            return EXIT_ERR;
        }
    }
    if (shortv)
        printf("v%s\n", capstan_version());
    else
        printf("version.BuildInfo{Version:\"v%s\", Program:\"capstan\"}\n", capstan_version());
    return EXIT_OK;
}
