/* table.c — helm's uitable output: every cell padded to its column's width,
 * columns joined by a tab (the last one padded too). */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Display width of UTF-8 text (one column per code point). */
static size_t width(const char *s)
{
    size_t w = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            w++;
    return w;
}

void cli_table_print(FILE *out, const char *const *cells, size_t ncols, size_t nrows)
{
    size_t *wd = calloc(ncols ? ncols : 1, sizeof *wd);
    for (size_t r = 0; r < nrows; r++)
        for (size_t c = 0; c < ncols; c++) {
            size_t w = width(cells[r * ncols + c]);
            if (w > wd[c])
                wd[c] = w;
        }
    for (size_t r = 0; r < nrows; r++) {
        for (size_t c = 0; c < ncols; c++) {
            const char *s = cells[r * ncols + c];
            fputs(s, out);
            for (size_t k = width(s); k < wd[c]; k++)
                fputc(' ', out);
            if (c + 1 < ncols)
                fputc('\t', out);
        }
        fputc('\n', out);
    }
    free(wd);
}
