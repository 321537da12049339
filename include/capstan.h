/* capstan.h — the public C API of libcapstan.
 *
 * libcapstan renders Helm charts exactly as `helm template` does and installs
 * them on a Kubernetes cluster. The capstan program is one client of it.
 *
 * Conventions: functions return 0 on success and -1 on error, filling the
 * caller's capstan_error. Objects a function returns are owned by the caller
 * and released with the matching _free function.
 */
#ifndef CAPSTAN_H
#define CAPSTAN_H

#ifdef __cplusplus
extern "C" {
#endif

#define CAPSTAN_VERSION "0.1.0"

/* The version of the library, e.g. "0.1.0". */
const char *capstan_version(void);

#ifdef __cplusplus
}
#endif

#endif
