/* journal.c — see journal.h. */
#include "installer/release/journal.h"

#include <string.h>

journal *journal_new(arena *a)
{
    journal *j = arena_zalloc(a, sizeof *j);
    j->a = a;
    return j;
}

journal_entry *journal_add(journal *j, journal_op op, const char *api_version, const char *kind,
                           const char *ns, const char *name, const cval *before)
{
    if (j->n == j->cap) {
        size_t nc = j->cap ? j->cap * 2 : 32;
        j->e = arena_realloc(j->a, j->e, j->cap * sizeof *j->e, nc * sizeof *j->e);
        j->cap = nc;
    }
    journal_entry *e = &j->e[j->n++];
    e->op = op;
    e->api_version = arena_strdup(j->a, api_version);
    e->kind = arena_strdup(j->a, kind);
    e->namespace = ns ? arena_strdup(j->a, ns) : NULL;
    e->name = arena_strdup(j->a, name);
    e->before = before ? cv_deep_copy(j->a, before) : NULL;
    return e;
}

const char *journal_op_name(journal_op op)
{
    switch (op) {
    case J_CREATED: return "created";
    case J_CHANGED: return "changed";
    case J_UNCHANGED: return "unchanged";
    case J_DELETED: return "deleted";
    }
    return "?";
}

cval *journal_restorable(arena *a, const cval *live)
{
    cval *o = cv_deep_copy(a, live);
    if (o->kind != CV_MAP)
        return o;
    cv_map_delete(o, "status");
    cval *meta = cv_map_get(o, "metadata");
    if (meta && meta->kind == CV_MAP) {
        static const char *const server_set[] = {"resourceVersion", "uid", "creationTimestamp", "generation",
                                                 "managedFields", "selfLink", "deletionTimestamp",
                                                 "deletionGracePeriodSeconds", NULL};
        for (const char *const *k = server_set; *k; k++)
            cv_map_delete(meta, *k);
        cval *ann = cv_map_get(meta, "annotations");
        if (ann && ann->kind == CV_MAP) {
            cv_map_delete(ann, "kubectl.kubernetes.io/last-applied-configuration");
            cv_map_delete(ann, "deployment.kubernetes.io/revision");
        }
    }
    /* fields the API server fills in that an apply may not set back */
    const char *kind = cv_map_get(o, "kind") && cv_map_get(o, "kind")->kind == CV_STRING
                           ? cv_map_get(o, "kind")->u.str.s : "";
    cval *spec = cv_map_get(o, "spec");
    if (strcmp(kind, "Service") == 0 && spec && spec->kind == CV_MAP) {
        cv_map_delete(spec, "clusterIP");
        cv_map_delete(spec, "clusterIPs");
    }
    if (strcmp(kind, "PersistentVolumeClaim") == 0 && spec && spec->kind == CV_MAP)
        cv_map_delete(spec, "volumeName");
    return o;
}

static int undo(kube_api *api, journal *j, const char *field_manager, FILE *log, bool created_only, cap_err *err);

int journal_undo(kube_api *api, journal *j, const char *field_manager, FILE *log, cap_err *err)
{
    return undo(api, j, field_manager, log, false, err);
}

int journal_undo_created(kube_api *api, journal *j, FILE *log, cap_err *err)
{
    return undo(api, j, NULL, log, true, err);
}

static int undo(kube_api *api, journal *j, const char *field_manager, FILE *log, bool created_only, cap_err *err)
{
    int rc = 0;
    cap_err first = CAP_ERR_INIT;
    for (size_t k = j->n; k-- > 0;) {
        journal_entry *e = &j->e[k];
        if (created_only && e->op != J_CREATED)
            continue;
        cap_err step = CAP_ERR_INIT;
        int r = 0;
        arena *a = arena_new();
        switch (e->op) {
        case J_UNCHANGED:
            break;
        case J_CREATED:
            r = kube_api_delete(api, e->api_version, e->kind, e->namespace, e->name, "Background", NULL, &step);
            if (log && r == 0)
                fprintf(log, "rollback: deleted %s/%s (created by this operation)\n", e->kind, e->name);
            break;
        case J_CHANGED: {
            kube_apply_opts o = {.field_manager = field_manager, .force = true};
            r = kube_api_apply(api, a, journal_restorable(a, e->before), e->namespace, &o, NULL, &step);
            if (log && r == 0)
                fprintf(log, "rollback: restored %s/%s to its previous state\n", e->kind, e->name);
            break;
        }
        case J_DELETED: {
            bool conflict;
            r = kube_api_create(api, a, journal_restorable(a, e->before), e->namespace, &conflict, NULL, &step);
            if (log && r == 0)
                fprintf(log, "rollback: recreated %s/%s (deleted by this operation)\n", e->kind, e->name);
            break;
        }
        }
        arena_free(a);
        if (r < 0) {
            rc = -1;
            if (log)
                fprintf(log, "rollback: %s/%s: %s\n", e->kind, e->name, step.msg);
            if (!first.msg)
                cap_err_move(&first, &step);
        }
        cap_err_clear(&step);
    }
    if (rc < 0)
        cap_err_move(err, &first);
    return rc;
}
