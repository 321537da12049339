/* cmd_complete.c — the hidden `capstan __complete ARGS... WORD` command, speaking
 * cobra's protocol as helm's completion scripts do: the candidates for WORD, one a
 * line ("VALUE" or "VALUE\tDESCRIPTION"), then ":DIRECTIVE" (a bit set: 1 error,
 * 2 no space, 4 no file completion), and on stderr "Completion ended with directive: ...".
 * Commands, flags and their value kinds come from the commands' usage texts
 * (cli/commands.c) and the global flags (cli/globals.c). */
#include "cli.h"
#include "capstan.h"
#include "flags.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { DIR_DEFAULT = 0, DIR_ERROR = 1, DIR_NO_SPACE = 2, DIR_NO_FILE = 4 };

/* __completeNoDesc (the scripts of `completion SHELL --no-descriptions`): the
 * candidates without their "\tDESCRIPTION", as cobra's. Set once, by the command. */
static bool no_descriptions;

/* One candidate line, printf-style ("VALUE" or "VALUE\tDESCRIPTION"). */
static void cand(const char *fmt, ...)
{
    char line[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof line, fmt, ap);
    va_end(ap);
    if (no_descriptions)
        line[strcspn(line, "\t")] = 0;
    printf("%s\n", line);
}

/* A flag line of a usage text: "  -o, --output FORMAT   description". */
typedef struct flag {
    char shorthand;       /* 0: none */
    char name[64];
    bool takes_value;     /* "--flag VALUE" (not "--flag[=VALUE]") */
    const char *desc;     /* in the usage text, up to the newline */
    size_t desc_len;
} flag;

static bool parse_flag_line(const char *l, flag *f)
{
    memset(f, 0, sizeof *f);
    while (*l == ' ')
        l++;
    if (l[0] == '-' && l[1] != '-' && l[1] && l[2] == ',') {
        f->shorthand = l[1];
        l += 3;
        while (*l == ' ')
            l++;
    }
    if (strncmp(l, "--", 2) != 0)
        return false;
    l += 2;
    size_t n = 0;
    while (n < sizeof f->name - 1 && (l[n] == '-' || (l[n] >= 'a' && l[n] <= 'z') || (l[n] >= '0' && l[n] <= '9')))
        n++;
    memcpy(f->name, l, n);
    l += n;
    f->takes_value = l[0] == ' ' && l[1] >= 'A' && l[1] <= 'Z';
    while (*l && !(l[0] == ' ' && l[1] == ' '))
        l++;
    while (*l == ' ')
        l++;
    f->desc = l;
    f->desc_len = strcspn(l, "\n");
    return n > 0;
}

/* Call fn for each flag of the usage text (and the global ones); stops when fn returns true. */
static bool each_flag(const char *usage, bool (*fn)(const flag *f, void *ctx), void *ctx)
{
    const char *texts[] = {usage, cli_global_usage};
    for (int t = 0; t < 2; t++)
        for (const char *l = texts[t]; l && *l;) {
            const char *nl = strchr(l, '\n');
            flag f;
            if (parse_flag_line(l, &f) && fn(&f, ctx))
                return true;
            if (!nl)
                break;
            l = nl + 1;
        }
    return false;
}

struct find_ctx {
    const char *word;
    flag found;
};

static bool find_fn(const flag *f, void *ctx)
{
    struct find_ctx *c = ctx;
    const char *w = c->word;
    if ((w[0] == '-' && w[1] == '-' && strcmp(w + 2, f->name) == 0) ||
        (f->shorthand && w[0] == '-' && w[1] == f->shorthand && w[2] == 0)) {
        c->found = *f;
        return true;
    }
    return false;
}

/* The flag the word names (its "=VALUE" left out), or NULL. helm's chart reference
 * flags count even where this build's usage does not list them. */
static const flag *find_flag(const char *usage, const char *word, struct find_ctx *c)
{
    static const char *const valued[] = {"version", "repo", "username", "password", "ca-file", "cert-file",
                                         "key-file", "keyring", NULL};
    char w[80];
    snprintf(w, sizeof w, "%.*s", (int)strcspn(word, "="), word);
    c->word = w;
    if (each_flag(usage, find_fn, c))
        return &c->found;
    for (int i = 0; valued[i]; i++)
        if (w[0] == '-' && w[1] == '-' && strcmp(w + 2, valued[i]) == 0) {
            memset(&c->found, 0, sizeof c->found);
            snprintf(c->found.name, sizeof c->found.name, "%s", valued[i]);
            c->found.takes_value = true;
            c->found.desc = "";
            return &c->found;
        }
    return NULL;
}

struct print_ctx {
    const char *prefix;
};

static bool print_fn(const flag *f, void *ctx)
{
    const char *p = ((struct print_ctx *)ctx)->prefix;
    char name[80];
    snprintf(name, sizeof name, "--%s", f->name);
    if (strncmp(name, p, strlen(p)) == 0)
        cand("%s\t%.*s", name, (int)f->desc_len, f->desc);
    if (f->shorthand && (strcmp(p, "-") == 0 || (p[1] == f->shorthand && !p[2])))
        cand("-%c\t%.*s", f->shorthand, (int)f->desc_len, f->desc);
    return false;
}

/* Candidates are printed with head (the "--flag=" typed before a value) before each. */
static void words(const char *head, const char *prefix, const char *const *list)
{
    for (; *list; list++)
        if (strncmp(*list, prefix, strlen(prefix)) == 0)
            cand("%s%s", head, *list);
}

/* The library's dynamic candidates; failures complete nothing (as helm). */
static void dynamic(const char *head, const char *what, const char *prefix, const char *chart,
                    const capstan_kube_opts *kube)
{
    char *text = NULL;
    capstan_error e = {0};
    if (capstan_complete(what, prefix, chart, kube, &text, &e) == 0)
        for (char *l = text; *l;) {
            char *nl = strchr(l, '\n');
            cand("%s%.*s", head, (int)(nl ? nl - l : (long)strlen(l)), l);
            l = nl ? nl + 1 : l + strlen(l);
        }
    capstan_error_clear(&e);
    free(text);
}

static const char *const formats[] = {"json\tOutput result in JSON format", "table\tOutput result in human-readable format",
                                      "yaml\tOutput result in YAML format", NULL};

/* Candidates for the value of flag f (prefix: what is typed of it). */
static int flag_value(const char *head, const flag *f, const char *prefix, const char *chart,
                      const capstan_kube_opts *kube)
{
    static const char *const cascade[] = {"background", "foreground", "orphan", NULL};
    static const char *const dry[] = {"client", "none", "server", NULL};
    /* as cobra: a flag's values are not filtered by what is typed (the shell does it) */
    (void)head;
    if (strcmp(f->name, "output") == 0)
        words("", "", formats);
    else if (strcmp(f->name, "cascade") == 0)
        words("", "", cascade);
    else if (strcmp(f->name, "dry-run") == 0)
        words("", "", dry);
    else if (strcmp(f->name, "version") == 0 && chart)
        dynamic(head, "versions", prefix, chart, kube);
    else if (strcmp(f->name, "kube-context") == 0)
        dynamic(head, "contexts", prefix, NULL, kube);
    else if (strcmp(f->name, "namespace") == 0)
        dynamic(head, "namespaces", prefix, NULL, kube);
    else
        return DIR_DEFAULT; /* files */
    return DIR_NO_FILE;
}

/* Candidates for positional argument number pos of the command. */
static int positional(const char *cmd, int pos, char **args, const char *prefix, const capstan_kube_opts *kube)
{
    static const char *const release_cmds[] = {"status", "history", "rollback", "uninstall", "test", "get", NULL};
    static const char *const shells[] = {"bash\tgenerate autocompletion script for bash",
                                         "fish\tgenerate autocompletion script for fish",
                                         "powershell\tgenerate autocompletion script for powershell",
                                         "zsh\tgenerate autocompletion script for zsh", NULL};
    static const char *const show[] = {"all", "chart", "crds", "readme", "values", NULL};
    static const char *const repo[] = {"add", "index", "list", "remove", "update", NULL};
    static const char *const dep[] = {"build", "list", "update", NULL};
    static const char *const reg[] = {"login", "logout", NULL};
    for (const char *const *r = release_cmds; *r; r++)
        if (strcmp(cmd, *r) == 0) {
            if (pos == 0 || strcmp(cmd, "uninstall") == 0) /* every release, as helm (the shell filters) */
                dynamic("", "releases", "", NULL, kube);
            return DIR_NO_FILE;
        }
    if (strcmp(cmd, "upgrade") == 0 && pos == 0) {
        dynamic("", "releases", "", NULL, kube);
        return DIR_NO_FILE;
    }
    if (((strcmp(cmd, "upgrade") == 0 || strcmp(cmd, "install") == 0 || strcmp(cmd, "template") == 0) && pos == 1) ||
        (strcmp(cmd, "pull") == 0 && pos == 0) || (strcmp(cmd, "show") == 0 && pos == 1)) {
        dynamic("", "charts", prefix, NULL, kube);
        /* a folder or a .tgz too; pull takes only references once REPO/ is typed */
        return strcmp(cmd, "pull") == 0 && strchr(prefix, '/') ? DIR_NO_FILE : DIR_DEFAULT;
    }
    const char *const *list = strcmp(cmd, "completion") == 0 ? shells
                              : strcmp(cmd, "show") == 0     ? show
                              : strcmp(cmd, "repo") == 0     ? repo
                              : strcmp(cmd, "dependency") == 0 ? dep
                              : strcmp(cmd, "registry") == 0 ? reg
                                                             : NULL;
    (void)args;
    if (list && pos == 0) {
        words("", prefix, list);
        return DIR_NO_FILE;
    }
    if (strcmp(cmd, "install") == 0 && pos == 0)
        return DIR_NO_FILE; /* a new name */
    if (list || strcmp(cmd, "list") == 0 || strcmp(cmd, "env") == 0 || strcmp(cmd, "version") == 0 ||
        strcmp(cmd, "completion") == 0)
        return DIR_NO_FILE;
    return DIR_DEFAULT;
}

static int by_name(const void *a, const void *b)
{
    return strcmp((*(const struct cmd *const *)a)->name, (*(const struct cmd *const *)b)->name);
}

static void end(int directive)
{
    static const char *const names[] = {"ShellCompDirectiveDefault", "ShellCompDirectiveError",
                                        "ShellCompDirectiveNoSpace", "", "ShellCompDirectiveNoFileComp"};
    printf(":%d\n", directive);
    fprintf(stderr, "Completion ended with directive: %s\n",
            directive < 5 && *names[directive] ? names[directive] : "ShellCompDirectiveDefault");
}

int cmd_complete(int argc, char **argv)
{
    /* argv: "__complete", the words before the cursor, the word being completed */
    const char *cur = argc > 1 ? argv[argc - 1] : "";
    int nw = argc > 1 ? argc - 2 : 0;
    char **w = argv + 1;
    const struct cmd *cmd = NULL;
    capstan_kube_opts kube = {0};
    const char *chart = NULL;
    struct find_ctx fc, pending_fc;
    const flag *pending = NULL;
    char *positional_args[64];
    int npos = 0;
    bool rest = false;
    for (int i = 0; i < nw; i++) {
        const char *a = w[i];
        if (pending) { /* the value of the flag before */
            if (strcmp(pending->name, "namespace") == 0)
                kube.namespace_ = a;
            else if (strcmp(pending->name, "kube-context") == 0)
                kube.context = a;
            else if (strcmp(pending->name, "kubeconfig") == 0)
                kube.kubeconfig = a;
            pending = NULL;
            continue;
        }
        if (!rest && a[0] == '-' && a[1]) {
            if (strcmp(a, "--") == 0) {
                rest = true;
                continue;
            }
            const flag *f = find_flag(cmd ? cmd->usage : "", a, &fc);
            if (f && f->takes_value && !strchr(a, '=')) {
                pending_fc = fc;
                pending = &pending_fc.found;
            }
            continue;
        }
        if (!cmd) {
            cmd = cli_find_command(a);
            if (!cmd) { /* an unknown command: files, as cobra */
                fprintf(stderr, "[Debug] [Error] unable to find a command for arguments: [%s]\n", a);
                end(DIR_DEFAULT);
                return EXIT_OK;
            }
            continue;
        }
        if (npos < 64)
            positional_args[npos++] = (char *)a;
    }
    flags_kube_env(&kube);
    for (int i = 0; cmd && i < npos; i++)
        if (strchr(positional_args[i], '/') && i >= (strcmp(cmd->name, "pull") == 0 || strcmp(cmd->name, "show") == 0 ? 0 : 1))
            chart = positional_args[i];
    int directive;
    if (pending) {
        directive = flag_value("", pending, cur, chart, &kube);
    } else if (!rest && cur[0] == '-' && strchr(cur, '=')) { /* --flag=VALUE */
        const flag *f = find_flag(cmd ? cmd->usage : "", cur, &fc);
        directive = DIR_NO_FILE;
        if (f) /* as cobra: the value alone */
            directive = flag_value("", f, strchr(cur, '=') + 1, chart, &kube);
    } else if (!rest && cur[0] == '-') {
        struct print_ctx pc = {cur};
        each_flag(cmd ? cmd->usage : "", print_fn, &pc);
        directive = DIR_NO_FILE;
    } else if (!cmd) { /* the commands, sorted as cobra lists them */
        const struct cmd *sorted[128];
        size_t n = 0;
        for (const struct cmd *c = cli_commands; c->name && n < 128; c++)
            if (strncmp(c->name, cur, strlen(cur)) == 0 && c->name[0] != '_')
                sorted[n++] = c;
        qsort(sorted, n, sizeof *sorted, by_name);
        for (size_t i = 0; i < n; i++)
            cand("%s\t%s", sorted[i]->name, sorted[i]->summary);
        directive = DIR_NO_FILE;
    } else {
        directive = positional(cmd->name, npos, positional_args, cur, &kube);
    }
    end(directive);
    return EXIT_OK;
}

/* `capstan __completeNoDesc ARGS... WORD`: the same candidates, no descriptions */
int cmd_complete_nodesc(int argc, char **argv)
{
    no_descriptions = true;
    return cmd_complete(argc, argv);
}
