/* progress.c — see progress.h. */
#include "installer/release/progress.h"

#include <time.h>

static long mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

progress progress_start(capstan_progress_fn fn, void *ctx, long log_lines)
{
    return (progress){fn, ctx, mono_ms(), log_lines == 0 ? CAPSTAN_DEFAULT_LOG_LINES : log_lines};
}

void progress_emit(const progress *p, capstan_progress_event ev)
{
    if (!progress_on(p))
        return;
    ev.size = sizeof ev;
    ev.elapsed_ms = mono_ms() - p->t0_ms;
    p->fn(p->ctx, &ev);
}

const char *progress_state_word(ready_state s, bool seen)
{
    if (!seen)
        return "waiting";
    switch (s) {
    case READY_IN_PROGRESS: return "progressing";
    case READY_CURRENT: return "ready";
    case READY_FAILED: return "failed";
    case READY_TERMINATING: return "terminating";
    }
    return "progressing";
}
