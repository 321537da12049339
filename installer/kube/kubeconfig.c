/* kubeconfig.c — see kubeconfig.h. */
#include "installer/kube/kubeconfig.h"
#include "core/fsutil.h"
#include "core/base64.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/value.h"
#include "core/xalloc.h"
#include "core/yaml.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define SA_DIR "/var/run/secrets/kubernetes.io/serviceaccount"
#define EXEC_TIMEOUT_MS 60000

void kube_config_opts_from_env(kube_config_opts *o)
{
    o->env_kubeconfig = getenv("KUBECONFIG");
    o->env_home = getenv("HOME");
    o->env_service_host = getenv("KUBERNETES_SERVICE_HOST");
    o->env_service_port = getenv("KUBERNETES_SERVICE_PORT");
}

void kube_config_free(kube_config *kc)
{
    if (kc)
        arena_free(kc->a);
}


static const char *str_field(const cval *m, const char *key)
{
    if (!m || m->kind != CV_MAP)
        return NULL;
    cval *v = cv_map_get(m, key);
    return v && v->kind == CV_STRING ? v->u.str.s : NULL;
}

static cval *map_field(const cval *m, const char *key)
{
    if (!m || m->kind != CV_MAP)
        return NULL;
    cval *v = cv_map_get(m, key);
    return v && v->kind == CV_MAP ? v : NULL;
}

/* A named entry of a kubeconfig list (clusters, users, contexts), with the
 * directory of the file it came from, for relative paths. */
struct named {
    cval *body;
    const char *dir;
    const char *file;
};

struct merged {
    cval *clusters, *users, *contexts; /* name -> index into entries */
    struct named *entries;
    size_t n, cap;
    const char *current;
    strbuf sources;
};

static void add_entries(arena *a, struct merged *m, cval *doc, const char *list, const char *inner,
                        cval *index, const char *dir, const char *file)
{
    cval *l = doc->kind == CV_MAP ? cv_map_get(doc, list) : NULL;
    if (!l || l->kind != CV_LIST)
        return;
    for (size_t i = 0; i < cv_list_len(l); i++) {
        cval *e = cv_list_get(l, i);
        const char *name = str_field(e, "name");
        if (!name || cv_map_has(index, name))
            continue; /* the first file that defines a name wins */
        if (m->n == m->cap) {
            size_t nc = m->cap ? m->cap * 2 : 16;
            m->entries = arena_realloc(a, m->entries, m->cap * sizeof *m->entries, nc * sizeof *m->entries);
            m->cap = nc;
        }
        m->entries[m->n] = (struct named){map_field(e, inner), dir, file};
        cv_map_set(index, name, cv_int(a, (int64_t)m->n));
        m->n++;
    }
}

static int load_one(arena *a, struct merged *m, const char *path, bool must_exist, cap_err *err)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        if (!must_exist)
            return 0;
    {
        /* helm's words: client-go's stat error, Go's errno text (lower case) */
        char why[128];
        snprintf(why, sizeof why, "%s", strerror(errno));
        why[0] = (char)tolower((unsigned char)why[0]);
        return cap_err_set(err, "kubernetes cluster unreachable: stat %s: %s", path, why);
    }
    }
    strbuf text = STRBUF_INIT;
    if (fsu_read_file(path, &text, err) < 0) {
        sb_release(&text);
        return -1;
    }
    cval *doc;
    int rc = yaml_parse(a, sb_str(&text), text.len, path, &doc, err);
    sb_release(&text);
    if (rc < 0)
        return -1;
    if (doc->kind == CV_NIL)
        return 0;
    if (doc->kind != CV_MAP)
        return cap_err_at(err, path, 0, 0, "not a kubeconfig: the document is not a map");
    const char *slash = strrchr(path, '/');
    const char *dir = slash ? arena_strndup(a, path, (size_t)(slash - path)) : ".";
    const char *file = arena_strdup(a, path);
    add_entries(a, m, doc, "clusters", "cluster", m->clusters, dir, file);
    add_entries(a, m, doc, "users", "user", m->users, dir, file);
    add_entries(a, m, doc, "contexts", "context", m->contexts, dir, file);
    const char *cur = str_field(doc, "current-context");
    if (!m->current && cur && *cur)
        m->current = cur;
    if (m->sources.len)
        sb_addc(&m->sources, ':');
    sb_adds(&m->sources, path);
    return 0;
}

static struct named *lookup(struct merged *m, cval *index, const char *name)
{
    cval *i = name ? cv_map_get(index, name) : NULL;
    return i ? &m->entries[i->u.i] : NULL;
}

static const char *resolve_path(arena *a, const char *dir, const char *p)
{
    if (!p || !*p || p[0] == '/')
        return p;
    return arena_printf(a, "%s/%s", dir, p);
}

/* certificate-authority-data and friends: base64 of PEM. */
static int b64_field(arena *a, const struct named *e, const char *key, const char **out, size_t *len,
                     cap_err *err)
{
    const char *v = str_field(e->body, key);
    if (!v)
        return 0;
    strbuf d = STRBUF_INIT;
    size_t bad = 0;
    if (base64_decode(&d, v, strlen(v), B64_STD, &bad) < 0) {
        sb_release(&d);
        cap_err_at(err, e->file, 0, 0, "%s: illegal base64 data at input byte %zu", key, bad);
        cap_err_set_key(err, key);
        return -1;
    }
    *out = arena_strndup(a, sb_str(&d), d.len);
    *len = d.len;
    sb_release(&d);
    return 0;
}

static int file_field(arena *a, const struct named *e, const char *key, const char **out, size_t *len,
                      cap_err *err)
{
    const char *p = resolve_path(a, e->dir, str_field(e->body, key));
    if (!p)
        return 0;
    strbuf d = STRBUF_INIT;
    if (fsu_read_file(p, &d, err) < 0) {
        sb_release(&d);
        cap_err_prefix(err, "%s: %s", e->file, key);
        return -1;
    }
    *out = arena_strndup(a, sb_str(&d), d.len);
    *len = d.len;
    sb_release(&d);
    return 0;
}

static const char **str_list(arena *a, const cval *l)
{
    size_t n = l && l->kind == CV_LIST ? cv_list_len(l) : 0;
    const char **out = arena_zalloc(a, (n + 1) * sizeof *out);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        cval *v = cv_list_get(l, i);
        if (v->kind == CV_STRING)
            out[k++] = v->u.str.s;
    }
    return out;
}

static int load_exec(kube_config *kc, const struct named *u, cap_err *err)
{
    cval *ex = map_field(u->body, "exec");
    if (!ex)
        return 0;
    arena *a = kc->a;
    kc->has_exec = true;
    kc->exec.api_version = str_field(ex, "apiVersion");
    kc->exec.command = str_field(ex, "command");
    kc->exec.install_hint = str_field(ex, "installHint");
    if (!kc->exec.command || !*kc->exec.command) {
        cap_err_at(err, u->file, 0, 0, "user \"%s\": exec has no command", kc->user);
        cap_err_set_key(err, "exec.command");
        return -1;
    }
    /* A relative command with a slash is relative to the kubeconfig's folder. */
    if (strchr(kc->exec.command, '/') && kc->exec.command[0] != '/')
        kc->exec.command = resolve_path(a, u->dir, kc->exec.command);
    kc->exec.args = str_list(a, cv_map_get(ex, "args"));
    cval *env = cv_map_get(ex, "env");
    size_t n = env && env->kind == CV_LIST ? cv_list_len(env) : 0;
    kc->exec.env = arena_zalloc(a, (n + 1) * sizeof(char *));
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        const char *name = str_field(cv_list_get(env, i), "name");
        const char *value = str_field(cv_list_get(env, i), "value");
        if (name)
            kc->exec.env[k++] = arena_printf(a, "%s=%s", name, value ? value : "");
    }
    return 0;
}

static int in_cluster(const kube_config_opts *o, kube_config *kc, cap_err *err)
{
    arena *a = kc->a;
    const char *dir = o->serviceaccount_dir ? o->serviceaccount_dir : SA_DIR;
    const char *host = o->env_service_host, *port = o->env_service_port;
    kc->conn.server = strchr(host, ':') ? arena_printf(a, "https://[%s]:%s", host, port)
                                        : arena_printf(a, "https://%s:%s", host, port);
    kc->conn.token_file = arena_printf(a, "%s/token", dir);
    kc->conn.ca_file = arena_printf(a, "%s/ca.crt", dir);
    kc->context = "";
    kc->cluster = "in-cluster";
    kc->user = "service-account";
    kc->source = "in-cluster service account";
    strbuf ns = STRBUF_INIT;
    cap_err ignore = CAP_ERR_INIT;
    const char *nsfile = arena_printf(a, "%s/namespace", dir);
    if (fsu_read_file(nsfile, &ns, &ignore) == 0 && ns.len) {
        while (ns.len && (ns.buf[ns.len - 1] == '\n' || ns.buf[ns.len - 1] == ' '))
            ns.buf[--ns.len] = '\0';
        kc->namespace = arena_strdup(a, ns.buf);
    }
    cap_err_clear(&ignore);
    sb_release(&ns);
    if (access(kc->conn.token_file, R_OK) != 0)
        return cap_err_at(err, kc->conn.token_file, 0, 0, "in-cluster config: cannot read the service-account token: %s",
                          strerror(errno));
    return 0;
}

int kube_config_load(const kube_config_opts *o, kube_config **out, cap_err *err)
{
    kube_config *kc;
    arena *a = arena_new();
    kc = arena_zalloc(a, sizeof *kc);
    kc->a = a;
    struct merged m = {.clusters = cv_map_new(a), .users = cv_map_new(a), .contexts = cv_map_new(a)};
    int rc = -1;

    if (o->kubeconfig && *o->kubeconfig) {
        if (load_one(a, &m, o->kubeconfig, true, err) < 0)
            goto done;
    } else if (o->env_kubeconfig && *o->env_kubeconfig) {
        char *list = xstrdup(o->env_kubeconfig), *save = NULL;
        for (char *p = strtok_r(list, ":", &save); p; p = strtok_r(NULL, ":", &save)) {
            if (load_one(a, &m, p, false, err) < 0) {
                free(list);
                goto done;
            }
        }
        free(list);
    } else if (o->env_home) {
        const char *def = arena_printf(a, "%s/.kube/config", o->env_home);
        if (load_one(a, &m, def, false, err) < 0)
            goto done;
    }

    if (m.n == 0 && !o->kubeconfig) {
        if (o->env_service_host && *o->env_service_host && o->env_service_port && *o->env_service_port) {
            if (in_cluster(o, kc, err) < 0)
                goto done;
            goto finish;
        }
        cap_err_set(err, "no kubeconfig found: set KUBECONFIG, pass --kubeconfig, or create ~/.kube/config");
        goto done;
    }
    kc->source = arena_strdup(a, sb_str(&m.sources));

    const char *ctxname = o->context && *o->context ? o->context : m.current;
    if (!ctxname) {
        cap_err_at(err, kc->source, 0, 0, "no current-context is set; pass --kube-context");
        cap_err_set_key(err, "current-context");
        goto done;
    }
    struct named *ctx = lookup(&m, m.contexts, ctxname);
    if (!ctx) {
        cap_err_set(err, "kubernetes cluster unreachable: context \"%s\" does not exist", ctxname); /* helm's */
        cap_err_set_key(err, "contexts");
        goto done;
    }
    kc->context = arena_strdup(a, ctxname);
    kc->cluster = str_field(ctx->body, "cluster");
    kc->user = str_field(ctx->body, "user");
    kc->namespace = str_field(ctx->body, "namespace");
    struct named *cl = lookup(&m, m.clusters, kc->cluster);
    if (!cl || !cl->body) {
        cap_err_at(err, ctx->file, 0, 0, "context \"%s\": cluster \"%s\" does not exist", ctxname,
                   kc->cluster ? kc->cluster : "");
        cap_err_set_key(err, "clusters");
        goto done;
    }
    kc->conn.server = str_field(cl->body, "server");
    if (!kc->conn.server || !*kc->conn.server) {
        cap_err_at(err, cl->file, 0, 0, "cluster \"%s\" has no server", kc->cluster);
        cap_err_set_key(err, "cluster.server");
        goto done;
    }
    kc->conn.tls_server_name = str_field(cl->body, "tls-server-name");
    cval *insecure = cv_map_get(cl->body, "insecure-skip-tls-verify");
    kc->conn.insecure = insecure && insecure->kind == CV_BOOL && insecure->u.b;
    if (b64_field(a, cl, "certificate-authority-data", &kc->conn.ca_pem, &kc->conn.ca_pem_len, err) < 0)
        goto done;
    if (!kc->conn.ca_pem)
        kc->conn.ca_file = resolve_path(a, cl->dir, str_field(cl->body, "certificate-authority"));

    struct named *u = lookup(&m, m.users, kc->user);
    if (kc->user && *kc->user && !u) {
        cap_err_at(err, ctx->file, 0, 0, "context \"%s\": user \"%s\" does not exist", ctxname, kc->user);
        cap_err_set_key(err, "users");
        goto done;
    }
    if (u && u->body) {
        if (b64_field(a, u, "client-certificate-data", &kc->conn.cert_pem, &kc->conn.cert_pem_len, err) < 0 ||
            b64_field(a, u, "client-key-data", &kc->conn.key_pem, &kc->conn.key_pem_len, err) < 0)
            goto done;
        if (!kc->conn.cert_pem && file_field(a, u, "client-certificate", &kc->conn.cert_pem, &kc->conn.cert_pem_len, err) < 0)
            goto done;
        if (!kc->conn.key_pem && file_field(a, u, "client-key", &kc->conn.key_pem, &kc->conn.key_pem_len, err) < 0)
            goto done;
        if (!!kc->conn.cert_pem != !!kc->conn.key_pem) {
            cap_err_at(err, u->file, 0, 0, "user \"%s\": a client certificate needs its key, and a key its certificate",
                       kc->user);
            goto done;
        }
        kc->conn.token = str_field(u->body, "token");
        kc->conn.token_file = resolve_path(a, u->dir, str_field(u->body, "tokenFile"));
        kc->conn.username = str_field(u->body, "username");
        kc->conn.password = str_field(u->body, "password");
        if (map_field(u->body, "auth-provider")) {
            cap_err_at(err, u->file, 0, 0, "user \"%s\": auth-provider is not supported; use an exec credential plugin",
                       kc->user);
            cap_err_set_key(err, "auth-provider");
            goto done;
        }
        if (load_exec(kc, u, err) < 0)
            goto done;
    }
finish:
    if (o->namespace && *o->namespace)
        kc->namespace = arena_strdup(a, o->namespace);
    if (!kc->namespace || !*kc->namespace)
        kc->namespace = "default";
    if (o->insecure)
        kc->conn.insecure = true;
    rc = 0;
done:
    sb_release(&m.sources);
    if (rc < 0) {
        arena_free(a);
        *out = NULL;
    } else {
        *out = kc;
    }
    return rc;
}

/* ---- exec credential plugins -------------------------------------------- */

static int run_plugin(kube_config *kc, strbuf *out, strbuf *errout, int *status, cap_err *err)
{
    int po[2], pe[2];
    if (pipe(po) < 0 || pipe(pe) < 0)
        return cap_err_set(err, "exec plugin: pipe: %s", strerror(errno));
    const char *api = kc->exec.api_version ? kc->exec.api_version : "client.authentication.k8s.io/v1";
    char *info = NULL;
    if (asprintf(&info, "KUBERNETES_EXEC_INFO={\"apiVersion\":\"%s\",\"kind\":\"ExecCredential\","
                        "\"spec\":{\"interactive\":false}}", api) < 0)
        return cap_err_set(err, "exec plugin: out of memory");
    pid_t pid = fork();
    if (pid < 0) {
        free(info);
        return cap_err_set(err, "exec plugin: fork: %s", strerror(errno));
    }
    if (pid == 0) {
        dup2(po[1], 1);
        dup2(pe[1], 2);
        close(po[0]);
        close(pe[0]);
        int devnull = open("/dev/null", O_RDONLY);
        if (devnull >= 0)
            dup2(devnull, 0);
        putenv(info);
        for (const char **e = kc->exec.env; e && *e; e++)
            putenv((char *)*e);
        size_t n = 0;
        while (kc->exec.args && kc->exec.args[n])
            n++;
        char **argv = calloc(n + 2, sizeof *argv);
        argv[0] = (char *)kc->exec.command;
        for (size_t i = 0; i < n; i++)
            argv[i + 1] = (char *)kc->exec.args[i];
        execvp(argv[0], argv);
        fprintf(stderr, "%s: %s\n", kc->exec.command, strerror(errno));
        _exit(127);
    }
    free(info);
    close(po[1]);
    close(pe[1]);
    struct pollfd fds[2] = {{po[0], POLLIN, 0}, {pe[0], POLLIN, 0}};
    int open_fds = 2;
    struct timespec start, now;
    clock_gettime(CLOCK_MONOTONIC, &start);
    bool timed_out = false;
    while (open_fds > 0) {
        clock_gettime(CLOCK_MONOTONIC, &now);
        long elapsed = (now.tv_sec - start.tv_sec) * 1000 + (now.tv_nsec - start.tv_nsec) / 1000000;
        if (elapsed >= EXEC_TIMEOUT_MS) {
            timed_out = true;
            kill(pid, SIGKILL);
            break;
        }
        if (poll(fds, 2, (int)(EXEC_TIMEOUT_MS - elapsed)) < 0 && errno != EINTR)
            break;
        for (int i = 0; i < 2; i++) {
            if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR)))
                continue;
            char buf[4096];
            ssize_t r = read(fds[i].fd, buf, sizeof buf);
            if (r > 0) {
                sb_add(i == 0 ? out : errout, buf, (size_t)r);
            } else if (r == 0 || errno != EINTR) {
                close(fds[i].fd);
                fds[i].fd = -1;
                open_fds--;
            }
        }
    }
    for (int i = 0; i < 2; i++)
        if (fds[i].fd >= 0)
            close(fds[i].fd);
    waitpid(pid, status, 0);
    if (timed_out)
        return cap_err_set(err, "exec plugin %s: no answer after %d s", kc->exec.command, EXEC_TIMEOUT_MS / 1000);
    return 0;
}

int kube_config_run_exec(kube_config *kc, cap_err *err)
{
    if (!kc->has_exec)
        return 0;
    strbuf out = STRBUF_INIT, errout = STRBUF_INIT;
    int status = 0, rc = -1;
    if (run_plugin(kc, &out, &errout, &status, err) < 0)
        goto done;
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        const char *e = sb_str(&errout);
        size_t l = strcspn(e, "\n");
        if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && kc->exec.install_hint)
            cap_err_set(err, "exec plugin %s failed: %.*s (%s)", kc->exec.command, (int)l, e, kc->exec.install_hint);
        else
            cap_err_set(err, "exec plugin %s failed (exit %d): %.*s", kc->exec.command,
                        WIFEXITED(status) ? WEXITSTATUS(status) : -1, (int)l, e);
        goto done;
    }
    cval *cred;
    if (json_parse(kc->a, sb_str(&out), out.len, kc->exec.command, &cred, err) < 0) {
        cap_err_prefix(err, "exec plugin output");
        goto done;
    }
    cval *st = map_field(cred, "status");
    if (!st) {
        cap_err_set(err, "exec plugin %s: its ExecCredential has no status", kc->exec.command);
        goto done;
    }
    const char *token = str_field(st, "token");
    const char *cert = str_field(st, "clientCertificateData");
    const char *key = str_field(st, "clientKeyData");
    if (token) {
        kc->conn.token = token;
        kc->conn.token_file = NULL;
    }
    if (cert && key) {
        kc->conn.cert_pem = cert;
        kc->conn.cert_pem_len = strlen(cert);
        kc->conn.key_pem = key;
        kc->conn.key_pem_len = strlen(key);
    }
    if (!token && !(cert && key)) {
        cap_err_set(err, "exec plugin %s: its ExecCredential has neither a token nor a client certificate",
                    kc->exec.command);
        goto done;
    }
    rc = 0;
done:
    sb_release(&out);
    sb_release(&errout);
    return rc;
}
