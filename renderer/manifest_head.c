/* manifest_head.c — the head of a rendered document (apiVersion, kind,
 * metadata.name, the hook annotations) from core/yaml_scan's events, without
 * building the document.
 *
 * Helm reads every rendered document into a SimpleHead with sigs.k8s.io/yaml.
 * capstan's full reader (core/yaml_read.c, libyaml plus a tree) does the same
 * and, for charts that print megabytes of CRDs, took most of a render. The
 * scanner covers the block YAML manifests are written in; this file follows
 * the path to the head's fields, and answers "don't know" for what the JSON
 * step or the SimpleHead could fail on or read otherwise: keys that are not
 * strings, NaN and Inf, head fields that are not strings, a metadata or
 * annotations that is not a mapping, null annotation values. Then the
 * caller reads the document in full. So when it answers, its answer is the
 * full reader's.
 */
#include "renderer/manifest.h"

#include <math.h>
#include <string.h>

#include "core/yaml_int.h"
#include "core/yaml_scan.h"

#define MAX_FRAMES 256 /* more than yaml_scan's nesting limit */

/* what a node is, for the head */
typedef enum role {
    R_NONE, /* anything valid */
    R_TOP,  /* the document: a mapping */
    R_META, /* metadata: a mapping */
    R_ANN,  /* metadata.annotations: a mapping of strings (or null, or {}) */
    R_STR,  /* a string (an annotation, or a head field when want is set) */
} role;

typedef struct frame {
    bool map;
    bool want_key;       /* a mapping waiting for its next key */
    role r;
    role vrole;          /* the role of the value after the current key */
    const char **want;   /* where that value's text goes */
} frame;

typedef struct hctx {
    arena *a;
    manifest_head *h;
    frame st[MAX_FRAMES];
    int n;
    bool any;            /* an event came */
} hctx;

/* go-yaml's resolution of a plain scalar: YRES_STR for strings; -1 for what
 * fails the JSON step or means something else (NaN, Inf, merge keys). */
static int plain_kind(const char *s, size_t n)
{
    if (n == 2 && s[0] == '<' && s[1] == '<')
        return -1;
    /* the first bytes of what is not a string: "+-.0123456789yYnNtTfFoO~" */
    static const bool maybe[256] = {
        ['+'] = 1, ['-'] = 1, ['.'] = 1, ['0'] = 1, ['1'] = 1, ['2'] = 1, ['3'] = 1, ['4'] = 1, ['5'] = 1,
        ['6'] = 1, ['7'] = 1, ['8'] = 1, ['9'] = 1, ['y'] = 1, ['Y'] = 1, ['n'] = 1, ['N'] = 1, ['t'] = 1,
        ['T'] = 1, ['f'] = 1, ['F'] = 1, ['o'] = 1, ['O'] = 1, ['~'] = 1,
    };
    if (!maybe[(unsigned char)s[0]])
        return YRES_STR;
    yres r = yaml_resolve_plain(s, n);
    if (r.kind == YRES_MERGE || (r.kind == YRES_FLOAT && !isfinite(r.u.f)))
        return -1;
    return (int)r.kind;
}

/* The role of the value under key (k, n) in a mapping of role r; resets the
 * head fields a repeated key replaces (the last one wins). */
static role child_role(manifest_head *h, role r, const char *k, size_t n, const char ***want)
{
    *want = NULL;
#define IS(w) (n == sizeof(w) - 1 && memcmp(k, w, n) == 0)
    switch (r) {
    case R_TOP:
        if (IS("apiVersion")) {
            *want = &h->api_version;
            return R_STR;
        }
        if (IS("kind")) {
            *want = &h->kind;
            return R_STR;
        }
        if (IS("metadata")) {
            h->name = NULL;
            h->hook = h->hook_weight = NULL;
            return R_META;
        }
        return R_NONE;
    case R_META:
        if (IS("name")) {
            *want = &h->name;
            return R_STR;
        }
        if (IS("annotations")) {
            h->hook = h->hook_weight = NULL;
            return R_ANN;
        }
        return R_NONE;
    case R_ANN:
        if (IS("helm.sh/hook"))
            *want = &h->hook;
        else if (IS("helm.sh/hook-weight"))
            *want = &h->hook_weight;
        return R_STR;
    default:
        return R_NONE;
    }
#undef IS
}

static void value_done(hctx *c)
{
    if (c->n && c->st[c->n - 1].map)
        c->st[c->n - 1].want_key = true;
}

static int push(hctx *c, bool map, role r)
{
    if (c->n == MAX_FRAMES)
        return 1;
    c->st[c->n++] = (frame){map, map, r, R_NONE, NULL};
    return 0;
}

/* The scanner's events; non-zero: the full reader must tell. */
static int on_event(void *ctx, const ys_event *ev)
{
    hctx *c = ctx;
    c->any = true;
    if (c->n == 0)
        return ev->type == YS_MAP_START ? push(c, true, R_TOP) : 1;
    frame *f = &c->st[c->n - 1];
    if (ev->type == YS_MAP_END || ev->type == YS_SEQ_END) {
        c->n--;
        value_done(c);
        return 0;
    }
    if (f->map && f->want_key) {
        /* a key: a string, as the JSON step needs */
        if (ev->style == YS_PLAIN && plain_kind(ev->raw, ev->rawlen) != YRES_STR)
            return 1;
        const char *k = ev->raw;
        size_t kl = ev->rawlen;
        if (f->r != R_NONE && ev->style != YS_PLAIN)
            k = yaml_scan_value(c->a, ev, &kl);
        f->vrole = f->r == R_NONE ? R_NONE : child_role(c->h, f->r, k, kl, &f->want);
        f->want_key = false;
        return 0;
    }
    role vr = f->map ? f->vrole : R_NONE;
    const char **want = f->map ? f->want : NULL;
    switch (ev->type) {
    case YS_MAP_START:
        return vr == R_STR ? 1 : push(c, true, vr);
    case YS_SEQ_START:
        return vr != R_NONE ? 1 : push(c, false, R_NONE);
    default:
        break;
    }
    /* a scalar */
    if (ev->style == YS_PLAIN && !ev->multi) {
        int k = plain_kind(ev->raw, ev->rawlen);
        if (k < 0 || (vr == R_STR && k != YRES_STR))
            return 1;
    }
    if (vr == R_META || (vr == R_ANN && ev->style != YS_EMPTY) || (vr == R_STR && ev->style == YS_EMPTY))
        return 1;
    if (want) {
        size_t n;
        *want = yaml_scan_value(c->a, ev, &n);
        if (strlen(*want) != n)
            return 1; /* a NUL inside: the C strings of a manifest cannot hold it */
    }
    value_done(c);
    return 0;
}

int manifest_head_scan(arena *a, const char *doc, size_t len, manifest_head *h)
{
    memset(h, 0, sizeof *h);
    hctx c;
    c.a = a;
    c.h = h;
    c.n = 0;
    c.any = false;
    if (!yaml_scan(doc, len, on_event, &c))
        return 0;
    h->empty = !c.any; /* comments at most */
    return 1;
}
