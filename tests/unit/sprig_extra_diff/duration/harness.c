#include <stdio.h>
#include <string.h>
#include "renderer/funcs/fn_dates.h"
int main(void) {
  FILE *f = fopen("cases.txt", "r"); char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    arena *a = arena_new(); int64_t d; const char *err;
    if (fn_parse_duration(a, line, strlen(line), &d, &err) < 0) printf("ERR %s\n", err);
    else { strbuf s = STRBUF_INIT; fn_duration_string(&s, d); printf("%lld %s\n", (long long)d, sb_str(&s)); sb_release(&s); }
    arena_free(a);
  }
}
