/* test_progress_view.c — how the CLI shows progress events: JSON Lines,
 * the plain lines capstan printed before events, the redrawn tty block, and
 * the library's text lines routed through the view. */
#include "unit.h"
#include "progress_view.h"

#include <stdlib.h>
#include <string.h>

/* progress_flag reports bad values through cli_error (cli/main.c in the program). */
void cli_error(const char *fmt, ...)
{
    (void)fmt;
}

typedef struct capture {
    FILE *f;
    char *buf;
    size_t len;
} capture;

static void open_capture(capture *c) { c->f = open_memstream(&c->buf, &c->len); }

static char *close_capture(capture *c)
{
    fclose(c->f);
    return c->buf;
}

static void emit(progress_view *v, capstan_progress_event ev) { progress_view_event(v, &ev); }

static size_t count(const char *hay, const char *needle)
{
    size_t n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void json_lines(void **state)
{
    (void)state;
    capture c;
    open_capture(&c);
    progress_view *v = progress_view_new(PROGRESS_JSON, c.f);
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_STARTED, .elapsed_ms = 5, .wave = 1, .nwaves = 2});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .elapsed_ms = 7, .phase = "wave 1/2",
                                     .kind = "Job", .namespace_ = "ns", .name = "j", .state = "failed",
                                     .message = "say \"no\"\tnow"});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_TICK, .elapsed_ms = 1000});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_DIAGNOSTICS, .elapsed_ms = 9, .kind = "Job",
                                     .name = "j", .text = "Job/j: failed\n  | \x01log\n"});
    FILE *log = progress_view_log(v);
    fputs("release r revision 1: ", log);
    fputs("pending-install\nsecond", log); /* a line in pieces; the last one without its newline */
    assert_true(progress_view_end(v, "it failed"));
    char *out = close_capture(&c);
    assert_string_equal(
        out,
        "{\"type\":\"wave_started\",\"elapsed_ms\":5,\"wave\":1,\"waves\":2}\n"
        "{\"type\":\"object\",\"elapsed_ms\":7,\"phase\":\"wave 1/2\",\"kind\":\"Job\",\"namespace\":\"ns\","
        "\"name\":\"j\",\"state\":\"failed\",\"message\":\"say \\\"no\\\"\\tnow\"}\n"
        "{\"type\":\"diagnostics\",\"elapsed_ms\":9,\"kind\":\"Job\",\"name\":\"j\","
        "\"text\":\"Job/j: failed\\n  | \\u0001log\\n\"}\n"
        "{\"type\":\"log\",\"message\":\"release r revision 1: pending-install\"}\n"
        "{\"type\":\"log\",\"message\":\"second\"}\n"
        "{\"type\":\"error\",\"message\":\"it failed\"}\n");
    free(out);
}

static void plain_lines(void **state)
{
    (void)state;
    capture c;
    open_capture(&c);
    progress_view *v = progress_view_new(PROGRESS_AUTO, c.f); /* not a terminal: plain */
    assert_ptr_equal(progress_view_log(v), c.f);
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_STARTED, .wave = 2, .nwaves = 3});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .phase = "wave 2/3", .kind = "Deployment",
                                     .name = "web", .state = "progressing", .message = "1/3 replicas available"});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .phase = "wave 2/3", .kind = "Deployment",
                                     .name = "web", .state = "ready", .message = "3/3 replicas available"});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_TICK});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_READY, .wave = 2, .nwaves = 3});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_HOOK_STARTED, .phase = "hook pre-install",
                                     .kind = "Job", .name = "m", .state = "running"});
    assert_false(progress_view_end(v, "failed")); /* the caller prints the error */
    char *out = close_capture(&c);
    assert_string_equal(out, "wave 2/3\n"
                             "wave 2/3: Deployment/web: InProgress (1/3 replicas available)\n"
                             "wave 2/3: Deployment/web: Current (3/3 replicas available)\n"
                             "wave 2/3 ready\n"
                             "hook pre-install: Job/m\n");
    free(out);
}

static void tty_block(void **state)
{
    (void)state;
    capture c;
    open_capture(&c);
    progress_view *v = progress_view_new(PROGRESS_TTY, c.f);
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_WAVE_STARTED, .elapsed_ms = 100, .wave = 1,
                                     .nwaves = 1});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .elapsed_ms = 200, .phase = "wave 1/1",
                                     .kind = "Deployment", .name = "web", .state = "progressing",
                                     .message = "1/3 replicas available"});
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .elapsed_ms = 300, .phase = "wave 1/1",
                                     .kind = "Service", .name = "web", .state = "ready"});
    fputs("  created ConfigMap/x\n", progress_view_log(v)); /* scrolls above the block */
    emit(v, (capstan_progress_event){.type = CAPSTAN_PROGRESS_OBJECT, .elapsed_ms = 2500, .phase = "wave 1/1",
                                     .kind = "Deployment", .name = "web", .state = "ready",
                                     .message = "3/3 replicas available"});
    progress_view_end(v, NULL);
    char *out = close_capture(&c);
    /* each redraw moves up over the block (1, 2, then 3 lines) and erases it */
    assert_int_equal(count(out, "\033[1A\033[J"), 1);
    assert_int_equal(count(out, "\033[2A\033[J"), 1);
    assert_int_equal(count(out, "\033[3A\033[J"), 2);
    /* the log line is printed once, between an erase and a redraw */
    assert_non_null(strstr(out, "\033[3A\033[J  created ConfigMap/x\n\033[2K\033[1mwave 1/1"));
    /* the last block: header with the elapsed time, one row per object, the last state */
    const char *last = out;
    for (const char *p = out; (p = strstr(p, "\033[3A\033[J")); p++)
        last = p + strlen("\033[3A\033[J");
    assert_string_equal(last, "\033[2K\033[1mwave 1/1\033[0m  2.5s\n"
                                  "\033[2K  \033[32mok\033[0m   ready        Deployment/web  3/3 replicas available\n"
                                  "\033[2K  \033[32mok\033[0m   ready        Service/web\n");
    free(out);
}

static void flags(void **state)
{
    (void)state;
    progress_mode m = PROGRESS_AUTO;
    long lines = 0;
    assert_int_equal(progress_flag(PV_PROGRESS, "json", &m, &lines), 1);
    assert_int_equal(m, PROGRESS_JSON);
    assert_int_equal(progress_flag(PV_PROGRESS, "colour", &m, &lines), -1);
    assert_int_equal(progress_flag(PV_LOG_LINES, "7", &m, &lines), 1);
    assert_int_equal(lines, 7);
    assert_int_equal(progress_flag(PV_LOG_LINES, "0", &m, &lines), 1);
    assert_true(lines < 0); /* no logs */
    assert_int_equal(progress_flag(PV_LOG_LINES, "-2", &m, &lines), -1);
    assert_int_equal(progress_flag(PV_LOG_LINES, "9x", &m, &lines), -1);
    assert_int_equal(progress_flag('n', "x", &m, &lines), 0);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(json_lines),
    cmocka_unit_test(plain_lines),
    cmocka_unit_test(tty_block),
    cmocka_unit_test(flags),
};

UNIT_MAIN(tests)
