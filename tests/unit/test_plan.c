/* test_plan.c — waves: kinds in tiers, CRDs first, subcharts before parents,
 * depends-on, HIP-0025 layers, sync-waves, cycles. */
#include "unit.h"
#include "installer/release/plan.h"
#include "core/yaml.h"

#include <string.h>

struct obj { const char *source, *yaml; };

static plan_item *build(arena *a, const struct obj *objs, size_t n, int *nwaves, int want_rc, cap_err *err)
{
    plan_item *items = arena_zalloc(a, n * sizeof *items);
    for (size_t i = 0; i < n; i++) {
        cval *o;
        if (yaml_parse(a, objs[i].yaml, strlen(objs[i].yaml), objs[i].source, &o, err) < 0)
            fail_msg("bad YAML %s: %s", objs[i].source, err->msg);
        items[i] = (plan_item){.source = objs[i].source, .obj = o, .namespace = "ns"};
    }
    int rc = plan_build(a, items, n, nwaves, err);
    if (rc != want_rc)
        fail_msg("plan_build returned %d (%s)", rc, err->msg ? err->msg : "");
    return items;
}

static int wave_of(const plan_item *items, size_t n, const char *kind, const char *name)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].kind, kind) == 0 && strcmp(items[i].name, name) == 0)
            return items[i].wave;
    fail_msg("no %s/%s", kind, name);
    return -1;
}

#define W(k, nm) wave_of(items, n, k, nm)

static void tiers_and_crds(void **state)
{
    arena *a = arena_new();
    const struct obj objs[] = {
        {"app/templates/ing.yaml", "kind: Ingress\nmetadata: {name: web}"},
        {"app/templates/dep.yaml", "kind: Deployment\nmetadata: {name: web}"},
        {"app/templates/svc.yaml", "kind: Service\nmetadata: {name: web}"},
        {"app/templates/cm.yaml", "kind: ConfigMap\nmetadata: {name: cfg}"},
        {"app/templates/cr.yaml", "kind: Widget\nmetadata: {name: w}"},
        {"app/templates/crd.yaml", "kind: CustomResourceDefinition\nmetadata: {name: widgets.example.com}"},
        {"app/templates/ns.yaml", "kind: Namespace\nmetadata: {name: extra}"},
    };
    size_t n = sizeof objs / sizeof *objs;
    int nw;
    cap_err err = CAP_ERR_INIT;
    plan_item *items = build(a, objs, n, &nw, 0, &err);
    assert_int_equal(nw, 6);
    assert_int_equal(W("CustomResourceDefinition", "widgets.example.com"), 0);
    assert_int_equal(W("Namespace", "extra"), 1);
    assert_int_equal(W("ConfigMap", "cfg"), 2);
    assert_int_equal(W("Service", "web"), 2);
    assert_int_equal(W("Deployment", "web"), 3);
    assert_int_equal(W("Ingress", "web"), 4);
    assert_int_equal(W("Widget", "w"), 5);
    strbuf sb = STRBUF_INIT;
    plan_print(&sb, items, n, nw);
    assert_non_null(strstr(sb.buf, "wave 1 (CRDs):\n  CustomResourceDefinition/widgets.example.com -n ns\n"));
    assert_non_null(strstr(sb.buf, "wave 4 (workloads):\n  Deployment/web -n ns\n"));
    sb_release(&sb);
    arena_free(a);
}

static void subcharts_first_and_depends_on(void **state)
{
    arena *a = arena_new();
    const struct obj objs[] = {
        {"app/templates/dep.yaml",
         "kind: Deployment\nmetadata: {name: app, annotations: {capstan.dev/depends-on: 'StatefulSet/db, Job/migrate'}}"},
        {"app/templates/job.yaml", "kind: Job\nmetadata: {name: migrate, annotations: {capstan.dev/depends-on: StatefulSet/db}}"},
        {"app/charts/db/templates/sts.yaml", "kind: StatefulSet\nmetadata: {name: db}"},
        {"app/charts/db/templates/svc.yaml", "kind: Service\nmetadata: {name: db}"},
        {"app/templates/svc.yaml", "kind: Service\nmetadata: {name: app}"},
        {"app/templates/ext.yaml", "kind: ConfigMap\nmetadata: {name: x, annotations: {capstan.dev/depends-on: Secret/other/outside}}"},
    };
    size_t n = sizeof objs / sizeof *objs;
    int nw;
    cap_err err = CAP_ERR_INIT;
    plan_item *items = build(a, objs, n, &nw, 0, &err);
    /* subchart config, parent config, subchart workloads, then the Job, then the app */
    assert_true(W("Service", "db") < W("Service", "app"));
    assert_true(W("Service", "app") < W("StatefulSet", "db"));
    assert_true(W("StatefulSet", "db") < W("Job", "migrate"));
    assert_true(W("Job", "migrate") < W("Deployment", "app"));
    const plan_item *cm = NULL;
    for (size_t i = 0; i < n; i++)
        if (strcmp(items[i].name, "x") == 0)
            cm = &items[i];
    assert_string_equal(cm->external[0], "Secret/other/outside");
    arena_free(a);
}

static void forward_dependency_moves_an_object_later(void **state)
{
    arena *a = arena_new();
    const struct obj objs[] = {
        {"app/templates/cm.yaml", "kind: ConfigMap\nmetadata: {name: late, annotations: {capstan.dev/depends-on: Deployment/web}}"},
        {"app/templates/dep.yaml", "kind: Deployment\nmetadata: {name: web}"},
        {"app/templates/sa.yaml", "kind: ServiceAccount\nmetadata: {name: sa}"},
    };
    size_t n = 3;
    int nw;
    cap_err err = CAP_ERR_INIT;
    plan_item *items = build(a, objs, n, &nw, 0, &err);
    assert_true(W("Deployment", "web") < W("ConfigMap", "late"));
    assert_true(W("ServiceAccount", "sa") < W("Deployment", "web"));
    arena_free(a);
}

static void layers_and_sync_waves(void **state)
{
    arena *a = arena_new();
    const struct obj objs[] = {
        {"app/templates/a.yaml", "kind: ConfigMap\nmetadata: {name: app, annotations: {helm.sh/layer: app, helm.sh/depends-on/layers: 'database, queue'}}"},
        {"app/templates/b.yaml", "kind: ConfigMap\nmetadata: {name: db, annotations: {helm.sh/layer: database}}"},
        {"app/templates/c.yaml", "kind: ConfigMap\nmetadata: {name: q, annotations: {helm.sh/layer: queue}}"},
        {"app/templates/d.yaml", "kind: Deployment\nmetadata: {name: early, annotations: {argocd.argoproj.io/sync-wave: '-1'}}"},
    };
    size_t n = 4;
    int nw;
    cap_err err = CAP_ERR_INIT;
    plan_item *items = build(a, objs, n, &nw, 0, &err);
    assert_int_equal(W("Deployment", "early"), 0);
    assert_int_equal(W("ConfigMap", "db"), W("ConfigMap", "q"));
    assert_true(W("ConfigMap", "q") < W("ConfigMap", "app"));
    arena_free(a);
}

static void errors(void **state)
{
    arena *a = arena_new();
    int nw;
    cap_err err = CAP_ERR_INIT;
    const struct obj cyc[] = {
        {"app/templates/a.yaml", "kind: ConfigMap\nmetadata: {name: a, annotations: {capstan.dev/depends-on: ConfigMap/b}}"},
        {"app/templates/b.yaml", "kind: ConfigMap\nmetadata: {name: b, annotations: {capstan.dev/depends-on: ConfigMap/a}}"},
    };
    build(a, cyc, 2, &nw, -1, &err);
    assert_non_null(strstr(err.msg, "dependency cycle: ConfigMap/a -> ConfigMap/b -> ConfigMap/a"));
    cap_err_clear(&err);
    const struct obj badwave[] = {{"app/templates/a.yaml", "kind: ConfigMap\nmetadata: {name: a, annotations: {argocd.argoproj.io/sync-wave: soon}}"}};
    build(a, badwave, 1, &nw, -1, &err);
    assert_non_null(strstr(err.msg, "sync-wave \"soon\" is not an integer"));
    cap_err_clear(&err);
    const struct obj badlayer[] = {{"app/templates/a.yaml", "kind: ConfigMap\nmetadata: {name: a, annotations: {helm.sh/depends-on/layers: nope}}"}};
    build(a, badlayer, 1, &nw, -1, &err);
    assert_non_null(strstr(err.msg, "names layer \"nope\""));
    cap_err_clear(&err);
    const struct obj self[] = {{"app/templates/a.yaml", "kind: ConfigMap\nmetadata: {name: a, annotations: {capstan.dev/depends-on: ConfigMap/a}}"}};
    build(a, self, 1, &nw, -1, &err);
    assert_non_null(strstr(err.msg, "depends on itself"));
    cap_err_clear(&err);
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(tiers_and_crds),
    cmocka_unit_test(subcharts_first_and_depends_on),
    cmocka_unit_test(forward_dependency_moves_an_object_later),
    cmocka_unit_test(layers_and_sync_waves),
    cmocka_unit_test(errors),
};

UNIT_MAIN(tests)
