/* semver.h — Masterminds/semver v3.4.0 as Helm v4 uses it: versions parsed
 * with NewVersion (coercing "1", "1.2", "v1.2.3"), ordered as Compare orders
 * them, and constraints ("^1.2", ">= 1.0, < 2.0 || 3.x", "1.0 - 2.0") checked
 * as Constraints.Check checks them.
 *
 * Ownership: a semver_version is a plain value; its strings point into the
 * arena given to semver_parse. A semver_constraints is malloc'd and owned by
 * the caller (semver_constraints_free); it keeps no pointer into its input.
 * Errors are returned as messages in Masterminds' words ("invalid semantic
 * version", "improper constraint: x"), static or arena-allocated.
 */
#ifndef CAPSTAN_SEMVER_H
#define CAPSTAN_SEMVER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"

typedef struct semver_version {
    uint64_t major, minor, patch;
    const char *pre;       /* "" when none */
    const char *metadata;  /* "" when none */
    const char *original;  /* the text it was parsed from */
} semver_version;

/* NewVersion(s). Returns 0, or -1 with *err set to Masterminds' message. */
int semver_parse(arena *a, const char *s, semver_version *out, const char **err);

/* Compare: -1, 0, 1. Metadata is ignored; prereleases per SemVer 2.0
 * (with Masterminds' quirks). */
int semver_compare(const semver_version *v, const semver_version *o);

/* Version.String(): "1.2.3-pre+meta" (no "v"). */
char *semver_string(arena *a, const semver_version *v);

typedef struct semver_constraints semver_constraints;

/* NewConstraint(s). NULL with *err (in arena a) on a bad constraint. */
semver_constraints *semver_constraints_parse(arena *a, const char *s, const char **err);
/* The same with the constraint grammar compiled once by the caller, for many
 * parses (a render's semverCompare calls). A semver_grammar is malloc'd, owned
 * by its caller (semver_grammar_free) and used by one thread at a time. */
typedef struct semver_grammar semver_grammar;
semver_grammar *semver_grammar_new(void);
void semver_grammar_free(semver_grammar *g);
semver_constraints *semver_constraints_parse_with(semver_grammar *g, arena *a, const char *s, const char **err);
/* The same always through the grammar's patterns, never the hand-read path
 * for simple constraints (for the tests that compare the two). */
semver_constraints *semver_constraints_parse_patterns(semver_grammar *g, arena *a, const char *s, const char **err);
/* Constraints.Check(v). */
bool semver_constraints_check(const semver_constraints *c, const semver_version *v);
void semver_constraints_free(semver_constraints *c);

/* Convenience: does version string v satisfy constraint string c?
 * Returns 1 yes, 0 no, -1 with *err when either fails to parse. */
int semver_satisfies(arena *a, const char *c, const char *v, const char **err);

#endif
