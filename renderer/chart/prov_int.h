/* prov_int.h — the signing step capstan_package (package_api.c) calls. */
#ifndef CAPSTAN_PROV_INT_H
#define CAPSTAN_PROV_INT_H

#include "capstan.h"
#include "core/err.h"

/* helm's Package.Clearsign of the archive just written, with o's key, keyring
 * and passphrase: ARCHIVE.prov. */
int prov_package_sign(const char *archive, const capstan_package_opts *o, cap_err *err);

#endif
