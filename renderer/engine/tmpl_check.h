/* tmpl_check.h — the quick check of a body the lazy parse leaves for later
 * (tmpl_check.c).
 *
 * The lazy parse (tmpl_parse.c, P_LAZY) must find every error Go's parser
 * would find in a body, though it keeps none of the body's nodes. Going
 * through the lexer's items and the parser's nodes cost about 28 instructions
 * a byte. tmpl_check_body goes over the bytes once instead, for what charts
 * are made of: fields, variables, functions, strings, decimal integers,
 * parentheses, pipes, if/else/with/range/end, template, break, continue and
 * comments. It says yes only where the parser would accept the body; for
 * anything else (any error, a rarer form such as a float, a char constant,
 * a rune beyond ASCII in a name, a block) it says "not sure", and the parser
 * checks the body its own way, with its own errors.
 */
#ifndef CAPSTAN_TMPL_CHECK_H
#define CAPSTAN_TMPL_CHECK_H

#include <stdbool.h>
#include <stddef.h>

#include "renderer/engine/tmpl_ast.h"

/* A variable in scope: its name ("$", "$x") points into the text. */
typedef struct tmpl_var { const char *s; size_t len; } tmpl_var;

typedef struct tmpl_check {
    const char *text;       /* the file's text */
    size_t len;
    const tmpl_var *vars;   /* the variables in scope where the body starts */
    size_t nvars;
    int range_depth;        /* ranges around the body (break/continue) */
    int nest_room;          /* controls that may still open (MAX_NEST_DEPTH) */
    bool break_ok, continue_ok; /* the lexer's: "break" is a keyword */
    tmpl_hasfn hasfn;       /* NULL: every function exists */
    void *hasfn_ctx;
} tmpl_check;

/* What a check that said yes found. The bodies of the controls inside are
 * appended to *bodies (xrealloc'd, *nbodies of *cap), in the order of their
 * start, as the lazy parse records them; the variables the body declares at
 * its own level (visible after it, as in an {{else}}) are in decl. */
typedef struct tmpl_check_out {
    size_t end;             /* the "{{" of the {{end}} or {{else}} closing the body */
    int end_line;
    bool nonempty;          /* an item that is not blank text */
    tmpl_var decl[16];
    size_t ndecl;
} tmpl_check_out;

/* Check the body from byte start (line) to the {{end}} or {{else}} that
 * closes it. true: the parser would accept it (out filled, bodies appended);
 * false: not sure (nothing appended). */
bool tmpl_check_body(const tmpl_check *c, size_t start, int line, tmpl_body **bodies, size_t *nbodies,
                     size_t *cap, tmpl_check_out *out);

/* strconv.Unquote's verdict on a "..." or `...` token (tmpl_parse.c). */
bool tmpl_unquote_ok(const char *s, size_t n);

/* Text Go's IsEmptyTree passes over as blank (tmpl_parse.c). */
bool tmpl_text_blank(const char *s, size_t n);

#endif
