/* go_template.h — helm's --template flags (version, get all): a text executed as Go's
 * text/template.New("_").Parse(TEXT).Execute(out, data) executes it (Go's builtin
 * functions only, no Sprig, "<no value>" kept), over Go structs made from JSON.
 *
 * A go_struct_type describes a Go struct by its exported fields and the JSON keys
 * they are stored under (helm's records are JSON); go_struct_new wraps a JSON map
 * (a cval) as an object of that type: a field that is not there is an error
 * ("can't evaluate field X in type T"), a key that is absent reads as the field's
 * zero value. Ownership: everything lives in the arena given. */
#ifndef CAPSTAN_GO_TEMPLATE_H
#define CAPSTAN_GO_TEMPLATE_H

#include "core/arena.h"
#include "core/err.h"
#include "core/strbuf.h"
#include "core/value.h"

typedef enum go_field_kind {
    GF_STRING,   /* a string (also a named string type, such as release.Status) */
    GF_INT,      /* an int */
    GF_BOOL,
    GF_TIME,     /* a time.Time stored as RFC 3339: prints as Go's Time.String() */
    GF_ANY,      /* map[string]interface{}, []string, ... as JSON has it (absent: nil) */
    GF_STRUCT,   /* a pointer to a struct of type sub (absent: nil) */
    GF_STRUCTS,  /* a slice of pointers to structs of type sub */
} go_field_kind;

typedef struct go_struct_type go_struct_type;
typedef struct go_field {
    const char *name;              /* the Go field, e.g. "FirstDeployed" */
    const char *json;              /* its key, e.g. "first_deployed" */
    go_field_kind kind;
    const go_struct_type *sub;     /* GF_STRUCT, GF_STRUCTS */
    const char *named;             /* GF_STRING of a named type (%T), e.g. "common.Status" */
} go_field;

struct go_struct_type {
    const char *gotype;            /* what Go names it, e.g. "*release.Release" */
    const go_field *fields;        /* ends with a zeroed row */
};

/* json (a map, or NULL: a nil pointer) as an object of type t */
cval *go_struct_new(arena *a, const go_struct_type *t, const cval *json);
/* An object that reads as map[string]interface{} with these entries (helm's tpl data) */
cval *go_map_of(arena *a, const char *key, cval *value);

/* Execute text over dot, appending to out; errors as Go prints them, e.g.
 * "template: _:1:3: executing "_" at <.Nope>: can't evaluate field Nope in type T". */
int go_template_exec(arena *a, const char *text, cval *dot, strbuf *out, cap_err *e);

#endif
