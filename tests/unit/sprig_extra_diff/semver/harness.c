#include <stdio.h>
#include <string.h>
#include "core/semver.h"
int main(void) {
  FILE *f = fopen("cases.txt", "r"); char line[4096];
  while (fgets(line, sizeof line, f)) {
    line[strcspn(line, "\n")] = 0;
    char *tab = strchr(line, '\t'); *tab = 0;
    arena *a = arena_new(); const char *err;
    semver_constraints *c = semver_constraints_parse(a, line, &err);
    if (!c) { printf("CERR %s\n", err); arena_free(a); continue; }
    semver_version v;
    if (semver_parse(a, tab + 1, &v, &err) < 0) { printf("VERR %s\n", err); semver_constraints_free(c); arena_free(a); continue; }
    printf("%s %s\n", semver_constraints_check(c, &v) ? "true" : "false", semver_string(a, &v));
    semver_constraints_free(c); arena_free(a);
  }
}
