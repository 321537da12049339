/* fuzz_repo_index.c — a chart repository's index.yaml (installer/net/repo_index.c)
 * and what is done with it: each entry found by name, a version chosen for a
 * constraint, its first URL resolved against the repository's URL. The input
 * is the index, then optionally a NUL and the constraint. */
#include "fuzz.h"

#include "core/arena.h"
#include "installer/net/repo.h"

#include <string.h>

FUZZ_TARGET(repo_index)
{
    fuzz_pair in = fuzz_split(data, size); /* the index, the constraint */
    const char *constraint = in.second;
    arena *a = arena_new();
    cap_err err = CAP_ERR_INIT;
    repo_index *ix = NULL;
    int rc = repo_index_parse(a, in.first, in.first_len, "index.yaml", &ix, &err);
    FUZZ_CHECK(rc == 0 ? err.msg == NULL && ix != NULL : rc == -1 && err.msg != NULL);
    for (size_t i = 0; rc == 0 && i < ix->n; i++) {
        const repo_index_entry *e = &ix->entries[i];
        FUZZ_CHECK(e->name != NULL);
        FUZZ_CHECK(repo_index_find(ix, e->name) != NULL);
        for (int exact = 0; exact < 2; exact++) {
            const char *why = NULL;
            const repo_chart_version *v = repo_index_best(a, e, constraint, exact, exact, &why);
            FUZZ_CHECK(v != NULL || why != NULL);
            if (v && v->nurls) {
                char *u = repo_resolve_url("https://charts.example/sub/?q=1", v->urls[0]);
                free(u);
            }
        }
    }
    cap_err_clear(&err);
    arena_free(a);
    fuzz_pair_free(&in);
    return 0;
}
