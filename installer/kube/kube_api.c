/* kube_api.c — see kube_api.h. */
#include "installer/kube/kube_api.h"
#include "core/json.h"
#include "core/strbuf.h"
#include "core/xalloc.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

struct gv_cache {
    char *group_version;
    arena *a;
    kube_resource *res;
    size_t n;
    bool missing;   /* the server does not serve this group/version */
};

struct kube_api {
    kube_client *client;
    struct gv_cache *gvs;
    size_t ngvs, capgvs;
};

kube_api *kube_api_new(kube_client *client)
{
    kube_api *api = xcalloc(1, sizeof *api);
    api->client = client;
    return api;
}

void kube_api_free(kube_api *api)
{
    if (!api)
        return;
    for (size_t i = 0; i < api->ngvs; i++) {
        free(api->gvs[i].group_version);
        arena_free(api->gvs[i].a);
    }
    free(api->gvs);
    free(api);
}

kube_client *kube_api_client(kube_api *api) { return api->client; }

static const char *str_field(const cval *m, const char *key)
{
    if (!m || m->kind != CV_MAP)
        return NULL;
    cval *v = cv_map_get(m, key);
    return v && v->kind == CV_STRING ? v->u.str.s : NULL;
}

void kube_api_error(cap_err *err, const kube_response *resp, const char *what)
{
    arena *a = arena_new();
    cval *st = NULL;
    cap_err ignore = CAP_ERR_INIT;
    const char *msg = NULL;
    if (resp->body.len && json_parse(a, resp->body.buf, resp->body.len, NULL, &st, &ignore) == 0)
        msg = str_field(st, "message");
    cap_err_clear(&ignore);
    if (resp->status == 401) {
        cap_err_set(err, "%s: the API server did not accept the credentials (401 %s): check the user in the kubeconfig",
                    what, msg && *msg ? msg : "Unauthorized");
    } else if (msg && *msg) {
        cap_err_set(err, "%s: %s", what, msg);
    } else if (resp->body.len) {
        size_t l = strcspn(resp->body.buf, "\n");
        if (l > 300)
            l = 300;
        cap_err_set(err, "%s: HTTP %ld: %.*s", what, resp->status, (int)l, resp->body.buf);
    } else {
        cap_err_set(err, "%s: HTTP %ld", what, resp->status);
    }
    cap_err_set_code(err, cap_err_http_code(resp->status));
    arena_free(a);
}

static int get_json(kube_api *api, arena *a, const char *path, long *status, cval **out, cap_err *err)
{
    kube_response r;
    *out = NULL;
    if (kube_request(api->client, "GET", path, NULL, NULL, 0, &r, err) < 0)
        return -1;
    *status = r.status;
    int rc = 0;
    if (r.status >= 200 && r.status < 300) {
        rc = json_parse(a, sb_str(&r.body), r.body.len, path, out, err);
    } else if (r.status != 404) {
        kube_api_error(err, &r, path);
        rc = -1;
    }
    kube_response_release(&r);
    return rc;
}

int kube_api_get_path(kube_api *api, arena *a, const char *path, long *status, cval **out, cap_err *err)
{
    kube_response r;
    *out = NULL;
    if (kube_request(api->client, "GET", path, NULL, NULL, 0, &r, err) < 0)
        return -1;
    *status = r.status;
    cap_err ignore = CAP_ERR_INIT;
    if (r.body.len && json_parse(a, r.body.buf, r.body.len, path, out, &ignore) < 0)
        *out = cv_string(a, r.body.buf, r.body.len);
    cap_err_clear(&ignore);
    kube_response_release(&r);
    return 0;
}

/* Fetch (or refetch) one group/version's resources. */
static struct gv_cache *discover(kube_api *api, const char *gv, bool refresh, cap_err *err)
{
    struct gv_cache *c = NULL;
    for (size_t i = 0; i < api->ngvs; i++)
        if (strcmp(api->gvs[i].group_version, gv) == 0)
            c = &api->gvs[i];
    if (c && !refresh)
        return c;
    if (!c) {
        if (api->ngvs == api->capgvs) {
            api->capgvs = api->capgvs ? api->capgvs * 2 : 16;
            api->gvs = xrealloc(api->gvs, api->capgvs * sizeof *api->gvs);
        }
        c = &api->gvs[api->ngvs++];
        memset(c, 0, sizeof *c);
        c->group_version = xstrdup(gv);
    }
    if (c->a)
        arena_free(c->a);
    c->a = arena_new();
    c->res = NULL;
    c->n = 0;
    c->missing = false;
    const char *slash = strchr(gv, '/');
    char *path = slash ? arena_printf(c->a, "/apis/%s", gv) : arena_printf(c->a, "/api/%s", gv);
    long status = 0;
    cval *doc;
    if (get_json(api, c->a, path, &status, &doc, err) < 0)
        return NULL;
    if (status == 404 || !doc) {
        c->missing = true;
        return c;
    }
    cval *list = cv_map_get(doc, "resources");
    size_t n = list && list->kind == CV_LIST ? cv_list_len(list) : 0;
    c->res = arena_zalloc(c->a, (n ? n : 1) * sizeof *c->res);
    const char *group = slash ? arena_strndup(c->a, gv, (size_t)(slash - gv)) : "";
    const char *version = slash ? slash + 1 : gv;
    for (size_t i = 0; i < n; i++) {
        cval *e = cv_list_get(list, i);
        const char *name = str_field(e, "name"), *kind = str_field(e, "kind");
        if (!name || !kind || strchr(name, '/'))
            continue; /* subresources such as pods/status */
        cval *nsd = cv_map_get(e, "namespaced");
        c->res[c->n++] = (kube_resource){group, version, kind, name, nsd && nsd->kind == CV_BOOL && nsd->u.b};
    }
    return c;
}

int kube_api_resources(kube_api *api, const char *group_version, const kube_resource **out, size_t *n,
                       cap_err *err)
{
    struct gv_cache *c = discover(api, group_version, false, err);
    if (!c)
        return -1;
    *out = c->res;
    *n = c->n;
    return 0;
}

int kube_api_resolve(kube_api *api, const char *api_version, const char *kind,
                     const kube_resource **out, cap_err *err)
{
    if (!api_version || !*api_version || !kind || !*kind)
        return cap_err_set(err, "an object without apiVersion or kind");
    /* the cache, then fresh looks for up to 2 s: a CRD just Established can
     * take a moment to show in the API server's discovery */
    for (int pass = 0; pass < 9; pass++) {
        if (pass >= 2) {
            struct timespec ts = {0, 250 * 1000000L};
            nanosleep(&ts, NULL);
        }
        struct gv_cache *c = discover(api, api_version, pass >= 1, err);
        if (!c)
            return -1;
        for (size_t i = 0; i < c->n; i++) {
            if (strcmp(c->res[i].kind, kind) == 0) {
                *out = &c->res[i];
                return 0;
            }
        }
    }
    return cap_err_set(err, "the cluster does not serve %s in %s (is its CRD installed?)", kind, api_version);
}

static void add_escaped(strbuf *sb, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == ':')
            sb_addc(sb, (char)c);
        else
            sb_addf(sb, "%%%02X", c);
    }
}

char *kube_api_path(arena *a, const kube_resource *r, const char *ns, const char *name)
{
    strbuf sb = STRBUF_INIT;
    if (*r->group)
        sb_addf(&sb, "/apis/%s/%s", r->group, r->version);
    else
        sb_addf(&sb, "/api/%s", r->version);
    if (r->namespaced && ns && *ns) {
        sb_adds(&sb, "/namespaces/");
        add_escaped(&sb, ns);
    }
    sb_addc(&sb, '/');
    sb_adds(&sb, r->plural);
    if (name) {
        sb_addc(&sb, '/');
        add_escaped(&sb, name);
    }
    char *p = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return p;
}

int kube_api_get(kube_api *api, arena *a, const char *api_version, const char *kind,
                 const char *ns, const char *name, cval **out, cap_err *err)
{
    const kube_resource *r;
    *out = NULL;
    if (kube_api_resolve(api, api_version, kind, &r, err) < 0)
        return -1;
    long status;
    if (get_json(api, a, kube_api_path(a, r, ns, name), &status, out, err) < 0) {
        cap_err_prefix(err, "get %s %s", kind, name);
        return -1;
    }
    return 0;
}

int kube_api_list(kube_api *api, arena *a, const char *api_version, const char *kind,
                  const char *ns, const char *label_selector, cval **out, cap_err *err)
{
    const kube_resource *r;
    if (kube_api_resolve(api, api_version, kind, &r, err) < 0)
        return -1;
    strbuf path = STRBUF_INIT;
    sb_adds(&path, kube_api_path(a, r, ns, NULL));
    if (label_selector && *label_selector) {
        sb_adds(&path, "?labelSelector=");
        add_escaped(&path, label_selector);
    }
    long status;
    cval *doc;
    int rc = get_json(api, a, path.buf, &status, &doc, err);
    /* a list is {"items": [...]}; absent or null items is an empty list (as
     * Go decodes it), anything else a broken response, never "nothing there" */
    cval *items = doc && doc->kind == CV_MAP ? cv_map_get(doc, "items") : NULL;
    if (rc == 0 && doc && doc->kind != CV_MAP && doc->kind != CV_NIL)
        rc = cap_err_set(err, "list %s: the response to GET %s is not a JSON object", kind, path.buf);
    else if (rc == 0 && items && items->kind != CV_LIST && items->kind != CV_NIL)
        rc = cap_err_set(err, "list %s: the response to GET %s has \"items\" that is not a list", kind, path.buf);
    for (size_t i = 0; rc == 0 && items && items->kind == CV_LIST && i < cv_list_len(items); i++)
        if (cv_list_get(items, i)->kind != CV_MAP)
            rc = cap_err_set(err, "list %s: the response to GET %s has items[%zu] that is not an object", kind,
                             path.buf, i);
    sb_release(&path);
    if (rc < 0)
        return -1;
    *out = items && items->kind == CV_LIST ? items : cv_list_new(a, 0);
    return 0;
}

int kube_api_apply(kube_api *api, arena *a, const cval *obj, const char *ns,
                   const kube_apply_opts *o, cval **out, cap_err *err)
{
    if (!obj || obj->kind != CV_MAP)
        return cap_err_set(err, "apply: the object is not a map");
    const char *apiv = str_field(obj, "apiVersion"), *kind = str_field(obj, "kind");
    cval *meta = cv_map_get(obj, "metadata");
    const char *name = str_field(meta, "name");
    if (!name || !*name)
        return cap_err_set(err, "apply: %s has no metadata.name", kind ? kind : "an object");
    const kube_resource *r;
    if (kube_api_resolve(api, apiv, kind, &r, err) < 0)
        return -1;
    const char *objns = str_field(meta, "namespace");
    const char *use_ns = objns && *objns ? objns : ns;
    cval *body = (cval *)obj;
    if (r->namespaced && (!objns || !*objns) && use_ns) {
        body = cv_deep_copy(a, obj);
        cv_map_set(cv_map_get(body, "metadata"), "namespace", cv_cstring(a, use_ns));
    }
    strbuf json = STRBUF_INIT, path = STRBUF_INIT;
    if (json_emit(&json, body, JSON_RAW, err) < 0) {
        sb_release(&json);
        return -1;
    }
    sb_adds(&path, kube_api_path(a, r, use_ns, name));
    sb_adds(&path, "?fieldManager=");
    add_escaped(&path, o && o->field_manager ? o->field_manager : "capstan");
    sb_adds(&path, "&fieldValidation=Strict");
    if (o && o->force)
        sb_adds(&path, "&force=true");
    if (o && o->dry_run)
        sb_adds(&path, "&dryRun=All");
    kube_response resp;
    int rc = kube_request(api->client, "PATCH", path.buf, "application/apply-patch+yaml", json.buf, json.len,
                          &resp, err);
    sb_release(&json);
    sb_release(&path);
    if (rc < 0)
        return -1;
    if (resp.status < 200 || resp.status >= 300) {
        char *what = arena_printf(a, "apply %s %s%s%s", kind, r->namespaced && use_ns ? use_ns : "",
                                  r->namespaced && use_ns ? "/" : "", name);
        kube_api_error(err, &resp, what);
        rc = resp.status == 409 ? -2 : -1;
        kube_response_release(&resp);
        return rc;
    }
    rc = 0;
    if (out)
        rc = json_parse(a, sb_str(&resp.body), resp.body.len, "apply response", out, err);
    kube_response_release(&resp);
    return rc;
}

int kube_api_delete(kube_api *api, const char *api_version, const char *kind, const char *ns,
                    const char *name, const char *propagation, bool *existed, cap_err *err)
{
    const kube_resource *r;
    if (kube_api_resolve(api, api_version, kind, &r, err) < 0)
        return -1;
    arena *a = arena_new();
    strbuf path = STRBUF_INIT;
    sb_adds(&path, kube_api_path(a, r, ns, name));
    sb_addf(&path, "?propagationPolicy=%s", propagation ? propagation : "Background");
    kube_response resp;
    int rc = kube_request(api->client, "DELETE", path.buf, NULL, NULL, 0, &resp, err);
    sb_release(&path);
    if (rc == 0) {
        if (existed)
            *existed = resp.status != 404;
        if (resp.status != 404 && (resp.status < 200 || resp.status >= 300)) {
            kube_api_error(err, &resp, arena_printf(a, "delete %s %s", kind, name));
            rc = -1;
        }
        kube_response_release(&resp);
    }
    arena_free(a);
    return rc;
}

/* POST to the collection or PUT to the object. */
static int write_object(kube_api *api, arena *a, const char *method, const cval *obj, const char *ns,
                        bool *conflict, cval **out, cap_err *err)
{
    if (conflict)
        *conflict = false;
    if (out)
        *out = NULL;
    if (!obj || obj->kind != CV_MAP)
        return cap_err_set(err, "%s: the object is not a map", method);
    const char *apiv = str_field(obj, "apiVersion"), *kind = str_field(obj, "kind");
    cval *meta = cv_map_get(obj, "metadata");
    const char *name = str_field(meta, "name");
    const kube_resource *r;
    if (!name || kube_api_resolve(api, apiv, kind, &r, err) < 0)
        return name ? -1 : cap_err_set(err, "%s: %s has no metadata.name", method, kind ? kind : "an object");
    const char *objns = str_field(meta, "namespace");
    const char *use_ns = objns && *objns ? objns : ns;
    strbuf json = STRBUF_INIT;
    if (json_emit(&json, obj, JSON_RAW, err) < 0) {
        sb_release(&json);
        return -1;
    }
    const char *path = kube_api_path(a, r, use_ns, strcmp(method, "POST") == 0 ? NULL : name);
    kube_response resp;
    int rc = kube_request(api->client, method, path, "application/json", json.buf, json.len, &resp, err);
    sb_release(&json);
    if (rc < 0)
        return -1;
    if (resp.status == 409 && conflict) {
        *conflict = true;
        kube_response_release(&resp);
        return 0;
    }
    if (resp.status < 200 || resp.status >= 300) {
        kube_api_error(err, &resp, arena_printf(a, "%s %s %s", strcmp(method, "POST") == 0 ? "create" : "update",
                                                kind, name));
        kube_response_release(&resp);
        return -1;
    }
    rc = out ? json_parse(a, sb_str(&resp.body), resp.body.len, path, out, err) : 0;
    kube_response_release(&resp);
    return rc;
}

int kube_api_create(kube_api *api, arena *a, const cval *obj, const char *ns, bool *conflict, cval **out,
                    cap_err *err)
{
    return write_object(api, a, "POST", obj, ns, conflict, out, err);
}

int kube_api_replace(kube_api *api, arena *a, const cval *obj, const char *ns, bool *conflict, cval **out,
                     cap_err *err)
{
    return write_object(api, a, "PUT", obj, ns, conflict, out, err);
}

int kube_api_pod_log(kube_api *api, arena *a, const char *ns, const char *pod, const char *container,
                     long tail_lines, bool previous, char **out, size_t *len, cap_err *err)
{
    strbuf path = STRBUF_INIT;
    sb_adds(&path, "/api/v1/namespaces/");
    add_escaped(&path, ns);
    sb_adds(&path, "/pods/");
    add_escaped(&path, pod);
    sb_adds(&path, "/log");
    char sep = '?';
    if (container) {
        sb_adds(&path, "?container=");
        add_escaped(&path, container);
        sep = '&';
    }
    if (tail_lines > 0) {
        sb_addf(&path, "%ctailLines=%ld", sep, tail_lines);
        sep = '&';
    }
    if (previous)
        sb_addf(&path, "%cprevious=true", sep);
    kube_response r;
    int rc = kube_request(api->client, "GET", path.buf, NULL, NULL, 0, &r, err);
    sb_release(&path);
    if (rc < 0)
        return -1;
    if (r.status != 200) {
        kube_api_error(err, &r, container ? arena_printf(a, "logs of pod %s, container %s", pod, container)
                                          : arena_printf(a, "logs of pod %s", pod));
        kube_response_release(&r);
        return -1;
    }
    *len = r.body.len;
    *out = arena_strndup(a, r.body.len ? r.body.buf : "", r.body.len);
    kube_response_release(&r);
    return 0;
}
