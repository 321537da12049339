/* manifest.c — after the behaviour of Helm's pkg/release/v1/util
 * (manifest.go, manifest_sorter.go, kind_sorter.go). */
#include "renderer/manifest.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "renderer/chart/chart.h"
#include "core/yaml.h"

static const char *const install_order[] = {
    "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
    "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
    "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
    "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
    "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
    "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", NULL,
};
#define HELM3_ORDER_LEN 36 /* Helm 3's list ends at APIService */

/* Go's unicode.IsSpace for the bytes of UTF-8 text (ASCII, NEL, NBSP). */
static size_t space_at(const char *s, size_t i, size_t n)
{
    unsigned char c = (unsigned char)s[i];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r')
        return 1;
    if (c == 0xC2 && i + 1 < n && ((unsigned char)s[i + 1] == 0x85 || (unsigned char)s[i + 1] == 0xA0))
        return 2;
    return 0;
}

static void trim(const char **s, size_t *n)
{
    size_t k;
    while (*n && (k = space_at(*s, 0, *n))) {
        *s += k;
        *n -= k;
    }
    while (*n) {
        if (space_at(*s, *n - 1, *n)) {
            (*n)--;
            continue;
        }
        if (*n >= 2 && (unsigned char)(*s)[*n - 2] == 0xC2 &&
            ((unsigned char)(*s)[*n - 1] == 0x85 || (unsigned char)(*s)[*n - 1] == 0xA0)) {
            *n -= 2;
            continue;
        }
        break;
    }
}

/* RE2's \s: [\t\n\f\r ] */
static bool re_space(char c) { return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '; }

static void push_doc(arena *a, const char ***d, size_t **l, size_t *nd, size_t *cap, const char *p, size_t n)
{
    if (*nd == *cap) {
        *d = arena_realloc(a, *d, *cap * sizeof **d, *cap * 2 * sizeof **d);
        *l = arena_realloc(a, *l, *cap * sizeof **l, *cap * 2 * sizeof **l);
        *cap *= 2;
    }
    (*d)[*nd] = p;
    (*l)[*nd] = n;
    (*nd)++;
}

/* regexp.Split(s, -1) with (?:^|\s*\n)---\s*, then empties dropped and each trimmed. */
size_t manifest_split(arena *a, const char *text, size_t len, const char ***docs, size_t **lens)
{
    const char *s = text;
    size_t n = len;
    trim(&s, &n);
    size_t cap = 8, nd = 0;
    const char **d = arena_alloc(a, cap * sizeof *d);
    size_t *l = arena_alloc(a, cap * sizeof *l);
    size_t beg = 0, pos = 0;
    for (;;) {
        size_t ms = 0, me = 0;
        bool found = false;
        if (pos == 0 && n >= 3 && memcmp(s, "---", 3) == 0) {
            found = true;
            ms = 0;
            me = 3;
        } else {
            for (size_t r = pos + 1; r + 3 <= n; r++) {
                const char *nl = memchr(s + r - 1, '\n', n - 3 - (r - 1));
                if (!nl)
                    break;
                r = (size_t)(nl - s) + 1;
                if (memcmp(s + r, "---", 3) == 0) {
                    size_t p = r - 1;
                    while (p > pos && re_space(s[p - 1]))
                        p--;
                    found = true;
                    ms = p;
                    me = r + 3;
                    break;
                }
            }
        }
        if (!found)
            break;
        while (me < n && re_space(s[me]))
            me++;
        if (me != 0)
            push_doc(a, &d, &l, &nd, &cap, s + beg, ms - beg);
        beg = me;
        pos = me;
        if (pos >= n)
            break;
    }
    push_doc(a, &d, &l, &nd, &cap, s + beg, n - beg);
    size_t w = 0;
    for (size_t k = 0; k < nd; k++) {
        if (l[k] == 0)
            continue;
        const char *p = d[k];
        size_t pl = l[k];
        trim(&p, &pl);
        d[w] = p;
        l[w] = pl;
        w++;
    }
    *docs = d;
    *lens = l;
    return w;
}

static int kind_rank(const char *kind, manifest_order order)
{
    int lim = order == MANIFEST_ORDER_HELM3 ? HELM3_ORDER_LEN : 1000;
    for (int i = 0; install_order[i] && i < lim; i++)
        if (strcmp(install_order[i], kind) == 0)
            return i;
    return -1;
}

/* Helm's kind order, as a number compared once per pair: a kind in the list
 * by its place; kinds not in it after all of those, by name (rank -1). */
typedef struct ranked {
    int rank;
    manifest m;
} ranked;

static bool less_ranked(const ranked *x, const ranked *y)
{
    if (x->rank < 0 && y->rank < 0)
        return strcmp(x->m.kind, y->m.kind) < 0;
    if (x->rank < 0)
        return false;
    if (y->rank < 0)
        return true;
    return x->rank < y->rank;
}

static void merge_sort(ranked *m, size_t n, ranked *tmp)
{
    /* insertion sort is stable, and quick for short runs; merged above that */
    if (n > 64) {
        size_t h = n / 2;
        merge_sort(m, h, tmp);
        merge_sort(m + h, n - h, tmp);
        size_t i = 0, j = h, k = 0;
        while (i < h && j < n)
            tmp[k++] = less_ranked(&m[j], &m[i]) ? m[j++] : m[i++];
        while (i < h)
            tmp[k++] = m[i++];
        while (j < n)
            tmp[k++] = m[j++];
        memcpy(m, tmp, n * sizeof *tmp);
        return;
    }
    for (size_t i = 1; i < n; i++) {
        ranked t = m[i];
        size_t j = i;
        while (j > 0 && less_ranked(&t, &m[j - 1])) {
            m[j] = m[j - 1];
            j--;
        }
        m[j] = t;
    }
}

static void stable_sort(manifest *m, size_t n, manifest_order order)
{
    if (n < 2)
        return;
    ranked *r = xmalloc(2 * n * sizeof *r);
    for (size_t i = 0; i < n; i++) {
        r[i].rank = kind_rank(m[i].kind, order);
        r[i].m = m[i];
    }
    merge_sort(r, n, r + n);
    for (size_t i = 0; i < n; i++)
        m[i] = r[i].m;
    free(r);
}

static int cmp_input(const void *x, const void *y)
{
    return strcmp(((const manifest_input *)x)->name, ((const manifest_input *)y)->name);
}

static bool is_blank_text(const char *s, size_t n)
{
    trim(&s, &n);
    return n == 0;
}

static void lower_trim(char *s)
{
    size_t n = strlen(s), st = 0;
    while (st < n && (s[st] == ' ' || s[st] == '\t' || s[st] == '\n' || s[st] == '\r'))
        st++;
    while (n > st && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\n' || s[n - 1] == '\r'))
        n--;
    memmove(s, s + st, n - st);
    s[n - st] = 0;
    for (char *p = s; *p; p++)
        if (*p >= 'A' && *p <= 'Z')
            *p += 32;
}

static bool known_event(const char *e, bool *test)
{
    static const char *const ev[] = {"pre-install", "post-install", "pre-delete", "post-delete", "pre-upgrade",
                                     "post-upgrade", "pre-rollback", "post-rollback", "test", "test-success", NULL};
    for (int i = 0; ev[i]; i++)
        if (strcmp(e, ev[i]) == 0) {
            if (i >= 8)
                *test = true;
            return true;
        }
    return false;
}

typedef struct mlist {
    manifest *m;
    size_t n, cap;
} mlist;

static void ml_push(arena *a, mlist *l, const manifest *m)
{
    if (l->n == l->cap) {
        size_t nc = l->cap ? l->cap * 2 : 16;
        l->m = arena_realloc(a, l->m, l->cap * sizeof *l->m, nc * sizeof *l->m);
        l->cap = nc;
    }
    l->m[l->n++] = *m;
}

static long atoi_go(const char *s, bool *ok)
{
    const char *p = s;
    if (*p == '+' || *p == '-')
        p++;
    *ok = *p != 0;
    for (const char *q = p; *q; q++)
        if (*q < '0' || *q > '9')
            *ok = false;
    return *ok ? strtol(s, NULL, 10) : 0;
}

static const char *str_or_null(const cval *m, const char *key)
{
    cval *v = cv_is(m, CV_MAP) ? cv_map_get(m, key) : NULL;
    return cv_is(v, CV_STRING) ? v->u.str.s : NULL;
}

int manifest_head_read(arena *a, const char *name, const char *doc, size_t len, manifest_head *h, cval **docv,
                       cap_err *err)
{
    memset(h, 0, sizeof *h);
    cval *head = NULL;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse(a, doc, len, name, &head, &e) != 0) {
        cap_err_at(err, name, e.line, e.col, "YAML parse error on %s: %s", name, e.msg);
        cap_err_clear(&e);
        return -1;
    }
    if (head && head->kind != CV_MAP && head->kind != CV_NIL) {
        /* helm reads each document's head into a struct: a scalar or a list fails */
        return cap_err_at(err, name, 0, 0,
                          "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go value of type util.SimpleHead",
                          name,
                          head->kind == CV_LIST ? "array" : head->kind == CV_STRING ? "string"
                          : head->kind == CV_BOOL ? "bool" : "number");
    }
    cval *md = cv_is(head, CV_MAP) ? cv_map_get(head, "metadata") : NULL;
    cval *ann = cv_is(md, CV_MAP) ? cv_map_get(md, "annotations") : NULL;
    if (ann && !cv_is(ann, CV_MAP) && ann->kind != CV_NIL) {
        return cap_err_at(err, name, 0, 0,
                          "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go struct field .metadata.annotations of type map[string]string",
                          name, ann->kind == CV_LIST ? "array" : ann->kind == CV_STRING ? "string" : "number");
    }
    if (cv_is(ann, CV_MAP)) {
        size_t na;
        const cv_entry *ae = cv_map_sorted(ann, &na);
        for (size_t q = 0; q < na; q++)
            if (ae[q].val && ae[q].val->kind != CV_STRING && ae[q].val->kind != CV_NIL)
                return cap_err_at(err, name, 0, 0,
                                  "YAML parse error on %s: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal %s into Go struct field .metadata.annotations of type string",
                                  name, ae[q].val->kind == CV_BOOL ? "bool" : ae[q].val->kind == CV_LIST ? "array" : ae[q].val->kind == CV_MAP ? "object" : "number");
    }
    h->empty = !head || head->kind == CV_NIL;
    h->api_version = str_or_null(head, "apiVersion");
    h->kind = str_or_null(head, "kind");
    h->name = str_or_null(md, "name");
    cval *hv = cv_is(ann, CV_MAP) ? cv_map_get(ann, "helm.sh/hook") : NULL;
    h->hook = !hv ? NULL : cv_is(hv, CV_STRING) ? hv->u.str.s : "";
    h->hook_weight = str_or_null(ann, "helm.sh/hook-weight");
    *docv = head;
    return 0;
}

cval *manifest_doc(arena *a, const manifest *m)
{
    if (m->doc)
        return m->doc;
    cval *doc = NULL;
    cap_err e = CAP_ERR_INIT;
    if (yaml_parse(a, m->content, m->len, m->name, &doc, &e) != 0)
        doc = NULL;
    cap_err_clear(&e);
    return doc;
}

/* One file's documents: split, heads read, hooks with unknown events left out. */
struct manifest_scan {
    mlist gen, hk;
    mlist skipped;   /* hooks with an unknown event, for helm's log line */
    cap_err err;     /* the first document that cannot be read */
    bool failed;
};

static void clear_scan_err(void *p)
{
    cap_err_clear(&((manifest_scan *)p)->err);
}

manifest_scan *manifest_scan_file(arena *a, const manifest_input *f)
{
    manifest_scan *sc = arena_zalloc(a, sizeof *sc);
    arena_defer(a, clear_scan_err, sc);
    const char *base = strrchr(f->name, '/');
    base = base ? base + 1 : f->name;
    if (base[0] == '_' || is_blank_text(f->text, f->len))
        return sc;
    const char **docs;
    size_t *lens;
    size_t nd = manifest_split(a, f->text, f->len, &docs, &lens);
    for (size_t k = 0; k < nd; k++) {
        manifest m = {0};
        m.name = f->name;
        char *doc = f->text + (docs[k] - f->text);
        doc[lens[k]] = 0; /* a byte of the separator or space after it, or the text's NUL */
        m.content = doc;
        m.len = lens[k];
        manifest_head mh;
        if (!manifest_head_scan(a, docs[k], lens[k], &mh) &&
            manifest_head_read(a, f->name, docs[k], lens[k], &mh, &m.doc, &sc->err) != 0) {
            sc->failed = true;
            return sc;
        }
        m.api_version = mh.api_version ? mh.api_version : "";
        m.kind = mh.kind ? mh.kind : "";
        m.meta_name = mh.name ? mh.name : "";
        const char *events = mh.hook, *weight = mh.hook_weight ? mh.hook_weight : "";
        if (!events) {
            ml_push(a, &sc->gen, &m);
            continue;
        }
        bool okw;
        m.weight = (int)atoi_go(weight, &okw);
        m.hook = true;
        m.hook_events = events;
        bool unknown = false;
        char *ev = arena_strdup(a, events);
        for (char *tok = ev;;) {
            char *comma = strchr(tok, ',');
            if (comma)
                *comma = 0;
            char *t = arena_strdup(a, tok);
            lower_trim(t);
            if (!known_event(t, &m.test)) {
                unknown = true;
                break;
            }
            if (!comma)
                break;
            tok = comma + 1;
        }
        if (unknown) {
            ml_push(a, &sc->skipped, &m); /* Helm skips unknown hooks */
            continue;
        }
        ml_push(a, &sc->hk, &m);
    }
    return sc;
}

static void ml_append(arena *a, mlist *to, const mlist *from)
{
    for (size_t i = 0; i < from->n; i++)
        ml_push(a, to, &from->m[i]);
}

int manifest_sort(arena *a, const manifest_input *files, size_t n, manifest_order order,
                  manifest **out, size_t *nout, manifest **hooks, size_t *nhooks, const struct chart *logc,
                  cap_err *err)
{
    manifest_input *sorted = arena_alloc(a, (n + 1) * sizeof *sorted);
    memcpy(sorted, files, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, cmp_input);
    mlist gen = {0}, hk = {0};
    for (size_t i = 0; i < n; i++) {
        manifest_scan *sc = sorted[i].scan ? sorted[i].scan : manifest_scan_file(a, &sorted[i]);
        if (sc->failed) {
            cap_err_move(err, &sc->err);
            return -1;
        }
        ml_append(a, &gen, &sc->gen);
        ml_append(a, &hk, &sc->hk);
        for (size_t k = 0; k < sc->skipped.n; k++) {
            const char *kv[] = {"hookTypes", sc->skipped.m[k].hook_events, NULL};
            chart_logf(logc, "INFO", "skipping unknown hooks", kv);
        }
    }
    stable_sort(gen.m, gen.n, order);
    stable_sort(hk.m, hk.n, order);
    *out = gen.m;
    *nout = gen.n;
    *hooks = hk.m;
    *nhooks = hk.n;
    return 0;
}

void manifest_write(strbuf *out, const char *name, const char *content, size_t len)
{
    sb_adds(out, "---\n# Source: ");
    sb_adds(out, name);
    sb_addc(out, '\n');
    sb_add(out, content, len);
    sb_addc(out, '\n');
}
