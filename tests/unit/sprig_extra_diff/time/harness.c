#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "renderer/funcs/fn_dates.h"
#include "core/gofmt.h"
#include "sprig_extra_util.h"
static void q(const char *s, size_t n) { strbuf sb = STRBUF_INIT; gofmt_quote(&sb, s, n); fputs(sb_str(&sb), stdout); sb_release(&sb); }
int main(void) {
  FILE *f = fopen("cases.txt", "r"); char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *p[4]; p[0] = line; for (int i = 1; i < 4; i++) { p[i] = strchr(p[i-1], '\t'); *p[i]++ = 0; }
    arena *a = arena_new();
    cval *t = fn_time_new(a, strtoll(p[1], 0, 10), (int32_t)strtol(p[2], 0, 10), p[3]);
    strbuf s = STRBUF_INIT, ts = STRBUF_INIT;
    fn_time_format(&s, t->u.obj.self, p[0], strlen(p[0]));
    fn_time_string(&ts, t->u.obj.self);
    const char *err = NULL;
    cval *pt = tcall(a, fn_dates_table, "mustToDate", 2, (cval *[]){cv_cstring(a, p[0]), cv_string(a, s.buf ? s.buf : "", s.len)}, &err);
    strbuf ps = STRBUF_INIT;
    if (!pt) { sb_adds(&ps, "ERR "); sb_adds(&ps, err); } else fn_time_string(&ps, pt->u.obj.self);
    q(sb_str(&s), s.len); putchar(' '); q(sb_str(&ts), ts.len); putchar(' '); q(sb_str(&ps), ps.len); putchar('\n');
    sb_release(&s); sb_release(&ts); sb_release(&ps); arena_free(a);
  }
}
