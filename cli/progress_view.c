/* progress_view.c — see progress_view.h. */
#include "progress_view.h"
#include "cli.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define MAX_ROWS 64 /* objects shown in the block; more are counted */

typedef struct row {
    char *what;     /* "Deployment/web" */
    char *state;    /* "progressing", ... */
    char *message;
} row;

struct progress_view {
    progress_mode mode;
    FILE *out;
    FILE *log;               /* what the library writes lines to */
    char *partial;           /* a line not yet ended */
    size_t npartial;
    /* tty */
    char *title;             /* "wave 2/3", "hook pre-install" */
    row rows[MAX_ROWS];
    size_t nrows, more;
    char *hook_line;         /* the last hook's state */
    long elapsed_ms;
    int drawn;               /* lines of the block on the screen */
    FILE *screen;            /* during a frame: the terminal, while out collects the frame */
    char *frame;
    size_t nframe;
    int width;               /* the terminal's columns, read when a frame begins */
};

int progress_mode_parse(const char *s, progress_mode *out)
{
    static const char *const names[] = {"auto", "plain", "tty", "json"};
    for (int i = 0; i < 4; i++)
        if (strcmp(s, names[i]) == 0) {
            *out = (progress_mode)i;
            return 0;
        }
    return -1;
}

int progress_flag(int opt, const char *arg, progress_mode *mode, long *log_lines)
{
    if (opt == PV_PROGRESS) {
        if (progress_mode_parse(arg, mode) < 0) {
            cli_error("invalid argument \"%s\" for \"--progress\" flag: use auto, tty, plain or json", arg);
            return -1;
        }
        return 1;
    }
    if (opt == PV_LOG_LINES) {
        char *end;
        long n = strtol(arg, &end, 10);
        if (!*arg || *end || n < 0 || n > 100000) {
            cli_error("invalid argument \"%s\" for \"--log-lines\" flag: a number from 0 to 100000", arg);
            return -1;
        }
        *log_lines = n == 0 ? -1 : n; /* 0 lines: no logs */
        return 1;
    }
    return 0;
}

static char *dup_or_null(const char *s) { return s ? strdup(s) : NULL; }

static void set(char **dst, const char *s)
{
    free(*dst);
    *dst = dup_or_null(s);
}

/* ---- json --------------------------------------------------------------- */

static void json_str(FILE *f, const char *s)
{
    fputc('"', f);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(f, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", f);
        else if (*p == '\t')
            fputs("\\t", f);
        else if (*p == '\r')
            fputs("\\r", f);
        else if (*p < 0x20 || *p == 0x7f)
            fprintf(f, "\\u%04x", *p);
        else
            fputc(*p, f);
    }
    fputc('"', f);
}

static void json_field(FILE *f, const char *k, const char *v)
{
    if (!v)
        return;
    fprintf(f, ",\"%s\":", k);
    json_str(f, v);
}

static const char *type_name(capstan_progress_type t)
{
    switch (t) {
    case CAPSTAN_PROGRESS_WAVE_STARTED: return "wave_started";
    case CAPSTAN_PROGRESS_WAVE_READY: return "wave_ready";
    case CAPSTAN_PROGRESS_OBJECT: return "object";
    case CAPSTAN_PROGRESS_HOOK_STARTED: return "hook_started";
    case CAPSTAN_PROGRESS_HOOK_FINISHED: return "hook_finished";
    case CAPSTAN_PROGRESS_DIAGNOSTICS: return "diagnostics";
    case CAPSTAN_PROGRESS_TICK: return "tick";
    }
    return "unknown";
}

static void json_event(progress_view *v, const capstan_progress_event *ev)
{
    FILE *f = v->out;
    if (ev->type == CAPSTAN_PROGRESS_TICK)
        return; /* nothing happened */
    fprintf(f, "{\"type\":\"%s\",\"elapsed_ms\":%ld", type_name(ev->type), ev->elapsed_ms);
    json_field(f, "phase", ev->phase);
    if (ev->nwaves)
        fprintf(f, ",\"wave\":%d,\"waves\":%d", ev->wave, ev->nwaves);
    json_field(f, "api_version", ev->api_version);
    json_field(f, "kind", ev->kind);
    json_field(f, "namespace", ev->namespace_);
    json_field(f, "name", ev->name);
    json_field(f, "state", ev->state);
    json_field(f, "message", ev->message);
    json_field(f, "text", ev->text);
    fputs("}\n", f);
    fflush(f);
}

/* ---- plain: the lines capstan printed before events existed ------------ */

static const char *old_state_name(const char *state)
{
    if (strcmp(state, "ready") == 0)
        return "Current";
    if (strcmp(state, "failed") == 0)
        return "Failed";
    if (strcmp(state, "terminating") == 0)
        return "Terminating";
    return "InProgress";
}

static void plain_event(progress_view *v, const capstan_progress_event *ev)
{
    FILE *f = v->out;
    switch (ev->type) {
    case CAPSTAN_PROGRESS_WAVE_STARTED: fprintf(f, "wave %d/%d\n", ev->wave, ev->nwaves); break;
    case CAPSTAN_PROGRESS_WAVE_READY: fprintf(f, "wave %d/%d ready\n", ev->wave, ev->nwaves); break;
    case CAPSTAN_PROGRESS_OBJECT:
        fprintf(f, "%s%s%s/%s: %s (%s)\n", ev->phase ? ev->phase : "", ev->phase ? ": " : "", ev->kind, ev->name,
                old_state_name(ev->state), ev->message ? ev->message : "");
        break;
    case CAPSTAN_PROGRESS_HOOK_STARTED: fprintf(f, "%s: %s/%s\n", ev->phase, ev->kind, ev->name); break;
    case CAPSTAN_PROGRESS_HOOK_FINISHED:
        fprintf(f, "%s: %s/%s %s\n", ev->phase, ev->kind, ev->name, ev->state);
        break;
    case CAPSTAN_PROGRESS_DIAGNOSTICS: fputs(ev->text ? ev->text : "", f); break;
    case CAPSTAN_PROGRESS_TICK: break;
    }
    fflush(f);
}

/* ---- tty: a status block ------------------------------------------------ */

static int columns(FILE *f)
{
    struct winsize ws;
    if (ioctl(fileno(f), TIOCGWINSZ, &ws) == 0 && ws.ws_col > 20)
        return ws.ws_col;
    return 80;
}

/* One line of the block, cut to the terminal's width (a wrapped line would
 * break the cursor arithmetic). */
static void block_line(progress_view *v, int width, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void block_line(progress_view *v, int width, const char *fmt, ...)
{
    char buf[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(buf, sizeof buf, fmt, ap);
    va_end(ap);
    if ((int)strlen(buf) > width - 1)
        buf[width - 1] = '\0';
    fprintf(v->out, "\033[2K%s\n", buf);
    v->drawn++;
}

static void erase_block(progress_view *v)
{
    if (v->drawn)
        fprintf(v->out, "\033[%dA\033[J", v->drawn);
    v->drawn = 0;
}

static const char *mark(const char *state)
{
    if (strcmp(state, "ready") == 0 || strcmp(state, "succeeded") == 0)
        return "\033[32mok\033[0m  ";
    if (strcmp(state, "failed") == 0)
        return "\033[31mFAIL\033[0m";
    if (strcmp(state, "waiting") == 0)
        return "..  ";
    return "\033[33m>>\033[0m  ";
}

static void draw_block(progress_view *v)
{
    int width = v->width ? v->width : columns(v->out);
    if (!v->title && !v->hook_line)
        return;
    /* the colour codes take no columns: give them room in the width */
    block_line(v, width + 8, "\033[1m%s\033[0m  %ld.%lds", v->title ? v->title : "waiting", v->elapsed_ms / 1000,
               (v->elapsed_ms % 1000) / 100);
    for (size_t i = 0; i < v->nrows; i++)
        block_line(v, width + 9, "  %s %-12s %s%s%s", mark(v->rows[i].state), v->rows[i].state, v->rows[i].what,
                   v->rows[i].message && *v->rows[i].message ? "  " : "",
                   v->rows[i].message ? v->rows[i].message : "");
    if (v->more)
        block_line(v, width, "  ... and %zu more", v->more);
    if (v->hook_line)
        block_line(v, width, "  %s", v->hook_line);
    fflush(v->out);
}

static void clear_rows(progress_view *v)
{
    for (size_t i = 0; i < v->nrows; i++) {
        free(v->rows[i].what);
        free(v->rows[i].state);
        free(v->rows[i].message);
    }
    v->nrows = v->more = 0;
}

static void update_row(progress_view *v, const capstan_progress_event *ev)
{
    char what[512];
    snprintf(what, sizeof what, "%s/%s", ev->kind ? ev->kind : "?", ev->name ? ev->name : "?");
    size_t i = 0;
    while (i < v->nrows && strcmp(v->rows[i].what, what) != 0)
        i++;
    if (i == v->nrows) {
        if (v->nrows == MAX_ROWS) {
            v->more++;
            return;
        }
        v->rows[v->nrows++] = (row){strdup(what), NULL, NULL};
    }
    set(&v->rows[i].state, ev->state ? ev->state : "progressing");
    set(&v->rows[i].message, ev->message);
}

/* A frame: everything one change writes (erase, lines, block) is collected
 * and written to the terminal at once, so that it does not flicker. */
static void begin_frame(progress_view *v)
{
    v->width = columns(v->out);
    FILE *f = open_memstream(&v->frame, &v->nframe);
    if (!f)
        return; /* write straight to the terminal */
    v->screen = v->out;
    v->out = f;
}

static void end_frame(progress_view *v)
{
    if (!v->screen)
        return;
    fclose(v->out);
    v->out = v->screen;
    v->screen = NULL;
    fwrite(v->frame, 1, v->nframe, v->out);
    free(v->frame);
    v->frame = NULL;
    fflush(v->out);
}

static void tty_event(progress_view *v, const capstan_progress_event *ev)
{
    char buf[512];
    begin_frame(v);
    erase_block(v);
    v->elapsed_ms = ev->elapsed_ms;
    switch (ev->type) {
    case CAPSTAN_PROGRESS_WAVE_STARTED:
        clear_rows(v);
        set(&v->hook_line, NULL);
        snprintf(buf, sizeof buf, "wave %d/%d", ev->wave, ev->nwaves);
        set(&v->title, buf);
        break;
    case CAPSTAN_PROGRESS_WAVE_READY:
        fprintf(v->out, "wave %d/%d ready (%zu objects, %.1fs)\n", ev->wave, ev->nwaves, v->nrows + v->more,
                ev->elapsed_ms / 1000.0);
        break;
    case CAPSTAN_PROGRESS_OBJECT:
        if (ev->phase && (!v->title || strcmp(v->title, ev->phase) != 0)) {
            clear_rows(v);
            set(&v->title, ev->phase);
        }
        update_row(v, ev);
        break;
    case CAPSTAN_PROGRESS_HOOK_STARTED:
        clear_rows(v);
        set(&v->title, ev->phase);
        snprintf(buf, sizeof buf, "%s %s/%s: running", ev->phase, ev->kind, ev->name);
        set(&v->hook_line, buf);
        break;
    case CAPSTAN_PROGRESS_HOOK_FINISHED:
        fprintf(v->out, "%s %s/%s %s (%.1fs)\n", ev->phase, ev->kind, ev->name, ev->state, ev->elapsed_ms / 1000.0);
        snprintf(buf, sizeof buf, "%s %s/%s: %s", ev->phase, ev->kind, ev->name, ev->state);
        set(&v->hook_line, buf);
        break;
    case CAPSTAN_PROGRESS_DIAGNOSTICS: fputs(ev->text ? ev->text : "", v->out); break;
    case CAPSTAN_PROGRESS_TICK: break; /* the elapsed time, redrawn */
    }
    draw_block(v);
    end_frame(v);
}

void progress_view_event(void *ctx, const capstan_progress_event *ev)
{
    progress_view *v = ctx;
    if (v->mode == PROGRESS_JSON)
        json_event(v, ev);
    else if (v->mode == PROGRESS_TTY)
        tty_event(v, ev);
    else
        plain_event(v, ev);
}

/* ---- the log stream ------------------------------------------------------ */

static void log_line(progress_view *v, const char *line, size_t n)
{
    if (v->mode == PROGRESS_JSON) {
        char *s = strndup(line, n);
        fputs("{\"type\":\"log\"", v->out);
        json_field(v->out, "message", s);
        fputs("}\n", v->out);
        free(s);
    } else if (v->mode == PROGRESS_TTY) {
        begin_frame(v);
        erase_block(v);
        fwrite(line, 1, n, v->out);
        fputc('\n', v->out);
        draw_block(v);
        end_frame(v);
    } else {
        fwrite(line, 1, n, v->out);
        fputc('\n', v->out);
    }
    fflush(v->out);
}

static ssize_t log_write(void *cookie, const char *buf, size_t size)
{
    progress_view *v = cookie;
    size_t b = 0;
    for (size_t i = 0; i < size; i++) {
        if (buf[i] != '\n')
            continue;
        if (v->npartial) {
            char *line = realloc(v->partial, v->npartial + (i - b) + 1);
            if (!line)
                return -1;
            memcpy(line + v->npartial, buf + b, i - b);
            log_line(v, line, v->npartial + (i - b));
            free(line);
            v->partial = NULL;
            v->npartial = 0;
        } else
            log_line(v, buf + b, i - b);
        b = i + 1;
    }
    if (b < size) {
        char *p = realloc(v->partial, v->npartial + (size - b));
        if (!p)
            return -1;
        memcpy(p + v->npartial, buf + b, size - b);
        v->partial = p;
        v->npartial += size - b;
    }
    return (ssize_t)size;
}

static int log_close(void *cookie)
{
    progress_view *v = cookie;
    if (v->npartial)
        log_line(v, v->partial, v->npartial);
    free(v->partial);
    v->partial = NULL;
    v->npartial = 0;
    return 0;
}

static bool terminal_ok(FILE *out)
{
    const char *nc = getenv("NO_COLOR"), *term = getenv("TERM");
    return isatty(fileno(out)) && !(nc && *nc) && term && *term && strcmp(term, "dumb") != 0;
}

progress_view *progress_view_new(progress_mode mode, FILE *out)
{
    progress_view *v = calloc(1, sizeof *v);
    if (!v)
        return NULL;
    if (mode == PROGRESS_AUTO)
        mode = terminal_ok(out) ? PROGRESS_TTY : PROGRESS_PLAIN;
    v->mode = mode;
    v->out = out;
    if (mode == PROGRESS_PLAIN) {
        v->log = out;
        return v;
    }
    cookie_io_functions_t io = {.write = log_write, .close = log_close};
    v->log = fopencookie(v, "w", io);
    if (!v->log)
        v->log = out;
    else
        setvbuf(v->log, NULL, _IOLBF, 0);
    return v;
}

FILE *progress_view_log(progress_view *v) { return v->log; }

bool progress_view_end(progress_view *v, const char *error)
{
    if (v->log && v->log != v->out)
        fclose(v->log);
    bool json = v->mode == PROGRESS_JSON;
    if (json && error) {
        fputs("{\"type\":\"error\"", v->out);
        json_field(v->out, "message", error);
        fputs("}\n", v->out);
    }
    fflush(v->out);
    clear_rows(v);
    free(v->title);
    free(v->hook_line);
    free(v);
    return json && error;
}
