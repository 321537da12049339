/* chart_create.h — `capstan create`: capstan's own scaffold (chart_create_files.c), the
 * code that writes it (chart_create.c) and helm's --starter (chart_create_starter.c). */
#ifndef CAPSTAN_CHART_CREATE_H
#define CAPSTAN_CHART_CREATE_H

#include <stddef.h>

#include "core/err.h"

typedef struct chart_create_file {
    const char *path;     /* relative to the chart directory */
    const char *content;  /* with <CHARTNAME> for the chart's name */
} chart_create_file;

/* capstan's scaffold, in the order it is written; ends with {NULL, NULL}. */
extern const chart_create_file chart_create_files[];

/* Write len bytes of content to path (its folder made first, 0755; the file 0644),
 * each "<CHARTNAME>" replaced by name (name NULL: written as it is). */
int chart_create_write(const char *path, const char *content, size_t len, const char *name, cap_err *e);

/* helm's CreateFrom: the chart at starter (a folder or a .tgz) saved as the chart
 * `name` in dir/name (made with its parents): Chart.yaml new (helm's defaults for
 * a starter), <CHARTNAME> replaced in values.yaml and the templates, the other files
 * as they are, each subchart as an archive in charts/. */
int chart_create_from(const char *starter, const char *dir, const char *name, cap_err *e);

#endif
