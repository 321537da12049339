/* value.h — the values Go templates see in Helm.
 *
 * A cval is what text/template holds in an interface{}: nil, bool, integers,
 * float64, string, []byte, lists, maps with string keys, and native objects
 * (structs and pointers such as .Chart, .Capabilities, .Files) with fields and
 * methods.
 *
 * OWNERSHIP, the one rule: every cval lives in an arena. Nothing is freed on
 * its own; the arena that made a value frees it. Keep values only as long as
 * their arena. Copy a value into another arena with cv_deep_copy().
 *
 * Scalars and strings are immutable once made. Lists and maps are mutable
 * references, as Go's slices and maps are: a change made through one holder is
 * seen by every other (Sprig's `set` and `unset` rely on this). The constants
 * cv_nil(), cv_novalue(), cv_true() and cv_false() are static and shared.
 *
 * gotype: the name Go's %T prints. NULL means the kind's default type:
 *   CV_NIL "<nil>", CV_BOOL "bool", CV_INT "int64", CV_UINT "uint64",
 *   CV_FLOAT "float64", CV_STRING "string", CV_BYTES "[]uint8",
 *   CV_LIST "[]interface {}", CV_MAP "map[string]interface {}".
 * Values of other Go types carry the name, e.g. "int" (len, template integer
 * constants), "[]string" (splitList), "map[string]string" (splitn),
 * "chartutil.Values". Objects always carry their class's name.
 */
#ifndef CAPSTAN_VALUE_H
#define CAPSTAN_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

typedef enum cv_kind {
    CV_INVALID = 0, /* text/template's "no value" (a missing map key): prints "<no value>" */
    CV_NIL,         /* Go's nil interface: prints "<nil>" */
    CV_BOOL,
    CV_INT,         /* signed integers (int, int64, int32, time.Duration, ...) */
    CV_UINT,        /* unsigned integers (uint8 from indexing a string, uint64, ...) */
    CV_FLOAT,       /* float64 */
    CV_STRING,
    CV_BYTES,       /* []byte */
    CV_LIST,
    CV_MAP,
    CV_OBJECT,      /* a native Go value with fields and methods (see cv_class) */
} cv_kind;

typedef struct cval cval;
typedef struct cv_list cv_list;
typedef struct cv_map cv_map;
typedef struct cv_class cv_class;
struct strbuf;

struct cval {
    cv_kind kind;
    const char *gotype; /* NULL: the kind's default; see above */
    union {
        bool b;
        int64_t i;
        uint64_t u;
        double f;
        struct { const char *s; size_t len; } str; /* CV_STRING, CV_BYTES; s is NUL-terminated */
        cv_list *list;
        cv_map *map;
        struct { const cv_class *cls; void *self; } obj;
    } u;
};

/* ---- calling functions and methods ------------------------------------- */

/* What a template function or method gets. Results are allocated in `a`.
 * A function that fails calls cv_call_fail() and returns NULL. */
typedef struct cv_call {
    arena *a;
    void *env;        /* the template engine's state; opaque outside renderer/ */
    void *self;       /* the receiver, for methods; NULL for functions */
    const char *name; /* the function's name, for messages */
    char *errmsg;     /* set by cv_call_fail(), in arena a */
} cv_call;

typedef cval *(*cv_fn)(cv_call *c, int argc, cval **argv);

/* One row of a function table, in the manner of Lua's luaL_Reg.
 * sig gives Go's parameter types, one letter each, so that the engine converts
 * and checks arguments as text/template does (and fails with Go's messages):
 *   v interface{} (anything)   s string        b bool
 *   i int                      I int64         f float64
 *   u uint                     l []interface{} L []string
 *   m map[string]interface{}   B []byte
 * A final '*' makes the letter before it variadic: "sv*" is (string, ...interface{}).
 * The result's type is the function's business. */
typedef struct cv_fnreg {
    const char *name;
    cv_fn fn;
    const char *sig;
} cv_fnreg;

cval *cv_call_fail(cv_call *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* ---- native objects ---------------------------------------------------- */

struct cv_class {
    const char *gotype;  /* what %T prints, e.g. "*chart.Metadata" */
    const char *gokind;  /* what reflect's Kind prints, e.g. "ptr", "struct", "map" */
    /* The exported field NAME of self, or NULL when the type has none. */
    cval *(*field)(arena *a, void *self, const char *name);
    /* Methods, ending with a zeroed row; called with c->self = self. May be NULL. */
    const cv_fnreg *methods;
    /* How %v prints it; NULL prints "{}". */
    void (*format)(struct strbuf *out, void *self);
    /* Truth for if/with; NULL: always true (a non-nil pointer). */
    bool (*truth)(void *self);
    /* How json.Marshal writes it (its MarshalJSON); NULL writes {}. */
    void (*json)(struct strbuf *out, void *self);
    /* The class of a copy of it, as a function's argument gets it: a Go struct
     * reached through a pointer is addressable, so printing it uses String()
     * of its pointer type, but a copy passed to a function is not, and %v
     * prints its fields. NULL: the same class. */
    const struct cv_class *as_value;
};

/* ---- constructors ------------------------------------------------------ */

cval *cv_novalue(void);
cval *cv_nil(void);
cval *cv_true(void);
cval *cv_false(void);
cval *cv_bool(bool b);
cval *cv_int(arena *a, int64_t i);            /* int64 */
cval *cv_goint(arena *a, int64_t i);          /* Go's int */
cval *cv_int_typed(arena *a, int64_t i, const char *gotype);
cval *cv_uint(arena *a, uint64_t u, const char *gotype); /* gotype NULL: uint64 */
cval *cv_float(arena *a, double f);
cval *cv_string(arena *a, const char *s, size_t len);  /* copies s */
cval *cv_cstring(arena *a, const char *s);             /* copies s */
cval *cv_string_ref(arena *a, const char *s, size_t len); /* s must be NUL-terminated and outlive the value */
cval *cv_bytes(arena *a, const void *p, size_t len);   /* copies p */
cval *cv_bytes_ref(arena *a, const char *p, size_t len); /* p must be NUL-terminated and outlive the value */
cval *cv_object(arena *a, const cv_class *cls, void *self);

/* Go's nil map and nil slice (what json.Unmarshal of "null" into a map or a
 * slice gives): empty like any other, but json.Marshal writes them as null. */
cval *cv_nil_map(arena *a);
cval *cv_nil_list(arena *a);
cval *cv_nil_string_map(arena *a);  /* a nil map[string]string (.Chart.Annotations when unset) */
bool cv_is_nil_collection(const cval *v);

/* ---- lists ------------------------------------------------------------- */

cval *cv_list_new(arena *a, size_t cap);
size_t cv_list_len(const cval *list);
cval *cv_list_get(const cval *list, size_t i);   /* i < len */
void cv_list_set(cval *list, size_t i, cval *v); /* i < len */
void cv_list_push(cval *list, cval *v);
cval **cv_list_items(const cval *list);          /* len items */

/* ---- maps -------------------------------------------------------------- */

typedef struct cv_entry {
    const char *key;  /* NUL-terminated, in the map's arena */
    size_t keylen;
    cval *val;
} cv_entry;

cval *cv_map_new(arena *a);
/* Room for n entries in all, so that a map whose size is known (a decoded
 * document's mapping) takes one block of the right size instead of doubling. */
void cv_map_reserve(cval *map, size_t n);
size_t cv_map_len(const cval *map);
cval *cv_map_get(const cval *map, const char *key);  /* NULL when absent */
cval *cv_map_getn(const cval *map, const char *key, size_t keylen);
bool cv_map_has(const cval *map, const char *key);
void cv_map_set(cval *map, const char *key, cval *v); /* key is copied */
void cv_map_setn(cval *map, const char *key, size_t keylen, cval *v);
bool cv_map_delete(cval *map, const char *key);
/* Reading documents (Kubernetes objects, release records): tolerant of any
 * shape. cv_get: m[key] when m is a map, else NULL. cv_str: the string v
 * holds, else NULL. cv_get_str: cv_str(cv_get(m, key)). cv_num: the number v
 * holds (an int, uint or float, as a long), else dflt. */
cval *cv_get(const cval *m, const char *key);
const char *cv_str(const cval *v);
const char *cv_get_str(const cval *m, const char *key);
long cv_num(const cval *v, long dflt);
/* The entries in Go's order (sorted by key, bytewise). The array is valid until
 * the map next changes. */
const cv_entry *cv_map_sorted(const cval *map, size_t *n);

/* ---- queries ----------------------------------------------------------- */

const char *cv_kind_name(cv_kind k);        /* "string", "map", ... (for messages) */
const char *cv_gotype(const cval *v);       /* what %T prints */
const char *cv_gokind(const cval *v);       /* what reflect.Kind prints: "int64", "slice", "map", "ptr", "invalid" */
bool cv_truth(const cval *v);               /* text/template's truth */
bool cv_is_nil(const cval *v);              /* CV_NIL or CV_INVALID */
static inline bool cv_is(const cval *v, cv_kind k) { return v && v->kind == k; }

/* A native object that Go sees as a map or a slice (.Files is a map,
 * .Capabilities.APIVersions a slice) shows its elements through its class's
 * "__map" or "__list" method: range and len use it. NULL when it has neither. */
cval *cv_object_elements(arena *a, void *env, const cval *v);

/* A deep copy of v into arena a (maps and lists are copied; objects are shared). */
cval *cv_deep_copy(arena *a, const cval *v);
/* The same for a value that may contain itself (templates can make one with
 * `set`): NULL when it does. */
cval *cv_deep_copy_acyclic(arena *a, const cval *v);
/* A copy of v's maps and lists, sharing its scalars, strings and map keys
 * (all immutable): for a tree that outlives the copy (in the same arena or an
 * older one), such as a chart's defaults taken into its coalesced values.
 * v must not contain itself. */
cval *cv_copy_tree(arena *a, const cval *v);
/* Go's reflect.DeepEqual on these values; a value that contains itself is
 * walked once, as Go walks it. */
bool cv_deep_equal(const cval *x, const cval *y);

#endif
