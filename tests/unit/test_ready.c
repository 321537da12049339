/* test_ready.c — readiness rules per kind, and fail-fast pod diagnostics. */
#include "unit.h"
#include "installer/release/ready.h"
#include "core/yaml.h"

#include <string.h>

static ready_result check(arena *a, const char *y)
{
    cval *o;
    cap_err err = CAP_ERR_INIT;
    if (yaml_parse(a, y, strlen(y), "test", &o, &err) < 0)
        fail_msg("bad test YAML: %s", err.msg);
    return ready_status(a, o);
}

#define EXPECT(a, y, st, msg)                                                  \
    do {                                                                       \
        ready_result r_ = check(a, y);                                         \
        if (r_.state != (st) || strcmp(r_.message, msg) != 0)                  \
            fail_msg("%s: got %s \"%s\", want %s \"%s\"", #y,                  \
                     ready_state_name(r_.state), r_.message,                   \
                     ready_state_name(st), msg);                               \
    } while (0)

#define DEP(spec, status) "apiVersion: apps/v1\nkind: Deployment\nmetadata: {generation: 2}\nspec: " spec "\nstatus: " status "\n"

static void deployments(void **state)
{
    arena *a = arena_new();
    EXPECT(a, DEP("{replicas: 3}", "{observedGeneration: 1, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}"),
           READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    EXPECT(a, DEP("{replicas: 3}", "{observedGeneration: 2, replicas: 3, updatedReplicas: 1, readyReplicas: 3, availableReplicas: 3}"),
           READY_IN_PROGRESS, "1/3 replicas updated");
    EXPECT(a, DEP("{replicas: 3}", "{observedGeneration: 2, replicas: 4, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}"),
           READY_IN_PROGRESS, "1 old replicas pending termination");
    EXPECT(a, DEP("{replicas: 3}", "{observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 2}"),
           READY_IN_PROGRESS, "2/3 replicas available");
    EXPECT(a, DEP("{replicas: 3}", "{observedGeneration: 2, replicas: 3, updatedReplicas: 3, readyReplicas: 3, availableReplicas: 3}"),
           READY_CURRENT, "3/3 replicas available");
    EXPECT(a, DEP("{}", "{observedGeneration: 2, replicas: 1, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1}"),
           READY_CURRENT, "1/1 replicas available"); /* replicas defaults to 1 */
    EXPECT(a, DEP("{replicas: 0}", "{observedGeneration: 2}"), READY_CURRENT, "0/0 replicas available");
    EXPECT(a, DEP("{replicas: 1}", "{observedGeneration: 2, conditions: [{type: Progressing, status: 'False', reason: ProgressDeadlineExceeded, message: 'ReplicaSet \"x\" has timed out progressing.'}]}"),
           READY_FAILED, "progress deadline exceeded: ReplicaSet \"x\" has timed out progressing.");
    arena_free(a);
}

#define STS(spec, status) "apiVersion: apps/v1\nkind: StatefulSet\nmetadata: {generation: 1}\nspec: " spec "\nstatus: " status "\n"

static void statefulsets(void **state)
{
    arena *a = arena_new();
    EXPECT(a, STS("{replicas: 2}", "{observedGeneration: 1, readyReplicas: 1, currentReplicas: 2, updatedReplicas: 2}"),
           READY_IN_PROGRESS, "1/2 replicas ready");
    EXPECT(a, STS("{replicas: 2}", "{observedGeneration: 1, readyReplicas: 2, currentReplicas: 1, updatedReplicas: 1, currentRevision: a, updateRevision: b}"),
           READY_IN_PROGRESS, "1/2 replicas updated");
    EXPECT(a, STS("{replicas: 2}", "{observedGeneration: 1, readyReplicas: 2, currentReplicas: 2, updatedReplicas: 2, currentRevision: b, updateRevision: b}"),
           READY_CURRENT, "2/2 replicas ready");
    EXPECT(a, STS("{replicas: 3, updateStrategy: {type: RollingUpdate, rollingUpdate: {partition: 2}}}", "{observedGeneration: 1, readyReplicas: 3, updatedReplicas: 1}"),
           READY_CURRENT, "3/3 replicas ready");
    EXPECT(a, STS("{replicas: 2, updateStrategy: {type: OnDelete}}", "{observedGeneration: 1, readyReplicas: 2, currentRevision: a, updateRevision: b}"),
           READY_CURRENT, "2/2 replicas ready");
    arena_free(a);
}

static void daemonsets_jobs_pvcs_services(void **state)
{
    arena *a = arena_new();
    EXPECT(a, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 2, numberReady: 3}\n",
           READY_IN_PROGRESS, "2/3 pods available");
    EXPECT(a, "apiVersion: apps/v1\nkind: DaemonSet\nmetadata: {generation: 1}\nstatus: {observedGeneration: 1, desiredNumberScheduled: 3, updatedNumberScheduled: 3, numberAvailable: 3, numberReady: 3}\n",
           READY_CURRENT, "3/3 pods ready");
    EXPECT(a, "apiVersion: batch/v1\nkind: Job\nstatus: {active: 1}\n", READY_IN_PROGRESS,
           "Job running: 1 active, 0 succeeded, 0 failed");
    EXPECT(a, "apiVersion: batch/v1\nkind: Job\nstatus: {succeeded: 1, conditions: [{type: Complete, status: 'True'}]}\n",
           READY_CURRENT, "Job complete (1 succeeded)");
    EXPECT(a, "apiVersion: batch/v1\nkind: Job\nstatus: {failed: 4, conditions: [{type: Failed, status: 'True', reason: BackoffLimitExceeded, message: Job has reached the specified backoff limit}]}\n",
           READY_FAILED, "Job failed: BackoffLimitExceeded: Job has reached the specified backoff limit");
    EXPECT(a, "apiVersion: v1\nkind: PersistentVolumeClaim\nstatus: {phase: Pending}\n", READY_IN_PROGRESS, "claim Pending");
    EXPECT(a, "apiVersion: v1\nkind: PersistentVolumeClaim\nstatus: {phase: Bound}\n", READY_CURRENT, "Bound");
    EXPECT(a, "apiVersion: v1\nkind: PersistentVolumeClaim\nstatus: {phase: Lost}\n", READY_FAILED, "claim Lost: its volume is gone");
    EXPECT(a, "apiVersion: v1\nkind: Service\nspec: {type: ClusterIP}\n", READY_CURRENT, "Service ready");
    /* kstatus: a LoadBalancer Service is ready once it has a cluster IP */
    EXPECT(a, "apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer}\nstatus: {loadBalancer: {}}\n", READY_IN_PROGRESS,
           "ClusterIP not set. Service type: LoadBalancer");
    EXPECT(a, "apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer, clusterIP: 10.0.0.9}\nstatus: {loadBalancer: {}}\n",
           READY_CURRENT, "Service ready (no load balancer address yet)");
    EXPECT(a, "apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer, clusterIP: 10.0.0.9}\nstatus: {loadBalancer: {ingress: [{ip: 1.2.3.4}]}}\n",
           READY_CURRENT, "Service ready");
    cval *svc;
    cap_err e = CAP_ERR_INIT;
    const char *pending = "apiVersion: v1\nkind: Service\nspec: {type: LoadBalancer, clusterIP: 10.0.0.9}\n";
    assert_int_equal(yaml_parse(a, pending, strlen(pending), "t", &svc, &e), 0);
    assert_true(ready_lb_pending(svc)); /* --wait-for-load-balancer still waits for the address */
    arena_free(a);
}

static void crds_custom_resources_and_statusless(void **state)
{
    arena *a = arena_new();
    EXPECT(a, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nstatus: {conditions: [{type: NamesAccepted, status: 'True'}]}\n",
           READY_IN_PROGRESS, "waiting for Established");
    EXPECT(a, "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nstatus: {conditions: [{type: Established, status: 'True'}]}\n",
           READY_CURRENT, "Established");
    EXPECT(a, "apiVersion: example.com/v1\nkind: Widget\n", READY_CURRENT, "exists (no Ready condition)");
    EXPECT(a, "apiVersion: example.com/v1\nkind: Widget\nstatus: {conditions: [{type: Ready, status: 'False', message: waiting for db}]}\n",
           READY_IN_PROGRESS, "not Ready: waiting for db");
    EXPECT(a, "apiVersion: example.com/v1\nkind: Widget\nmetadata: {generation: 2}\nstatus: {observedGeneration: 1, conditions: [{type: Ready, status: 'True'}]}\n",
           READY_IN_PROGRESS, "waiting for the controller to observe the latest generation");
    EXPECT(a, "apiVersion: v1\nkind: ConfigMap\n", READY_CURRENT, "exists");
    EXPECT(a, "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\n", READY_CURRENT, "exists");
    EXPECT(a, "apiVersion: networking.k8s.io/v1\nkind: Ingress\n", READY_CURRENT, "exists");
    EXPECT(a, "apiVersion: v1\nkind: ConfigMap\nmetadata: {deletionTimestamp: '2026-01-01T00:00:00Z'}\n", READY_TERMINATING, "being deleted");
    arena_free(a);
}

static void pods_fail_fast(void **state)
{
    arena *a = arena_new();
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Pending, containerStatuses: [{name: app, state: {waiting: {reason: ImagePullBackOff, message: 'Back-off pulling image \"x/does-not-exist\"'}}}]}\n",
           READY_FAILED, "container app: ImagePullBackOff: Back-off pulling image \"x/does-not-exist\"");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Running, containerStatuses: [{name: app, restartCount: 3, state: {waiting: {reason: CrashLoopBackOff}}}]}\n",
           READY_FAILED, "container app: CrashLoopBackOff");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Pending, initContainerStatuses: [{name: init, state: {waiting: {reason: CreateContainerConfigError, message: secret \"s\" not found}}}]}\n",
           READY_FAILED, "container init: CreateContainerConfigError: secret \"s\" not found");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Pending, containerStatuses: [{name: app, state: {waiting: {reason: ContainerCreating}}}]}\n",
           READY_IN_PROGRESS, "pod Pending");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Running, conditions: [{type: Ready, status: 'True'}]}\n", READY_CURRENT, "Ready");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Succeeded}\n", READY_CURRENT, "Succeeded");
    EXPECT(a, "apiVersion: v1\nkind: Pod\nstatus: {phase: Failed, reason: Evicted}\n", READY_FAILED, "pod Failed: Evicted");
    arena_free(a);
}

static const char *parsed(arena *a, const char *text, const char *(*fn)(arena *, const cval *))
{
    cval *obj;
    cap_err e = CAP_ERR_INIT;
    assert_int_equal(yaml_parse(a, text, strlen(text), "t", &obj, &e), 0);
    return fn(a, obj);
}

static void controller_failures(void **state)
{
    (void)state;
    arena *a = arena_new();
    assert_string_equal(parsed(a, "status: {conditions: [{type: ReplicaFailure, status: 'True', reason: FailedCreate, "
                                  "message: 'pods \"x\" is forbidden: exceeded quota'}]}\n",
                               ready_replica_failure),
                        "FailedCreate: pods \"x\" is forbidden: exceeded quota");
    assert_null(parsed(a, "status: {conditions: [{type: ReplicaFailure, status: 'False'}]}\n", ready_replica_failure));
    assert_string_equal(parsed(a, "status: {conditions: [{type: PodScheduled, status: 'False', reason: Unschedulable, "
                                  "message: \"0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.\"}]}\n",
                               ready_pod_unschedulable),
                        "Unschedulable: 0/3 nodes are available: 3 node(s) didn't match Pod's node affinity/selector.");
    /* a shortage may clear by itself: not a lasting failure */
    assert_null(parsed(a, "status: {conditions: [{type: PodScheduled, status: 'False', reason: Unschedulable, "
                          "message: '0/3 nodes are available: 3 Insufficient cpu.'}]}\n",
                       ready_pod_unschedulable));
    assert_null(parsed(a, "status: {conditions: [{type: PodScheduled, status: 'True'}]}\n", ready_pod_unschedulable));
    arena_free(a);
}

static const struct CMUnitTest tests[] = {
    cmocka_unit_test(controller_failures),
    cmocka_unit_test(deployments),
    cmocka_unit_test(statefulsets),
    cmocka_unit_test(daemonsets_jobs_pvcs_services),
    cmocka_unit_test(crds_custom_resources_and_statusless),
    cmocka_unit_test(pods_fail_fast),
};

UNIT_MAIN(tests)
