/* chart_log.c — helm's log lines (log.Printf and slog.Warn routed through
 * slog's text handler), written to the render's log sink. */
#include "renderer/chart/chart.h"

#include "core/gofmt.h"

#include <string.h>

/* slog's needsQuoting: empty, or a space, '=', '"' or an unprintable rune */
static bool needs_quoting(const char *s)
{
    if (!*s)
        return true;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        unsigned char ch = (unsigned char)s[i];
        if (ch < 0x80) {
            if (ch == ' ' || ch == '=' || ch == '"' || !gofmt_isprint(ch))
                return true;
            i++;
            continue;
        }
        int32_t r;
        int w = gofmt_decode_rune(s + i, n - i, &r);
        if (r == 0xFFFD || !gofmt_isprint(r))
            return true;
        i += w > 0 ? (size_t)w : 1;
    }
    return false;
}

void chart_log_value(strbuf *sb, const char *s)
{
    if (needs_quoting(s))
        gofmt_quote(sb, s, strlen(s));
    else
        sb_adds(sb, s);
}

void chart_logf(const chart *c, const char *level, const char *msg, const char *const *kv)
{
    while (c && c->parent)
        c = c->parent;
    if (!c || !c->log || !c->log->fn)
        return;
    strbuf sb = STRBUF_INIT;
    sb_adds(&sb, "level=");
    sb_adds(&sb, level);
    sb_adds(&sb, " msg=");
    chart_log_value(&sb, msg);
    for (size_t i = 0; kv && kv[i] && kv[i + 1]; i += 2) {
        sb_addc(&sb, ' ');
        sb_adds(&sb, kv[i]);
        sb_addc(&sb, '=');
        chart_log_value(&sb, kv[i + 1]);
    }
    c->log->fn(c->log->ctx, sb_str(&sb));
    sb_release(&sb);
}

void chart_log_symlink(strbuf *sb, const char *path, const char *resolved)
{
    sb_adds(sb, "level=INFO msg=\"found symbolic link in path. Contents of linked file included and used\" path=");
    chart_log_value(sb, path);
    sb_adds(sb, " resolved=");
    chart_log_value(sb, resolved);
    sb_addc(sb, '\n');
}
