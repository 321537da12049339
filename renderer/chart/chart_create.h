/* chart_create.h — helm create's scaffold (chart_create_files.c) and the code that writes it. */
#ifndef CAPSTAN_CHART_CREATE_H
#define CAPSTAN_CHART_CREATE_H

#include <stddef.h>

typedef struct chart_create_file {
    const char *path;     /* relative to the chart directory */
    const char *content;  /* with <CHARTNAME> for the chart's name */
} chart_create_file;

/* helm 4.1.4's files, in the order helm writes them; ends with {NULL, NULL}. */
extern const chart_create_file chart_create_files[];

#endif
