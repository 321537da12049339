/* post_renderer.c — Helm 4's --post-renderer: a plugin of type
 * postrenderer/v1 found by name in the plugin directories, run as a
 * subprocess with the manifests on its stdin (after helm's internal/plugin:
 * loader.go FindPlugin, metadata_v1.go, subprocess_commands.go
 * PrepareCommands, runtime_subprocess.go runPostrenderer; and
 * pkg/postrenderer).
 *
 * Plugins that fail to load are skipped, as helm skips them (with a
 * warning); plugins of another type or runtime do not match. Only the
 * subprocess runtime is run: a wasm (extism/v1) post-renderer is an error.
 */
#include "capstan.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/arena.h"
#include "core/strbuf.h"
#include "core/yaml.h"

struct capstan_post_renderer {
    char *name;
    char *dir;
    char **argv; /* command and its arguments, NULL-terminated */
};

static void set_err(capstan_error *err, int code, const char *fmt, const char *a, const char *b)
{
    cap_err e = CAP_ERR_INIT;
    cap_err_set(&e, fmt, a, b);
    cap_err_publish(err, &e, code);
}

/* helmpath.DataPath("plugins") unless HELM_PLUGINS names the directories */
static char *plugin_dirs(void)
{
    const char *e = getenv("HELM_PLUGINS");
    if (e && *e)
        return xstrdup(e);
    char *d = NULL;
    const char *h = getenv("HELM_DATA_HOME"), *x = getenv("XDG_DATA_HOME"), *home = getenv("HOME");
    if (h && *h) {
        if (asprintf(&d, "%s/plugins", h) < 0)
            d = NULL;
    } else if (x && *x) {
        if (asprintf(&d, "%s/helm/plugins", x) < 0)
            d = NULL;
    } else if (asprintf(&d, "%s/.local/share/helm/plugins", home ? home : "") < 0) {
        d = NULL;
    }
    return d;
}

/* semver.StrictNewVersion: MAJOR.MINOR.PATCH, no leading zeros, optional -pre and +meta */
static bool strict_semver(const char *s)
{
    for (int part = 0; part < 3; part++) {
        if (!isdigit((unsigned char)*s) || (s[0] == '0' && isdigit((unsigned char)s[1])))
            return false;
        while (isdigit((unsigned char)*s))
            s++;
        if (part < 2 && *s++ != '.')
            return false;
    }
    if (*s == '-') {
        s++;
        if (!*s || *s == '+')
            return false;
        for (; *s && *s != '+'; s++)
            if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
                return false;
    }
    if (*s == '+') {
        s++;
        if (!*s)
            return false;
        for (; *s; s++)
            if (!isalnum((unsigned char)*s) && *s != '-' && *s != '.')
                return false;
    }
    return *s == 0;
}

static bool valid_name(const char *s)
{
    if (!*s)
        return false;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_' && *s != '-')
            return false;
    return true;
}

static const char *str(const cval *m, const char *k)
{
    cval *v = cv_is(m, CV_MAP) ? cv_map_get(m, k) : NULL;
    return cv_is(v, CV_STRING) ? v->u.str.s : "";
}

/* runtime.GOARCH for this machine, into buf */
static const char *go_arch(char *buf, size_t n)
{
    struct utsname u;
    if (uname(&u) != 0)
        return "";
    const char *m = u.machine;
    snprintf(buf, n, "%s", !strcmp(m, "x86_64") ? "amd64" : !strcmp(m, "aarch64") ? "arm64"
                           : !strncmp(m, "arm", 3) ? "arm" : m);
    return buf;
}

/* getPlatformCommand: an exact os/arch match first, then an os match with no
 * arch, then the first entry with neither */
static const cval *platform_command(const cval *list)
{
    const cval *found = NULL;
    bool found_os = false;
    char archbuf[72];
    const char *arch = go_arch(archbuf, sizeof archbuf);
    for (size_t i = 0; cv_is(list, CV_LIST) && i < cv_list_len(list); i++) {
        const cval *c = cv_list_get(list, i);
        const char *os = str(c, "os"), *ar = str(c, "arch");
        if (!strcasecmp(os, "linux") && !strcasecmp(ar, arch))
            return c;
        if ((*os && strcasecmp(os, "linux")) || *ar)
            continue;
        if (!found_os && *os) {
            found = c;
            found_os = true;
        } else if (!found) {
            found = c;
        }
    }
    return found;
}

/* os.Expand with the environment helm gives the plugin: the process's, and
 * HELM_PLUGIN_NAME and HELM_PLUGIN_DIR */
static const char *plugin_env(const char *k, const char *name, const char *dir)
{
    if (!strcmp(k, "HELM_PLUGIN_NAME"))
        return name;
    if (!strcmp(k, "HELM_PLUGIN_DIR"))
        return dir;
    return getenv(k);
}

static void expand(strbuf *out, const char *s, const char *name, const char *dir)
{
    for (; *s; s++) {
        if (*s != '$' || !s[1]) {
            sb_addc(out, *s);
            continue;
        }
        const char *n = s + 1, *e;
        size_t len;
        if (*n == '{') {
            e = strchr(n, '}');
            if (!e) { /* Go drops a bad ${ syntax */
                s = n + strlen(n) - 1;
                continue;
            }
            n++;
            len = (size_t)(e - n);
            s = e;
        } else if (strchr("*#$@!?-0123456789", *n)) {
            len = 1;
            s = n;
        } else {
            e = n;
            while (*e == '_' || isalnum((unsigned char)*e))
                e++;
            len = (size_t)(e - n);
            if (!len) {
                sb_addc(out, '$');
                continue;
            }
            s = e - 1;
        }
        char *k = xstrndup(n, len);
        const char *v = plugin_env(k, name, dir);
        free(k);
        if (v)
            sb_adds(out, v);
    }
}

static void free_argv(char **argv)
{
    for (size_t i = 0; argv && argv[i]; i++)
        free(argv[i]);
    free(argv);
}

void capstan_post_renderer_free(capstan_post_renderer *pr)
{
    if (!pr)
        return;
    free(pr->name);
    free(pr->dir);
    free_argv(pr->argv);
    free(pr);
}

/* The plugin in dir if it is a loadable postrenderer/v1 plugin named name:
 * 1 (with *pr), 0 (another or unloadable plugin), -1 (not runnable here, err set). */
static int try_plugin(arena *a, const char *dir, const char *name, const char *const *args, size_t nargs,
                      capstan_post_renderer **pr, const char **seen_name, capstan_error *err)
{
    *seen_name = NULL;
    char *path = arena_printf(a, "%s/plugin.yaml", dir);
    strbuf sb = STRBUF_INIT;
    if (sb_read_file(&sb, path) != 0) {
        sb_release(&sb);
        return 0;
    }
    cval *m = NULL;
    cap_err e = CAP_ERR_INIT;
    int rc = yaml_parse_raw(a, sb_str(&sb), sb.len, path, &m, &e);
    sb_release(&sb);
    cap_err_clear(&e);
    if (rc != 0 || !cv_is(m, CV_MAP))
        return 0;
    if (strcmp(str(m, "apiVersion"), "v1") != 0)
        return 0; /* legacy plugins are cli/v1 or getter/v1 */
    static const char *const known[] = {"apiVersion", "name", "type", "runtime", "version", "sourceURL", "config",
                                        "runtimeConfig", NULL};
    size_t nk;
    const cv_entry *ent = cv_map_sorted(m, &nk);
    for (size_t i = 0; i < nk; i++) {
        bool ok = false;
        for (int k = 0; known[k]; k++)
            ok |= strcmp(ent[i].key, known[k]) == 0;
        if (!ok)
            return 0; /* strict decoding: an unknown field fails the plugin */
    }
    if (!valid_name(str(m, "name")) || !strict_semver(str(m, "version")) || !*str(m, "type") || !*str(m, "runtime"))
        return 0;
    *seen_name = str(m, "name");
    if (strcmp(str(m, "name"), name) != 0 || strcmp(str(m, "type"), "postrenderer/v1") != 0)
        return 0;
    if (strcmp(str(m, "runtime"), "subprocess") != 0) {
        set_err(err, CAPSTAN_ERENDER, "post-renderer plugin \"%s\": runtime %s is not supported by capstan", name, str(m, "runtime"));
        return -1;
    }
    cval *rcfg = cv_map_get(m, "runtimeConfig");
    const cval *pc = platform_command(cv_is(rcfg, CV_MAP) ? cv_map_get(rcfg, "platformCommand") : NULL);
    const char *command = str(pc, "command");
    if (!pc || !*command) {
        set_err(err, CAPSTAN_ERENDER, "failed to invoke post-renderer plugin \"%s\": failed to prepare plugin command: %s", name,
                "no plugin command is applicable");
        return -1;
    }
    /* the command split at spaces, each part expanded; then args, expanded; then --post-renderer-args */
    cval *cargs = cv_is(pc, CV_MAP) ? cv_map_get(pc, "args") : NULL;
    size_t ncargs = cv_is(cargs, CV_LIST) ? cv_list_len(cargs) : 0;
    size_t cap = strlen(command) + ncargs + nargs + 2, n = 0;
    char **argv = xcalloc(cap, sizeof *argv);
    char *cmd = xstrdup(command);
    for (char *part = cmd, *sp;; part = sp + 1) {
        sp = strchr(part, ' ');
        if (sp)
            *sp = 0;
        strbuf x = STRBUF_INIT;
        expand(&x, part, name, dir);
        argv[n++] = sb_detach(&x, NULL);
        if (!sp)
            break;
    }
    free(cmd);
    for (size_t i = 0; i < ncargs; i++) {
        strbuf x = STRBUF_INIT;
        cval *s = cv_list_get(cargs, i);
        expand(&x, cv_is(s, CV_STRING) ? s->u.str.s : "", name, dir);
        argv[n++] = sb_detach(&x, NULL);
    }
    for (size_t i = 0; i < nargs; i++)
        argv[n++] = xstrdup(args[i]);
    *pr = xcalloc(1, sizeof **pr);
    (*pr)->name = xstrdup(name);
    (*pr)->dir = xstrdup(dir);
    (*pr)->argv = argv;
    return 1;
}

static int cmp_name(const void *x, const void *y) { return strcmp(*(char *const *)x, *(char *const *)y); }

int capstan_post_renderer_find(const char *name, const char *const *args, size_t nargs, capstan_post_renderer **out,
                               capstan_error *err)
{
    *out = NULL;
    char *dirs = plugin_dirs();
    if (!dirs) {
        set_err(err, CAPSTAN_ERENDER, "%s%s", "out of memory", "");
        return -1;
    }
    arena *a = arena_new();
    int rc = 0;
    for (char *d = dirs, *colon; d && rc == 0 && !*out; d = colon ? colon + 1 : NULL) {
        colon = strchr(d, ':');
        if (colon)
            *colon = 0;
        DIR *dd = opendir(*d ? d : ".");
        if (!dd)
            continue;
        /* filepath.Glob of DIR, any entry, plugin.yaml: sorted */
        char **names = NULL;
        size_t nn = 0;
        for (struct dirent *de; (de = readdir(dd));) {
            if (de->d_name[0] == '.')
                continue;
            names = xrealloc(names, (nn + 1) * sizeof *names);
            names[nn++] = xstrdup(de->d_name);
        }
        closedir(dd);
        qsort(names, nn, sizeof *names, cmp_name);
        const char **seen = xcalloc(nn + 1, sizeof *seen);
        const char **seen_dir = xcalloc(nn + 1, sizeof *seen_dir);
        size_t nseen = 0;
        capstan_post_renderer *found = NULL;
        for (size_t i = 0; i < nn && rc == 0; i++) {
            const char *pd = arena_printf(a, "%s/%s", d, names[i]);
            const char *sn;
            capstan_post_renderer *pr = NULL;
            rc = try_plugin(a, pd, name, args, nargs, &pr, &sn, err);
            if (rc < 0)
                break;
            rc = 0;
            if (sn) {
                /* detectDuplicates: two plugins of one name fail the whole directory */
                for (size_t k = 0; k < nseen; k++)
                    if (strcmp(seen[k], sn) == 0) {
                        cap_err e = CAP_ERR_INIT;
                        cap_err_coded(&e, CAPSTAN_ECONFLICT, "two plugins claim the name \"%s\" at \"%s\" and \"%s\"",
                                      sn, seen_dir[k], pd);
                        rc = cap_err_publish(err, &e, CAPSTAN_ECONFLICT);
                    }
                seen[nseen] = sn;
                seen_dir[nseen++] = pd;
            }
            if (pr && !found)
                found = pr;
            else
                capstan_post_renderer_free(pr);
        }
        for (size_t i = 0; i < nn; i++)
            free(names[i]);
        free(names);
        free(seen);
        free(seen_dir);
        if (rc == 0)
            *out = found;
        else
            capstan_post_renderer_free(found);
    }
    arena_free(a);
    free(dirs);
    if (rc == 0 && !*out) {
        set_err(err, CAPSTAN_ENOTFOUND, "plugin: {Name:%s Type:%s} not found", name, "postrenderer/v1");
        rc = -1;
    }
    return rc;
}

char *capstan_post_renderer_run(void *ctx, const char *in, size_t len, size_t *outlen, char **errmsg)
{
    capstan_post_renderer *pr = ctx;
    char tmpl[] = "/tmp/capstan-post-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd < 0) {
        *errmsg = xstrdup(strerror(errno));
        return NULL;
    }
    unlink(tmpl);
    int p[2];
    if (write(fd, in, len) != (ssize_t)len || lseek(fd, 0, SEEK_SET) != 0 || pipe(p) != 0) {
        close(fd);
        *errmsg = xstrdup("cannot buffer the manifests");
        return NULL;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(fd, 0);
        dup2(p[1], 1);
        close(p[0]);
        close(p[1]);
        close(fd);
        setenv("HELM_PLUGIN_NAME", pr->name, 1);
        setenv("HELM_PLUGIN_DIR", pr->dir, 1);
        execvp(pr->argv[0], pr->argv);
        _exit(127);
    }
    close(fd);
    close(p[1]);
    if (pid < 0) {
        close(p[0]);
        *errmsg = xstrdup(strerror(errno));
        return NULL;
    }
    strbuf out = STRBUF_INIT;
    char buf[65536];
    ssize_t r;
    while ((r = read(p[0], buf, sizeof buf)) > 0 || (r < 0 && errno == EINTR))
        if (r > 0)
            sb_add(&out, buf, (size_t)r);
    close(p[0]);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    char *m = NULL;
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        if (asprintf(&m, "failed to invoke post-renderer plugin \"%s\": plugin \"%s\" exited with error", pr->name,
                     pr->name) < 0)
            m = NULL;
    } else {
        size_t i = 0;
        while (i < out.len && isspace((unsigned char)out.buf[i]))
            i++;
        if (i == out.len && asprintf(&m, "post-renderer \"%s\" produced empty output", pr->name) < 0)
            m = NULL;
    }
    if (m) {
        sb_release(&out);
        *errmsg = m;
        return NULL;
    }
    return sb_detach(&out, outlen);
}
