/* chart_create_write.c — one file of a new chart, written as helm's create writes it
 * (its folder made first, the file 0644), the chart's name put in. */
#include "renderer/chart/chart_create.h"
#include "core/fsutil.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

int chart_create_write(const char *path, const char *content, size_t len, const char *name, cap_err *e)
{
    if (fsu_mkdirs_for(path, NULL) < 0)
        return cap_err_set(e, "mkdir %s: %s", path, strerror(errno));
    FILE *f = fopen(path, "w");
    if (!f)
        return cap_err_set(e, "open %s: %s", path, strerror(errno));
    static const char mark[] = "<CHARTNAME>";
    const char *p = content, *end = content + len;
    while (p < end) {
        const char *m = name ? memmem(p, (size_t)(end - p), mark, sizeof mark - 1) : NULL;
        size_t n = m ? (size_t)(m - p) : (size_t)(end - p);
        fwrite(p, 1, n, f);
        if (!m)
            break;
        fputs(name, f);
        p = m + sizeof mark - 1;
    }
    if (fclose(f) != 0)
        return cap_err_set(e, "write %s: %s", path, strerror(errno));
    chmod(path, 0644);
    return 0;
}
