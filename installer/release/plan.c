/* plan.c — see plan.h. Waves are the longest-path layering of a DAG whose
 * edges come from levels, chart depth, sync-waves and explicit annotations. */
#include "installer/release/plan.h"
#include "core/value.h"

#include <stdlib.h>
#include <string.h>

static const char *const config_kinds[] = {
    "PriorityClass", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
    "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
    "PersistentVolume", "PersistentVolumeClaim", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding",
    "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList", "Service", NULL,
};
static const char *const workload_kinds[] = {
    "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment", "HorizontalPodAutoscaler",
    "StatefulSet", "Job", "CronJob", NULL,
};
static const char *const routing_kinds[] = {
    "IngressClass", "Ingress", "APIService", "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration", NULL,
};

static bool in(const char *const *list, const char *k)
{
    for (; *list; list++)
        if (strcmp(*list, k) == 0)
            return true;
    return false;
}

int plan_kind_level(const char *kind)
{
    if (!kind)
        return 6;
    if (strcmp(kind, "CustomResourceDefinition") == 0)
        return 1;
    if (strcmp(kind, "Namespace") == 0)
        return 2;
    if (in(config_kinds, kind))
        return 3;
    if (in(workload_kinds, kind))
        return 4;
    if (in(routing_kinds, kind))
        return 5;
    return 6;
}


static const char *annotation(const cval *obj, const char *key)
{
    return cv_str(cv_get(cv_get(cv_get(obj, "metadata"), "annotations"), key));
}

/* "app/charts/db/charts/x/templates/a.yaml" -> depth 2, chart "app/charts/db/charts/x" */
static int chart_depth(const char *source, const char **chart_end)
{
    int depth = 0;
    const char *p = source, *last = NULL;
    while (p && (p = strstr(p, "/charts/")) != NULL) {
        depth++;
        p += 8;
        last = p;
    }
    const char *t = strstr(last ? last : source, "/templates/");
    *chart_end = t ? t : source + strlen(source);
    return depth;
}

struct node {
    int base;           /* sync-wave * 1000 + level * 100 - depth, smaller first */
    const char *chart;  /* the chart path, for layer scoping */
    size_t chart_len;
    size_t *dep_idx;    /* the items it must follow */
    size_t ndeps, capdeps;
    int state;          /* 0 new, 1 visiting, 2 ranked, 3 placed */
    int rank;
};

static void add_dep(arena *a, struct node *nd, size_t j)
{
    for (size_t k = 0; k < nd->ndeps; k++)
        if (nd->dep_idx[k] == j)
            return;
    if (nd->ndeps == nd->capdeps) {
        size_t nc = nd->capdeps ? nd->capdeps * 2 : 4;
        nd->dep_idx = arena_realloc(a, nd->dep_idx, nd->capdeps * sizeof(size_t), nc * sizeof(size_t));
        nd->capdeps = nc;
    }
    nd->dep_idx[nd->ndeps++] = j;
}

static char *trim(arena *a, const char *s, size_t n)
{
    while (n && (*s == ' ' || *s == '\t'))
        s++, n--;
    while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
        n--;
    return arena_strndup(a, s, n);
}

/* Call fn for each comma-separated entry of list. */
#define FOR_EACH_ENTRY(a, list, var, body)                                     \
    for (const char *p_ = (list); p_ && *p_;) {                                \
        size_t l_ = strcspn(p_, ",");                                          \
        char *var = trim(a, p_, l_);                                           \
        if (*var) { body }                                                     \
        p_ += l_;                                                              \
        if (*p_ == ',')                                                        \
            p_++;                                                              \
    }

static long find_ref(const plan_item *items, size_t n, const char *kind, const char *ns, const char *name)
{
    for (size_t j = 0; j < n; j++) {
        if (strcmp(items[j].kind, kind) != 0 || strcmp(items[j].name, name) != 0)
            continue;
        if (ns && items[j].namespace && *items[j].namespace && strcmp(items[j].namespace, ns) != 0)
            continue;
        return (long)j;
    }
    return -1;
}

static int rank_of(plan_item *items, struct node *nodes, size_t i, cap_err *err, strbuf *cycle)
{
    struct node *nd = &nodes[i];
    if (nd->state == 2)
        return nd->rank;
    if (nd->state == 1) {
        sb_addf(cycle, "%s/%s", items[i].kind, items[i].name);
        return -1;
    }
    nd->state = 1;
    int r = 0;
    for (size_t k = 0; k < nd->ndeps; k++) {
        int d = rank_of(items, nodes, nd->dep_idx[k], err, cycle);
        if (d < 0) {
            strbuf tmp = STRBUF_INIT;
            sb_addf(&tmp, "%s/%s -> %s", items[i].kind, items[i].name, sb_str(cycle));
            sb_release(cycle);
            *cycle = tmp;
            return -1;
        }
        if (d + 1 > r)
            r = d + 1;
    }
    nd->state = 2;
    nd->rank = r;
    return r;
}

int plan_build(arena *a, plan_item *items, size_t n, int *nwaves, cap_err *err)
{
    struct node *nodes = arena_zalloc(a, (n ? n : 1) * sizeof *nodes);
    for (size_t i = 0; i < n; i++) {
        plan_item *it = &items[i];
        const char *k = cv_str(cv_get(it->obj, "kind"));
        const char *nm = cv_str(cv_get(cv_get(it->obj, "metadata"), "name"));
        it->kind = k ? k : "";
        it->name = nm ? nm : "";
        it->level = plan_kind_level(k);
        long sync = 0;
        const char *sw = annotation(it->obj, "argocd.argoproj.io/sync-wave");
        if (sw) {
            char *end;
            sync = strtol(sw, &end, 10);
            if (*end) {
                cap_err_set(err, "%s: %s/%s: argocd.argoproj.io/sync-wave \"%s\" is not an integer", it->source,
                            it->kind, it->name, sw);
                cap_err_set_key(err, "metadata.annotations.argocd.argoproj.io/sync-wave");
                return -1;
            }
        }
        const char *end;
        int depth = chart_depth(it->source ? it->source : "", &end);
        nodes[i].chart = it->source ? it->source : "";
        nodes[i].chart_len = (size_t)(end - nodes[i].chart);
        nodes[i].base = (int)sync * 1000 + it->level * 100 - depth;
    }
    for (size_t i = 0; i < n; i++) {
        plan_item *it = &items[i];
        size_t nafter = 0, nexternal = 0;
        const char *deps = annotation(it->obj, "capstan.dev/depends-on");
        const char *layers = annotation(it->obj, "helm.sh/depends-on/layers");
        size_t cap = 8;
        it->after = arena_zalloc(a, cap * sizeof(char *));
        it->external = arena_zalloc(a, cap * sizeof(char *));
        FOR_EACH_ENTRY(a, deps, ref, {
            char *s1 = strchr(ref, '/');
            char *s2 = s1 ? strchr(s1 + 1, '/') : NULL;
            if (!s1) {
                cap_err_set(err, "%s: %s/%s: capstan.dev/depends-on entry \"%s\" is not Kind/name or Kind/namespace/name",
                            it->source, it->kind, it->name, ref);
                cap_err_set_key(err, "metadata.annotations.capstan.dev/depends-on");
                return -1;
            }
            char *kind = arena_strndup(a, ref, (size_t)(s1 - ref));
            const char *ns = s2 ? arena_strndup(a, s1 + 1, (size_t)(s2 - s1 - 1)) : it->namespace;
            const char *name = s2 ? s2 + 1 : s1 + 1;
            long j = find_ref(items, n, kind, ns, name);
            if (j == (long)i) {
                cap_err_set(err, "%s: %s/%s depends on itself", it->source, it->kind, it->name);
                return -1;
            }
            if (j >= 0) {
                add_dep(a, &nodes[i], (size_t)j);
                if (nafter + 1 < cap)
                    it->after[nafter++] = arena_printf(a, "%s/%s", kind, name);
            } else if (nexternal + 1 < cap) {
                it->external[nexternal++] = ref;
            }
        })
        FOR_EACH_ENTRY(a, layers, layer, {
            bool found = false;
            for (size_t j = 0; j < n; j++) {
                const char *l = annotation(items[j].obj, "helm.sh/layer");
                if (j == i || !l || strcmp(l, layer) != 0)
                    continue;
                if (nodes[j].chart_len != nodes[i].chart_len ||
                    strncmp(nodes[j].chart, nodes[i].chart, nodes[i].chart_len) != 0)
                    continue; /* layers are scoped to one chart */
                add_dep(a, &nodes[i], j);
                found = true;
            }
            if (!found) {
                cap_err_set(err, "%s: %s/%s: helm.sh/depends-on/layers names layer \"%s\", which no resource of its chart declares",
                            it->source, it->kind, it->name, layer);
                cap_err_set_key(err, "metadata.annotations.helm.sh/depends-on/layers");
                return -1;
            }
            if (nafter + 1 < cap)
                it->after[nafter++] = arena_printf(a, "layer %s", layer);
        })
    }
    /* Explicit edges: reject cycles; the rank (longest path) orders objects
     * within a group of equal base. */
    strbuf cycle = STRBUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (rank_of(items, nodes, i, err, &cycle) < 0) {
            cap_err_set(err, "dependency cycle: %s", sb_str(&cycle));
            sb_release(&cycle);
            return -1;
        }
    }
    sb_release(&cycle);
    /* Assign waves in base order: a group of equal base starts after every
     * wave so far, and an object goes after the dependencies already placed. */
    size_t *order = arena_alloc(a, (n ? n : 1) * sizeof(size_t));
    for (size_t i = 0; i < n; i++)
        order[i] = i;
    for (size_t i = 1; i < n; i++) { /* insertion sort: stable, n is small */
        size_t x = order[i], j = i;
        while (j > 0 && (nodes[order[j - 1]].base > nodes[x].base ||
                         (nodes[order[j - 1]].base == nodes[x].base && nodes[order[j - 1]].rank > nodes[x].rank))) {
            order[j] = order[j - 1];
            j--;
        }
        order[j] = x;
    }
    int wave_floor = 0, max_wave = -1;
    int prev_base = 0;
    bool first = true;
    for (size_t k = 0; k < n; k++) {
        size_t i = order[k];
        if (!first && nodes[i].base != prev_base)
            wave_floor = max_wave + 1;
        first = false;
        prev_base = nodes[i].base;
        int w = wave_floor;
        for (size_t d = 0; d < nodes[i].ndeps; d++) {
            size_t j = nodes[i].dep_idx[d];
            /* a dependency later in base order is not placed yet; the pass
             * below moves this object after it */
            if (nodes[j].state != 3)
                continue;
            if (items[j].wave + 1 > w)
                w = items[j].wave + 1;
        }
        items[i].wave = w;
        nodes[i].state = 3;
        if (w > max_wave)
            max_wave = w;
    }
    /* Second pass for edges that point forward in base order: push dependants
     * after their dependencies until nothing moves (a DAG, so it ends). */
    bool moved = true;
    for (int guard = 0; moved && guard <= (int)n + 1; guard++) {
        moved = false;
        for (size_t i = 0; i < n; i++)
            for (size_t d = 0; d < nodes[i].ndeps; d++) {
                size_t j = nodes[i].dep_idx[d];
                if (items[i].wave <= items[j].wave) {
                    items[i].wave = items[j].wave + 1;
                    moved = true;
                }
            }
    }
    /* Compact the wave numbers. */
    max_wave = -1;
    for (size_t i = 0; i < n; i++)
        if (items[i].wave > max_wave)
            max_wave = items[i].wave;
    int *map = arena_zalloc(a, (size_t)(max_wave + 2) * sizeof(int));
    for (size_t i = 0; i < n; i++)
        map[items[i].wave] = 1;
    int next = 0;
    for (int w = 0; w <= max_wave; w++)
        map[w] = map[w] ? next++ : -1;
    for (size_t i = 0; i < n; i++)
        items[i].wave = map[items[i].wave];
    *nwaves = next;
    return 0;
}

static const char *level_name(int level)
{
    static const char *const names[] = {"", "CRDs", "namespaces", "configuration", "workloads", "routing",
                                        "custom resources"};
    return level >= 1 && level <= 6 ? names[level] : "?";
}

const char *plan_level_name(int level) { return level_name(level); }

void plan_print(strbuf *out, const plan_item *items, size_t n, int nwaves)
{
    for (int w = 0; w < nwaves; w++) {
        int level = 0;
        for (size_t i = 0; i < n; i++)
            if (items[i].wave == w && (level == 0 || items[i].level < level))
                level = items[i].level;
        sb_addf(out, "wave %d (%s):\n", w + 1, level_name(level));
        for (size_t i = 0; i < n; i++) {
            if (items[i].wave != w)
                continue;
            sb_addf(out, "  %s/%s", items[i].kind, items[i].name);
            if (items[i].namespace && *items[i].namespace)
                sb_addf(out, " -n %s", items[i].namespace);
            if (items[i].after && items[i].after[0]) {
                sb_adds(out, "  after ");
                for (const char **p = items[i].after; *p; p++)
                    sb_addf(out, "%s%s", p == items[i].after ? "" : ", ", *p);
            }
            if (items[i].external && items[i].external[0]) {
                sb_adds(out, "  waits for existing ");
                for (const char **p = items[i].external; *p; p++)
                    sb_addf(out, "%s%s", p == items[i].external ? "" : ", ", *p);
            }
            sb_addc(out, '\n');
        }
    }
}
