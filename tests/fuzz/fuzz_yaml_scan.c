/* fuzz_yaml_scan.c — the fast block-YAML scanner (core/yaml_scan.c) and the
 * reader's two paths. The scanner's events must nest, every scalar must give
 * a value; and when the scanner accepts a text, what yaml_parse builds from
 * its events (the fast path) must equal what libyaml builds from the same
 * text (yaml_parse_all, which always reads with libyaml). */
#include "fuzz.h"

#include "core/arena.h"
#include "core/value.h"
#include "core/yaml.h"
#include "core/yaml_scan.h"

typedef struct scan_check {
    arena *a;
    int depth;
    int events;
    int root_done; /* the document's collection has ended */
} scan_check;

static int scan_event(void *ctx, const ys_event *ev)
{
    scan_check *c = ctx;
    FUZZ_CHECK(!c->root_done);
    c->events++;
    switch (ev->type) {
    case YS_MAP_START:
    case YS_SEQ_START: c->depth++; break;
    case YS_MAP_END:
    case YS_SEQ_END:
        FUZZ_CHECK(c->depth > 0);
        if (--c->depth == 0)
            c->root_done = 1;
        break;
    case YS_SCALAR: {
        FUZZ_CHECK(c->depth > 0); /* the document is a mapping or a sequence */
        size_t n = 0;
        char *s = yaml_scan_value(c->a, ev, &n);
        FUZZ_CHECK(s != NULL && s[n] == '\0');
        break;
    }
    }
    return 0;
}

FUZZ_TARGET(yaml_scan)
{
    char *text = fuzz_cstr(data, size);
    arena *a = arena_new();
    scan_check c = {a, 0, 0, 0};
    int known = yaml_scan(text, size, scan_event, &c);
    FUZZ_CHECK(known == 0 || known == 1);
    if (known) {
        FUZZ_CHECK(c.depth == 0);
        FUZZ_CHECK(c.events == 0 || c.root_done);
        cap_err e1 = CAP_ERR_INIT, e2 = CAP_ERR_INIT;
        cval *fast = NULL, *all = NULL;
        int r1 = yaml_parse(a, text, size, "fuzz.yaml", &fast, &e1);
        int r2 = yaml_parse_all(a, text, size, "fuzz.yaml", &all, &e2);
        if (r1 == 0 && r2 == 0 && cv_list_len(all) > 0)
            FUZZ_CHECK(cv_deep_equal(fast, cv_list_get(all, 0)));
        cap_err_clear(&e1);
        cap_err_clear(&e2);
    }
    arena_free(a);
    free(text);
    return 0;
}
