/* fuzz_tmpfile.h — for readers that take a path: the input written to a file
 * in a directory of this process's own (removed at exit). */
#ifndef CAPSTAN_FUZZ_TMPFILE_H
#define CAPSTAN_FUZZ_TMPFILE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static char fuzz_tmpdir_path[256];

static void fuzz_tmpdir_remove(void)
{
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fuzz_tmpdir_path);
    if (system(cmd) != 0)
        fprintf(stderr, "cannot remove %s\n", fuzz_tmpdir_path);
}

/* DIR/name holding the bytes; the same DIR for the whole process. */
static const char *fuzz_tmpfile(const char *name, const uint8_t *data, size_t size)
{
    static char path[512];
    if (!fuzz_tmpdir_path[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(fuzz_tmpdir_path, sizeof fuzz_tmpdir_path, "%s/capstan-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(fuzz_tmpdir_path))
            abort();
        atexit(fuzz_tmpdir_remove);
    }
    snprintf(path, sizeof path, "%s/%s", fuzz_tmpdir_path, name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0)
        abort();
    return path;
}

#endif
