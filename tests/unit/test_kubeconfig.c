/* test_kubeconfig.c — finding the cluster as kubectl does: merging, contexts,
 * relative paths, inline data, exec plugins, in-cluster, and bad input. */
#include "unit.h"
#include "installer/kube/kubeconfig.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[] = "/tmp/capstan-kc-XXXXXX";

static const char *put(const char *name, const char *text)
{
    static char path[4][512];
    static int k;
    char *p = path[k++ % 4];
    snprintf(p, 512, "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    fputs(text, f);
    fclose(f);
    return p;
}

static int setup(void **state)
{
    if (!mkdtemp(dir))
        return -1;
    return 0;
}

static int teardown(void **state)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    return system(cmd) == 0 ? 0 : -1;
}

#define KC_A                                                                   \
    "apiVersion: v1\nkind: Config\ncurrent-context: a\n"                       \
    "clusters:\n- name: ca\n  cluster:\n    server: https://127.0.0.1:6443\n"  \
    "    certificate-authority: ca.crt\n"                                      \
    "users:\n- name: ua\n  user:\n    token: tok-a\n"                          \
    "contexts:\n- name: a\n  context:\n    cluster: ca\n    user: ua\n    namespace: team\n"

#define KC_B                                                                   \
    "apiVersion: v1\nkind: Config\ncurrent-context: b\n"                       \
    "clusters:\n- name: ca\n  cluster:\n    server: https://10.0.0.1\n"        \
    "- name: cb\n  cluster:\n    server: https://b.example:443\n"              \
    "    certificate-authority-data: UEVN\n    insecure-skip-tls-verify: true\n" \
    "users:\n- name: ub\n  user:\n    username: bob\n    password: pw\n"       \
    "contexts:\n- name: b\n  context:\n    cluster: cb\n    user: ub\n"

static void explicit_file_and_relative_ca(void **state)
{
    const char *a = put("a.yaml", KC_A);
    kube_config_opts o = {.kubeconfig = a};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_string_equal(kc->conn.server, "https://127.0.0.1:6443");
    assert_string_equal(kc->conn.token, "tok-a");
    assert_string_equal(kc->namespace, "team");
    char want[600];
    snprintf(want, sizeof want, "%s/ca.crt", dir);
    assert_string_equal(kc->conn.ca_file, want);
    kube_config_free(kc);
}

static void kubeconfig_list_merges_first_wins(void **state)
{
    const char *a = put("a.yaml", KC_A), *b = put("b.yaml", KC_B);
    char list[1100];
    snprintf(list, sizeof list, "%s:%s/missing.yaml:%s", a, dir, b);
    kube_config_opts o = {.env_kubeconfig = list};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_string_equal(kc->context, "a");               /* current-context of the first file */
    assert_string_equal(kc->conn.server, "https://127.0.0.1:6443"); /* cluster "ca" from the first file */
    kube_config_free(kc);
    o.context = "b";
    o.namespace = "override";
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_string_equal(kc->conn.server, "https://b.example:443");
    assert_int_equal(kc->conn.ca_pem_len, 3);
    assert_memory_equal(kc->conn.ca_pem, "PEM", 3);
    assert_true(kc->conn.insecure);
    assert_string_equal(kc->conn.username, "bob");
    assert_string_equal(kc->namespace, "override");
    kube_config_free(kc);
}

static void missing_context_is_an_error(void **state)
{
    const char *a = put("a.yaml", KC_A);
    kube_config_opts o = {.kubeconfig = a, .context = "nope"};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), -1);
    /* helm's words, without the file (helm names none) */
    assert_string_equal(err.msg, "kubernetes cluster unreachable: context \"nope\" does not exist");
    assert_null(err.file);
    cap_err_clear(&err);
}

static void bad_yaml_names_file_and_line(void **state)
{
    const char *bad = put("bad.yaml", "apiVersion: v1\nclusters:\n- name: x\n  cluster: [\n");
    kube_config_opts o = {.kubeconfig = bad};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), -1);
    assert_string_equal(err.file, bad);
    assert_true(err.line > 0);
    cap_err_clear(&err);
}

static void unreadable_explicit_file(void **state)
{
    kube_config_opts o = {.kubeconfig = "/nonexistent/kubeconfig"};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), -1);
    assert_string_equal(err.msg, "kubernetes cluster unreachable: stat /nonexistent/kubeconfig: no such file or directory");
    cap_err_clear(&err);
}

static void bad_base64_names_key(void **state)
{
    const char *f = put("b64.yaml",
                        "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://h\n"
                        "    certificate-authority-data: '!!!'\ncontexts:\n- name: x\n  context:\n    cluster: c\n");
    kube_config_opts o = {.kubeconfig = f};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), -1);
    assert_string_equal(err.key, "certificate-authority-data");
    cap_err_clear(&err);
}

static void nothing_found_and_in_cluster(void **state)
{
    kube_config_opts o = {.env_home = dir};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), -1);
    assert_non_null(strstr(err.msg, "no kubeconfig found"));
    cap_err_clear(&err);
    char sa[600];
    snprintf(sa, sizeof sa, "%s/sa", dir);
    mkdir(sa, 0700);
    put("sa/token", "satoken\n");
    put("sa/namespace", "jenkins\n");
    o.env_service_host = "10.96.0.1";
    o.env_service_port = "443";
    o.serviceaccount_dir = sa;
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_string_equal(kc->conn.server, "https://10.96.0.1:443");
    assert_string_equal(kc->namespace, "jenkins");
    kube_config_free(kc);
}

static void exec_plugin_gives_a_token(void **state)
{
    const char *plugin = put("plugin.sh",
                             "#!/bin/sh\n"
                             "case \"$KUBERNETES_EXEC_INFO\" in *ExecCredential*) ;; *) echo no-info >&2; exit 3;; esac\n"
                             "echo '{\"apiVersion\":\"client.authentication.k8s.io/v1\",\"kind\":\"ExecCredential\","
                             "\"status\":{\"token\":\"'\"$1-$MYVAR\"'\"}}'\n");
    chmod(plugin, 0755);
    const char *f = put("exec.yaml",
                        "current-context: x\nclusters:\n- name: c\n  cluster:\n    server: https://h\n"
                        "users:\n- name: u\n  user:\n    exec:\n      apiVersion: client.authentication.k8s.io/v1\n"
                        "      command: ./plugin.sh\n      args: [arg1]\n      env:\n      - name: MYVAR\n        value: v\n"
                        "contexts:\n- name: x\n  context:\n    cluster: c\n    user: u\n");
    kube_config_opts o = {.kubeconfig = f};
    kube_config *kc;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_true(kc->has_exec);
    assert_int_equal(kube_config_run_exec(kc, &err), 0);
    assert_string_equal(kc->conn.token, "arg1-v");
    kube_config_free(kc);
    /* a failing plugin: its stderr in the message */
    put("plugin.sh", "#!/bin/sh\necho 'login expired' >&2\nexit 1\n");
    assert_int_equal(kube_config_load(&o, &kc, &err), 0);
    assert_int_equal(kube_config_run_exec(kc, &err), -1);
    assert_non_null(strstr(err.msg, "login expired"));
    cap_err_clear(&err);
    kube_config_free(kc);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(explicit_file_and_relative_ca),
    cmocka_unit_test(kubeconfig_list_merges_first_wins),
    cmocka_unit_test(missing_context_is_an_error),
    cmocka_unit_test(bad_yaml_names_file_and_line),
    cmocka_unit_test(unreadable_explicit_file),
    cmocka_unit_test(bad_base64_names_key),
    cmocka_unit_test(nothing_found_and_in_cluster),
    cmocka_unit_test(exec_plugin_gives_a_token),
};

int main(void)
{
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, setup, teardown);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
