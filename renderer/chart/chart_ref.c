/* chart_ref.c — capstan_chart_ref_is_remote (capstan.h): whether a chart
 * reference is a local path or must be located (installer/net/chart_locate.c). */
#include "capstan.h"

#include <string.h>
#include <sys/stat.h>

bool capstan_chart_ref_is_remote(const char *ref, const char *repo_url)
{
    if (repo_url && *repo_url)
        return true;
    while (*ref == ' ' || *ref == '\t')
        ref++;
    struct stat st;
    return !(stat(ref, &st) == 0 || ref[0] == '/' || ref[0] == '.');
}
