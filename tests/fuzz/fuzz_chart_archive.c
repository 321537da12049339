/* fuzz_chart_archive.c — a chart archive loaded from memory
 * (renderer/chart/chart_load.c: libarchive, then capstan's checks on names, links,
 * sizes, and the chart's files). The input is the tar stream, which is
 * gzipped here so that the fuzzer works on the tar headers and not on
 * deflate's bits; an input that already starts as gzip (1f 8b 08) is given
 * as it is. */
#include "fuzz.h"

#include "core/arena.h"
#include "renderer/chart/chart.h"

#include "fuzz_gzip.h"

FUZZ_TARGET(chart_archive)
{
    size_t len = size;
    unsigned char *gz = NULL;
    const void *bytes = data;
    if (!(size >= 3 && data[0] == 0x1f && data[1] == 0x8b && data[2] == 0x08))
        bytes = gz = fuzz_gzip(data, size, &len);
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    chart *c = NULL;
    int rc = chart_load_archive(a, bytes, len, "fuzz.tgz", &c, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && c != NULL : rc == -1 && err.msg != NULL);
    cap_err_clear(&err);
    arena_free(a);
    free(gz);
    return 0;
}
