/* regex_nfa.h — a linear-time regular expression matcher (a Pike VM, as Go's
 * regexp runs: leftmost-first, with captures), for the patterns fn_regex.c
 * writes for PCRE2. It is used where PCRE2 gives up (match, depth or heap
 * limit) and for subjects that are not valid UTF-8, so that a Go pattern
 * never gets a wrong "no match".
 *
 * Input syntax: the PCRE2 dialect of fn_regex.c's translator (literals as
 * alphanumerics or \x{..}; . [..] with ranges, [:posix:], \d \D \w \W;
 * groups ( (?<name> (?: (?flags) (?flags: ; repeats * + ? {n} {n,} {n,m}
 * with a lazy ?; anchors ^ $ \A \z \b \B; flags i m s U as PCRE2 reads them).
 * Unicode properties (\p) and case folding outside ASCII are not supported:
 * rx_nfa_compile says so and the caller must not pretend to have matched.
 *
 * Time is O(len(subject) * len(program)); memory is O(len(program) * captures),
 * allocated with malloc and checked. Not thread-safe per program (it keeps
 * its scratch space); one render owns it. */
#ifndef CAPSTAN_REGEX_NFA_H
#define CAPSTAN_REGEX_NFA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct rx_nfa rx_nfa;

enum {
    RX_NFA_OK = 0,
    RX_NFA_UNSUPPORTED = 1, /* syntax this engine does not implement */
    RX_NFA_NOMEM = 2,
};

/* Compile pat (the translated pattern). *out is NULL unless RX_NFA_OK. */
int rx_nfa_compile(const char *pat, size_t len, rx_nfa **out);
void rx_nfa_free(rx_nfa *p);
/* Capture groups, not counting group 0. */
unsigned rx_nfa_ncap(const rx_nfa *p);
/* Instructions in the program (its memory is about 50 bytes each). */
size_t rx_nfa_size(const rx_nfa *p);
/* Does a repeat (other than ?) apply to something that can match empty?
 * There PCRE2's answers differ from Go's: (?:\B|[a-c]?)+ on "ab" is "ab"
 * in Go, "a" in PCRE2; groups inside such loops too. */
bool rx_nfa_empty_loop(const rx_nfa *p);

/* The leftmost-first match starting at or after pos. caps gets 2*nslots
 * offsets (-1 for a group that did not take part); nslots <= ncap+1.
 * Returns 1 on a match, 0 when there is none, -1 when memory ran out. */
int rx_nfa_exec(rx_nfa *p, const char *s, size_t len, size_t pos, long *caps, unsigned nslots);

/* Decode one UTF-8 rune at p as Go does (invalid: U+FFFD, width 1; at end:
 * -1, width 0). */
int32_t rx_decode_rune(const char *p, const char *end, int *w);
/* Is s valid UTF-8 (as PCRE2 checks it)? */
bool rx_utf8_valid(const char *s, size_t len);

#endif
