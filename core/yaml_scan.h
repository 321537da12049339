/* yaml_scan.h — a fast reader for the block YAML that charts, values and
 * rendered manifests are nearly always written in, as events, without libyaml.
 *
 * It accepts only a subset whose validity it can check line by line with
 * libyaml's (and go-yaml's) rules:
 *
 *   - block mappings and sequences by indentation, with compact forms
 *     ("- key: v", "- - x") and sequences at their key's column;
 *   - plain scalars on one line and their continuation lines (folded);
 *   - single-line quoted scalars (double-quoted with simple escapes only);
 *   - literal and folded block scalars (| > with - or +, no indentation digit);
 *   - flow sequences and mappings on one line, of scalars and of such
 *     collections ({key: app, values: [a, b]}, [] and {}); comments; UTF-8 text.
 *
 * Anything else — tabs outside block scalars, flow collections over lines,
 * anchors, aliases, tags, "?" keys, multi-line quoted scalars, document
 * markers, a scalar document — makes yaml_scan answer "don't know" (0), and
 * the caller reads the text with libyaml. When it answers, the events are the
 * ones libyaml's parser gives for the same text (without stream and document
 * events), so what is built from them is what the full reader builds.
 *
 * Scalars are not copied: an event gives the text as written, and
 * yaml_scan_value() makes the value (folded, unescaped) only when asked.
 * Events carry no positions: a reader that finds an error in what it built
 * reads the text again with libyaml to report it.
 */
#ifndef CAPSTAN_YAML_SCAN_H
#define CAPSTAN_YAML_SCAN_H

#include <stdbool.h>
#include <stddef.h>

#include "core/arena.h"

typedef enum ys_type { YS_MAP_START, YS_MAP_END, YS_SEQ_START, YS_SEQ_END, YS_SCALAR } ys_type;

typedef enum ys_style {
    YS_EMPTY,   /* no text at all (a null value) */
    YS_PLAIN,
    YS_SINGLE,  /* '...' */
    YS_DOUBLE,  /* "..." */
    YS_LITERAL, /* | */
    YS_FOLDED,  /* > */
} ys_style;

typedef struct ys_event {
    ys_type type;
    ys_style style;
    bool multi;         /* a plain scalar over several lines */
    char chomp;         /* block scalars: '-', '+' or 0 (clip) */
    int indent;         /* block scalars: the content's indentation (0 when empty) */
    const char *raw;    /* the text as written: a plain scalar from its first to its last
                           character, a quoted one between its quotes, a block scalar's lines */
    size_t rawlen;
} ys_event;

/* Called for each event in order; a non-zero return stops the scan ("don't know"). */
typedef int (*ys_handler)(void *ctx, const ys_event *ev);

/* 1 when text is in the subset and every event was handed to h (no events
 * at all for a text of comments and blank lines); 0 when it is not, or h
 * stopped. The document must be a mapping or a sequence. */
int yaml_scan(const char *text, size_t len, ys_handler h, void *ctx);
/* The same for the text of one document that may open with an explicit
 * start: "---" on a line of its own (spaces and a comment may follow it),
 * after comments and blank lines at most, as CRD files and many other
 * manifests begin; libyaml and go-yaml read what follows it as they read a
 * text without it. A later "---" or "..." is still left to libyaml. */
int yaml_scan_doc(const char *text, size_t len, ys_handler h, void *ctx);

/* The value of a scalar event as libyaml gives it, NUL-terminated, in a. */
char *yaml_scan_value(arena *a, const ys_event *ev, size_t *len);

#endif
