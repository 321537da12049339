/* commands.c — the table of subcommands and their usage texts (Helm's flag names). */
#include "cli.h"
#include "progress_view.h"

#include <string.h>

#define VALUES_FLAGS \
    "  -f, --values FILE           values file (repeatable; - for stdin)\n" \
    "      --set KEY=VAL           set a value (repeatable; a.b=c, a[0]=x, {a,b})\n" \
    "      --set-string KEY=VAL    set a value, always as a string\n" \
    "      --set-file KEY=PATH     set a value from the content of a file\n" \
    "      --set-json KEY=JSON     set a value from JSON\n" \
    "      --set-literal KEY=VAL   set a value verbatim, no parsing\n"

#define REGISTRY_FLAGS \
    "      --plain-http            use plain HTTP, not HTTPS\n" \
    "      --insecure-skip-tls-verify  skip TLS certificate checks\n" \
    "      --ca-file FILE          verify HTTPS servers with this CA bundle\n" \
    "      --cert-file FILE        client certificate (PEM)\n" \
    "      --key-file FILE         client key (PEM)\n" \
    "  -u, --username USER         registry username\n" \
    "  -p, --password PASS         registry password\n" \
    "      --registry-config FILE  registry credentials (default: helm's)\n"

#define KUBE_FLAGS \
    "      --kubeconfig FILE       kubeconfig to use (default: $KUBECONFIG or ~/.kube/config)\n" \
    "      --kube-context NAME     context in the kubeconfig\n" \
    "  -n, --namespace NS          namespace\n"

#define WAIT_FLAGS \
    "      --wait[=STRATEGY]       wait until resources are ready: watcher (the bare flag), hookOnly\n" \
    "                              (the default: hooks only) or legacy\n" \
    "      --timeout DURATION      time to wait for any one operation (default 5m0s)\n"
#define WAIT_JOBS_FLAG "      --wait-for-jobs         with --wait, Jobs must complete\n"
#define HISTORY_MAX_FLAG \
    "      --history-max N         revisions kept per release, 0: no limit (default 10; HELM_MAX_HISTORY)\n"

#define RELEASE_OUT_FLAGS \
    "  -o, --output FORMAT         table, json or yaml (default table)\n" \
    "      --hide-notes            do not print the notes\n" \
    "      --no-hooks              do not run the hooks\n" \
    "      --skip-crds             do not install crds/\n" \
    "      --skip-schema-validation  do not validate values against values.schema.json\n" \
    "      --post-renderer NAME    pipe the manifests through the postrenderer plugin NAME\n" \
    "      --post-renderer-args A  an argument to the post-renderer (repeatable)\n" \
    "      --dry-run[=MODE]        client or server: print the plan, change nothing\n" \
    "      --server-side           apply server-side (always: capstan has no client-side apply)\n" \
    "      --disable-openapi-validation  (accepted: the API server validates)\n"

/* install, upgrade, template: where the chart comes from */
#define CHART_REF_FLAGS \
    "      --version VER           chart version constraint (1.1.1, ^2.0.0; default: the latest)\n" \
    "      --devel                 use development versions too (ignored with --version)\n" \
    "      --repo URL              chart repository where to find CHART\n" \
    "      --username USER         chart repository username\n" \
    "      --password PASS         chart repository password\n" \
    "      --pass-credentials      pass the credentials to every domain\n" \
    "      --ca-file FILE          verify HTTPS servers with this CA bundle\n" \
    "      --cert-file FILE        client certificate (PEM)\n" \
    "      --key-file FILE         client key (PEM)\n" \
    "      --insecure-skip-tls-verify  skip TLS certificate checks for the chart download\n" \
    "      --dependency-update     update the chart's missing dependencies first\n" \
    "      --verify                verify the chart against its .prov before using it\n" \
    "      --keyring FILE          public keyring for --verify (default ~/.gnupg/pubring.gpg)\n"

/* install, upgrade (and, accepted, template): helm 4's release flags */
#define RELEASE_MORE_FLAGS \
    "  -l, --labels K=V[,K=V]      labels of the release record (get metadata shows them; upgrade\n" \
    "                              merges them over the last revision's, K=null removes one)\n" \
    "      --take-ownership        adopt existing objects that another release or no release owns\n" \
    "      --force-replace         delete and recreate an object the API server refuses to update\n" \
    "      --render-subchart-notes  the subcharts' NOTES.txt too\n" \
    "      --enable-dns            getHostByName resolves names (without it, it returns \"\")\n"
#define HIDE_SECRET_FLAG "      --hide-secret           with --dry-run: Secrets are not printed\n"
#define CLEANUP_FLAG "      --cleanup-on-fail       delete the objects this operation created when it fails\n"

const struct cmd cli_commands[] = {
    {"template", "locally render templates",
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
     "      --post-renderer NAME    pipe the manifests through the postrenderer plugin NAME\n"
     "      --post-renderer-args A  an argument to the post-renderer (repeatable)\n"
     "      --debug                 verbose output\n"
     "      --registry HOST[:PORT]  re-home every image reference to HOST (keeps path, tag, digest)\n"
     "      --release-name          with --output-dir: write under DIR/NAME\n"
     "      --skip-schema-validation  do not validate values against values.schema.json\n"
     "      --dry-run[=MODE]        client (the default) or server: lookup and Capabilities from the cluster\n"
     "      --plain-http            plain HTTP for the chart download\n"
     CHART_REF_FLAGS RELEASE_MORE_FLAGS
     "  accepted as helm template accepts them; they change nothing in its output:\n"
     "      --create-namespace\n"
     "      --description TEXT\n"
     "      --disable-openapi-validation\n"
     "      --force-conflicts\n"
     "      --hide-notes\n"
     "      --replace\n"
     "      --rollback-on-failure\n"
     "      --server-side[=BOOL]\n"
     "      --timeout DURATION\n"
     "      --wait[=STRATEGY]\n"
     "      --wait-for-jobs\n"},
    {"install", "install a chart",
     "Usage: capstan install [NAME] CHART [flags]\n\n"
     VALUES_FLAGS KUBE_FLAGS WAIT_FLAGS WAIT_JOBS_FLAG RELEASE_OUT_FLAGS
     "      --create-namespace      create the namespace if it does not exist\n"
     "  -g, --generate-name         generate the name (CHART-UNIXTIME)\n"
     "      --name-template TPL     template for the release name\n"
     "      --rollback-on-failure   delete what was installed when the install fails (alias: --atomic)\n"
     "      --force-conflicts       take over fields owned by other managers\n"
     "      --description TEXT      description of the release\n"
     "      --registry HOST[:PORT]  re-home every image to HOST; with a bundle, push its images there first\n"
     "      --plain-http            plain HTTP for the chart download and --registry\n"
     "      --replace               re-use the name of an uninstalled or failed release\n"
     CHART_REF_FLAGS RELEASE_MORE_FLAGS HIDE_SECRET_FLAG PROGRESS_FLAGS_HELP, CMD_NET},
    {"upgrade", "upgrade a release",
     "Usage: capstan upgrade RELEASE CHART [flags]\n\n"
     VALUES_FLAGS KUBE_FLAGS WAIT_FLAGS WAIT_JOBS_FLAG RELEASE_OUT_FLAGS HISTORY_MAX_FLAG
     "  -i, --install               install when the release does not exist\n"
     "      --create-namespace      with --install: create the namespace if it does not exist\n"
     "      --rollback-on-failure   restore the previous revision when the upgrade fails (alias: --atomic)\n"
     "      --force-conflicts       take over fields owned by other managers\n"
     "      --description TEXT      description of the release\n"
     "      --registry HOST[:PORT]  re-home every image to HOST; with a bundle, push its images there first\n"
     "      --plain-http            plain HTTP for the chart download and --registry\n"
     "      --reuse-values          the last release's values, with -f and --set over them\n"
     "      --reset-values          the chart's values only, with -f and --set over them\n"
     "      --reset-then-reuse-values  the new chart's values, the last release's, then -f and --set\n"
     CHART_REF_FLAGS RELEASE_MORE_FLAGS HIDE_SECRET_FLAG CLEANUP_FLAG PROGRESS_FLAGS_HELP, CMD_NET},
    {"rollback", "roll back a release to a previous revision",
     "Usage: capstan rollback RELEASE [REVISION] [flags]\n\n" KUBE_FLAGS WAIT_FLAGS WAIT_JOBS_FLAG HISTORY_MAX_FLAG
     "      --dry-run[=MODE]        print the plan, change nothing\n"
     "      --no-hooks              do not run the hooks\n"
     "      --force-conflicts       take over fields owned by other managers\n"
     "      --force-replace         delete and recreate an object the API server refuses to update\n"
     "      --server-side MODE      true, false or auto (capstan always applies server-side)\n"
     CLEANUP_FLAG PROGRESS_FLAGS_HELP, CMD_NET},
    {"uninstall", "uninstall a release",
     "Usage: capstan uninstall RELEASE... [flags]\n\n" KUBE_FLAGS
     "      --keep-history          keep the release records (status uninstalled)\n"
     "      --cascade MODE          background (default), foreground or orphan\n"
     "      --ignore-not-found      a release that does not exist is not an error\n"
     "      --no-hooks              do not run the delete hooks\n"
     "      --dry-run               print what would be deleted\n"
     "      --description TEXT      description of the revision (with --keep-history)\n"
     WAIT_FLAGS PROGRESS_FLAGS_HELP, CMD_NET},
    {"list", "list releases",
     "Usage: capstan list [flags]\n\n" KUBE_FLAGS
     "  -A, --all-namespaces        list releases in every namespace\n"
     "  -o, --output FORMAT         table, json or yaml\n"
     "      --deployed              show deployed releases (no status flag: every status)\n"
     "      --failed                show failed releases\n"
     "      --pending               show pending releases\n"
     "      --superseded            show superseded releases\n"
     "      --uninstalled           show uninstalled releases (uninstall --keep-history)\n"
     "      --uninstalling          show releases being uninstalled\n"
     "  -d, --date                  sort by release date\n"
     "  -r, --reverse               reverse the sort order\n"
     "  -m, --max N                 at most N releases (default 256)\n"
     "      --offset N              skip the first N releases\n"
     "  -f, --filter REGEX          only names matching the regular expression\n"
     "  -l, --selector SEL          only releases with these labels (k=v, k==v, k!=v, comma-separated)\n"
     "  -q, --short                 names only\n"
     "      --no-headers            no header row in the table\n"
     "      --time-format LAYOUT    times in this Go layout, e.g. \"2006-01-02 15:04:05Z0700\"\n", CMD_NET},
    {"status", "display the status of the named release",
     "Usage: capstan status RELEASE [flags]\n\n" KUBE_FLAGS
     "  -o, --output FORMAT         table, json or yaml\n"
     "      --revision N            the status of this revision\n"
     "      --log-lines N           log lines of each failing container in NOT READY (default 20)\n", CMD_NET},
    {"history", "fetch release history",
     "Usage: capstan history RELEASE [flags]\n\n" KUBE_FLAGS
     "  -o, --output FORMAT         table, json or yaml\n"
     "      --max N                 the newest N revisions (default 256)\n", CMD_NET},
    {"test", "run tests for a release",
     "Usage: capstan test RELEASE [flags]\n\n"
     "Run the release's test hooks, then print its status (notes hidden), as helm test does.\n\n" KUBE_FLAGS
     "      --timeout DURATION      time to wait for each test (default 5m0s)\n"
     "      --filter name=N|!name=N run only the tests named N, or all but them (repeatable, comma-separated)\n"
     "      --logs                  then the logs of the test pods (POD LOGS: NAME, as helm prints them)\n"
     PROGRESS_FLAGS_HELP, CMD_NET},
    {"lint", "examine a chart for possible issues",
     "Usage: capstan lint CHART... [flags]\n\n"
     "Examine charts (directories or .tgz) for possible issues, with helm lint's rules and messages.\n\n"
     VALUES_FLAGS
     "      --strict                fail on lint warnings\n"
     "      --with-subcharts        lint the charts in charts/ too\n"
     "      --quiet                 print only warnings and errors\n"
     "      --kube-version VER      Kubernetes version for capabilities and deprecation checks\n"
     "      --skip-schema-validation  do not validate values against values.schema.json\n"
     "  -n, --namespace NS          .Release.Namespace\n"},
    {"package", "package a chart directory into a chart archive",
     "Usage: capstan package CHART_DIR... [flags]\n\n"
     "Write NAME-VERSION.tgz as helm package does (same members, order and headers).\n\n"
     "  -d, --destination DIR       where to write the archive (default .)\n"
     "      --version VER           set the chart's version\n"
     "      --app-version VER       set the chart's appVersion\n"
     "  -u, --dependency-update     update dependencies from \"Chart.yaml\" to dir \"charts/\" before packaging\n"
     "      --sign                  use a PGP private key to sign this package\n"
     "      --key NAME              name of the key to use when signing. Used if --sign is true\n"
     "      --keyring FILE          location of a public keyring (default: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)\n"
     "      --passphrase-file FILE  location of a file which contains the passphrase for the signing key. Use \"-\" in order to read from stdin.\n"
     "      --username USER         chart repository username where to locate the requested chart\n"
     "      --password PASS         chart repository password where to locate the requested chart\n"
     "      --ca-file FILE          verify certificates of HTTPS-enabled servers using this CA bundle\n"
     "      --cert-file FILE        identify HTTPS client using this SSL certificate file\n"
     "      --key-file FILE         identify HTTPS client using this SSL key file\n"
     "      --insecure-skip-tls-verify  skip tls certificate checks for the chart download\n"
     "      --plain-http            use insecure HTTP connections for the chart download\n"},
    {"verify", "verify that a chart at the given path has been signed and is valid",
     "Usage: capstan verify PATH [flags]\n\n"
     "Verify that the given chart has a valid provenance file (PATH.prov), as helm verify.\n\n"
     "      --keyring FILE          keyring containing public keys (default: $GNUPGHOME/pubring.gpg or ~/.gnupg/pubring.gpg)\n"},
    {"pull", "download a chart from a repository and (optionally) unpack it in local directory",
     "Usage: capstan pull [chart URL | repo/chartname] [...] [flags]\n\n"
     "      --version VER           chart version constraint (default: the latest stable)\n"
     "  -d, --destination DIR       where to write the chart (default .)\n"
     "      --untar                 unpack the chart after downloading it\n"
     "      --untardir DIR          where to unpack it (default .)\n"
     "      --repo URL              chart repository URL where to locate the chart\n"
     "      --devel                 use development versions too (>0.0.0-0)\n"
     "      --username USER         chart repository username (with --repo or a URL)\n"
     "      --password PASS         chart repository password\n"
     "      --ca-file FILE          verify HTTPS servers with this CA bundle\n"
     "      --cert-file FILE        identify with this client certificate\n"
     "      --key-file FILE         ... and this key\n"
     "      --insecure-skip-tls-verify  skip TLS certificate checks\n"
     "      --pass-credentials      pass credentials to all domains\n"
     "      --verify                verify the package before using it\n"
     "      --keyring FILE          location of public keys used for verification (default ~/.gnupg/pubring.gpg)\n"
     "      --prov                  fetch the provenance file, but don't perform verification\n"
     "\nCHART may be oci://HOST/REPO/NAME[:TAG|@DIGEST] (a chart in an OCI registry), with\n"
     "      --plain-http            use plain HTTP, not HTTPS\n"
     "      --registry-config FILE  registry credentials (default: helm's)\n", CMD_NET},
    {"push", "push a chart to remote",
     "Usage: capstan push CHART.tgz oci://HOST/REPO [flags]\n\n"
     "Upload the chart as an OCI artifact to HOST/REPO/NAME:VERSION, as `helm push`\n"
     "(CHART.tgz.prov goes along when it exists).\n\n" REGISTRY_FLAGS, CMD_NET},
    {"registry", "login to or logout from a registry",
     "Usage: capstan registry login HOST -u USER (-p PASS | --password-stdin) [flags]\n"
     "       capstan registry logout HOST\n\n"
     "Store or remove credentials in helm's registry config\n"
     "($HELM_REGISTRY_CONFIG, default ~/.config/helm/registry/config.json).\n\n"
     "      --password-stdin        read the password from stdin\n" REGISTRY_FLAGS, CMD_NET},
    {"oci-copy", "(debug) copy an image between a registry and an OCI layout",
     "Usage: capstan oci-copy SRC_IMAGE oci-layout:DIR[:NAME] [flags]\n"
     "       capstan oci-copy oci-layout:DIR:NAME DST_IMAGE... [flags]\n\n"
     "A debugging and test command over the registry client's image copy (the\n"
     "same code `bundle --with-images` and bundle installs use). Prints the digest.\n\n"
     REGISTRY_FLAGS
     "      --plain-http-loopback   plain HTTP to loopback registries only\n"
     "      --plain-http-host HOST  plain HTTP to this registry (repeatable)\n", CMD_NET},
    {"repo", "add, list, remove, update chart repositories",
     "Usage: capstan repo add|list|remove|update [ARGS] [flags]\n\n"
     "Manage chart repositories in helm's own repositories.yaml and cache, shared with helm.\n\n"
     "  add NAME URL                add a chart repository\n"
     "      --username USER, --password PASS, --password-stdin\n"
     "      --ca-file FILE, --cert-file FILE, --key-file FILE, --insecure-skip-tls-verify\n"
     "      --pass-credentials      pass credentials to all domains\n"
     "      --force-update          replace the repo if it already exists\n"
     "  list [-o table|json|yaml] [--no-headers]\n"
     "  remove NAME...              remove chart repositories\n"
     "  update [NAME...]            refresh the repositories' indexes\n", CMD_NET},
    {"dependency", "manage a chart's dependencies",
     "Usage: capstan dependency list|update|build [CHART] [flags]\n\n"
     "  list     the dependencies of CHART and their status in charts/\n"
     "  update   resolve Chart.yaml's ranges, fill charts/, write Chart.lock\n"
     "  build    fill charts/ from Chart.lock\n\n"
     "      --skip-refresh          do not refresh the repositories' indexes\n"
     "      --offline               never open a network connection\n"
     "      --refresh               update: resolve again even when Chart.lock is in sync and charts/ complete\n"
     "      --plain-http            oci:// dependencies over plain HTTP\n"
     "      --registry-config FILE  registry credentials for oci:// dependencies (default: helm's)\n"
     "Dependencies already in charts/ (or in helm's content cache) are not downloaded again: with\n"
     "Chart.lock in sync and charts/ complete, build and update need no network.\n", CMD_NET},
    {"show", "show information of a chart",
     "Usage: capstan show all|chart|values|readme|crds CHART [flags]\n\n"
     "Print the chart's information, as `helm show` does:\n"
     "  chart    the chart's definition (Chart.yaml as helm marshals it)\n"
     "  values   the chart's values.yaml, as written\n"
     "  readme   the chart's README\n"
     "  crds     the chart's CRDs, and its subcharts'\n"
     "  all      all of the above, separated by ---\n"},
    {"images", "list the images a chart can deploy",
     "Usage: capstan images [NAME] CHART|BUNDLE [flags]\n\n"
     "Every image the chart can run with these values: pod specs of every kind (init and\n"
     "ephemeral containers, hooks included), the helm.sh/images annotation (HIP-0015) and\n"
     "capstan.dev/images, on objects and on Chart.yaml. Sorted, each once.\n\n"
     VALUES_FLAGS
     "  -n, --namespace NS          namespace of the release\n"
     "      --kube-version VER      Kubernetes version for Capabilities\n"
     "  -a, --api-versions VER      API versions for Capabilities (repeatable)\n"
     "  -o, --output FORMAT         text (one reference a line) or json\n"
     "      --registry HOST[:PORT]  show the references re-homed to HOST\n"},
    {"bundle", "pack a chart, its values and its images into one file (air gaps)",
     "Usage: capstan bundle CHART -o FILE.tgz [flags]\n"
     "       capstan bundle verify FILE.tgz\n\n"
     "One archive with the chart (dependencies resolved), the values files, the image list\n"
     "(images.json) and, with --with-images, the images as an OCI image layout; SHA256SUMS\n"
     "covers every member. Install it with `capstan install REL FILE.tgz --registry HOST`.\n\n"
     VALUES_FLAGS
     "  -o, --output FILE           the bundle to write\n"
     "      --with-images           copy every image from its registry into the bundle\n"
     "      --plain-http            talk plain HTTP to the source registries\n"
     "      --insecure-skip-tls-verify  skip TLS verification of the source registries\n"
     "  -q, --quiet                 no progress lines\n", CMD_NET}, /* verify runs in the lean program */
    {"diff", "preview what an upgrade or a rollback would change (helm-diff)",
     "Usage: capstan diff upgrade RELEASE CHART [flags]      the deployed release against the chart\n"
     "       capstan diff install RELEASE CHART [flags]      the same; a release not installed yet is new\n"
     "       capstan diff rollback RELEASE [REVISION] [flags]  the latest revision against REVISION\n"
     "       capstan diff revision RELEASE REV1 [REV2] [flags] two revisions (REV2: the latest)\n"
     "       capstan diff release [NS/]REL1 [NS/]REL2 [flags]  two releases of one chart\n\n"
     "The output and flags of helm-diff: a header per object (NAMESPACE, NAME, KIND (GROUP) has\n"
     "been added/removed/changed:), then its lines. Secret values are masked unless --show-secrets.\n\n"
     VALUES_FLAGS KUBE_FLAGS
     "  -o, --output FORMAT         diff (default), simple, template or json\n"
     "  -C, --context N             lines of context around each change (default -1: whole objects)\n"
     "      --no-color, --color     colours off / on (default: on a terminal, unless NO_COLOR is set)\n"
     "      --suppress KIND         print no lines for objects of KIND (repeatable)\n"
     "  -q, --suppress-secrets      print no lines for Secrets\n"
     "      --show-secrets          do not mask Secret values; --show-secrets-decoded: decode them\n"
     "      --detailed-exitcode     exit 2 when something changed (0: nothing; 1: an error)\n"
     "      --live                  live objects against a server-side apply dry run of the new ones\n"
     "      --install, --allow-unreleased  upgrade: a release that is not installed is new\n"
     "      --no-hooks              upgrade: leave hooks out\n"
     "      --reuse-values, --reset-values, --reset-then-reuse-values  upgrade: the values as upgrade takes them\n"
     "      --include-crds          upgrade: the chart's crds/ too\n"
     "      --include-tests         keep test hooks\n"
     "      --normalize-manifests   re-marshal objects before comparing (no style differences)\n"
     "      --strip-trailing-cr     drop a carriage return at the end of lines\n"
     "      --kube-context2 CTX, --namespace2 NS  release: the second release's context and namespace\n", CMD_NET},
    {"get", "download extended information of a named release",
     "Usage: capstan get values|manifest|notes|hooks|metadata|all RELEASE [flags]\n\n"
     "  values     the user-supplied values (--all: the computed ones)\n"
     "  manifest   the manifest   notes  the notes   hooks  the hooks\n"
     "  metadata   name, chart, version, namespace, revision, status, deployed at\n"
     "  all        all of it, as helm get all prints it\n\n"
     KUBE_FLAGS
     "      --revision N            the named revision (default: the latest)\n"
     "  -a, --all                   values: all (computed) values\n"
     "  -o, --output FORMAT         values, metadata: table, json or yaml\n"
     "      --template TEXT         all: a Go template over the release, e.g. {{.Release.Name}}\n", CMD_NET},
    {"version", "print the capstan version information",
     "Usage: capstan version [flags]\n\n"
     "      --short                 print the version number only\n"
     "      --template TEXT         a Go template over the version fields: .Version, .GitCommit,\n"
     "                              .GitTreeState, .GoVersion, .KubeClientVersion\n"},
    {"create", "create a new chart with the given name",
     "Usage: capstan create NAME [flags]\n\n"
     "Create the directory NAME with capstan's chart scaffold: Chart.yaml, values.yaml, .helmignore,\n"
     "charts/ and templates/ (a Deployment, Service, ServiceAccount, optional Ingress and autoscaler,\n"
     "NOTES.txt, helpers and a test pod), lint-clean. Files that exist are overwritten.\n\n"
     "  -p, --starter STARTER       copy this starter chart instead: a name in $HELM_DATA_HOME/starters\n"
     "                              or an absolute path (<CHARTNAME> in values and templates is replaced)\n"},
    {"search", "search for a keyword in charts",
     "Usage: capstan search repo [KEYWORD...] [flags]\n\n"
     "Search the charts of the repositories you added (their cached indexes: run repo update\n"
     "to refresh them) for the keywords in names, descriptions and keywords; with no keyword,\n"
     "list every chart. (`search hub` needs Artifact Hub on the network: not supported.)\n\n"
     "  -r, --regexp                the keywords are a regular expression\n"
     "  -l, --versions              every version of each chart, not only the newest\n"
     "      --devel                 prereleases too (>0.0.0-0); ignored with --version\n"
     "      --version CONSTRAINT    versions satisfying the constraint (e.g. ^1.0.0)\n"
     "  -o, --output FORMAT         table, json or yaml\n"
     "      --max-col-width N       maximum column width of the table (default 50)\n"
     "      --fail-on-no-result     fail when nothing is found\n", CMD_NET},
    {"env", "helm client environment information",
     "Usage: capstan env [NAME] [flags]\n\n"
     "Print the HELM_* variables capstan uses (as `helm env` does); with NAME, its value alone.\n", CMD_NET},
    {"completion", "generate autocompletion scripts for the specified shell",
     "Usage: capstan completion bash|zsh|fish|powershell\n\n"
     "Print the completion script for the shell. It asks capstan itself for candidates\n"
     "(commands, flags, -o formats, releases, REPO/CHART names and --version values from the\n"
     "repository caches, kube contexts and namespaces). For example:\n"
     "  source <(capstan completion bash)\n"
     "  capstan completion fish | source\n"
     "  capstan completion powershell | Out-String | Invoke-Expression\n\n"
     "      --no-descriptions       disable completion descriptions\n"},
    {"__complete", "(hidden) completion candidates, cobra's protocol",
     "Usage: capstan __complete ARGS... WORD\n", CMD_NET},
    {"__completeNoDesc", "(hidden) completion candidates without descriptions",
     "Usage: capstan __completeNoDesc ARGS... WORD\n", CMD_NET},
    {NULL, NULL, NULL, 0},
};

/* helm's aliases of its commands */
static const char *const aliases[][2] = {
    {"ls", "list"},          {"un", "uninstall"},     {"del", "uninstall"},  {"delete", "uninstall"},
    {"hist", "history"},     {"inspect", "show"},     {"dep", "dependency"}, {"dependencies", "dependency"},
    {"fetch", "pull"},       {NULL, NULL},
};

const struct cmd *cli_find_command(const char *name)
{
    for (int i = 0; aliases[i][0]; i++)
        if (strcmp(name, aliases[i][0]) == 0)
            name = aliases[i][1];
    for (const struct cmd *c = cli_commands; c->name; c++)
        if (strcmp(c->name, name) == 0)
            return c;
    return NULL;
}
