/* progress_view.h — how install, upgrade, rollback, uninstall and test show
 * their progress on stderr (--progress=auto|tty|plain|json).
 *
 *   plain  one line per change, as capstan always printed them
 *   tty    one status block redrawn in place (ANSI: cursor up, erase): the
 *          current wave or hook, each object's state and the elapsed time;
 *          other lines (applied objects, diagnostics) scroll above it
 *   json   one JSON object per line (JSON Lines) per event, for CI
 *   auto   tty when stderr is a terminal, NO_COLOR is unset or empty and
 *          TERM is set and not "dumb"; plain otherwise
 *
 * Nothing goes to stdout. The view owns the log stream it hands out.
 */
#ifndef CAPSTAN_PROGRESS_VIEW_H
#define CAPSTAN_PROGRESS_VIEW_H

#include <stdbool.h>
#include <stdio.h>

#include "capstan.h"

typedef enum { PROGRESS_AUTO, PROGRESS_PLAIN, PROGRESS_TTY, PROGRESS_JSON } progress_mode;

typedef struct progress_view progress_view;

/* "auto", "tty", "plain" or "json"; -1 for anything else. */
int progress_mode_parse(const char *s, progress_mode *out);

/* A view writing to out (stderr); mode AUTO is resolved here. */
progress_view *progress_view_new(progress_mode mode, FILE *out);

/* The stream for the library's text lines (capstan_*_opts.log). */
FILE *progress_view_log(progress_view *v);

/* The callback (capstan_progress_fn) with the view as its ctx. */
void progress_view_event(void *ctx, const capstan_progress_event *ev);

/* Leave the last status block on the screen, close the log stream, free.
 * error: the operation's error message, or NULL when it succeeded; in json
 * mode it becomes the last event ({"type":"error","message":...}) and true
 * is returned (the caller prints no text line); else false. */
bool progress_view_end(progress_view *v, const char *error);

/* The flags every command with progress takes, and their help lines. */
#define PROGRESS_LONGOPTS                                   \
    {"progress", required_argument, NULL, PV_PROGRESS},     \
    {"log-lines", required_argument, NULL, PV_LOG_LINES}
enum { PV_PROGRESS = 4000, PV_LOG_LINES };
#define PROGRESS_FLAGS_HELP                                                                              \
    "      --progress MODE         auto, tty (a status block redrawn in place), plain or json (JSON\n"  \
    "                              Lines events), all on stderr (default auto)\n"                        \
    "      --log-lines N           log lines of each failing container in diagnostics (default 20)\n"

/* Take a progress flag (PV_*); returns 1 when taken, 0 when not one, -1 (error printed) when bad. */
int progress_flag(int opt, const char *arg, progress_mode *mode, long *log_lines);

#endif
