/* helm_paths.c — helm's data folder, found as helm finds it. */
#include "core/helm_paths.h"

#include <stdlib.h>

void helm_data_path(strbuf *out, const char *sub)
{
    const char *h = getenv("HELM_DATA_HOME"), *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (h && *h)
        sb_adds(out, h);
    else if (x && *x)
        sb_addf(out, "%s/helm", x);
    else
        sb_addf(out, "%s/.local/share/helm", home ? home : "");
    sb_addf(out, "/%s", sub);
}
