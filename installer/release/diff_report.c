/* diff_report.c — which objects were added, removed or changed, printed as
 * helm-diff prints them (diff/diff.go, diff/report.go): changed objects in key
 * order, then removed ones (not those with helm.sh/resource-policy: keep),
 * then added ones; formats diff (a header and the lines of each object),
 * simple (a header each and a "Plan:" line), template and json (a JSON list of
 * {api, kind, namespace, name, change}). */
#include "installer/release/diff.h"

#include <ctype.h>
#include <string.h>

typedef struct entry {
    const char *key, *kind, *change;
    diff_rec *r;
    size_t n;
} entry;

typedef struct report {
    entry *e;
    size_t n, cap;
} report;

static void add_entry(arena *a, report *rp, const entry *e)
{
    if (rp->n == rp->cap) {
        size_t nc = rp->cap ? 2 * rp->cap : 16;
        rp->e = arena_realloc(a, rp->e, rp->cap * sizeof *rp->e, nc * sizeof *rp->e);
        rp->cap = nc;
    }
    rp->e[rp->n++] = *e;
}

static void do_diff(arena *a, report *rp, const char *key, const diff_obj *oldp, const diff_obj *newp,
                    const capstan_diff_opts *o)
{
    if (oldp && newp && oldp->len == newp->len && memcmp(oldp->content, newp->content, oldp->len) == 0)
        return;
    diff_obj old, new_;
    if (oldp)
        old = *oldp;
    if (newp)
        new_ = *newp;
    if (!o->show_secrets || o->show_secrets_decoded)
        diff_secrets_mask(a, oldp ? &old : NULL, newp ? &new_ : NULL, o->show_secrets_decoded);
    entry e = {.key = key};
    if (!oldp) {
        e.change = "ADD";
        e.kind = new_.kind;
        diff_lines(a, "", 0, new_.content, new_.len, o->strip_trailing_cr, &e.r, &e.n);
    } else if (!newp) {
        e.change = "REMOVE";
        e.kind = old.kind;
        diff_lines(a, old.content, old.len, "", 0, o->strip_trailing_cr, &e.r, &e.n);
    } else {
        e.change = "MODIFY";
        e.kind = old.kind;
        diff_lines(a, old.content, old.len, new_.content, new_.len, o->strip_trailing_cr, &e.r, &e.n);
        size_t changes = 0;
        for (size_t i = 0; i < e.n; i++)
            changes += e.r[i].delta != DIFF_COMMON;
        if (changes == 0)
            return;
    }
    add_entry(a, rp, &e);
}

static bool suppressed(const capstan_diff_opts *o, const char *kind)
{
    for (size_t i = 0; i < o->n_suppress; i++)
        if (strcmp(o->suppress[i], kind) == 0)
            return true;
    return kind && o->suppress_secrets && strcmp(kind, "Secret") == 0;
}

static const char *message(const char *format, const char *change)
{
    bool simple = strcmp(format, "simple") == 0;
    if (strcmp(change, "ADD") == 0)
        return simple ? "to be added." : "has been added:";
    if (strcmp(change, "REMOVE") == 0)
        return simple ? "to be removed." : "has been removed:";
    return simple ? "to be changed." : "has changed:";
}

static const char *color_of(const char *change)
{
    return strcmp(change, "ADD") == 0 ? DIFF_GREEN : strcmp(change, "REMOVE") == 0 ? DIFF_RED : DIFF_YELLOW;
}

static void header(strbuf *out, const capstan_diff_opts *o, const char *format, const entry *e)
{
    if (o->color)
        sb_adds(out, color_of(e->change));
    sb_addf(out, "%s %s", e->key, message(format, e->change));
    if (o->color)
        sb_adds(out, DIFF_RESET);
    sb_addc(out, '\n');
}

/* helm-diff's template report reads the key back with the (unanchored) regexp
 * `([a-z0-9-]+), ([a-z0-9.-]+), (\w+) \(([^)]+)\)`; each class stops at the
 * character that follows it, so the greedy match is the only one. */
static size_t span(const char *s, const char *extra, bool word)
{
    size_t n = 0;
    while (s[n] && ((islower((unsigned char)s[n]) || isdigit((unsigned char)s[n]) || strchr(extra, s[n])) ||
                    (word && (isalnum((unsigned char)s[n]) || s[n] == '_'))))
        n++;
    return n;
}

static bool key_parts(const char *key, const char *p[4], size_t l[4])
{
    for (const char *s = key; *s; s++) {
        const char *q = s;
        size_t n = span(q, "-", false);
        if (!n || strncmp(q + n, ", ", 2) != 0)
            continue;
        p[0] = q, l[0] = n, q += n + 2;
        if (!(n = span(q, ".-", false)) || strncmp(q + n, ", ", 2) != 0)
            continue;
        p[1] = q, l[1] = n, q += n + 2;
        if (!(n = span(q, "", true)) || strncmp(q + n, " (", 2) != 0)
            continue;
        p[2] = q, l[2] = n, q += n + 2;
        n = strcspn(q, ")");
        if (!n || q[n] != ')')
            continue;
        p[3] = q, l[3] = n;
        return true;
    }
    return false;
}

static void print_json(strbuf *out, const report *rp)
{
    sb_addc(out, '[');
    bool any = false;
    for (size_t i = 0; i < rp->n; i++) {
        const char *p[4];
        size_t l[4];
        if (!key_parts(rp->e[i].key, p, l))
            continue; /* helm-diff logs "error processing report entry" and leaves it out */
        if (any)
            sb_addc(out, ',');
        any = true;
        sb_addf(out, "{\n  \"api\": \"%.*s\",\n  \"kind\": \"%.*s\",\n  \"namespace\": \"%.*s\",\n"
                     "  \"name\": \"%.*s\",\n  \"change\": \"%s\"\n}",
                (int)l[3], p[3], (int)l[2], p[2], (int)l[0], p[0], (int)l[1], p[1], rp->e[i].change);
    }
    sb_adds(out, "]\n");
}

int diff_report(arena *a, diff_index *old, diff_index *new_, const capstan_diff_opts *o, strbuf *out, bool *changed,
                cap_err *err)
{
    const char *format = o->output && *o->output ? o->output : "diff";
    if (strcmp(format, "diff") && strcmp(format, "simple") && strcmp(format, "template") && strcmp(format, "json"))
        return cap_err_set(err, "invalid output format \"%s\": use diff, simple, template or json", format);
    report rp = {0};
    const diff_obj **removed = arena_zalloc(a, (old->n + 1) * sizeof *removed);
    size_t nremoved = 0;
    for (size_t i = 0; i < old->n; i++) {
        const diff_obj *n = diff_index_find(new_, old->objs[i].key);
        if (n)
            do_diff(a, &rp, old->objs[i].key, &old->objs[i], n, o);
        else
            removed[nremoved++] = &old->objs[i];
    }
    for (size_t i = 0; i < nremoved; i++)
        if (!removed[i]->policy || strcmp(removed[i]->policy, "keep") != 0)
            do_diff(a, &rp, removed[i]->key, removed[i], NULL, o);
    for (size_t i = 0; i < new_->n; i++)
        if (!diff_index_find(old, new_->objs[i].key))
            do_diff(a, &rp, new_->objs[i].key, NULL, &new_->objs[i], o);
    *changed = rp.n > 0;

    if (strcmp(format, "template") == 0 || strcmp(format, "json") == 0) {
        print_json(out, &rp);
        return 0;
    }
    size_t nadd = 0, nmod = 0, nrem = 0;
    for (size_t i = 0; i < rp.n; i++) {
        const entry *e = &rp.e[i];
        header(out, o, format, e);
        nadd += strcmp(e->change, "ADD") == 0;
        nrem += strcmp(e->change, "REMOVE") == 0;
        nmod += strcmp(e->change, "MODIFY") == 0;
        if (strcmp(format, "simple") == 0)
            continue;
        if (suppressed(o, e->kind)) {
            if (o->color)
                sb_adds(out, DIFF_YELLOW);
            sb_addf(out, "+ Changes suppressed on sensitive content of type %s\n", e->kind);
            if (o->color)
                sb_adds(out, DIFF_RESET);
            continue;
        }
        diff_print(out, e->r, e->n, o->context, o->color);
    }
    if (strcmp(format, "simple") == 0)
        sb_addf(out, "Plan: %zu to add, %zu to change, %zu to destroy, %zu to change ownership.\n", nadd, nmod, nrem,
                (size_t)0);
    return 0;
}
