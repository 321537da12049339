/* tmpl_exec.h — the executor's internals shared by tmpl_exec.c, the builtins
 * (tmpl_builtins.c) and Helm's functions (fn_helm.c). Not a public API. */
#ifndef CAPSTAN_TMPL_EXEC_H
#define CAPSTAN_TMPL_EXEC_H

#include "renderer/funcs/funcs.h"
#include "renderer/engine/tmpl.h"
#include "renderer/engine/tmpl_ast.h"

/* An error as text/template builds them: an ExecError with location and
 * context, or a plain error, either of which may wrap a cause (%w). */
typedef struct terr terr;
struct terr {
    bool exec;        /* an ExecError */
    const char *loc;  /* "NAME:LINE:COL"; NULL when there was no node */
    const char *name; /* template name */
    const char *ctx;  /* the node's String(); NULL when there was no node */
    const char *msg;  /* the message (before the cause) */
    terr *cause;
    const char *file; /* location parts, for cap_err */
    int line, col;
};

/* One render's state, shared by every template execution in it. */
typedef struct tmpl_env {
    arena *a;
    const tmpl_opts *opts;
    fn_index *fns;
    tmpl_set *set;         /* the set templates are looked up in (tpl swaps in a child) */
    cval *included;        /* include's recursion counts: name -> count */
    const void *stack_base;
    size_t stack_budget;
    terr *call_err;        /* set by include/tpl before failing: the error to wrap */
    void *regex_cache;     /* fn_regex.c's compiled patterns, freed with a */
    void *semver_cache;    /* fn_semver.c's parsed constraints, freed with a */
    arena *keep;           /* values assigned to variables older than an arena mark (no marks) */
    const char *stop;      /* a limit was exceeded: the render's plain error message */
    uint64_t deadline_ns;  /* CLOCK_MONOTONIC time the render must end by; 0: none */
    unsigned ticks;        /* checks since the clock was last read (mod 64) */
    /* the lazy lists of one tree (a file's top level, which runs once) are
     * parsed into an arena of their own, given back after the run with the
     * lists made lazy again (tmpl_env_run_once, tmpl_env_ran) */
    const tmpl_tree *once;
    arena *once_nodes;
    struct once_list *once_lists; /* the lists forced so, as they were (malloc) */
    size_t nonce, caponce;
} tmpl_env;

/* The lazy lists of tree t are parsed into an arena of their own from now on,
 * until tmpl_env_ran, which makes them lazy again and gives the arena back. */
void tmpl_env_run_once(tmpl_env *env, const tmpl_tree *t);
void tmpl_env_ran(tmpl_env *env);

/* Ready a new env for its executions: env->keep, and env->opts's memory and
 * time limits (tmpl_opts.max_memory, timeout_ms), the time counted from now.
 * A render that exceeds one fails at its next range iteration, template call
 * or (memory) function call, with env->stop set to "render exceeded the memory
 * limit of 2 GiB" or "render exceeded the time limit of 5m". */
void tmpl_env_start(tmpl_env *env);

/* Execute template tree with dot (Go's Template.Execute), appending to out. */
int tmpl_exec_tree(tmpl_env *env, const tmpl_tree *tree, cval *dot, strbuf *out, terr **err);
/* ExecuteTemplate: by name; a missing name is the plain error
 * `template: no template "x" associated with template "gotpl"`. */
int tmpl_exec_named(tmpl_env *env, const char *name, cval *dot, strbuf *out, terr **err);

/* Go's err.Error() of a chain. */
void terr_string(strbuf *out, const terr *e);
terr *terr_plain(arena *a, const char *msg, terr *cause);

/* Does the render know a function NAME? (for the parser) */
bool tmpl_env_hasfn(void *env, const char *name, size_t len);
/* A function family's cache for one render, kept in *slot (a field of env):
 * made by make() when first asked for and freed by drop() with the render's
 * arena (it outlives the range iteration or template call it was made in).
 * NULL outside a render (env NULL) or when make() fails. */
void *tmpl_env_cache(tmpl_env *env, void **slot, void *(*make)(void), void (*drop)(void *));

/* Replace every "<no value>" in sb. */
void tmpl_strip_novalue(strbuf *sb);

#endif
