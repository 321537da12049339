/* get_template.c — `helm get all --template TEXT` (get_template.h): helm's release
 * types, field by field, over the record's JSON keys (pkg/release/v1, pkg/chart/v2). */
#include "installer/release/get_template.h"
#include "renderer/go_template.h"

#include <string.h>

static const go_field file_fields[] = {
    {"Name", "name", GF_STRING, NULL},
    {"Data", "data", GF_ANY, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type file_type = {"*common.File", file_fields};

static const go_field metadata_fields[] = {
    {"Name", "name", GF_STRING, NULL},
    {"Home", "home", GF_STRING, NULL},
    {"Sources", "sources", GF_ANY, NULL},
    {"Version", "version", GF_STRING, NULL},
    {"Description", "description", GF_STRING, NULL},
    {"Keywords", "keywords", GF_ANY, NULL},
    {"Maintainers", "maintainers", GF_ANY, NULL},
    {"Icon", "icon", GF_STRING, NULL},
    {"APIVersion", "apiVersion", GF_STRING, NULL},
    {"Condition", "condition", GF_STRING, NULL},
    {"Tags", "tags", GF_STRING, NULL},
    {"AppVersion", "appVersion", GF_STRING, NULL},
    {"Deprecated", "deprecated", GF_BOOL, NULL},
    {"Annotations", "annotations", GF_ANY, NULL},
    {"KubeVersion", "kubeVersion", GF_STRING, NULL},
    {"Dependencies", "dependencies", GF_ANY, NULL},
    {"Type", "type", GF_STRING, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type metadata_type = {"*v2.Metadata", metadata_fields};

static const go_field chart_fields[] = {
    {"Metadata", "metadata", GF_STRUCT, &metadata_type},
    {"Lock", "lock", GF_ANY, NULL},
    {"Templates", "templates", GF_STRUCTS, &file_type},
    {"Values", "values", GF_ANY, NULL},
    {"Schema", "schema", GF_ANY, NULL},
    {"Files", "files", GF_STRUCTS, &file_type},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type chart_type = {"*v2.Chart", chart_fields};

static const go_field info_fields[] = {
    {"FirstDeployed", "first_deployed", GF_TIME, NULL},
    {"LastDeployed", "last_deployed", GF_TIME, NULL},
    {"Deleted", "deleted", GF_TIME, NULL},
    {"Description", "description", GF_STRING, NULL},
    {"Status", "status", GF_STRING, NULL, "common.Status"},
    {"Notes", "notes", GF_STRING, NULL},
    {"Resources", "resources", GF_ANY, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type info_type = {"*v1.Info", info_fields};

static const go_field execution_fields[] = {
    {"StartedAt", "started_at", GF_TIME, NULL},
    {"CompletedAt", "completed_at", GF_TIME, NULL},
    {"Phase", "phase", GF_STRING, NULL, "v1.HookPhase"},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type execution_type = {"v1.HookExecution", execution_fields};

static const go_field hook_fields[] = {
    {"Name", "name", GF_STRING, NULL},
    {"Kind", "kind", GF_STRING, NULL},
    {"Path", "path", GF_STRING, NULL},
    {"Manifest", "manifest", GF_STRING, NULL},
    {"Events", "events", GF_ANY, NULL},
    {"LastRun", "last_run", GF_STRUCT, &execution_type},
    {"Weight", "weight", GF_INT, NULL},
    {"DeletePolicies", "delete_policies", GF_ANY, NULL},
    {"OutputLogPolicies", "output_log_policies", GF_ANY, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type hook_type = {"*v1.Hook", hook_fields};

/* Labels is `json:"-"`: it comes from the storage record's labels, under this key */
#define LABELS_KEY "\001labels"
static const go_field release_fields[] = {
    {"Name", "name", GF_STRING, NULL},
    {"Info", "info", GF_STRUCT, &info_type},
    {"Chart", "chart", GF_STRUCT, &chart_type},
    {"Config", "config", GF_ANY, NULL},
    {"Manifest", "manifest", GF_STRING, NULL},
    {"Hooks", "hooks", GF_STRUCTS, &hook_type},
    {"Version", "version", GF_INT, NULL},
    {"Namespace", "namespace", GF_STRING, NULL},
    {"Labels", LABELS_KEY, GF_ANY, NULL},
    {"ApplyMethod", "apply_method", GF_STRING, NULL},
    {NULL, NULL, 0, NULL},
};
static const go_struct_type release_type = {"*v1.Release", release_fields};

int get_all_template(arena *a, const cval *rel, const cval *labels, const char *text, strbuf *out, cap_err *e)
{
    cval *r = cv_map_new(a);
    size_t n = 0;
    const cv_entry *en = rel && rel->kind == CV_MAP ? cv_map_sorted(rel, &n) : NULL;
    for (size_t i = 0; i < n; i++)
        cv_map_set(r, en[i].key, en[i].val);
    if (labels)
        cv_map_set(r, LABELS_KEY, (cval *)labels);
    return go_template_exec(a, text, go_map_of(a, "Release", go_struct_new(a, &release_type, r)), out, e);
}
