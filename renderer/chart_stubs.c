/* chart_stubs.c — TEMPORARY weak stand-ins for modules other branches are
 * writing (core/json.c, core/yaml_*.c, the engine), so that the chart branch
 * links and its unit tests run before they land. Removed when they merge. */
#include "json.h"
#include "tmpl.h"
#include "yaml.h"

#define WEAK __attribute__((weak))

WEAK int json_parse(arena *a, const char *t, size_t n, const char *f, cval **o, cap_err *e)
{ (void)a; (void)t; (void)n; (void)f; *o = NULL; return cap_err_set(e, "json_parse: not built yet"); }
WEAK int json_emit(strbuf *o, const cval *v, int fl, cap_err *e)
{ (void)o; (void)v; (void)fl; return cap_err_set(e, "json_emit: not built yet"); }
WEAK int yaml_parse(arena *a, const char *t, size_t n, const char *f, cval **o, cap_err *e)
{ (void)a; (void)t; (void)n; (void)f; *o = NULL; return cap_err_set(e, "yaml_parse: not built yet"); }
WEAK int yaml_parse_all(arena *a, const char *t, size_t n, const char *f, cval **o, cap_err *e)
{ (void)a; (void)t; (void)n; (void)f; *o = NULL; return cap_err_set(e, "yaml_parse_all: not built yet"); }
WEAK int yaml_emit(strbuf *o, const cval *v, cap_err *e)
{ (void)o; (void)v; return cap_err_set(e, "yaml_emit: not built yet"); }
WEAK int tmpl_render(arena *a, const tmpl_source *s, size_t n, const tmpl_opts *o, tmpl_result **r,
                     size_t *nr, cap_err *e)
{ (void)a; (void)s; (void)n; (void)o; *r = NULL; *nr = 0; return cap_err_set(e, "tmpl_render: not built yet"); }
