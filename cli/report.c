/* report.c — how the capstan programs print errors and log lines (the one
 * place they are printed), and read a password from stdin. */
#include "cli.h"
#include "capstan.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void cli_error(const char *fmt, ...)
{
    va_list ap;
    fputs("capstan: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
}

int cli_fail(capstan_error *err)
{
    char *m = capstan_error_message(err);
    cli_error("%s", m && *m ? m : "unknown error");
    free(m);
    capstan_error_clear(err);
    return EXIT_ERR;
}

/* slog's text value: bare unless empty or holding a space, '=', '"' or a control character */
static void slog_value(const char *v)
{
    bool quote = !*v;
    for (const char *p = v; *p && !quote; p++)
        quote = *p == ' ' || *p == '=' || *p == '"' || (unsigned char)*p < 0x20;
    if (!quote) {
        fputs(v, stderr);
        return;
    }
    fputc('"', stderr);
    for (const char *p = v; *p; p++) {
        if (*p == '"' || *p == '\\')
            fprintf(stderr, "\\%c", *p);
        else if (*p == '\n')
            fputs("\\n", stderr);
        else if (*p == '\t')
            fputs("\\t", stderr);
        else
            fputc(*p, stderr);
    }
    fputc('"', stderr);
}

void cli_slog(const char *level, const char *msg, const char *key, const char *value)
{
    fprintf(stderr, "level=%s msg=", level);
    slog_value(msg);
    if (key) {
        fprintf(stderr, " %s=", key);
        slog_value(value ? value : "");
    }
    fputc('\n', stderr);
}

void cli_loader_log(void *ctx, const char *line)
{
    (void)ctx;
    fprintf(stderr, "%s\n", line);
}

char *cli_read_password(void)
{
    size_t len = 0, cap = 256;
    char *buf = malloc(cap);
    size_t n;
    while (buf && (n = fread(buf + len, 1, cap - len - 1, stdin)) > 0) {
        len += n;
        if (cap - len - 1 == 0) {
            char *nb = realloc(buf, cap *= 2);
            if (!nb)
                free(buf);
            buf = nb;
        }
    }
    if (!buf || ferror(stdin)) {
        free(buf);
        return NULL;
    }
    while (len && (buf[len - 1] == '\n' || buf[len - 1] == '\r'))
        len--;
    buf[len] = '\0';
    return buf;
}
