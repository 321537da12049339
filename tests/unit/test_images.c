/* test_images.c — image references (parse, normalise, re-home), extraction
 * from every workload shape and the image annotations, and --registry
 * rewriting of rendered documents. */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "capstan.h"

#include "core/arena.h"
#include "renderer/images/images.h"
#include "core/yaml.h"

static void test_ref_parse(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const struct {
        const char *in, *full;
    } cases[] = {
        {"nginx", "docker.io/library/nginx:latest"},
        {"nginx:1.27", "docker.io/library/nginx:1.27"},
        {"library/nginx:1.27", "docker.io/library/nginx:1.27"},
        {"docker.io/nginx", "docker.io/library/nginx:latest"},
        {"index.docker.io/library/nginx:1", "docker.io/library/nginx:1"},
        {"jenkins/jenkins:2.568.2-jdk21", "docker.io/jenkins/jenkins:2.568.2-jdk21"},
        {"quay.io/prometheus/node-exporter:v1.8.0", "quay.io/prometheus/node-exporter:v1.8.0"},
        {"localhost/app", "localhost/app:latest"},
        {"localhost:5000/app:v1", "localhost:5000/app:v1"},
        {"127.0.0.2:5000/jenkins/inbound-agent:3327.v868139a_d00e0-6", "127.0.0.2:5000/jenkins/inbound-agent:3327.v868139a_d00e0-6"},
        {"registry.example.com:8443/a/b/c:tag", "registry.example.com:8443/a/b/c:tag"},
        {"busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
         "docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
        {"ghcr.io/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "ghcr.io/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
        {"my_org/my__repo-x.y", "docker.io/my_org/my__repo-x.y:latest"},
        {"  nginx  ", NULL}, /* spaces inside img_ref_parse: invalid (img_add trims) */
        {"", NULL},
        {"Nginx", NULL},
        {"a//b", NULL},
        {"nginx:", NULL},
        {"nginx:bad tag", NULL},
        {"nginx@sha256:xyz", NULL},
        {"nginx@sha256:abcd", NULL}, /* a digest is 64 hex digits */
        {"/nginx", NULL},
        {"{{ .Values.image }}", NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        img_ref r;
        int rc = img_ref_parse(a, cases[i].in, &r);
        if (!cases[i].full) {
            if (rc == 0)
                fail_msg("%s: parsed, expected invalid", cases[i].in);
            continue;
        }
        if (rc != 0)
            fail_msg("%s: invalid", cases[i].in);
        assert_string_equal(img_ref_full(a, &r), cases[i].full);
    }
    img_ref r;
    assert_int_equal(img_ref_parse(a, "localhost:5000/app:v1", &r), 0);
    assert_string_equal(r.registry, "localhost:5000");
    assert_string_equal(r.repository, "app");
    assert_string_equal(r.tag, "v1");
    assert_string_equal(r.digest, "");
    arena_free(a);
}

static void test_ref_rewrite(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const char *const cases[][2] = {
        {"nginx", "H:5000/library/nginx"},
        {"nginx:1.27", "H:5000/library/nginx:1.27"},
        {"docker.io/library/nginx", "H:5000/library/nginx"},
        {"jenkins/jenkins:lts", "H:5000/jenkins/jenkins:lts"},
        {"quay.io/a/b/c:1", "H:5000/a/b/c:1"},
        {"localhost:5000/app:v1", "H:5000/app:v1"},
        {"registry.airgap.local:5000/jenkins/jenkins:2.568.2-jdk21", "H:5000/jenkins/jenkins:2.568.2-jdk21"},
        {"busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "H:5000/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
        {"ghcr.io/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "H:5000/x/y:1.0@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
        {"[::1]:5000/x:1", "H:5000/x:1"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *got = img_ref_rewrite(a, cases[i][0], "H:5000");
        if (!got || strcmp(got, cases[i][1]) != 0)
            fail_msg("%s: got %s, want %s", cases[i][0], got ? got : "NULL", cases[i][1]);
    }
    assert_null(img_ref_rewrite(a, "Not A Ref", "H"));
    assert_string_equal(img_ref_rewrite(a, "nginx:1", "reg.example.com"), "reg.example.com/library/nginx:1");
    arena_free(a);
}

static cval *parse(arena *a, const char *text)
{
    cval *v = NULL;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(yaml_parse(a, text, strlen(text), "t.yaml", &v, &e), 0);
    return v;
}

static const char *names(arena *a, img_list *l)
{
    img_sort(l);
    strbuf sb = STRBUF_INIT;
    img_write_text(&sb, l);
    char *r = arena_strdup(a, sb_str(&sb));
    sb_release(&sb);
    return r;
}

static void test_extract_kinds(void **state)
{
    (void)state;
    arena *a = arena_new();
    static const struct {
        const char *kind, *doc;
    } docs[] = {
        {"Pod", "kind: Pod\nmetadata: {name: p}\nspec:\n  initContainers: [{name: i, image: \"init:1\"}]\n"
                "  containers: [{name: c, image: pod:1}, {name: d, image: pod:1}]\n"
                "  ephemeralContainers: [{name: e, image: debug:1}]\n"},
        {"Deployment", "kind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n    spec:\n      containers:\n"
                       "        - name: c\n          image: deploy:1\n"},
        {"StatefulSet", "kind: StatefulSet\nmetadata: {name: s}\nspec: {template: {spec: {containers: [{name: c, image: sts:1}], initContainers: [{name: x, image: sts-init:1}]}}}\n"},
        {"DaemonSet", "kind: DaemonSet\nmetadata: {name: ds}\nspec: {template: {spec: {containers: [{name: c, image: ds:1}]}}}\n"},
        {"ReplicaSet", "kind: ReplicaSet\nmetadata: {name: rs}\nspec: {template: {spec: {containers: [{name: c, image: rs:1}]}}}\n"},
        {"ReplicationController", "kind: ReplicationController\nmetadata: {name: rc}\nspec: {template: {spec: {containers: [{name: c, image: rc:1}]}}}\n"},
        {"Job", "kind: Job\nmetadata: {name: j, annotations: {helm.sh/hook: pre-install}}\nspec: {template: {spec: {containers: [{name: c, image: job:1}]}}}\n"},
        {"CronJob", "kind: CronJob\nmetadata: {name: cj}\nspec: {jobTemplate: {spec: {template: {spec: {containers: [{name: c, image: cron:1}]}}}}}\n"},
        {"Rollout", "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata: {name: r}\nspec: {template: {spec: {containers: [{name: c, image: crd:1}]}}}\n"},
        {"PodTemplate", "kind: PodTemplate\nmetadata: {name: pt}\ntemplate: {spec: {containers: [{name: c, image: podtemplate:1}]}}\n"},
        {"List", "kind: List\nitems:\n  - kind: Pod\n    metadata: {name: inlist}\n    spec: {containers: [{name: c, image: inlist:1}]}\n"},
        {"ConfigMap", "kind: ConfigMap\nmetadata:\n  name: cm\n  annotations:\n    capstan.dev/images: \"agent:1,quay.io/x/agent:2\"\n"
                      "data:\n  x: |\n    image: not-listed:1\n"},
        {"Service", "kind: Service\nmetadata:\n  name: svc\n  annotations:\n    helm.sh/images: |\n      - name: a\n        image: hip:1\n"
                    "      - name: b\n        image: ghcr.io/hip/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n        whitelisted: true\n"},
        {"Secret", "kind: Secret\nmetadata: {name: sec}\nspec: {containers: \"not a list\", image: x}\n"},
    };
    img_list l = {0};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++)
        img_from_doc(a, &l, parse(a, docs[i].doc), docs[i].kind, "n");
    assert_string_equal(names(a, &l),
                        "docker.io/library/agent:1\n"
                        "docker.io/library/crd:1\n"
                        "docker.io/library/cron:1\n"
                        "docker.io/library/debug:1\n"
                        "docker.io/library/deploy:1\n"
                        "docker.io/library/ds:1\n"
                        "docker.io/library/hip:1\n"
                        "docker.io/library/init:1\n"
                        "docker.io/library/inlist:1\n"
                        "docker.io/library/job:1\n"
                        "docker.io/library/pod:1\n"
                        "docker.io/library/podtemplate:1\n"
                        "docker.io/library/rc:1\n"
                        "docker.io/library/rs:1\n"
                        "docker.io/library/sts-init:1\n"
                        "docker.io/library/sts:1\n"
                        "ghcr.io/hip/b@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef\n"
                        "quay.io/x/agent:2\n");
    /* pod:1 is used by two containers of one Pod: one entry, two sources */
    for (size_t i = 0; i < l.n; i++)
        if (strcmp(l.v[i].name, "docker.io/library/pod:1") == 0) {
            assert_int_equal(l.v[i].nsources, 2);
            assert_string_equal(l.v[i].sources[0].kind, "Pod");
            assert_string_equal(l.v[i].sources[1].container, "d");
        } else if (strcmp(l.v[i].name, "docker.io/library/debug:1") == 0) {
            assert_string_equal(l.v[i].sources[0].field, "ephemeralContainers");
        }
    arena_free(a);
}

static void test_dedup_and_json(void **state)
{
    (void)state;
    arena *a = arena_new();
    img_list l = {0};
    img_source s1 = {"Pod", "a", "c", "containers"};
    img_source s2 = {"Chart", "x", NULL, "helm.sh/images"};
    img_add(a, &l, "nginx", &s1);
    img_add(a, &l, "docker.io/library/nginx:latest", &s2);
    img_add(a, &l, " nginx ", &s1); /* same source again: not repeated */
    img_add(a, &l, "", &s1);
    img_add(a, &l, "Bad Ref", &s1);
    assert_int_equal(l.n, 2);
    img_sort(&l);
    strbuf sb = STRBUF_INIT;
    img_write_json(&sb, &l);
    assert_string_equal(sb_str(&sb),
                        "[\n  {\"name\":\"Bad Ref\",\"registry\":\"\",\"repository\":\"\",\"tag\":\"\",\"digest\":\"\","
                        "\"sources\":[{\"kind\":\"Pod\",\"name\":\"a\",\"container\":\"c\",\"field\":\"containers\"}]},\n"
                        "  {\"name\":\"docker.io/library/nginx:latest\",\"registry\":\"docker.io\",\"repository\":\"library/nginx\","
                        "\"tag\":\"\",\"digest\":\"\",\"sources\":[{\"kind\":\"Pod\",\"name\":\"a\",\"container\":\"c\",\"field\":\"containers\"},"
                        "{\"kind\":\"Chart\",\"name\":\"x\",\"field\":\"helm.sh/images\"}]}\n]\n");
    sb_release(&sb);
    const char **r = img_annotation_refs(a, "a:1, b:2\nc:3", NULL);
    assert_string_equal(r[0], "a:1");
    assert_string_equal(r[2], "c:3");
    assert_null(r[3]);
    const char **deps;
    r = img_annotation_refs(a, "- x:1\n- image: y:2\n  name: y\n  dependency: sub\n", &deps);
    assert_string_equal(r[0], "x:1");
    assert_string_equal(r[1], "y:2");
    assert_null(r[2]);
    assert_null(deps[0]);
    assert_string_equal(deps[1], "sub");
    r = img_annotation_refs(a, "", NULL);
    assert_null(r[0]);
    arena_free(a);
}

static const char *rewrite(arena *a, const char *text)
{
    cval *doc = parse(a, text);
    const char *t = text;
    size_t n = strlen(text);
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(img_rewrite_doc(a, doc, &t, &n, "reg.local:5000", &e), 0);
    return arena_strndup(a, t, n);
}

static void test_rewrite_in_place(void **state)
{
    (void)state;
    arena *a = arena_new();
    /* layout and comments kept; a container named like its image keeps its name */
    assert_string_equal(rewrite(a, "kind: Pod # a pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n"
                                    "    - name: nginx\n      image: nginx\n    - name: b\n      image: \"quay.io/b/c:1\"\n"
                                    "  initContainers:\n    - name: i\n      image: 'docker.io/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'\n"),
                        "kind: Pod # a pod\nmetadata:\n  name: nginx\nspec:\n  containers:\n"
                        "    - name: nginx\n      image: reg.local:5000/library/nginx\n    - name: b\n      image: \"reg.local:5000/b/c:1\"\n"
                        "  initContainers:\n    - name: i\n      image: 'reg.local:5000/library/busybox@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef'\n");
    /* the annotation and the copies inside configuration follow; other text does not */
    assert_string_equal(rewrite(a, "kind: ConfigMap\nmetadata:\n  name: j\n  annotations:\n"
                                    "    capstan.dev/images: \"jenkins/jenkins:2,jenkins/inbound-agent:3\"\n"
                                    "data:\n  casc.yaml: |-\n    image: \"jenkins/inbound-agent:3\"\n"
                                    "    url: http://x/jenkins/inbound-agent:3\n    other: my-jenkins/inbound-agent:3\n"),
                        "kind: ConfigMap\nmetadata:\n  name: j\n  annotations:\n"
                        "    capstan.dev/images: \"reg.local:5000/jenkins/jenkins:2,reg.local:5000/jenkins/inbound-agent:3\"\n"
                        "data:\n  casc.yaml: |-\n    image: \"reg.local:5000/jenkins/inbound-agent:3\"\n"
                        "    url: http://x/jenkins/inbound-agent:3\n    other: my-jenkins/inbound-agent:3\n");
    /* JSON documents */
    assert_string_equal(rewrite(a, "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"redis\",\"image\":\"redis\"}]}}"),
                        "{\"kind\":\"Pod\",\"spec\":{\"containers\":[{\"name\":\"redis\",\"image\":\"reg.local:5000/library/redis\"}]}}");
    /* HIP-0015 annotation in a block scalar; a CronJob */
    assert_string_equal(rewrite(a, "kind: CronJob\nmetadata:\n  annotations:\n    helm.sh/images: |\n      - name: a\n        image: a:1\n"
                                    "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
                                    "          - image: a:1\n            name: a\n"),
                        "kind: CronJob\nmetadata:\n  annotations:\n    helm.sh/images: |\n      - name: a\n        image: reg.local:5000/library/a:1\n"
                        "spec:\n  jobTemplate:\n    spec:\n      template:\n        spec:\n          containers:\n"
                        "          - image: reg.local:5000/library/a:1\n            name: a\n");
    /* nothing to do: text untouched */
    assert_string_equal(rewrite(a, "kind: Service\nmetadata: {name: nginx}\n"), "kind: Service\nmetadata: {name: nginx}\n");
    /* already at the registry: untouched */
    assert_string_equal(rewrite(a, "spec: {containers: [{image: reg.local:5000/x:1}]}"),
                        "spec: {containers: [{image: reg.local:5000/x:1}]}");
    arena_free(a);
}

static void test_rewrite_fallback(void **state)
{
    (void)state;
    arena *a = arena_new();
    /* a bare name in the annotation list cannot be found in place: the document is emitted anew */
    const char *out = rewrite(a, "kind: ConfigMap\nmetadata:\n  annotations:\n    capstan.dev/images: nginx,redis:7\n");
    cval *doc = parse(a, out);
    cval *ann = cv_map_get(cv_map_get(doc, "metadata"), "annotations");
    assert_string_equal(cv_map_get(ann, "capstan.dev/images")->u.str.s,
                        "reg.local:5000/library/nginx,reg.local:5000/library/redis:7");
    /* a plain scalar split over lines */
    out = rewrite(a, "spec:\n  containers:\n  - name: x\n    image:\n      quay.io/a/b:1\n");
    img_list l = {0};
    img_from_doc(a, &l, parse(a, out), "Pod", "x");
    assert_string_equal(names(a, &l), "reg.local:5000/a/b:1\n");
    arena_free(a);
}

/* goldens: `capstan images charts/jenkins ...` as committed in tests/golden/images/ */
static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    strbuf sb = STRBUF_INIT;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        sb_add(&sb, buf, n);
    fclose(f);
    return sb_detach(&sb, NULL);
}

static void golden(const char *values, const char *registry, const char *format, const char *expected)
{
    const char *src = getenv("CAPSTAN_SRCDIR") ? getenv("CAPSTAN_SRCDIR") : ".";
    char chart[4096], vals[4096], exp[4096];
    snprintf(chart, sizeof chart, "%s/charts/jenkins", src);
    snprintf(vals, sizeof vals, "%s/values/%s", src, values ? values : "");
    snprintf(exp, sizeof exp, "%s/tests/golden/images/%s", src, expected);
    const char *files[] = {vals};
    capstan_render_opts o = {0};
    o.value_files = files;
    o.n_value_files = values ? 1 : 0;
    o.registry = registry;
    char *out = NULL;
    size_t len = 0;
    capstan_error err = {0};
    if (capstan_images(chart, &o, format, &out, &len, &err) != 0)
        fail_msg("%s: %s", expected, err.msg);
    char *want = slurp(exp);
    if (!want)
        fail_msg("no golden %s", exp);
    assert_string_equal(out, want);
    free(out);
    free(want);
}

static void test_jenkins_goldens(void **state)
{
    (void)state;
    golden("jenkins-airgapped.yaml", NULL, "text", "jenkins-airgapped.txt");
    golden("jenkins-airgapped.yaml", NULL, "json", "jenkins-airgapped.json");
    golden("jenkins-airgapped.yaml", "127.0.0.3:5000", "text", "jenkins-airgapped-registry.txt");
    golden(NULL, NULL, "text", "jenkins-default.txt");
    capstan_render_opts o = {0};
    char *out = NULL;
    size_t len;
    capstan_error err = {0};
    assert_int_equal(capstan_images("/nonexistent/chart", &o, "text", &out, &len, &err), -1);
    assert_non_null(err.msg);
    capstan_error_clear(&err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_ref_parse),
        cmocka_unit_test(test_ref_rewrite),
        cmocka_unit_test(test_extract_kinds),
        cmocka_unit_test(test_dedup_and_json),
        cmocka_unit_test(test_rewrite_in_place),
        cmocka_unit_test(test_rewrite_fallback),
        cmocka_unit_test(test_jenkins_goldens),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
