/* gofmt_stub.c — TEMPORARY weak stand-ins for core/gofmt.c until branch
 * gofmt-json lands; the real definitions win whenever they are linked.
 * Covers only what the sprig unit tests print: ints, uints, bools, nil. */
#include "gofmt.h"

#include <stdio.h>

__attribute__((weak)) void gofmt_value(strbuf *out, const cval *v)
{
    switch (v->kind) {
    case CV_NIL: sb_adds(out, "<nil>"); break;
    case CV_INVALID: sb_adds(out, "<no value>"); break;
    case CV_BOOL: sb_adds(out, v->u.b ? "true" : "false"); break;
    case CV_INT: sb_addf(out, "%lld", (long long)v->u.i); break;
    case CV_UINT: sb_addf(out, "%llu", (unsigned long long)v->u.u); break;
    case CV_FLOAT: sb_addf(out, "%g", v->u.f); break;
    case CV_STRING: sb_add(out, v->u.str.s, v->u.str.len); break;
    default: sb_adds(out, "?"); break;
    }
}

__attribute__((weak)) void gofmt_sprintf(strbuf *out, const char *format, size_t formatlen, int argc, cval **argv)
{
    (void)format; (void)formatlen;
    for (int i = 0; i < argc; i++)
        gofmt_value(out, argv[i]);
}

__attribute__((weak)) void gofmt_float(strbuf *out, double f, char fmt, int prec)
{
    (void)fmt; (void)prec;
    sb_addf(out, "%g", f);
}
