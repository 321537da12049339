/* tmpl_ast.h — the lexer's items and the parser's node tree for Go's
 * text/template (after text/template/parse: lex.go, node.go).
 *
 * Everything here lives in the arena of the template set that parsed it.
 * Positions are byte offsets into the text of the file the node came from
 * (tnode.tree->text), as in Go, so that errors can say NAME:LINE:COL.
 */
#ifndef CAPSTAN_TMPL_AST_H
#define CAPSTAN_TMPL_AST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/strbuf.h"

/* ---- lexer (tmpl_lex.c) ---- */

typedef enum tl_type {
    TK_ERROR, TK_BOOL, TK_CHAR, TK_CHARCONST, TK_COMMENT, TK_COMPLEX, TK_ASSIGN, TK_DECLARE,
    TK_EOF, TK_FIELD, TK_IDENT, TK_LDELIM, TK_LPAREN, TK_NUMBER, TK_PIPE, TK_RAWSTRING,
    TK_RDELIM, TK_RPAREN, TK_SPACE, TK_STRING, TK_TEXT, TK_VARIABLE,
    TK_KEYWORD, /* keywords follow */
    TK_BLOCK, TK_BREAK, TK_CONTINUE, TK_DOT, TK_DEFINE, TK_ELSE, TK_END, TK_IF, TK_NIL,
    TK_RANGE, TK_TEMPLATE, TK_WITH,
} tl_type;

typedef struct tl_item {
    tl_type type;
    int pos;
    int line;
    const char *val;  /* into the input, or the error message (arena) */
    size_t len;
} tl_item;

typedef struct tl_lexer {
    arena *a;
    const char *input;
    size_t len;
    size_t pos, start;
    bool at_eof;
    int paren_depth;
    int line, start_line;
    bool inside_action;
    bool break_ok, continue_ok;
    bool no_lines;    /* lines not counted: a body checked before, whose parse cannot fail */
} tl_lexer;

void tmpl_lex_init(tl_lexer *l, arena *a, const char *input, size_t len);
tl_item tmpl_lex_next(tl_lexer *l);
/* Go on lexing from byte pos (line), outside any action: where a body the
 * lazy parse recorded starts or ends. */
void tmpl_lex_jump(tl_lexer *l, size_t pos, int line);
/* Go's item.String(): EOF, the error text, <keyword>, %q or %.10q... */
void tmpl_item_string(strbuf *out, const tl_item *it);

/* ---- nodes (tmpl_parse.c) ---- */

typedef enum tn_type {
    TN_LIST, TN_TEXT, TN_ACTION, TN_PIPE, TN_CMD, TN_FIELD, TN_VAR, TN_CHAIN, TN_DOT,
    TN_NIL, TN_BOOL, TN_NUMBER, TN_STRING, TN_IDENT, TN_IF, TN_RANGE, TN_WITH,
    TN_TEMPLATE, TN_BREAK, TN_CONTINUE, TN_COMMENT, TN_END, TN_ELSE,
} tn_type;

typedef struct tmpl_tree tmpl_tree;
typedef struct tnode tnode;

enum { NUM_INT = 1, NUM_UINT = 2, NUM_FLOAT = 4, NUM_COMPLEX = 8 };

/* TN_STRING flag: s is the text between the quotes (no NUL after it) */
enum { STR_IN_TEXT = 1 };

/* TN_LIST flag: a list the parser checked but left for later (lazy parsing):
 * pos and lazy_line are where its items start in owner->text; tmpl_list_force
 * parses them. */
enum { TN_LAZY = 1 };

/* A node is a 16-byte head and then only the fields of its type: a render
 * of a big chart holds tens of thousands, so each is allocated at its own
 * size (tmpl_node_size), 16 to 48 bytes. Code reads a field only of a node
 * whose type has it. A node does not point to its tree, but a list does
 * (lazy lists are parsed from it); executing code knows the tree it runs. */
struct tnode {
    uint8_t type;        /* tn_type */
    uint8_t flag;        /* TN_BOOL: value; TN_PIPE: is_assign; TN_NUMBER: NUM_* bits;
                            TN_STRING: STR_IN_TEXT;
                            TN_LIST: TN_LAZY while its items are not parsed */
    int pos;             /* byte offset in the file's text */
    union {
        int nkids;       /* LIST items, CMD args, PIPE cmds */
        int nidents;     /* FIELD, VAR, CHAIN */
        int builtin;     /* IDENT: the resolved function's builtin number */
        int rawlen;      /* STRING: the quoted token's length */
    };
    union {
        uint32_t len;    /* TEXT, COMMENT, STRING, NUMBER, IDENT, TEMPLATE: of s */
        int ndecl;       /* PIPE: declared variables */
        int lazy_line;   /* LIST while TN_LAZY: the line its items start on */
    };
    union {              /* by type, from byte 16: */
        struct {
            tnode **kids;                 /* LIST, CMD, PIPE */
            union {
                tnode **decl;             /* PIPE */
                const tmpl_tree *owner;   /* LIST: the tree it belongs to */
            };
        };
        struct { tnode *pipe, *list, *elselist; }; /* ACTION (pipe); IF, RANGE, WITH */
        struct {
            const char **idents;          /* FIELD (no dots), VAR ("$x", f...), CHAIN */
            tnode *chain;                 /* CHAIN: the node the fields apply to */
        };
        struct {
            const char *s;                /* TEXT, COMMENT, STRING (unquoted), NUMBER (text),
                                             IDENT, TEMPLATE (name); len bytes: TEXT and a
                                             STRING without escapes (STR_IN_TEXT) point
                                             into the file's text (no NUL after them) */
            union {
                struct { const void *kval; const char *raw; }; /* STRING: its value, made once
                                                                   (exec); the quoted token */
                tnode *tpipe;                                  /* TEMPLATE (may be NULL) */
                struct {
                    const void *cache;    /* IDENT: the resolved function; NUMBER: its ideal
                                             constant, made once (exec) */
                    union { int64_t i; uint64_t u; }; /* NUMBER (i, u equal where both valid) */
                    double f;
                };
            };
        };
    };
};

/* The bytes a node of type t is allocated with. */
size_t tmpl_node_size(tn_type t);

/* A body the lazy parse checked and skipped: its items run from byte start
 * (line start_line) to the "{{" of the {{end}} or {{else}} that closes it,
 * at byte end (line end_line). */
typedef struct tmpl_body {
    int start, start_line, end, end_line;
} tmpl_body;

/* What the trees of one lazily parsed file share: its bodies in the order of
 * their start, the lexer's setting for break/continue, and the arena the
 * parse used, which lists are parsed into when they are forced (an arena
 * without marks, that lives as long as the trees). */
typedef struct tmpl_file {
    const tmpl_body *bodies;
    size_t nbodies;
    bool break_ok, continue_ok;
    arena *a;
} tmpl_file;

/* A named template: a file's top level, or a define/block. */
struct tmpl_tree {
    const char *name;       /* template name */
    const char *parse_name; /* the file it was parsed from (for errors) */
    const char *text;       /* the whole file's text (positions index into it) */
    size_t textlen;
    tnode *root;
    const tmpl_file *file;  /* lazily parsed: its file's bodies; NULL otherwise */
    bool empty;             /* Go's IsEmptyTree(root): only blank text */
};

/* Parse the items of a lazy list (TN_LAZY) now, into its file's
 * arena; the lists in it stay lazy. The file was checked whole when it was
 * parsed, so this does not fail but for memory or stack; then -1 with
 * *errmsg (in that arena). Not thread-safe: one thread executes a tree. */
int tmpl_list_force(tnode *list, char **errmsg);
/* The same with the nodes in arena nodes, which the caller gives back once the
 * list is no longer used (after putting it back as it was, lazy): the strings
 * a value may keep still go to the file's arena. */
int tmpl_list_force_nodes(tnode *list, arena *nodes, char **errmsg);

/* Go's Node.String(), appended to out. */
void tmpl_node_string(strbuf *out, const tnode *n);
/* Line (1-based) and column (0-based byte, as Go prints it) of node n of tree t. */
void tmpl_node_location(const tmpl_tree *t, const tnode *n, int *line, int *col);

/* ---- template sets (tmpl_parse.c) ---- */

typedef struct tmpl_set tmpl_set;

/* A set of named templates. A child set (tpl's clone) sees its parent's
 * templates; what it defines stays in the child. */
tmpl_set *tmpl_set_new(arena *a, tmpl_set *parent);
const tmpl_tree *tmpl_set_lookup(const tmpl_set *s, const char *name, size_t len);

/* Does the function NAME exist? (the parser's check: function "x" not defined) */
typedef bool (*tmpl_hasfn)(void *ctx, const char *name, size_t len);

/* Parse text as template `name` into set s (Go's t.New(name).Parse(text)).
 * On error returns -1 with *errmsg = Go's message ("template: NAME:LINE: ...")
 * and *errline. hasfn NULL accepts every function name. */
int tmpl_parse_into(tmpl_set *s, const char *name, const char *text, size_t len,
                    tmpl_hasfn hasfn, void *hasfn_ctx, char **errmsg, int *errline);

/* The same in two steps: parse into arena a on its own (no set needed, so it
 * can run while the set is in use elsewhere), then add the result to a set
 * (Go's associate: a define does not replace a template with an empty one). */
typedef struct tmpl_parsed tmpl_parsed;
/* On error *out is NULL. lazy: check the whole text as Go's parser does, with
 * all its errors, but build only the trees' names and lazy roots; their
 * bodies are parsed when first executed (tmpl_list_force). a must then be an
 * arena without marks that outlives every execution of the trees. */
int tmpl_parse_file(arena *a, const char *name, const char *text, size_t len, tmpl_hasfn hasfn, void *hasfn_ctx,
                    bool lazy, tmpl_parsed **out, char **errmsg, int *errline);
void tmpl_set_add(tmpl_set *s, const tmpl_parsed *pf);

/* For fuzzers and tools: lex and parse bytes on their own, with every function
 * name accepted but those starting with 'x' (and "break" and "continue",
 * keywords then), fully and lazily. Returns 0 or -1 (both parses agree), or -2
 * when the lazy parse differs from the full one (its error, or a tree's
 * String() before or after forcing its lazy lists, or its nodes' types and
 * positions after); frees everything it made. */
int tmpl_parse_only(const char *data, size_t len);

/* Run fn(arg) on a thread with a large stack (the parser and executor recurse
 * as deep as the template nests; their own limits keep them inside it).
 * Falls back to calling fn directly when no thread can be made. */
void tmpl_with_stack(void (*fn)(void *arg, size_t budget), void *arg);
/* The same in two steps: start fn(arg, budget) on such a thread (NULL when
 * none can be made), and wait for it (which frees the handle). */
typedef struct tmpl_thread tmpl_thread;
tmpl_thread *tmpl_thread_start(void (*fn)(void *arg, size_t budget), void *arg);
void tmpl_thread_join(tmpl_thread *t);
/* Has the current thread used more than budget bytes of stack since `base`
 * (the address of a local in the outermost frame)? */
bool tmpl_stack_exhausted(const void *base, size_t budget);
/* Has the calling thread `need` bytes of stack left below its current frame
 * (the main thread: may its stack grow that far)? */
bool tmpl_stack_room(size_t need);
/* The stack the parser may use below its entry (past it, a template is too deep). */
#define TMPL_PARSE_STACK (3UL << 20)

#endif
