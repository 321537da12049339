/* tmpl_render.c — Helm's engine.render(): parse every template into one set
 * in Helm's order, execute the non-partials with .Template added, strip
 * "<no value>", and word errors as Helm does (cleanupParseError,
 * reformatExecErrorMsg). */
#include "renderer/engine/tmpl_exec.h"
#include "core/gofmt.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static int slashes(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == '/';
    return n;
}

/* A source and its name's slashes, counted once for the sort. */
typedef struct by_path {
    const tmpl_source *src;
    int slashes;
} by_path;

/* sort.Reverse(byPathLen): more slashes first, then names in reverse order */
static int cmp_src(const void *x, const void *y)
{
    const by_path *a = x, *b = y;
    if (a->slashes != b->slashes)
        return a->slashes > b->slashes ? -1 : 1;
    int c = strcmp(a->src->name, b->src->name);
    return c > 0 ? -1 : c < 0;
}

static bool is_partial(const char *name)
{
    const char *b = strrchr(name, '/');
    b = b ? b + 1 : name;
    return b[0] == '_';
}

/* strings.Split(s, ": ") pieces: count, and the n-th */
static int split_count(const char *s)
{
    int n = 1;
    for (const char *p = s; (p = strstr(p, ": ")) != NULL; p += 2)
        n++;
    return n;
}

/* ---- reformatExecErrorMsg ---- */

typedef struct trace {
    const char *location, *message, *func;
} trace;

static bool trace_eq(const trace *a, const trace *b)
{
    return strcmp(a->location, b->location) == 0 && strcmp(a->message, b->message) == 0 &&
           strcmp(a->func, b->func) == 0;
}

static const char *cut_template(arena *a, const char *msg)
{
    const char *c = strstr(msg, " template:");
    return c ? arena_strndup(a, msg, (size_t)(c - msg)) : arena_strdup(a, msg);
}

static bool parse_trace(arena *a, const char *s, trace *t)
{
    static const char prefix[] = "template: ";
    if (strncmp(s, prefix, 10) != 0)
        return false;
    const char *rem = s + 10;
    t->location = t->message = t->func = "";
    if (strncmp(rem, "no template ", 12) == 0) {
        t->message = arena_strdup(a, s);
        return true;
    }
    const char *ex = strstr(rem, ": executing ");
    if (ex) {
        const char *after = ex + 12;
        if (after[0] == '"') {
            const char *eq = strchr(after + 1, '"');
            if (eq) {
                const char *fname = after + 1;
                size_t flen = (size_t)(eq - fname);
                const char *af = eq + 1;
                if (strncmp(af, " at <", 5) == 0) {
                    const char *at = af + 5;
                    const char *el = strstr(at, ">: ");
                    if (el) {
                        t->location = arena_strndup(a, rem, (size_t)(ex - rem));
                        t->message = cut_template(a, el + 3);
                        t->func = arena_printf(a, "executing \"%.*s\" at <%.*s>:", (int)flen, fname,
                                               (int)(el - at), at);
                        return true;
                    }
                }
            }
        }
    }
    const char *sep = NULL;
    for (const char *p = rem; (p = strstr(p, ": ")) != NULL; p += 2)
        sep = p;
    if (sep) {
        t->location = arena_strndup(a, rem, (size_t)(sep - rem));
        t->message = cut_template(a, sep + 2);
        return true;
    }
    return false;
}

static char *helm_exec_message(arena *a, const char *filename, const terr *e)
{
    strbuf full = STRBUF_INIT;
    terr_string(&full, e);
    char *raw = arena_strndup(a, sb_str(&full), full.len);
    sb_release(&full);
    if (!e->exec)
        return raw;
    /* tokens := strings.SplitN(err.Error(), ": ", 3) */
    const char *p1 = strstr(raw, ": ");
    const char *p2 = p1 ? strstr(p1 + 2, ": ") : NULL;
    if (!p2)
        return arena_printf(a, "execution error in (%s): %s", filename, raw);
    const char *location = arena_strndup(a, p1 + 2, (size_t)(p2 - (p1 + 2)));
    const char *rest = p2 + 2;
    const char *ws = strstr(rest, "HELM_ERR_START");
    if (ws) {
        const char *we = NULL;
        for (const char *q = ws + 14; (q = strstr(q, "HELM_ERR_END")) != NULL; q++)
            we = q;
        if (we)
            return arena_printf(a, "execution error at (%s): %.*s", location, (int)(we - ws - 14), ws + 14);
    }
    trace *ts = NULL;
    size_t nt = 0, cap = 0;
    for (const terr *cur = e; cur; cur = cur->cause) {
        strbuf sb = STRBUF_INIT;
        terr_string(&sb, cur);
        trace t;
        bool ok = parse_trace(a, sb_str(&sb), &t);
        sb_release(&sb);
        if (!ok) {
            free(ts);
            return raw;
        }
        if (nt == 0 || !trace_eq(&ts[nt - 1], &t)) {
            if (nt == cap) {
                cap = cap ? cap * 2 : 8;
                ts = realloc(ts, cap * sizeof *ts);
                if (!ts)
                    abort();
            }
            ts[nt++] = t;
        }
    }
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < nt; i++) {
        if (*ts[i].location)
            sb_addf(&out, "%s\n  ", ts[i].location);
        if (*ts[i].func)
            sb_addf(&out, "%s\n    ", ts[i].func);
        if (*ts[i].message)
            sb_addf(&out, "%s\n", ts[i].message);
    }
    free(ts);
    /* strings.TrimSpace */
    size_t b = 0, n = out.len;
    while (b < n && (out.buf[b] == ' ' || out.buf[b] == '\n' || out.buf[b] == '\t' || out.buf[b] == '\r'))
        b++;
    while (n > b && (out.buf[n - 1] == ' ' || out.buf[n - 1] == '\n' || out.buf[n - 1] == '\t' || out.buf[n - 1] == '\r'))
        n--;
    char *r = arena_strndup(a, sb_str(&out) + b, n - b);
    sb_release(&out);
    return r;
}

/* ---- the render ---- */

typedef struct render_job {
    arena *a;
    const tmpl_source *srcs;
    size_t n;
    const tmpl_opts *opts;
    tmpl_result *res;
    size_t nres;
    cap_err *err;
    int rc;
    const tmpl_prerender *pre; /* parses made ahead, or NULL */
    tmpl_parsed **late;        /* per source (by index): parsed by the calling thread, or NULL */
    char **late_msg;
    int *late_line;
    bool *late_done;
    /* results handed to opts->each as they come (threaded): by the calling
     * thread, and by the render thread for those left once it is done */
    bool stream;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    size_t published;          /* results the calling thread may read */
    size_t unpublished;        /* bytes of output made since the last publish (render thread) */
    bool finished;
    atomic_bool *claimed;      /* per result: handed to each by one thread or the other */
    arena *each_a;             /* what each allocates from on the calling thread */
} render_job;

/* Hand result i to opts->each unless the other thread has (a: this thread's arena). */
static void hand_over(render_job *j, size_t i, arena *a)
{
    if (!atomic_exchange(&j->claimed[i], true))
        j->opts->each(j->opts->each_ctx, &j->res[i], i, a);
}

/* The render thread: results [0, nres) are made; finished: no more will be.
 * Results are handed over in batches of PUBLISH_BYTES of output, so that the
 * calling thread is not woken (a switch of threads on one core) for each. */
#define PUBLISH_BYTES (64UL << 10)
static void publish(render_job *j, bool finished)
{
    if (!j->stream)
        return;
    if (!finished && j->nres && (j->unpublished += j->res[j->nres - 1].len + 256) < PUBLISH_BYTES)
        return;
    j->unpublished = 0;
    pthread_mutex_lock(&j->mu);
    j->published = j->nres;
    j->finished = finished;
    pthread_cond_signal(&j->cv);
    pthread_mutex_unlock(&j->mu);
}

/* The calling thread: hand each result to opts->each as it is published, until the render ends. */
static void take_results(render_job *j)
{
    size_t seen = 0;
    pthread_mutex_lock(&j->mu);
    for (;;) {
        while (j->published == seen && !j->finished)
            pthread_cond_wait(&j->cv, &j->mu);
        size_t upto = j->published;
        bool done = j->finished;
        pthread_mutex_unlock(&j->mu);
        for (; seen < upto; seen++)
            hand_over(j, seen, j->each_a);
        pthread_mutex_lock(&j->mu);
        if (done && seen == j->published)
            break;
    }
    pthread_mutex_unlock(&j->mu);
}

/* ---- parsing ahead ---- */

enum { PRE_WAIT, PRE_GO, PRE_CANCEL };

/* The sources given to parse ahead, in blocks that never move (the render
 * thread reads them while more are added). */
#define PRE_BLOCK 64
#define PRE_BLOCKS 1024

typedef struct pre_slot {
    tmpl_source src;         /* a copy of the caller's source */
    tmpl_parsed *parsed;     /* its parse, or NULL with msg and line */
    char *msg;
    int line;
} pre_slot;

struct tmpl_prerender {
    arena *pa;               /* the parses (handed to the render's arena when used) */
    pre_slot *blocks[PRE_BLOCKS];
    size_t n;                /* sources given (under mu; final once closed) */
    bool closed;             /* no more will be given */
    atomic_size_t next;      /* the next source to parse (either thread takes it) */
    size_t *by_text;         /* slot index + 1 by the hash of its text's address (0: free) */
    size_t by_text_cap;      /* a power of two, at least twice n (0: none yet) */
    tmpl_env fns;            /* the parser's function check (read-only once made) */
    arena *fa;               /* what fns is made of */
    atomic_int fns_state;    /* FNS_*: made by the first thread to need it */
    pthread_mutex_t mu;
    pthread_cond_t cv;
    int state;
    render_job *job;         /* with PRE_GO: the render to run next */
    tmpl_thread *th;
};

static void free_arena(void *p) { arena_free(p); }

enum { FNS_NONE, FNS_MAKING, FNS_READY };

/* pr->fns, made now by this thread, or made by the other; while the other is
 * still making it, this thread makes one of its own in `own` rather than wait
 * for a thread that may not be running. The render reads pr->fns: by then the
 * thread that made it has finished (each makes it before its part of the
 * parse, and the render starts after both). */
static tmpl_env *prerender_fns(tmpl_prerender *pr, arena *own)
{
    int st = FNS_NONE;
    if (atomic_load(&pr->fns_state) == FNS_READY)
        return &pr->fns;
    if (atomic_compare_exchange_strong(&pr->fns_state, &st, FNS_MAKING)) {
        pr->fns.fns = fn_index_new(pr->fa, fn_all_tables);
        atomic_store(&pr->fns_state, FNS_READY);
        return &pr->fns;
    }
    tmpl_env *mine = arena_zalloc(own, sizeof *mine);
    mine->fns = fn_index_new(own, fn_all_tables);
    return mine;
}

static pre_slot *slot_at(const tmpl_prerender *pr, size_t i)
{
    return &pr->blocks[i / PRE_BLOCK][i % PRE_BLOCK];
}

static void render_job_run(void *arg, size_t budget);

/* Parse the sources not taken yet, into arena a, until none is left and no
 * more will come (waiting for them while the caller is still giving them). */
static void parse_ahead(tmpl_prerender *pr, arena *a)
{
    tmpl_env *fns = prerender_fns(pr, a);
    for (;;) {
        size_t k = atomic_fetch_add(&pr->next, 1);
        pthread_mutex_lock(&pr->mu);
        while (k >= pr->n && !pr->closed && pr->state == PRE_WAIT)
            pthread_cond_wait(&pr->cv, &pr->mu);
        bool have = k < pr->n;
        pthread_mutex_unlock(&pr->mu);
        if (!have)
            return;
        pre_slot *sl = slot_at(pr, k);
        tmpl_parse_file(a, sl->src.name, sl->src.text, sl->src.len, tmpl_env_hasfn, fns, true, &sl->parsed,
                        &sl->msg, &sl->line);
    }
}

static void prerender_run(void *arg, size_t budget)
{
    tmpl_prerender *pr = arg;
    parse_ahead(pr, pr->pa);
    pthread_mutex_lock(&pr->mu);
    while (pr->state == PRE_WAIT)
        pthread_cond_wait(&pr->cv, &pr->mu);
    int st = pr->state;
    pthread_mutex_unlock(&pr->mu);
    if (st == PRE_GO)
        render_job_run(pr->job, budget);
}

tmpl_prerender *tmpl_prerender_new(void)
{
    tmpl_prerender *pr = calloc(1, sizeof *pr);
    if (!pr)
        return NULL;
    pr->pa = arena_new();
    pr->fa = arena_new();
    atomic_init(&pr->next, 0);
    atomic_init(&pr->fns_state, FNS_NONE);
    pthread_mutex_init(&pr->mu, NULL);
    pthread_cond_init(&pr->cv, NULL);
    pr->state = PRE_WAIT;
    pr->th = tmpl_thread_start(prerender_run, pr);
    if (!pr->th) {
        pthread_cond_destroy(&pr->cv);
        pthread_mutex_destroy(&pr->mu);
        arena_free(pr->pa);
        arena_free(pr->fa);
        free(pr);
        return NULL;
    }
    return pr;
}

static size_t text_hash(const char *text)
{
    uint64_t x = (uint64_t)(uintptr_t)text * 0x9E3779B97F4A7C15u;
    return (size_t)(x >> 32);
}

/* Index slot i by its text (mu held, or the only thread left): the table
 * doubles when it is half full. */
static void index_slot(tmpl_prerender *pr, size_t i)
{
    if (2 * (i + 1) > pr->by_text_cap) {
        size_t cap = pr->by_text_cap ? pr->by_text_cap * 2 : 256;
        size_t *t = calloc(cap, sizeof *t);
        if (!t)
            abort();
        free(pr->by_text);
        pr->by_text = t;
        pr->by_text_cap = cap;
        for (size_t k = 0; k < i; k++)
            index_slot(pr, k);
    }
    size_t h = text_hash(slot_at(pr, i)->src.text) & (pr->by_text_cap - 1);
    while (pr->by_text[h])
        h = (h + 1) & (pr->by_text_cap - 1);
    pr->by_text[h] = i + 1;
}

void tmpl_prerender_add(tmpl_prerender *pr, const tmpl_source *src)
{
    if (!pr)
        return;
    pthread_mutex_lock(&pr->mu);
    size_t b = pr->n / PRE_BLOCK;
    if (!pr->closed && b < PRE_BLOCKS) {
        if (!pr->blocks[b] && !(pr->blocks[b] = calloc(PRE_BLOCK, sizeof(pre_slot))))
            abort();
        slot_at(pr, pr->n)->src = *src;
        index_slot(pr, pr->n);
        pr->n++;
        pthread_cond_signal(&pr->cv);
    } /* else: parsed when the render gets to it */
    pthread_mutex_unlock(&pr->mu);
}

void tmpl_prerender_close(tmpl_prerender *pr)
{
    if (!pr)
        return;
    pthread_mutex_lock(&pr->mu);
    pr->closed = true;
    pthread_cond_broadcast(&pr->cv);
    pthread_mutex_unlock(&pr->mu);
}

/* biggest first, so that the two threads end their shares at about the same time */
static int cmp_len_desc(const void *x, const void *y)
{
    size_t a = (*(const tmpl_source *const *)x)->len, b = (*(const tmpl_source *const *)y)->len;
    return a < b ? 1 : a > b ? -1 : 0;
}

static long spec_index(const tmpl_prerender *pr, const tmpl_source *src);

void tmpl_prerender_add_all(tmpl_prerender *pr, const tmpl_source *srcs, size_t n)
{
    const tmpl_source **by_size = malloc((n ? n : 1) * sizeof *by_size);
    if (!pr || !by_size) {
        free(by_size);
        return;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++)
        if (spec_index(pr, &srcs[i]) < 0) /* given before: this thread is the only one that adds */
            by_size[m++] = &srcs[i];
    qsort(by_size, m, sizeof *by_size, cmp_len_desc);
    for (size_t i = 0; i < m; i++)
        tmpl_prerender_add(pr, by_size[i]);
    free(by_size);
}

/* Tell the thread what to do next. */
static void prerender_tell(tmpl_prerender *pr, int state, render_job *job)
{
    pthread_mutex_lock(&pr->mu);
    pr->state = state;
    pr->job = job;
    pthread_cond_signal(&pr->cv);
    pthread_mutex_unlock(&pr->mu);
}

/* Wait for the thread, free all but the parses (returned). */
static arena *prerender_join(tmpl_prerender *pr)
{
    tmpl_thread_join(pr->th);
    pthread_cond_destroy(&pr->cv);
    pthread_mutex_destroy(&pr->mu);
    for (size_t b = 0; b < PRE_BLOCKS && pr->blocks[b]; b++)
        free(pr->blocks[b]);
    free(pr->by_text);
    arena *pa = pr->pa;
    arena_defer(pa, free_arena, pr->fa);
    free(pr);
    return pa;
}

void tmpl_prerender_cancel(tmpl_prerender *pr)
{
    if (pr) {
        prerender_tell(pr, PRE_CANCEL, NULL);
        arena_free(prerender_join(pr));
    }
}

/* The index of src among the sources parsed ahead, or -1. */
static long spec_index(const tmpl_prerender *pr, const tmpl_source *src)
{
    if (!pr || !pr->by_text_cap)
        return -1;
    for (size_t h = text_hash(src->text) & (pr->by_text_cap - 1); pr->by_text[h];
         h = (h + 1) & (pr->by_text_cap - 1)) {
        const tmpl_source *s = &slot_at(pr, pr->by_text[h] - 1)->src;
        if (s->text == src->text && s->len == src->len && strcmp(s->name, src->name) == 0)
            return (long)(pr->by_text[h] - 1);
    }
    return -1;
}

/* The parse made ahead of src (once all are done): 1 (with *pf, or *pf NULL
 * and the error), 0 when there is none. */
static int parsed_ahead(const tmpl_prerender *pr, const tmpl_source *src, tmpl_parsed **pf, char **msg, int *line)
{
    long i = spec_index(pr, src);
    if (i < 0)
        return 0;
    const pre_slot *sl = slot_at(pr, (size_t)i);
    *pf = sl->parsed;
    *msg = sl->msg;
    *line = sl->line;
    return 1;
}

static void render_job_exec(render_job *j, size_t budget);

static void render_job_run(void *arg, size_t budget)
{
    render_job *j = arg;
    render_job_exec(j, budget);
    for (size_t i = 0; j->stream && i < j->nres; i++)
        hand_over(j, i, j->a); /* those the calling thread has not taken yet */
    publish(j, true);
}

static void render_job_exec(render_job *j, size_t budget)
{
    arena *a = j->a;
    char base;
    tmpl_env *env = arena_zalloc(a, sizeof *env);
    env->a = a;
    env->opts = j->opts;
    /* the index the parse ahead checked names against (made by then), or a new one */
    env->fns = j->pre ? j->pre->fns.fns : fn_index_new(a, fn_all_tables);
    env->set = tmpl_set_new(a, NULL);
    env->included = cv_map_new(a);
    env->stack_base = &base;
    env->stack_budget = budget;
    tmpl_env_start(env);

    const tmpl_source **order = arena_alloc(a, (j->n ? j->n : 1) * sizeof *order);
    by_path *sorted = arena_alloc(a, (j->n ? j->n : 1) * sizeof *sorted);
    for (size_t i = 0; i < j->n; i++)
        sorted[i] = (by_path){ &j->srcs[i], slashes(j->srcs[i].name) };
    qsort(sorted, j->n, sizeof *sorted, cmp_src);
    for (size_t i = 0; i < j->n; i++)
        order[i] = sorted[i].src;

    arena *own = NULL;
    for (size_t i = 0; i < j->n; i++) {
        char *msg;
        int line;
        tmpl_parsed *pf = NULL;
        size_t si = (size_t)(order[i] - j->srcs);
        if (j->late_done && j->late_done[si]) {
            pf = j->late[si];
            msg = j->late_msg[si];
            line = j->late_line[si];
        } else if (!parsed_ahead(j->pre, order[i], &pf, &msg, &line)) {
            /* lazy trees are parsed further as they run: into an arena without marks */
            if (!own) {
                own = arena_new();
                arena_defer(a, free_arena, own);
            }
            tmpl_parse_file(own, order[i]->name, order[i]->text, order[i]->len, tmpl_env_hasfn, env, true, &pf, &msg,
                            &line);
        }
        if (pf) {
            tmpl_set_add(env->set, pf);
        } else {
            /* cleanupParseError */
            if (split_count(msg) == 1) {
                cap_err_at(j->err, order[i]->name, line, 0, "parse error in (%s): %s", order[i]->name, msg);
            } else {
                const char *p1 = strstr(msg, ": ");
                const char *p2 = strstr(p1 + 2, ": ");
                const char *last = p1;
                for (const char *q = p1; (q = strstr(q, ": ")) != NULL; q += 2)
                    last = q;
                int loclen = p2 ? (int)(p2 - (p1 + 2)) : (int)strlen(p1 + 2);
                cap_err_at(j->err, order[i]->name, line, 0, "parse error at (%.*s): %s", loclen, p1 + 2, last + 2);
            }
            j->rc = -1;
            return;
        }
    }

    j->res = arena_zalloc(a, (j->n ? j->n : 1) * sizeof *j->res);
    /* one buffer for the outputs copied out of it (the small ones), so that
     * it does not grow again from nothing for each template */
    strbuf out = STRBUF_INIT;
    for (size_t i = 0; i < j->n; i++) {
        const tmpl_source *src = order[i];
        if (is_partial(src->name))
            continue;
        cval *dot = src->dot;
        if (dot && dot->kind == CV_MAP) {
            cval *t = cv_map_new(a);
            t->gotype = "common.Values";
            cv_map_set(t, "Name", cv_cstring(a, src->name));
            cv_map_set(t, "BasePath", cv_cstring(a, src->basepath ? src->basepath : ""));
            cv_map_set(dot, "Template", t);
        }
        sb_reset(&out);
        terr *e = NULL;
        /* a file's top level runs once: its bodies' nodes are given back after */
        tmpl_env_run_once(env, tmpl_set_lookup(env->set, src->name, strlen(src->name)));
        int xrc = tmpl_exec_named(env, src->name, dot, &out, &e);
        tmpl_env_ran(env);
        if (xrc) {
            sb_release(&out);
            if (env->stop) { /* a limit: no template's error, wherever it was noticed */
                cap_err_coded(j->err, CAPSTAN_ELIMIT, "%s", env->stop);
                j->rc = -1;
                return;
            }
            char *m = helm_exec_message(a, src->name, e);
            cap_err_at(j->err, e->file ? e->file : src->name, e->line, e->col, "%s", m);
            j->rc = -1;
            return;
        }
        tmpl_strip_novalue(&out);
        tmpl_result *r = &j->res[j->nres++];
        r->name = src->name;
        r->len = out.len;
        if (out.len >= 16384) {
            /* big outputs are handed to the arena instead of copied */
            size_t n;
            char *t = sb_detach(&out, &n), *fit = realloc(t, n + 1);
            r->text = fit ? fit : t;
            arena_defer(a, free, r->text);
            arena_charge(a, n + 1); /* the render's memory, for its limit */
        } else {
            r->text = arena_strndup(a, sb_str(&out), out.len);
        }
        publish(j, false);
    }
    sb_release(&out);
    j->rc = 0;
}

int tmpl_render(arena *a, const tmpl_source *srcs, size_t n, const tmpl_opts *opts,
                tmpl_result **out, size_t *nout, cap_err *err)
{
    static const tmpl_opts defaults = { 0 };
    render_job j = { a, srcs, n, opts ? opts : &defaults, NULL, 0, err, -1, NULL, NULL, NULL, NULL, NULL };
    if (j.opts->side) {
        j.opts->side(j.opts->side_ctx);
        if (j.opts->cancel && atomic_load(j.opts->cancel))
            return cap_err_set(err, "render cancelled");
    }
    tmpl_with_stack(render_job_run, &j);
    for (size_t i = 0; j.opts->each && i < j.nres; i++)
        j.opts->each(j.opts->each_ctx, &j.res[i], i, a);
    if (j.rc)
        return -1;
    *out = j.res;
    *nout = j.nres;
    return 0;
}

int tmpl_render_pre(tmpl_prerender *pre, arena *a, const tmpl_source *srcs, size_t n, const tmpl_opts *opts,
                    tmpl_result **out, size_t *nout, cap_err *err)
{
    if (!pre)
        return tmpl_render(a, srcs, n, opts, out, nout, err);
    tmpl_prerender_close(pre);
    static const tmpl_opts defaults = { 0 };
    render_job j = { a, srcs, n, opts ? opts : &defaults, NULL, 0, err, -1, pre, NULL, NULL, NULL, NULL };
    /* this thread parses the sources the render thread was not given (subcharts'
     * templates, when only the chart's own were known early), then helps with
     * what is left of the others, when it has the stack the parser may use;
     * into an arena of its own, so that what the render's arena holds (which
     * seeded random functions draw from) does not depend on which thread
     * parsed what */
    arena *help = arena_new();
    if (tmpl_stack_room(TMPL_PARSE_STACK + (1UL << 20))) {
        size_t m = n ? n : 1;
        j.late = arena_zalloc(help, m * sizeof *j.late);
        j.late_msg = arena_zalloc(help, m * sizeof *j.late_msg);
        j.late_line = arena_zalloc(help, m * sizeof *j.late_line);
        j.late_done = arena_zalloc(help, m * sizeof *j.late_done);
        for (size_t i = 0; i < n; i++) {
            if (spec_index(pre, &srcs[i]) >= 0)
                continue;
            tmpl_parse_file(help, srcs[i].name, srcs[i].text, srcs[i].len, tmpl_env_hasfn, prerender_fns(pre, help),
                            true, &j.late[i], &j.late_msg[i], &j.late_line[i]);
            j.late_done[i] = true;
        }
        parse_ahead(pre, help);
    }
    arena_defer(a, free_arena, help);
    if (j.opts->each) {
        j.stream = true;
        pthread_mutex_init(&j.mu, NULL);
        pthread_cond_init(&j.cv, NULL);
        j.claimed = calloc(n ? n : 1, sizeof *j.claimed);
        j.each_a = arena_new();
        if (!j.claimed)
            abort();
        arena_defer(a, free_arena, j.each_a);
    }
    prerender_tell(pre, PRE_GO, &j);
    /* the render thread has the arena now: this thread leaves it alone until the join */
    if (j.opts->side)
        j.opts->side(j.opts->side_ctx);
    if (j.stream)
        take_results(&j);
    arena_defer(a, free_arena, prerender_join(pre));
    if (j.stream) {
        pthread_cond_destroy(&j.cv);
        pthread_mutex_destroy(&j.mu);
        free(j.claimed);
    }
    if (j.rc)
        return -1;
    *out = j.res;
    *nout = j.nres;
    return 0;
}
