/* tmpl.h — Go's text/template as Helm's engine runs it (pkg/engine).
 *
 * The engine parses every template of a chart and its subcharts into one set
 * (so `include` and `template` see every `define`), then executes each template
 * that is not a partial (a base name starting with '_') and returns its text,
 * with "<no value>" removed as Helm removes it.
 *
 * Ownership: everything tmpl_render() returns lives in the arena it was given.
 * The sources are only read; they must outlive the call.
 */
#ifndef CAPSTAN_TMPL_H
#define CAPSTAN_TMPL_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"
#include "core/value.h"

typedef struct tmpl_source {
    const char *name;      /* full name, e.g. "mychart/templates/deploy.yaml",
                              "mychart/charts/sub/templates/_helpers.tpl" */
    const char *text;
    size_t len;
    cval *dot;             /* the top-level object for this template: a map with
                              Values, Release, Chart, Capabilities, Files, Subcharts.
                              The engine adds Template {Name, BasePath}. */
    const char *basepath;  /* e.g. "mychart/templates" */
} tmpl_source;

/* `lookup` against a cluster: return the object (or a map with "items" for a
 * list), an empty map when not found, or NULL with *errmsg set (arena string). */
typedef cval *(*tmpl_lookup_fn)(void *ctx, arena *a, const char *api_version, const char *kind,
                                const char *ns, const char *name, char **errmsg);

typedef struct tmpl_result tmpl_result;

typedef struct tmpl_opts {
    bool strict;            /* lint --strict: a missing key is an error (missingkey=error) */
    bool lint_mode;         /* `required` and `fail` only warn, as in helm lint */
    tmpl_lookup_fn lookup;  /* NULL: lookup returns an empty map, as helm template does */
    void *lookup_ctx;
    unsigned long seed;     /* non-zero: random functions are reproducible (tests) */
    bool enable_dns;        /* getHostByName resolves (helm's --enable-dns); false: it returns "" */
    /* lint mode: what helm logs instead of failing (level "WARN"/"INFO", msg, and the
     * template's message), as slog.Warn("missing required value", "message", m). NULL: nothing. */
    void (*log)(void *ctx, const char *level, const char *msg, const char *message);
    void *log_ctx;
    /* Work for the calling thread while the render runs: tmpl_render_pre calls
     * side(side_ctx) once the render has started on its thread (after helping
     * with the parsing) and returns when both are done; tmpl_render calls it
     * first. side must not touch the render's arena. NULL: none. */
    void (*side)(void *ctx);
    void *side_ctx;
    /* Non-NULL: once *cancel is true, the render fails ("render cancelled") at
     * its next template, range iteration or template call. */
    const atomic_bool *cancel;
    /* Limits (0: none): the bytes the render's arena may hold, and the
     * milliseconds the execution of templates may take. Exceeding one fails
     * the render with the plain message "render exceeded the memory limit of
     * 2 GiB" or "render exceeded the time limit of 5m" (see tmpl_exec.h). */
    size_t max_memory;
    unsigned long timeout_ms;
    /* Each result as soon as it is made, with its index among the results,
     * once: tmpl_render_pre calls each(each_ctx, r, i, a) on the calling thread
     * after side, while the render goes on, and on the render thread for those
     * the calling thread has not taken by the end; tmpl_render after the
     * render. a is the arena to allocate from (it lives as long as the
     * render's). The results of a render that fails are among them. each may
     * write into r->text (its results are the same objects). NULL: none. */
    void (*each)(void *ctx, tmpl_result *r, size_t i, arena *a);
    void *each_ctx;
} tmpl_opts;

struct tmpl_result {
    const char *name;      /* the template's full name */
    char *text;            /* its output, NUL-terminated, in the arena (the caller may write into it) */
    size_t len;
};

/* Render the set. Results come in Helm's order of execution (sortTemplates:
 * deeper paths first, then names in reverse order); partials are not among
 * them. Each source's dot (when a map) gets "Template" {Name, BasePath} set in
 * place before it runs, as Helm does.
 *
 * On error returns -1 with err->msg exactly as `helm template` prints it after
 * "Error: " (engine.go's cleanupParseError / reformatExecErrorMsg), e.g.
 *   parse error at (mychart/templates/a.yaml:3): missing value for if
 *   execution error at (mychart/templates/a.yaml:1:6): a is required
 *   mychart/templates/a.yaml:3:12
 *     executing "mychart/templates/a.yaml" at <.Values.x.y>:
 *       nil pointer evaluating interface {}.y
 * (multi-line, as helm's TraceableError chain), or text/template's raw message
 * where helm falls back to it (a function's own error):
 *   template: c/templates/a.yaml:1:3: executing "c/templates/a.yaml" at <semver "x">: error calling semver: ...
 * err->file/line/col are the failing node's template file, line and column
 * (Go's column: 0-based byte offset in the line); for parse errors col is 0.
 *
 * Runs on a helper thread with a large stack (joined before returning), so
 * deep templates fail with Go's errors instead of overflowing the C stack. */
int tmpl_render(arena *a, const tmpl_source *srcs, size_t n, const tmpl_opts *opts,
                tmpl_result **out, size_t *nout, cap_err *err);

/* Parsing ahead: tmpl_prerender_new starts the render thread, which waits for
 * sources and parses each (its dot is not read) in an arena of its own while
 * the caller reads the chart and works out the values. add gives one more
 * source (NULL pr: nothing), add_all those of several not given yet (biggest
 * first), close says
 * there are no more (tmpl_render_pre closes too; sources added after close are
 * parsed when the render gets to them, as those never given). tmpl_render_pre
 * then renders on that thread, using the parse of each of its sources that is
 * among these (same name, same text) and parsing the others; its errors are
 * tmpl_render's. The caller must hand the prerender to exactly one of
 * tmpl_render_pre and tmpl_prerender_cancel (which stops the thread and frees
 * it). NULL when no thread can be made: tmpl_render_pre then works as
 * tmpl_render. The sources' names and texts must stay put. */
typedef struct tmpl_prerender tmpl_prerender;
tmpl_prerender *tmpl_prerender_new(void);
void tmpl_prerender_add(tmpl_prerender *pr, const tmpl_source *src);
void tmpl_prerender_add_all(tmpl_prerender *pr, const tmpl_source *srcs, size_t n);
void tmpl_prerender_close(tmpl_prerender *pr);
int tmpl_render_pre(tmpl_prerender *pre, arena *a, const tmpl_source *srcs, size_t n, const tmpl_opts *opts,
                    tmpl_result **out, size_t *nout, cap_err *err);
void tmpl_prerender_cancel(tmpl_prerender *pre);

#endif
