/* helm_paths.h — where helm keeps its files (helm's helmpath package, on Linux). */
#ifndef CAPSTAN_HELM_PATHS_H
#define CAPSTAN_HELM_PATHS_H

#include "core/strbuf.h"

/* helmpath.DataPath(sub): $HELM_DATA_HOME/sub, else $XDG_DATA_HOME/helm/sub, else
 * $HOME/.local/share/helm/sub; appended to out. */
void helm_data_path(strbuf *out, const char *sub);

#endif
