/* version_info.c — capstan_version_template: `helm version --template TEXT` over
 * capstan's version.BuildInfo. */
#include "capstan.h"
#include "renderer/go_template.h"
#include "core/err.h"
#include "core/xalloc.h"

#include <string.h>

static const go_field build_info_fields[] = {
    {"Version", "version", GF_STRING, NULL},
    {"GitCommit", "git_commit", GF_STRING, NULL},
    {"GitTreeState", "git_tree_state", GF_STRING, NULL},
    {"GoVersion", "go_version", GF_STRING, NULL},
    {"KubeClientVersion", "kube_client_version", GF_STRING, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type build_info = {"version.BuildInfo", build_info_fields};

int capstan_version_template(const char *text, char **out, capstan_error *err)
{
    arena *a = arena_new();
    cap_err e = CAP_ERR_INIT;
    cval *m = cv_map_new(a);
    cv_map_set(m, "version", cv_cstring(a, arena_printf(a, "v%s", CAPSTAN_VERSION)));
    /* capstan is not built by Go from a git tree: those stay empty, as in a helm built
     * without its ldflags; the Kubernetes API it speaks, as helm's client-go */
    cv_map_set(m, "kube_client_version", cv_cstring(a, "v1.35"));
    strbuf sb = STRBUF_INIT;
    int rc = go_template_exec(a, text, go_struct_new(a, &build_info, m), &sb, &e);
    *out = sb_detach(&sb, NULL);
    arena_free(a);
    if (rc != 0)
        cap_err_publish(err, &e, CAPSTAN_EUSAGE);
    cap_err_clear(&e);
    return rc;
}
