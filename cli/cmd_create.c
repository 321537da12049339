/* cmd_create.c — `capstan create NAME`: helm create's scaffold. */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdio.h>
#include <string.h>

static void out_line(void *ctx, const char *line)
{
    (void)ctx;
    printf("%s\n", line); /* helm writes its overwrite warnings to stdout */
}

int cmd_create(int argc, char **argv)
{
    for (int i = 1; i < argc; i++)
        if (argv[i][0] == '-' && argv[i][1]) {
            flags_unknown(argv[i]);
            return EXIT_ERR;
        }
    if (argc != 2) {
        cli_error("\"capstan create\" requires 1 argument");
        return EXIT_ERR;
    }
    printf("Creating %s\n", argv[1]);
    fflush(stdout);
    capstan_create_opts o = {.size = sizeof o, .log = out_line};
    capstan_error e = {0};
    if (capstan_create(argv[1], &o, &e) < 0) {
        cli_error("%s", e.msg ? e.msg : "failed");
        capstan_error_clear(&e);
        return EXIT_ERR;
    }
    return EXIT_OK;
}
