/* test_go_template.c — helm's --template flags without a cluster: `version --template`
 * over version.BuildInfo and `get all --template` over a release record, with the
 * outputs and errors helm 4.1.4 gives for the same templates (recorded by hand from
 * `helm version --template` and `helm get all --template` on a release like REC). */
#include "unit.h"

#include <stdlib.h>
#include <string.h>

#include "capstan.h"
#include "core/json.h"
#include "installer/release/get_template.h"

static void version_is(const char *text, int rc, const char *out, const char *msg)
{
    char *o = NULL;
    capstan_error e = {0};
    assert_int_equal(capstan_version_template(text, &o, &e), rc);
    assert_string_equal(o, out);
    if (msg)
        assert_string_equal(e.msg, msg);
    free(o);
    capstan_error_clear(&e);
}

static void test_version(void **state)
{
    (void)state;
    version_is("{{ if .Version }}yes{{ end }} {{ .KubeClientVersion }} {{ printf \"%T\" . }}", 0,
               "yes v1.35 version.BuildInfo", NULL);
    version_is("{{ .GitCommit }}|{{ .GoVersion }}|{{ .Version | printf \"%.1s\" }}", 0, "||v", NULL);
    version_is("a{{ .Nope }}", -1, "a",
               "template: _:1:4: executing \"_\" at <.Nope>: can't evaluate field Nope in type version.BuildInfo");
    version_is("{{ upper .Version }}", -1, "", "template: _:1: function \"upper\" not defined");
    version_is("{{ .Version", -1, "", "template: _:1: unclosed action");
    version_is("{{ index . \"x\" }}", -1, "",
               "template: _:1:3: executing \"_\" at <index . \"x\">: error calling index: can't index item of type "
               "version.BuildInfo");
}

static const char REC[] =
    "{\"name\":\"gt\",\"namespace\":\"ns\",\"version\":2,"
    "\"info\":{\"first_deployed\":\"2026-12-07T09:30:03.754155812Z\",\"last_deployed\":\"2026-12-07T09:31:00+01:00\","
    "\"description\":\"Upgrade complete\",\"status\":\"deployed\",\"notes\":\"hi\"},"
    "\"chart\":{\"metadata\":{\"name\":\"mychart\",\"version\":\"0.1.0\",\"apiVersion\":\"v2\"},"
    "\"templates\":[{\"name\":\"templates/a.yaml\",\"data\":\"\"}],\"values\":{\"image\":{\"repository\":\"nginx\"}}},"
    "\"config\":{\"replicaCount\":2},\"manifest\":\"---\\nkind: A\\n\","
    "\"hooks\":[{\"name\":\"t\",\"kind\":\"Pod\",\"path\":\"mychart/templates/t.yaml\",\"events\":[\"test\"],"
    "\"last_run\":{\"phase\":\"Succeeded\"}}]}";

static void get_is(const char *text, int rc, const char *out, const char *msg)
{
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    cval *rel = NULL, *labels = NULL;
    assert_int_equal(json_parse(a, REC, strlen(REC), "rec", &rel, &e), 0);
    assert_int_equal(json_parse(a, "{\"owner\":\"helm\"}", 16, "labels", &labels, &e), 0);
    strbuf sb = STRBUF_INIT;
    assert_int_equal(get_all_template(a, rel, labels, text, &sb, &e), rc);
    assert_string_equal(sb_str(&sb), out);
    if (msg)
        assert_string_equal(e.msg, msg);
    sb_release(&sb);
    cap_err_clear(&e);
    arena_free(a);
}

static void test_get_all(void **state)
{
    (void)state;
    get_is("{{.Release.Name}} {{.Release.Version}} {{.Release.Namespace}} {{.Release.Info.Status}} "
           "{{.Release.Chart.Metadata.Name}} {{.Release.Config.replicaCount}} {{.Release.Labels.owner}}",
           0, "gt 2 ns deployed mychart 2 helm", NULL);
    get_is("{{ .Release.Info.FirstDeployed }}|{{ .Release.Info.LastDeployed }}|{{ .Release.Info.Deleted }}", 0,
           "2026-12-07 09:30:03.754155812 +0000 UTC|2026-12-07 09:31:00 +0100 +0100|0001-01-01 00:00:00 +0000 UTC",
           NULL);
    get_is("{{ range .Release.Hooks }}{{ .Name }} {{ .Kind }} {{ .Events }} {{ .Weight }} {{ .LastRun.Phase }}{{ end }}",
           0, "t Pod [test] 0 Succeeded", NULL);
    get_is("{{ printf \"%T %T %T %T\" .Release .Release.Info.Status .Release.Chart.Metadata .Release.Version }}", 0,
           "*v1.Release common.Status *v2.Metadata int", NULL);
    get_is("{{ range .Release.Chart.Templates }}{{ .Name }}{{ end }} {{ .Release.Chart.Values.image.repository }}", 0,
           "templates/a.yaml nginx", NULL);
    get_is("x{{ .Nope }}", 0, "x<no value>", NULL); /* the data is a map: no error, as Go */
    get_is("x{{ .Release.Info.Nope }}", -1, "x",
           "template: _:1:12: executing \"_\" at <.Release.Info.Nope>: can't evaluate field Nope in type *v1.Info");
    get_is("{{ .Release.Nope }}", -1, "",
           "template: _:1:11: executing \"_\" at <.Release.Nope>: can't evaluate field Nope in type interface {}");
    get_is("{{ range .Release.Hooks }}{{ .Nope }}{{ end }}", -1, "",
           "template: _:1:29: executing \"_\" at <.Nope>: can't evaluate field Nope in type *v1.Hook");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version),
        cmocka_unit_test(test_get_all),
    };
    size_t n = sizeof tests / sizeof tests[0];
    int failed = cmocka_run_group_tests(tests, NULL, NULL);
    printf("%zu passed, %d failed\n", n - (size_t)failed, failed);
    return failed ? 1 : 0;
}
