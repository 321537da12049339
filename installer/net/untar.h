/* untar.h — unpack a chart archive into a folder, all or nothing. */
#ifndef CAPSTAN_UNTAR_H
#define CAPSTAN_UNTAR_H

#include "core/err.h"

/* Unpack the chart archive tgz (named `shown` in errors, e.g. its URL; NULL:
 * tgz) into dir/NAME (NAME: its Chart.yaml's name),
 * as helm's chartutil.ExpandFile: the archive is read and checked whole first
 * (the chart loader's path checks and size limits; a Chart.yaml with a name
 * is required), written into a temporary folder in dir, then renamed to
 * dir/NAME, which must not exist. On failure nothing is left (dir itself may
 * have been created). */
int fsu_untar(const char *tgz, const char *shown, const char *dir, cap_err *err);

#endif
