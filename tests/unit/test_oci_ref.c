/* test_oci_ref.c — image / artifact references (core/oci_ref.c), the
 * WWW-Authenticate parser and helm's registry config (installer/net/oci_auth.c). */
#include "unit.h"
#include "installer/net/oci.h"

#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define D64 "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"

struct refcase {
    const char *in;
    int flags;
    const char *registry, *repository, *tag, *digest; /* registry NULL: must fail */
    const char *why;                                  /* part of the error message */
};

static const struct refcase cases[] = {
    {"nginx", 0, "docker.io", "library/nginx", NULL, NULL, NULL},
    {"nginx", OCI_REF_DEFAULT_TAG, "docker.io", "library/nginx", "latest", NULL, NULL},
    {"nginx:1.25", OCI_REF_DEFAULT_TAG, "docker.io", "library/nginx", "1.25", NULL, NULL},
    {"nginx@" D64, OCI_REF_DEFAULT_TAG, "docker.io", "library/nginx", NULL, D64, NULL},
    {"bitnami/redis:7.2", 0, "docker.io", "bitnami/redis", "7.2", NULL, NULL},
    {"docker.io/nginx", 0, "docker.io", "library/nginx", NULL, NULL, NULL},
    {"docker.io/library/nginx:1", 0, "docker.io", "library/nginx", "1", NULL, NULL},
    {"index.docker.io/library/nginx", 0, "docker.io", "library/nginx", NULL, NULL, NULL},
    {"localhost/foo", 0, "localhost", "foo", NULL, NULL, NULL},
    {"localhost:5000/foo/bar:v1", 0, "localhost:5000", "foo/bar", "v1", NULL, NULL},
    {"127.0.0.1:5000/x@" D64, 0, "127.0.0.1:5000", "x", NULL, D64, NULL},
    {"ghcr.io/org/img:tag@" D64, 0, "ghcr.io", "org/img", "tag", D64, NULL},
    {"quay.io/a/b/c/d:e", 0, "quay.io", "a/b/c/d", "e", NULL, NULL},
    {"[::1]:5000/x:y", 0, "[::1]:5000", "x", "y", NULL, NULL},
    {"registry.example.com:443/team/app:1.0.0-rc.1", 0, "registry.example.com:443", "team/app", "1.0.0-rc.1", NULL, NULL},
    {"jenkins/jenkins:2.440.3-jdk17", 0, "docker.io", "jenkins/jenkins", "2.440.3-jdk17", NULL, NULL},
    {"a__b/c-----d/e.f_g", 0, "docker.io", "a__b/c-----d/e.f_g", NULL, NULL, NULL},
    {"my-reg.local/x_y:TAG_1", 0, "my-reg.local", "x_y", "TAG_1", NULL, NULL},
    {"oci://127.0.0.1:5000/charts/mychart:0.1.0+build.1", OCI_REF_PLUS_TAG | OCI_REF_NEED_HOST, "127.0.0.1:5000",
     "charts/mychart", "0.1.0_build.1", NULL, NULL},
    {"oci://127.0.0.1:5000/charts/mychart", OCI_REF_PLUS_TAG | OCI_REF_NEED_HOST, "127.0.0.1:5000",
     "charts/mychart", NULL, NULL, NULL},
    {"oci://docker.io/nginx", OCI_REF_NEED_HOST, "docker.io", "nginx", NULL, NULL, NULL},
    {"oci://myregistry/charts/x", OCI_REF_NEED_HOST, "myregistry", "charts/x", NULL, NULL, NULL},
    /* bad */
    {"", 0, NULL, NULL, NULL, NULL, "empty name"},
    {"oci://", 0, NULL, NULL, NULL, NULL, "empty name"},
    {"nginx:", 0, NULL, NULL, NULL, NULL, "empty tag"},
    {":tag", 0, NULL, NULL, NULL, NULL, "empty name"},
    {"NGINX", 0, NULL, NULL, NULL, NULL, "lowercase"},
    {"docker.io/Library/nginx", 0, NULL, NULL, NULL, NULL, "lowercase"},
    {"a//b", 0, NULL, NULL, NULL, NULL, "empty path component"},
    {"a/b/", 0, NULL, NULL, NULL, NULL, "empty path component"},
    {"a___b", 0, NULL, NULL, NULL, NULL, "invalid repository name"},
    {"a-", 0, NULL, NULL, NULL, NULL, "invalid repository name"},
    {"-a", 0, NULL, NULL, NULL, NULL, "invalid repository name"},
    {"a..b", 0, NULL, NULL, NULL, NULL, "invalid repository name"},
    {"a b", 0, NULL, NULL, NULL, NULL, "invalid repository name"},
    {"nginx@sha256:abc", 0, NULL, NULL, NULL, NULL, "invalid digest"},
    {"nginx@md5:0123456789abcdef0123456789abcdef", 0, NULL, NULL, NULL, NULL, "invalid digest"},
    {"nginx@sha256:0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef", 0, NULL, NULL, NULL, NULL,
     "invalid digest"},
    {"nginx:-bad", 0, NULL, NULL, NULL, NULL, "invalid tag"},
    {"nginx:a+b", 0, NULL, NULL, NULL, NULL, "invalid tag"},
    {"reg.io:abc/x", 0, NULL, NULL, NULL, NULL, "invalid registry port"},
    {"reg.io:/x", 0, NULL, NULL, NULL, NULL, "invalid registry port"},
    {"-reg.io/x", 0, NULL, NULL, NULL, NULL, "invalid registry"},
    {"oci://mychart", OCI_REF_NEED_HOST, NULL, NULL, NULL, NULL, "no repository"},
    {"oci://127.0.0.1:5000/charts/mychart:0.1.0+build.1", OCI_REF_NEED_HOST, NULL, NULL, NULL, NULL, "invalid tag"},
};

static void eq_or_null(const char *got, const char *want, const char *what, const char *in)
{
    if ((got == NULL) != (want == NULL) || (got && strcmp(got, want) != 0))
        fail_msg("%s: %s is \"%s\", want \"%s\"", in, what, got ? got : "(null)", want ? want : "(null)");
}

static void parse_cases(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const struct refcase *c = &cases[i];
        oci_ref r;
        cap_err err = CAP_ERR_INIT;
        int rc = oci_ref_parse(c->in, c->flags, &r, &err);
        if (c->registry) {
            if (rc != 0)
                fail_msg("%s: unexpected error %s", c->in, err.msg);
            eq_or_null(r.registry, c->registry, "registry", c->in);
            eq_or_null(r.repository, c->repository, "repository", c->in);
            eq_or_null(r.tag, c->tag, "tag", c->in);
            eq_or_null(r.digest, c->digest, "digest", c->in);
            oci_ref_release(&r);
        } else {
            if (rc != -1)
                fail_msg("%s: parsed, want an error (%s)", c->in, c->why);
            if (!err.msg || !strstr(err.msg, c->why) || !strstr(err.msg, "invalid reference \""))
                fail_msg("%s: error \"%s\", want one containing \"%s\"", c->in, err.msg, c->why);
            assert_null(r.registry);
        }
        cap_err_clear(&err);
    }
}

static void long_names(void **state)
{
    (void)state;
    char tag[200], path[300];
    memset(tag, 'a', 129);
    tag[129] = '\0';
    char in[400];
    snprintf(in, sizeof in, "x:%s", tag);
    oci_ref r;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(oci_ref_parse(in, 0, &r, &err), -1);
    assert_non_null(strstr(err.msg, "longer than 128"));
    cap_err_clear(&err);
    tag[128] = '\0';
    snprintf(in, sizeof in, "x:%s", tag);
    assert_int_equal(oci_ref_parse(in, 0, &r, &err), 0);
    oci_ref_release(&r);
    memset(path, 'b', 256);
    path[256] = '\0';
    assert_int_equal(oci_ref_parse(path, 0, &r, &err), -1);
    assert_non_null(strstr(err.msg, "longer than 255"));
    cap_err_clear(&err);
}

static char *fmt_with(const char *in, int flags, char *(*f)(const oci_ref *))
{
    oci_ref r;
    cap_err err = CAP_ERR_INIT;
    if (oci_ref_parse(in, flags, &r, &err) < 0)
        fail_msg("%s: %s", in, err.msg);
    char *s = f(&r);
    oci_ref_release(&r);
    return s;
}

static void check_str(char *got, const char *want)
{
    if (!got || strcmp(got, want) != 0)
        fail_msg("got \"%s\", want \"%s\"", got ? got : "(null)", want);
    free(got);
}

static void formatting(void **state)
{
    (void)state;
    check_str(fmt_with("nginx", OCI_REF_DEFAULT_TAG, oci_ref_format), "docker.io/library/nginx:latest");
    check_str(fmt_with("nginx", 0, oci_ref_format), "docker.io/library/nginx");
    check_str(fmt_with("nginx:1@" D64, 0, oci_ref_format), "docker.io/library/nginx:1@" D64);
    check_str(fmt_with("docker.io/library/nginx:1", 0, oci_ref_familiar), "nginx:1");
    check_str(fmt_with("bitnami/redis", 0, oci_ref_familiar), "bitnami/redis");
    check_str(fmt_with("docker.io/library/a/b", 0, oci_ref_familiar), "library/a/b");
    check_str(fmt_with("ghcr.io/x/y@" D64, 0, oci_ref_familiar), "ghcr.io/x/y@" D64);
    check_str(fmt_with("localhost:5000/a:b", 0, oci_ref_name), "localhost:5000/a");

    oci_ref r;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(oci_ref_parse("nginx", 0, &r, &err), 0);
    assert_string_equal(oci_ref_endpoint(&r), "registry-1.docker.io");
    assert_null(oci_ref_reference(&r));
    oci_ref copy;
    oci_ref_copy(&copy, &r);
    assert_string_equal(copy.repository, "library/nginx");
    oci_ref_release(&copy);
    oci_ref_release(&r);
    assert_int_equal(oci_ref_parse("q.io/a:t@" D64, 0, &r, &err), 0);
    assert_string_equal(oci_ref_endpoint(&r), "q.io");
    assert_string_equal(oci_ref_reference(&r), "t");
    oci_ref_release(&r);

    assert_true(oci_host_is_loopback("127.0.0.1:5000"));
    assert_true(oci_host_is_loopback("localhost"));
    assert_true(oci_host_is_loopback("localhost:80"));
    assert_true(oci_host_is_loopback("[::1]:5000"));
    assert_false(oci_host_is_loopback("localhost.example.com"));
    assert_false(oci_host_is_loopback("10.0.0.1:5000"));

    assert_true(oci_digest_valid(D64));
    assert_false(oci_digest_valid("sha256:"));
    assert_false(oci_digest_valid(NULL));
}

static void rehost(void **state)
{
    (void)state;
    cap_err err = CAP_ERR_INIT;
    check_str(oci_ref_rehost("nginx:1.25", "reg.local:5000", &err), "reg.local:5000/library/nginx:1.25");
    check_str(oci_ref_rehost("jenkins/jenkins:2.4", "reg.local:5000/mirror/", &err),
              "reg.local:5000/mirror/jenkins/jenkins:2.4");
    check_str(oci_ref_rehost("ghcr.io/org/app@" D64, "127.0.0.1:5001", &err), "127.0.0.1:5001/org/app@" D64);
    check_str(oci_ref_rehost("quay.io/a/b:1@" D64, "r", &err), "r/a/b:1@" D64);
    assert_null(oci_ref_rehost("Bad Image", "r", &err));
    assert_non_null(strstr(err.msg, "Bad Image"));
    cap_err_clear(&err);
}

struct chcase {
    const char *in;
    const char *scheme, *realm, *service, *scope; /* scheme NULL: must fail */
};

static const struct chcase challenges[] = {
    {"Bearer realm=\"https://auth.docker.io/token\",service=\"registry.docker.io\",scope=\"repository:library/nginx:pull\"",
     "bearer", "https://auth.docker.io/token", "registry.docker.io", "repository:library/nginx:pull"},
    {"Basic realm=\"capstan-test\"", "basic", "capstan-test", NULL, NULL},
    {"bearer service=\"s\",  realm=\"r\"", "bearer", "r", "s", NULL},
    {"BEARER Realm=\"r\", Service=\"s\", Scope=\"repository:a/b:pull,push\"", "bearer", "r", "s",
     "repository:a/b:pull,push"},
    {"Bearer realm=\"a\\\"b\"", "bearer", "a\"b", NULL, NULL},
    {"Bearer realm=http://127.0.0.1:1/token,service=reg", "bearer", "http://127.0.0.1:1/token", "reg", NULL},
    {"Bearer realm=\"r\",error=\"insufficient_scope\",scope=\"x\"", "bearer", "r", NULL, "x"},
    {"  Bearer   realm=\"r\"  ", "bearer", "r", NULL, NULL},
    {"Basic realm=\"x\", Bearer realm=\"y\"", "basic", "x", NULL, NULL},
    {"Negotiate", "negotiate", NULL, NULL, NULL},
    {"", NULL, NULL, NULL, NULL},
    {"Bearer realm=\"unterminated", NULL, NULL, NULL, NULL},
    {"Bearer =x", NULL, NULL, NULL, NULL},
};

static void www_authenticate(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof challenges / sizeof *challenges; i++) {
        const struct chcase *c = &challenges[i];
        oci_challenge ch;
        cap_err err = CAP_ERR_INIT;
        int rc = oci_challenge_parse(c->in, &ch, &err);
        if (!c->scheme) {
            if (rc != -1 || !err.msg || !strstr(err.msg, "WWW-Authenticate"))
                fail_msg("[%s]: want an error, got rc %d (%s)", c->in, rc, err.msg ? err.msg : "");
            cap_err_clear(&err);
            continue;
        }
        if (rc != 0)
            fail_msg("[%s]: %s", c->in, err.msg);
        eq_or_null(ch.scheme, c->scheme, "scheme", c->in);
        eq_or_null(ch.realm, c->realm, "realm", c->in);
        eq_or_null(ch.service, c->service, "service", c->in);
        eq_or_null(ch.scope, c->scope, "scope", c->in);
        oci_challenge_release(&ch);
    }
}

static void registry_config(void **state)
{
    (void)state;
    char dir[] = "/tmp/capstan-oci-cfg.XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[256], cmd[300];
    snprintf(path, sizeof path, "%s/sub/config.json", dir);
    cap_err err = CAP_ERR_INIT;
    char *u = NULL, *p = NULL;
    assert_int_equal(oci_registry_config_lookup(path, "h:1", &u, &p, &err), 0); /* no file: nothing */
    assert_int_equal(oci_registry_config_store(path, "h:1", "bob", "pw:with:colons", &err), 0);
    assert_int_equal(oci_registry_config_store(path, "other.io", "al", "x", &err), 0);
    assert_int_equal(oci_registry_config_lookup(path, "h:1", &u, &p, &err), 1);
    assert_string_equal(u, "bob");
    assert_string_equal(p, "pw:with:colons");
    free(u);
    free(p);
    FILE *f = fopen(path, "r");
    char buf[512] = {0};
    assert_non_null(f);
    assert_true(fread(buf, 1, sizeof buf - 1, f) > 0);
    fclose(f);
    assert_string_equal(buf, "{\n\t\"auths\": {\n\t\t\"h:1\": {\n\t\t\t\"auth\": \"Ym9iOnB3OndpdGg6Y29sb25z\"\n\t\t},\n"
                             "\t\t\"other.io\": {\n\t\t\t\"auth\": \"YWw6eA==\"\n\t\t}\n\t}\n}");
    assert_int_equal(oci_registry_config_remove(path, "h:1", &err), 0);
    assert_int_equal(oci_registry_config_lookup(path, "h:1", &u, &p, &err), 0);
    assert_int_equal(oci_registry_config_remove(path, "h:1", &err), -1);
    assert_non_null(strstr(err.msg, "not logged in to h:1"));
    cap_err_clear(&err);
    /* docker's forms: https:// keys, username/password fields, docker.io's index */
    f = fopen(path, "w");
    fputs("{\"auths\":{\"https://q.io\":{\"username\":\"u1\",\"password\":\"p1\"},"
          "\"https://index.docker.io/v1/\":{\"auth\":\"ZDpw\"},\"bad.io\":{\"auth\":\"!!\"}}}", f);
    fclose(f);
    assert_int_equal(oci_registry_config_lookup(path, "q.io", &u, &p, &err), 1);
    assert_string_equal(u, "u1");
    free(u);
    free(p);
    assert_int_equal(oci_registry_config_lookup(path, "docker.io", &u, &p, &err), 1);
    assert_string_equal(u, "d");
    assert_string_equal(p, "p");
    free(u);
    free(p);
    assert_int_equal(oci_registry_config_lookup(path, "bad.io", &u, &p, &err), -1);
    assert_non_null(strstr(err.msg, "base64"));
    cap_err_clear(&err);
    f = fopen(path, "w");
    fputs("{not json", f);
    fclose(f);
    assert_int_equal(oci_registry_config_lookup(path, "q.io", &u, &p, &err), -1);
    assert_non_null(strstr(err.msg ? err.msg : "", "invalid character"));
    cap_err_clear(&err);
    snprintf(cmd, sizeof cmd, "rm -rf %s", dir);
    assert_int_equal(system(cmd), 0);
}

static void config_path(void **state)
{
    (void)state;
    setenv("HELM_REGISTRY_CONFIG", "/x/y.json", 1);
    char *p = oci_registry_config_path();
    assert_string_equal(p, "/x/y.json");
    free(p);
    unsetenv("HELM_REGISTRY_CONFIG");
    setenv("HELM_CONFIG_HOME", "/hc", 1);
    p = oci_registry_config_path();
    assert_string_equal(p, "/hc/registry/config.json");
    free(p);
    unsetenv("HELM_CONFIG_HOME");
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    p = oci_registry_config_path();
    assert_string_equal(p, "/xdg/helm/registry/config.json");
    free(p);
    unsetenv("XDG_CONFIG_HOME");
    setenv("HOME", "/home/z", 1);
    p = oci_registry_config_path();
    assert_string_equal(p, "/home/z/.config/helm/registry/config.json");
    free(p);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(parse_cases),
    cmocka_unit_test(long_names),
    cmocka_unit_test(formatting),
    cmocka_unit_test(rehost),
    cmocka_unit_test(www_authenticate),
    cmocka_unit_test(registry_config),
    cmocka_unit_test(config_path),
};

UNIT_MAIN(tests)
