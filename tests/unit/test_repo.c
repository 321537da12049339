/* test_repo.c — index.yaml parsing, helm's version choice, URL rules and
 * helm's Chart.lock digest. Expected versions and the digest were produced by
 * helm v4.1.4 (`helm dependency update` on the same index). */
#include "unit.h"
#include "installer/net/dep_resolve.h"
#include "core/fsutil.h"
#include "installer/net/http_client.h"
#include "installer/net/repo.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <string.h>

static const char *const alpha_versions[] = {
    "0.0.1", "0.0.3", "0.0.4", "0.1.0", "0.1.5", "0.2.0", "1.0.0", "1.0.1", "1.2.0", "1.2.3", "1.2.9-rc.1",
    "1.2.10", "1.3.0", "1.3.1-alpha.1", "v1.4.0", "2.0.0-beta.1", "2.0.0-beta.2", "2.0.0", "2.1.0", "3.0.0-rc.1",
    "10.0.0",
};

/* constraint -> what helm v4.1.4 locked */
static const struct { const char *c, *want; } choices[] = {
    {"~1.2.0", "1.2.10"}, {"^1.2", "v1.4.0"}, {">=1.0 <2.0", "v1.4.0"}, {"1.x", "v1.4.0"},
    {">1.0.0-0", "10.0.0"}, {"*", "10.0.0"}, {"1.0.1", "1.0.1"}, {"=1.2.3", "1.2.3"}, {"v1.2.3", "1.2.3"},
    {"1.2", "1.2.10"}, {"~0.1", "0.1.5"}, {"^0.0.3", "0.0.3"}, {"^0.1.0", "0.1.5"}, {"^0", "0.2.0"},
    {"~1", "v1.4.0"}, {"2.x", "2.1.0"}, {"<2.0.0", "v1.4.0"}, {"<=1.2.3", "1.2.3"}, {"!=10.0.0", "2.1.0"},
    {">= 1.0, < 1.3", "1.2.10"}, {"1.0 - 1.2", "1.2.10"}, {">0.1.0 <0.2.0 || >=3", "10.0.0"},
    {">=1.2.9-rc.0", "10.0.0"}, {"~1.2.9-rc.0", "1.2.10"}, {"1.2.9-rc.1", "1.2.9-rc.1"},
    {"^2.0.0-beta.0", "2.1.0"}, {"~2.0.0-0", "2.0.0"}, {">=0.0.0-0", "10.0.0"}, {">1.3.0-alpha", "10.0.0"},
    {"^1.3.1-alpha.0", "v1.4.0"}, {">=2.0.0-beta.1 <2.0.0", "2.0.0-beta.2"}, {"^1.4", "v1.4.0"},
    {">1.3.0", "10.0.0"}, {"~0.0", "0.0.4"}, {"^10", "10.0.0"}, {">=1.2.10 <1.3.0", "1.2.10"},
    {"1.2.x", "1.2.10"}, {"~1.2", "1.2.10"}, {"<1.0.0", "0.2.0"}, {"0.1.5 || 0.2.0", "0.2.0"},
    {">=1.0.0-0 <1.0.1", "1.0.0"}, {"~2.0.0-beta.1", "2.0.0"}, {"^3.0.0-0", "3.0.0-rc.1"},
    {">2.1.0-0", "10.0.0"}, {"1.4.0", "v1.4.0"}, {">=v1.4", "10.0.0"}, {"~v1.3", "1.3.0"},
};

static char *make_index(void)
{
    strbuf b = STRBUF_INIT;
    sb_adds(&b, "apiVersion: v1\nentries:\n  alpha:\n");
    /* listed in a scrambled order: the parser sorts */
    size_t n = sizeof alpha_versions / sizeof *alpha_versions;
    for (size_t k = 0; k < n; k++) {
        const char *v = alpha_versions[(k * 5) % n];
        sb_addf(&b, "  - name: alpha\n    version: %s\n    digest: d%zu\n    urls:\n    - charts/alpha-%s.tgz\n", v, k, v);
    }
    sb_adds(&b, "  broken:\n  - name: broken\n    version: not-a-version\n    urls: [x.tgz]\n"
                "  - name: broken\n    version: 1.0.0\n    urls: [y.tgz]\n"
                "  nourl:\n  - name: nourl\n    version: 2.0.0\n  - name: nourl\n    version: 1.0.0\n    urls: [z.tgz]\n"
                "  numeric:\n  - name: numeric\n    version: 1.10\n    urls: [n.tgz]\n"
                "generated: \"2024-01-01T00:00:00Z\"\n");
    return sb_detach(&b, NULL);
}

static repo_index *parse_made_index(arena *a)
{
    char *text = make_index();
    repo_index *ix;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(repo_index_parse(a, text, strlen(text), "index.yaml", &ix, &err), 0);
    free(text);
    return ix;
}

static void choices_match_helm(void **state)
{
    (void)state;
    arena *a = arena_new();
    repo_index *ix = parse_made_index(a);
    const repo_index_entry *e = repo_index_find(ix, "alpha");
    assert_non_null(e);
    assert_int_equal(e->n, sizeof alpha_versions / sizeof *alpha_versions);
    assert_string_equal(e->versions[0].version, "10.0.0");
    for (size_t i = 1; i < e->n; i++)
        assert_true(semver_compare(&e->versions[i - 1].sv, &e->versions[i].sv) > 0);
    for (size_t i = 0; i < sizeof choices / sizeof *choices; i++) {
        const char *why = NULL;
        const repo_chart_version *v = repo_index_best(a, e, choices[i].c, true, false, &why);
        if (!v || strcmp(v->version, choices[i].want) != 0)
            fail_msg("%s: chose %s, helm chose %s (%s)", choices[i].c, v ? v->version : "nothing", choices[i].want,
                     why ? why : "");
    }
    arena_free(a);
}

static void index_details(void **state)
{
    (void)state;
    arena *a = arena_new();
    repo_index *ix = parse_made_index(a);
    /* an entry with a bad version is skipped, as helm skips it */
    const repo_index_entry *b = repo_index_find(ix, "broken");
    assert_int_equal(b->n, 1);
    assert_string_equal(b->versions[0].version, "1.0.0");
    /* versions without URLs are not chosen for dependencies, but pull (IndexFile.Get) sees them */
    const char *why;
    const repo_index_entry *nu = repo_index_find(ix, "nourl");
    assert_string_equal(repo_index_best(a, nu, "*", true, false, &why)->version, "1.0.0");
    assert_string_equal(repo_index_best(a, nu, "", false, false, &why)->version, "2.0.0");
    /* a YAML float version is read as Go's string field reads it */
    assert_string_equal(repo_index_find(ix, "numeric")->versions[0].version, "1.1");
    /* exact_first: the version string itself wins (helm pull --version) */
    const repo_index_entry *e = repo_index_find(ix, "alpha");
    assert_string_equal(repo_index_best(a, e, "v1.4.0", true, true, &why)->version, "v1.4.0");
    assert_null(repo_index_best(a, e, "^11", true, false, &why));
    assert_string_equal(why, "no chart version found for alpha-^11");
    assert_null(repo_index_best(a, e, "bogus!", true, false, &why));
    assert_null(repo_index_find(ix, "nope"));
    arena_free(a);
}

static void index_errors(void **state)
{
    (void)state;
    arena *a = arena_new();
    repo_index *ix;
    cap_err err = CAP_ERR_INIT;
    assert_int_equal(repo_index_parse(a, "", 0, "i.yaml", &ix, &err), -1);
    assert_string_equal(err.msg, "empty index.yaml file");
    cap_err_clear(&err);
    const char *noapi = "entries: {}\n";
    assert_int_equal(repo_index_parse(a, noapi, strlen(noapi), "i.yaml", &ix, &err), -1);
    assert_string_equal(err.msg, "no API version specified");
    cap_err_clear(&err);
    const char *bad = "apiVersion: v1\nentries:\n  a:\n  - name: a\n    version: [1\n";
    assert_int_equal(repo_index_parse(a, bad, strlen(bad), "i.yaml", &ix, &err), -1);
    assert_string_equal(err.file, "i.yaml");
    assert_true(err.line >= 5);
    cap_err_clear(&err);
    const char *json = "{\"apiVersion\":\"v1\",\"entries\":{\"a\":[{\"name\":\"a\",\"version\":\"1.0.0\",\"urls\":[\"a.tgz\"]}]}}";
    assert_int_equal(repo_index_parse(a, json, strlen(json), "i.json", &ix, &err), 0);
    assert_int_equal(repo_index_find(ix, "a")->n, 1);
    arena_free(a);
}

static void urls(void **state)
{
    (void)state;
    static const struct { const char *base, *ref, *want; } cases[] = {
        {"https://h/repo", "charts/a-1.0.0.tgz", "https://h/repo/charts/a-1.0.0.tgz"},
        {"https://h/repo/", "a.tgz", "https://h/repo/a.tgz"},
        {"https://h", "a.tgz", "https://h/a.tgz"},
        {"https://h/repo", "/abs/a.tgz", "https://h/abs/a.tgz"},
        {"https://h/repo/sub", "../x.tgz", "https://h/repo/x.tgz"},
        {"https://h/repo", "https://cdn/x.tgz", "https://cdn/x.tgz"},
        {"https://h/repo?token=1", "a.tgz", "https://h/repo/a.tgz?token=1"},
        {"http://h:8080/a/b", "./c/./d.tgz", "http://h:8080/a/b/c/d.tgz"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = repo_resolve_url(cases[i].base, cases[i].ref);
        if (strcmp(got, cases[i].want) != 0)
            fail_msg("%s + %s: %s, want %s", cases[i].base, cases[i].ref, got, cases[i].want);
        free(got);
    }
    assert_true(http_same_origin("https://h/x", "https://h:443/y"));
    assert_true(http_same_origin("http://u:p@h:80/x", "http://h/y"));
    assert_false(http_same_origin("https://h/x", "http://h/x"));
    assert_false(http_same_origin("https://h:8443/x", "https://h/x"));
    assert_false(http_same_origin("https://h/x", "https://g/x"));
    assert_true(repo_url_equal("https://h/charts/", "https://h/charts"));
    assert_true(repo_url_equal("https://h", "https://h/"));
    assert_false(repo_url_equal("https://h/a", "https://h/b"));
    char *r = http_resolve_url("https://h/a/b/c", "../../d");
    assert_string_equal(r, "https://h/d");
    free(r);
}

static void lock_digest(void **state)
{
    (void)state;
    /* helm v4.1.4 wrote this digest for these dependencies */
    const char *req = "[{\"name\":\"alpha\",\"version\":\"~1.2.0\",\"repository\":\"http://127.0.0.1:18089\"},"
                      "{\"name\":\"beta\",\"version\":\"^0.0.3\",\"repository\":\"http://127.0.0.1:18089\",\"alias\":\"b2\"},"
                      "{\"name\":\"sub\",\"version\":\">=0.1.0\",\"repository\":\"file://./sub\"}]";
    const char *lock = "[{\"name\":\"alpha\",\"version\":\"1.2.3\",\"repository\":\"http://127.0.0.1:18089\"},"
                       "{\"name\":\"beta\",\"version\":\"0.0.3\",\"repository\":\"http://127.0.0.1:18089\"},"
                       "{\"name\":\"sub\",\"version\":\"0.3.0\",\"repository\":\"file://./sub\"}]";
    char out[72];
    /* Go's json.Marshal escapes < > & as \u003c \u003e \u0026 */
    strbuf r = STRBUF_INIT;
    for (const char *p = req; *p; p++)
        if (*p == '>')
            sb_adds(&r, "\\u003e");
        else
            sb_addc(&r, *p);
    dep_hash_req(r.buf, lock, out);
    assert_string_equal(out, "sha256:ca9b8db5876a706541382a9e2be6b773ddeb8cb75ef82d4c26c7a31668330898");
    sb_release(&r);
}

static void repo_paths(void **state)
{
    (void)state;
    setenv("HELM_REPOSITORY_CONFIG", "/x/r.yaml", 1);
    char *p = repo_config_path();
    assert_string_equal(p, "/x/r.yaml");
    free(p);
    unsetenv("HELM_REPOSITORY_CONFIG");
    setenv("HELM_CONFIG_HOME", "/cfg", 1);
    p = repo_config_path();
    assert_string_equal(p, "/cfg/repositories.yaml");
    free(p);
    unsetenv("HELM_CONFIG_HOME");
    setenv("XDG_CONFIG_HOME", "/xdg", 1);
    p = repo_config_path();
    assert_string_equal(p, "/xdg/helm/repositories.yaml");
    free(p);
    unsetenv("HELM_REPOSITORY_CACHE");
    setenv("HELM_CACHE_HOME", "/cache", 1);
    p = repo_cache_dir();
    assert_string_equal(p, "/cache/repository");
    char *ip = repo_cache_index_path(p, "stable");
    assert_string_equal(ip, "/cache/repository/stable-index.yaml");
    free(ip);
    ip = repo_cache_charts_path(p, "stable");
    assert_string_equal(ip, "/cache/repository/stable-charts.txt");
    free(ip);
    free(p);
}

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

/* dep_ensure (for bundles): a lock-less chart whose charts/ already satisfies
 * Chart.yaml needs nothing, not even the (dead) repository. */
static void ensure_without_network(void **state)
{
    (void)state;
    char tmpl[] = "/tmp/capstan-test-repo-XXXXXX";
    assert_non_null(mkdtemp(tmpl));
    char p[512];
    snprintf(p, sizeof p, "%s/rc", tmpl);
    setenv("HELM_REPOSITORY_CONFIG", p, 1);
    snprintf(p, sizeof p, "%s/cache", tmpl);
    setenv("HELM_REPOSITORY_CACHE", p, 1);
    snprintf(p, sizeof p, "%s/Chart.yaml", tmpl);
    write_text(p, "apiVersion: v2\nname: top\nversion: 1.0.0\ndependencies:\n"
                  "- name: sub\n  version: ~1.2.0\n  repository: http://127.0.0.1:1/dead\n");
    snprintf(p, sizeof p, "%s/charts", tmpl);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/charts/sub", tmpl);
    mkdir(p, 0755);
    snprintf(p, sizeof p, "%s/charts/sub/Chart.yaml", tmpl);
    write_text(p, "apiVersion: v2\nname: sub\nversion: 1.2.7\n");
    cap_err err = CAP_ERR_INIT;
    dep_opts o = {0};
    if (dep_ensure(tmpl, &o, &err) != 0)
        fail_msg("dep_ensure: %s", err.msg);
    /* the wrong version in charts/: now it must resolve, and the dead repository fails it */
    write_text(p, "apiVersion: v2\nname: sub\nversion: 1.3.0\n");
    o.offline = true;
    assert_int_equal(dep_ensure(tmpl, &o, &err), -1);
    assert_non_null(err.msg);
    cap_err_clear(&err);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", tmpl);
    assert_int_equal(system(cmd), 0);
    unsetenv("HELM_REPOSITORY_CONFIG");
    unsetenv("HELM_REPOSITORY_CACHE");
}

static void clean_paths(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"e/../nothere", "nothere"}, {"a/b/../c/./", "a/c"}, {"/x/../../y", "/y"}, {"../a/../../b", "../../b"},
        {"./", "."}, {"//a//b/", "/a/b"}, {"a/..", "."},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char *got = fsu_clean(cases[i][0]);
        if (strcmp(got, cases[i][1]) != 0)
            fail_msg("%s: %s, want %s", cases[i][0], got, cases[i][1]);
        free(got);
    }
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(clean_paths),
    cmocka_unit_test(ensure_without_network),
    cmocka_unit_test(choices_match_helm),
    cmocka_unit_test(index_details),
    cmocka_unit_test(index_errors),
    cmocka_unit_test(urls),
    cmocka_unit_test(lock_digest),
    cmocka_unit_test(repo_paths),
};

UNIT_MAIN(tests)
