/* main.c — capstan's entry point: find the subcommand and run it. */
#include "cli.h"
#include "capstan.h"

#include <stdarg.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void usage(FILE *out)
{
    fputs("capstan: a Helm-compatible chart renderer and installer\n\n"
          "Usage: capstan COMMAND [flags]\n\nCommands:\n", out);
    for (const struct cmd *c = cli_commands; c->name; c++)
        if (c->name[0] != '_') /* hidden: __complete */
            fprintf(out, "  %-11s %s%s\n", c->name, c->summary, cli_command_fn(c->name) ? "" : " (not built yet)");
    fputs(cli_global_usage, out);
    fputs("\nRun 'capstan COMMAND --help' for a command's flags.\n", out);
}

static int wants_help(int argc, char **argv)
{
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--") == 0)
            return 0;
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
            return 1;
    }
    return 0;
}

int main(int argc, char **argv)
{
    /* A command lives for milliseconds and frees its arenas just before it
     * exits: glibc giving memory back to the system as it goes (trimming the
     * heap, unmapping big blocks) and taking it again costs system calls and
     * page faults for nothing. The heap grows 4 MiB at a time instead
     * (untouched pages cost no memory). The library sets no such policy. */
    mallopt(M_TRIM_THRESHOLD, 256 << 20);
    mallopt(M_TOP_PAD, 4 << 20);
    mallopt(M_MMAP_THRESHOLD, 64 << 20);
    /* (__complete and __completeNoDesc get the command line being typed as it is) */
    if ((argc < 2 || strncmp(argv[1], "__complete", 10) != 0) && cli_take_globals(&argc, argv) < 0)
        return EXIT_ERR;
    if (argc < 2) {
        usage(stderr);
        return EXIT_USAGE;
    }
    const char *name = argv[1];
    if (strcmp(name, "--help") == 0 || strcmp(name, "-h") == 0 || strcmp(name, "help") == 0) {
        if (argc > 2 && cli_find_command(argv[2])) {
            fputs(cli_find_command(argv[2])->usage, stdout);
            fputs(cli_global_usage, stdout);
            return EXIT_OK;
        }
        usage(stdout);
        return EXIT_OK;
    }
    if (strcmp(name, "--version") == 0)
        name = "version";
    const struct cmd *c = cli_find_command(name);
    if (!c) {
        fprintf(stderr, "Error: unknown command \"%s\" for \"capstan\"\nRun 'capstan --help' for usage.\n", name);
        return EXIT_USAGE;
    }
    if (wants_help(argc - 1, argv + 1)) {
        fputs(c->usage, stdout);
        fputs(cli_global_usage, stdout);
        return EXIT_OK;
    }
    if (!cli_command_fn(c->name)) {
        cli_error("'%s' is not built yet in this version of capstan", c->name);
        return EXIT_ERR;
    }
    return cli_command_fn(c->name)(argc - 1, argv + 1);
}
