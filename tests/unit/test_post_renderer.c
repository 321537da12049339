/* test_post_renderer.c — Helm 4's --post-renderer plugins (renderer/post_renderer.c):
 * found by name and type in HELM_PLUGINS, broken or other plugins skipped,
 * duplicates refused, the command chosen for this platform and expanded, the
 * manifests piped through it, and helm's messages when it fails (checked
 * against helm v4.1.4 by hand: "plugin: {Name:x Type:postrenderer/v1} not
 * found", "... exited with error", "... produced empty output"). */
#include "unit.h"

#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capstan.h"

static char root[64];

static void put(const char *rel, const char *text, mode_t mode)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    char *slash = strrchr(path, '/');
    *slash = 0;
    mkdir(path, 0755);
    *slash = '/';
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    chmod(path, mode);
}

#define V1(name, type, version, cmds)                                                                         \
    "apiVersion: v1\nname: " name "\ntype: " type "\nruntime: subprocess\nversion: " version                 \
    "\nruntimeConfig:\n  platformCommand:\n" cmds

static int setup(void **state)
{
    (void)state;
    snprintf(root, sizeof root, "/tmp/capstan-plugins-XXXXXX");
    assert_non_null(mkdtemp(root));
    put("a-echo/plugin.yaml",
        V1("echo", "postrenderer/v1", "0.1.0", "  - command: ${HELM_PLUGIN_DIR}/run.sh\n    args: [\"--tag\", \"$HELM_PLUGIN_NAME\"]\n"),
        0644);
    put("a-echo/run.sh", "#!/bin/sh\necho \"# args: $*\"\ncat\n", 0755);
    put("b-platform/plugin.yaml",
        V1("platform", "postrenderer/v1", "1.2.3-rc.1+b",
           "  - os: windows\n    command: sh\n    args: [\"-c\", \"echo windows\"]\n"
           "  - os: linux\n    command: sh\n    args: [\"-c\", \"echo linux; cat\"]\n"
           "  - command: sh\n    args: [\"-c\", \"echo any\"]\n"),
        0644);
    put("c-cli/plugin.yaml", V1("cli", "cli/v1", "1.0.0", "  - command: true\n"), 0644);
    put("d-badversion/plugin.yaml", V1("badversion", "postrenderer/v1", "1.0", "  - command: cat\n"), 0644);
    put("e-unknownfield/plugin.yaml",
        "apiVersion: v1\nname: unknownfield\ntype: postrenderer/v1\nruntime: subprocess\nversion: 1.0.0\nextra: 1\n",
        0644);
    put("f-fails/plugin.yaml", V1("fails", "postrenderer/v1", "0.1.0", "  - command: sh\n    args: [\"-c\", \"exit 3\"]\n"),
        0644);
    put("g-empty/plugin.yaml",
        V1("empty", "postrenderer/v1", "0.1.0", "  - command: sh\n    args: [\"-c\", \"cat >/dev/null; echo\"]\n"), 0644);
    put("h-legacy/plugin.yaml", "name: legacy\nversion: 1.0.0\ncommand: cat\n", 0644);
    setenv("HELM_PLUGINS", root, 1);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf %s", root);
    return system(cmd) == 0 ? 0 : -1;
}

static char *run(const char *name, const char *const *args, size_t nargs, const char *in, char **errmsg)
{
    capstan_post_renderer *pr;
    capstan_error e = {0};
    if (capstan_post_renderer_find(name, args, nargs, &pr, &e) != 0) {
        *errmsg = strdup(e.msg);
        capstan_error_clear(&e);
        return NULL;
    }
    size_t n;
    char *out = capstan_post_renderer_run(pr, in, strlen(in), &n, errmsg);
    capstan_post_renderer_free(pr);
    return out;
}

static void test_found_and_run(void **state)
{
    (void)state;
    const char *args[] = {"a b", "c"};
    char *msg = NULL;
    char *out = run("echo", args, 2, "kind: X\n", &msg);
    assert_non_null(out);
    assert_string_equal(out, "# args: --tag echo a b c\nkind: X\n");
    free(out);
    out = run("platform", NULL, 0, "kind: Y\n", &msg);
    assert_non_null(out);
    assert_string_equal(out, "linux\nkind: Y\n");
    free(out);
}

static void test_not_found(void **state)
{
    (void)state;
    const char *names[] = {"nope", "cli", "badversion", "unknownfield", "legacy"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++) {
        char *msg = NULL;
        assert_null(run(names[i], NULL, 0, "x", &msg));
        char want[128];
        snprintf(want, sizeof want, "plugin: {Name:%s Type:postrenderer/v1} not found", names[i]);
        assert_string_equal(msg, want);
        free(msg);
    }
}

static void test_failures(void **state)
{
    (void)state;
    char *msg = NULL;
    assert_null(run("fails", NULL, 0, "kind: X\n", &msg));
    assert_string_equal(msg, "failed to invoke post-renderer plugin \"fails\": plugin \"fails\" exited with error");
    free(msg);
    assert_null(run("empty", NULL, 0, "kind: X\n", &msg));
    assert_string_equal(msg, "post-renderer \"empty\" produced empty output");
    free(msg);
}

static void test_duplicates(void **state)
{
    (void)state;
    put("z-echo-again/plugin.yaml", V1("echo", "cli/v1", "1.0.0", "  - command: true\n"), 0644);
    char *msg = NULL;
    assert_null(run("echo", NULL, 0, "x", &msg));
    assert_non_null(strstr(msg, "two plugins claim the name \"echo\""));
    free(msg);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test_setup_teardown(test_found_and_run, setup, teardown),
    cmocka_unit_test_setup_teardown(test_not_found, setup, teardown),
    cmocka_unit_test_setup_teardown(test_failures, setup, teardown),
    cmocka_unit_test_setup_teardown(test_duplicates, setup, teardown),
};

UNIT_MAIN(tests)
