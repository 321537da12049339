/* progress.h — an operation's structured progress (capstan_progress_event),
 * handed to the caller's callback.
 *
 * A progress is owned by the operation (on its stack); it borrows the
 * callback. progress_on() says whether events are wanted: when not, callers
 * keep writing their text lines to the log stream as before.
 */
#ifndef CAPSTAN_PROGRESS_H
#define CAPSTAN_PROGRESS_H

#include <stdbool.h>

#include "capstan.h"
#include "installer/release/ready.h"

typedef struct progress {
    capstan_progress_fn fn;  /* NULL: no events */
    void *ctx;
    long t0_ms;              /* monotonic start of the operation */
    long log_lines;          /* diagnostics: container log lines; <0: none */
} progress;

/* A progress starting now; log_lines 0 means CAPSTAN_DEFAULT_LOG_LINES. */
progress progress_start(capstan_progress_fn fn, void *ctx, long log_lines);

static inline bool progress_on(const progress *p) { return p && p->fn; }

/* Fill size and elapsed_ms, and hand ev to the callback (when on). */
void progress_emit(const progress *p, capstan_progress_event ev);

/* The state word of an object event: "waiting" when not seen yet, else
 * "progressing", "ready", "failed" or "terminating". */
const char *progress_state_word(ready_state s, bool seen);

#endif
