/* commands.c — the table of subcommands and their usage texts (Helm's flag names). */
#include "cli.h"

#include <string.h>

#define VALUES_FLAGS \
    "  -f, --values FILE           values file (repeatable; - for stdin)\n" \
    "      --set KEY=VAL           set a value (repeatable; a.b=c, a[0]=x, {a,b})\n" \
    "      --set-string KEY=VAL    set a value, always as a string\n" \
    "      --set-file KEY=PATH     set a value from the content of a file\n" \
    "      --set-json KEY=JSON     set a value from JSON\n" \
    "      --set-literal KEY=VAL   set a value verbatim, no parsing\n"

#define KUBE_FLAGS \
    "      --kubeconfig FILE       kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)\n" \
    "      --kube-context NAME     context in the kubeconfig\n" \
    "  -n, --namespace NS          namespace\n"

const struct cmd cli_commands[] = {
    {"template", cmd_template, "locally render templates",
     "Usage: capstan template [NAME] CHART [flags]\n\n"
     "Render chart templates locally and print the manifests, as `helm template` does.\n\n"
     VALUES_FLAGS
     "  -n, --namespace NS          namespace of the release\n"
     "  -s, --show-only FILE        only show manifests rendered from this template (repeatable)\n"
     "      --include-crds          include CRDs in the output\n"
     "      --skip-crds             leave CRDs out\n"
     "      --skip-tests            leave test hooks out\n"
     "      --no-hooks              leave hooks out\n"
     "      --is-upgrade            set .Release.IsUpgrade\n"
     "      --kube-version VER      Kubernetes version for Capabilities\n"
     "  -a, --api-versions VER      API versions for Capabilities (repeatable)\n"
     "  -g, --generate-name         generate the release name\n"
     "      --name-template TPL     template for the release name\n"
     "      --output-dir DIR        write each template to a file in DIR\n"
     "      --post-renderer PATH    pipe the manifests through PATH\n"
     "      --debug                 verbose output\n"},
    {"install", cmd_install, "install a chart",
     "Usage: capstan install [NAME] CHART [flags]\n\n"
     VALUES_FLAGS KUBE_FLAGS
     "      --create-namespace      create the namespace if it does not exist\n"
     "      --wait                  wait until every resource is ready\n"
     "      --timeout DURATION      time to wait for any one operation (default 5m0s)\n"
     "      --rollback-on-failure   delete what was installed when the install fails (alias: --atomic)\n"
     "      --dry-run               print the plan, change nothing\n"
     "      --description TEXT      description of the release\n"},
    {"upgrade", cmd_upgrade, "upgrade a release",
     "Usage: capstan upgrade RELEASE CHART [flags]\n\n"
     VALUES_FLAGS KUBE_FLAGS
     "  -i, --install               install when the release does not exist\n"
     "      --wait                  wait until every resource is ready\n"
     "      --timeout DURATION      time to wait for any one operation (default 5m0s)\n"
     "      --rollback-on-failure   restore the previous revision when the upgrade fails (alias: --atomic)\n"
     "      --force-conflicts       take over fields owned by other managers\n"
     "      --description TEXT      description of the release\n"},
    {"rollback", cmd_rollback, "roll back a release to a previous revision",
     "Usage: capstan rollback RELEASE [REVISION] [flags]\n\n" KUBE_FLAGS
     "      --wait                  wait until every resource is ready\n"
     "      --timeout DURATION      time to wait for any one operation (default 5m0s)\n"},
    {"uninstall", cmd_uninstall, "uninstall a release",
     "Usage: capstan uninstall RELEASE [flags]\n\n" KUBE_FLAGS
     "      --keep-history          keep the release records\n"
     "      --wait                  wait until every resource is deleted\n"},
    {"list", cmd_list, "list releases",
     "Usage: capstan list [flags]\n\n" KUBE_FLAGS
     "  -A, --all-namespaces        list releases in every namespace\n"
     "  -o, --output FORMAT         table, json or yaml\n"},
    {"status", cmd_status, "display the status of a release",
     "Usage: capstan status RELEASE [flags]\n\n" KUBE_FLAGS
     "  -o, --output FORMAT         table, json or yaml\n"},
    {"history", cmd_history, "fetch release history",
     "Usage: capstan history RELEASE [flags]\n\n" KUBE_FLAGS
     "  -o, --output FORMAT         table, json or yaml\n"},
    {"test", cmd_test, "run the tests of a release",
     "Usage: capstan test RELEASE [flags]\n\n" KUBE_FLAGS
     "      --timeout DURATION      time to wait for each test (default 5m0s)\n"},
    {"lint", cmd_lint, "examine a chart for possible issues",
     "Usage: capstan lint CHART... [flags]\n\n"
     "Examine charts (directories or .tgz) for possible issues, with helm lint's rules and messages.\n\n"
     VALUES_FLAGS
     "      --strict                fail on lint warnings\n"
     "      --with-subcharts        lint the charts in charts/ too\n"
     "      --quiet                 print only warnings and errors\n"
     "      --kube-version VER      Kubernetes version for capabilities and deprecation checks\n"
     "      --skip-schema-validation  do not validate values against values.schema.json\n"
     "  -n, --namespace NS          .Release.Namespace\n"},
    {"package", cmd_package, "package a chart directory into a chart archive",
     "Usage: capstan package CHART_DIR... [flags]\n\n"
     "Write NAME-VERSION.tgz as helm package does (same members, order and headers).\n\n"
     "  -d, --destination DIR       where to write the archive (default .)\n"
     "      --version VER           set the chart's version\n"
     "      --app-version VER       set the chart's appVersion\n"},
    {"pull", NULL, "download a chart from a repository",
     "Usage: capstan pull CHART [flags]\n\n"
     "      --version VER           chart version constraint\n"
     "  -d, --destination DIR       where to write the chart (default .)\n"
     "      --untar                 unpack the chart after downloading it\n"},
    {"show", cmd_show, "show information of a chart",
     "Usage: capstan show all|chart|values|readme|crds CHART [flags]\n\n"
     "Print the chart's information, as `helm show` does:\n"
     "  chart    the chart's definition (Chart.yaml as helm marshals it)\n"
     "  values   the chart's values.yaml, as written\n"
     "  readme   the chart's README\n"
     "  crds     the chart's CRDs, and its subcharts'\n"
     "  all      all of the above, separated by ---\n"},
    {"version", cmd_version, "print the version",
     "Usage: capstan version [--short]\n"},
    {"completion", NULL, "generate shell completion scripts",
     "Usage: capstan completion bash|zsh|fish\n"},
    {NULL, NULL, NULL, NULL},
};

const struct cmd *cli_find_command(const char *name)
{
    for (const struct cmd *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
