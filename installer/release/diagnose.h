/* diagnose.h — why an object failed or is not ready, as text for a person.
 *
 * diagnose_object() reads the object and writes what explains its state:
 *   - its status conditions (type=status, reason, message);
 *   - the Warning events of the object, of its pods and (for a Deployment)
 *     of its ReplicaSets, the same reason and message counted once;
 *   - the last log_lines lines of each failing container of its pods (a
 *     Job's, a workload's by its selector, or the Pod itself): one that is
 *     waiting after a crash (CrashLoopBackOff) or was restarted gets its
 *     previous run's log (previous=true), one that terminated with an error
 *     its own. Containers that never ran (an image that cannot be pulled)
 *     have no log. Read through the API server's pods/log.
 * Secret data is never read: only conditions, events and logs are printed.
 * A failure to read any part (e.g. no permission to list events) becomes a
 * line of the text; the function itself cannot fail.
 */
#ifndef CAPSTAN_DIAGNOSE_H
#define CAPSTAN_DIAGNOSE_H

#include "installer/kube/kube_api.h"
#include "core/strbuf.h"

/* Append the diagnostics of one object to out: a header line
 * "KIND/NAME (namespace NS): why" and indented lines. log_lines <= 0: no logs. */
void diagnose_object(kube_api *api, arena *a, const char *api_version, const char *kind, const char *ns,
                     const char *name, const char *why, long log_lines, strbuf *out);

#endif
