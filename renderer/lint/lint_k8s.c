/* lint_k8s.c — what helm lint checks in each rendered document: the documents as
 * apimachinery's YAMLOrJSONDecoder splits and decodes them into helm's
 * k8sYamlStruct, object names as Kubernetes validates them per kind
 * (apimachinery's validation messages), deprecated API versions (the
 * prerelease-lifecycle data of k8s.io/api v0.35, the types client-go's scheme
 * registers), and govalidator's URL and e-mail checks used on Chart.yaml. */
#include "renderer/lint/lint.h"
#include "core/xalloc.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/gofmt.h"
#include "core/json.h"
#include "core/yaml.h"

/* ---- deprecated APIs --------------------------------------------------------------- */

typedef struct deprecation {
    const char *gv, *kind;
    int dep_major, dep_minor, rm_major, rm_minor;
    const char *replacement; /* "group/version Kind" or "" */
} deprecation;

/* k8s.io/api v0.35.1: APILifecycleDeprecated / Removed / Replacement of each type
 * in a group version client-go's scheme registers (written from the generated
 * zz_generated.prerelease-lifecycle.go files). */
static const deprecation deprecations[] = {
    {"admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicy", 1, 35, 1, 38, ""},
    {"admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBinding", 1, 35, 1, 38, ""},
    {"admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyBindingList", 1, 35, 1, 38, ""},
    {"admissionregistration.k8s.io/v1alpha1", "MutatingAdmissionPolicyList", 1, 35, 1, 38, ""},
    {"admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicy", 1, 29, 1, 32, ""},
    {"admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBinding", 1, 29, 1, 32, ""},
    {"admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyBindingList", 1, 29, 1, 32, ""},
    {"admissionregistration.k8s.io/v1alpha1", "ValidatingAdmissionPolicyList", 1, 29, 1, 32, ""},
    {"admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicy", 1, 37, 1, 40, ""},
    {"admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBinding", 1, 37, 1, 40, ""},
    {"admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyBindingList", 1, 37, 1, 40, ""},
    {"admissionregistration.k8s.io/v1beta1", "MutatingAdmissionPolicyList", 1, 37, 1, 40, ""},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfiguration", 1, 16, 1, 22, "admissionregistration.k8s.io/v1 MutatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "MutatingWebhookConfigurationList", 1, 16, 1, 22, "admissionregistration.k8s.io/v1 MutatingWebhookConfigurationList"},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicy", 1, 31, 1, 34, ""},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBinding", 1, 31, 1, 34, ""},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyBindingList", 1, 31, 1, 34, ""},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingAdmissionPolicyList", 1, 31, 1, 34, ""},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfiguration", 1, 16, 1, 22, "admissionregistration.k8s.io/v1 ValidatingWebhookConfiguration"},
    {"admissionregistration.k8s.io/v1beta1", "ValidatingWebhookConfigurationList", 1, 16, 1, 22, "admissionregistration.k8s.io/v1 ValidatingWebhookConfigurationList"},
    {"apps/v1beta1", "ControllerRevision", 1, 8, 1, 16, "apps/v1 ControllerRevision"},
    {"apps/v1beta1", "ControllerRevisionList", 1, 8, 1, 16, "apps/v1 ControllerRevisionList"},
    {"apps/v1beta1", "Deployment", 1, 8, 1, 16, "apps/v1 Deployment"},
    {"apps/v1beta1", "DeploymentList", 1, 8, 1, 16, "apps/v1 DeploymentList"},
    {"apps/v1beta1", "DeploymentRollback", 1, 8, 1, 16, "apps/v1 DeploymentRollback"},
    {"apps/v1beta1", "Scale", 1, 8, 1, 16, "autoscaling/v1 Scale"},
    {"apps/v1beta1", "StatefulSet", 1, 8, 1, 16, "apps/v1 StatefulSet"},
    {"apps/v1beta1", "StatefulSetList", 1, 8, 1, 16, "apps/v1 StatefulSetList"},
    {"apps/v1beta2", "ControllerRevision", 1, 9, 1, 16, "apps/v1 ControllerRevision"},
    {"apps/v1beta2", "ControllerRevisionList", 1, 9, 1, 16, "apps/v1 ControllerRevisionList"},
    {"apps/v1beta2", "DaemonSet", 1, 9, 1, 16, "apps/v1 DaemonSet"},
    {"apps/v1beta2", "DaemonSetList", 1, 9, 1, 16, "apps/v1 DaemonSetList"},
    {"apps/v1beta2", "Deployment", 1, 9, 1, 16, "apps/v1 Deployment"},
    {"apps/v1beta2", "DeploymentList", 1, 9, 1, 16, "apps/v1 DeploymentList"},
    {"apps/v1beta2", "ReplicaSet", 1, 9, 1, 16, "apps/v1 ReplicaSet"},
    {"apps/v1beta2", "ReplicaSetList", 1, 9, 1, 16, "apps/v1 ReplicaSetList"},
    {"apps/v1beta2", "Scale", 1, 9, 1, 16, "autoscaling/v1 Scale"},
    {"apps/v1beta2", "StatefulSet", 1, 9, 1, 16, "apps/v1 StatefulSet"},
    {"apps/v1beta2", "StatefulSetList", 1, 9, 1, 16, "apps/v1 StatefulSetList"},
    {"authentication.k8s.io/v1alpha1", "SelfSubjectReview", 1, 29, 1, 32, ""},
    {"authentication.k8s.io/v1beta1", "SelfSubjectReview", 1, 30, 1, 33, ""},
    {"authentication.k8s.io/v1beta1", "TokenReview", 1, 19, 1, 22, "authentication.k8s.io/v1 TokenReview"},
    {"authorization.k8s.io/v1beta1", "LocalSubjectAccessReview", 1, 19, 1, 22, "authorization.k8s.io/v1 LocalSubjectAccessReview"},
    {"authorization.k8s.io/v1beta1", "SelfSubjectAccessReview", 1, 19, 1, 22, "authorization.k8s.io/v1 SelfSubjectAccessReview"},
    {"authorization.k8s.io/v1beta1", "SelfSubjectRulesReview", 1, 19, 1, 22, "authorization.k8s.io/v1 SelfSubjectRulesReview"},
    {"authorization.k8s.io/v1beta1", "SubjectAccessReview", 1, 19, 1, 22, "authorization.k8s.io/v1 SubjectAccessReview"},
    {"autoscaling/v2beta1", "HorizontalPodAutoscaler", 1, 22, 1, 25, "autoscaling/v2 HorizontalPodAutoscaler"},
    {"autoscaling/v2beta1", "HorizontalPodAutoscalerList", 1, 22, 1, 25, "autoscaling/v2beta2 HorizontalPodAutoscalerList"},
    {"autoscaling/v2beta2", "HorizontalPodAutoscaler", 1, 23, 1, 26, "autoscaling/v2 HorizontalPodAutoscaler"},
    {"autoscaling/v2beta2", "HorizontalPodAutoscalerList", 1, 22, 1, 25, ""},
    {"batch/v1beta1", "CronJob", 1, 21, 1, 25, "batch/v1 CronJob"},
    {"batch/v1beta1", "CronJobList", 1, 21, 1, 25, "batch/v1 CronJobList"},
    {"certificates.k8s.io/v1alpha1", "ClusterTrustBundle", 1, 34, 1, 37, ""},
    {"certificates.k8s.io/v1alpha1", "ClusterTrustBundleList", 1, 34, 1, 37, ""},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequest", 1, 19, 1, 22, "certificates.k8s.io/v1 CertificateSigningRequest"},
    {"certificates.k8s.io/v1beta1", "CertificateSigningRequestList", 1, 19, 1, 22, "certificates.k8s.io/v1 CertificateSigningRequestList"},
    {"certificates.k8s.io/v1beta1", "ClusterTrustBundle", 1, 36, 1, 39, ""},
    {"certificates.k8s.io/v1beta1", "ClusterTrustBundleList", 1, 36, 1, 39, ""},
    {"certificates.k8s.io/v1beta1", "PodCertificateRequest", 1, 38, 1, 41, ""},
    {"certificates.k8s.io/v1beta1", "PodCertificateRequestList", 1, 38, 1, 41, ""},
    {"coordination.k8s.io/v1alpha2", "LeaseCandidate", 1, 35, 1, 38, ""},
    {"coordination.k8s.io/v1alpha2", "LeaseCandidateList", 1, 35, 1, 38, ""},
    {"coordination.k8s.io/v1beta1", "Lease", 1, 19, 1, 22, "coordination.k8s.io/v1 Lease"},
    {"coordination.k8s.io/v1beta1", "LeaseCandidate", 1, 36, 1, 39, ""},
    {"coordination.k8s.io/v1beta1", "LeaseCandidateList", 1, 36, 1, 39, ""},
    {"coordination.k8s.io/v1beta1", "LeaseList", 1, 19, 1, 22, "coordination.k8s.io/v1 LeaseList"},
    {"discovery.k8s.io/v1beta1", "EndpointSlice", 1, 21, 1, 25, "discovery.k8s.io/v1 EndpointSlice"},
    {"discovery.k8s.io/v1beta1", "EndpointSliceList", 1, 21, 1, 25, "discovery.k8s.io/v1 EndpointSlice"},
    {"events.k8s.io/v1beta1", "Event", 1, 22, 1, 25, ""},
    {"events.k8s.io/v1beta1", "EventList", 1, 22, 1, 25, ""},
    {"extensions/v1beta1", "DaemonSet", 1, 8, 1, 16, "apps/v1 DaemonSet"},
    {"extensions/v1beta1", "DaemonSetList", 1, 8, 1, 16, "apps/v1 DaemonSetList"},
    {"extensions/v1beta1", "Deployment", 1, 8, 1, 16, "apps/v1 Deployment"},
    {"extensions/v1beta1", "DeploymentList", 1, 8, 1, 16, "apps/v1 DeploymentList"},
    {"extensions/v1beta1", "DeploymentRollback", 1, 8, 1, 16, ""},
    {"extensions/v1beta1", "Ingress", 1, 14, 1, 22, "networking.k8s.io/v1 Ingress"},
    {"extensions/v1beta1", "IngressList", 1, 14, 1, 22, "networking.k8s.io/v1 IngressList"},
    {"extensions/v1beta1", "NetworkPolicy", 1, 9, 1, 16, "networking.k8s.io/v1 NetworkPolicy"},
    {"extensions/v1beta1", "NetworkPolicyList", 1, 9, 1, 16, "networking.k8s.io/v1 NetworkPolicyList"},
    {"extensions/v1beta1", "ReplicaSet", 1, 8, 1, 16, "apps/v1 ReplicaSet"},
    {"extensions/v1beta1", "ReplicaSetList", 1, 8, 1, 16, "apps/v1 ReplicaSetList"},
    {"extensions/v1beta1", "Scale", 1, 2, 1, 16, ""},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchema", 1, 23, 1, 26, "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "FlowSchemaList", 1, 23, 1, 26, "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfiguration", 1, 23, 1, 26, "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration"},
    {"flowcontrol.apiserver.k8s.io/v1beta1", "PriorityLevelConfigurationList", 1, 23, 1, 26, "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchema", 1, 26, 1, 29, "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchema"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "FlowSchemaList", 1, 26, 1, 29, "flowcontrol.apiserver.k8s.io/v1beta3 FlowSchemaList"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfiguration", 1, 26, 1, 29, "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfiguration"},
    {"flowcontrol.apiserver.k8s.io/v1beta2", "PriorityLevelConfigurationList", 1, 26, 1, 29, "flowcontrol.apiserver.k8s.io/v1beta3 PriorityLevelConfigurationList"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchema", 1, 29, 1, 32, "flowcontrol.apiserver.k8s.io/v1 FlowSchema"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "FlowSchemaList", 1, 29, 1, 32, "flowcontrol.apiserver.k8s.io/v1 FlowSchemaList"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfiguration", 1, 29, 1, 32, "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfiguration"},
    {"flowcontrol.apiserver.k8s.io/v1beta3", "PriorityLevelConfigurationList", 1, 29, 1, 32, "flowcontrol.apiserver.k8s.io/v1 PriorityLevelConfigurationList"},
    {"networking.k8s.io/v1beta1", "IPAddress", 1, 34, 1, 37, ""},
    {"networking.k8s.io/v1beta1", "IPAddressList", 1, 34, 1, 37, ""},
    {"networking.k8s.io/v1beta1", "Ingress", 1, 19, 1, 22, "networking.k8s.io/v1 Ingress"},
    {"networking.k8s.io/v1beta1", "IngressClass", 1, 19, 1, 22, "networking.k8s.io/v1 IngressClassList"},
    {"networking.k8s.io/v1beta1", "IngressClassList", 1, 19, 1, 22, "networking.k8s.io/v1 IngressClassList"},
    {"networking.k8s.io/v1beta1", "IngressList", 1, 19, 1, 22, "networking.k8s.io/v1 IngressList"},
    {"networking.k8s.io/v1beta1", "ServiceCIDR", 1, 34, 1, 37, ""},
    {"networking.k8s.io/v1beta1", "ServiceCIDRList", 1, 34, 1, 37, ""},
    {"node.k8s.io/v1beta1", "RuntimeClass", 1, 22, 1, 25, ""},
    {"node.k8s.io/v1beta1", "RuntimeClassList", 1, 22, 1, 25, ""},
    {"policy/v1beta1", "Eviction", 1, 22, 1, 25, ""},
    {"policy/v1beta1", "PodDisruptionBudget", 1, 21, 1, 25, "policy/v1 PodDisruptionBudget"},
    {"policy/v1beta1", "PodDisruptionBudgetList", 1, 21, 1, 25, "policy/v1 PodDisruptionBudgetList"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRole", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 ClusterRole"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBinding", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 ClusterRoleBinding"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleBindingList", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 ClusterRoleBindingList"},
    {"rbac.authorization.k8s.io/v1beta1", "ClusterRoleList", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 ClusterRoleList"},
    {"rbac.authorization.k8s.io/v1beta1", "Role", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 Role"},
    {"rbac.authorization.k8s.io/v1beta1", "RoleBinding", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 RoleBinding"},
    {"rbac.authorization.k8s.io/v1beta1", "RoleBindingList", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 RoleBindingList"},
    {"rbac.authorization.k8s.io/v1beta1", "RoleList", 1, 17, 1, 22, "rbac.authorization.k8s.io/v1 RoleList"},
    {"resource.k8s.io/v1alpha3", "DeviceTaintRule", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1alpha3", "DeviceTaintRuleList", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta1", "DeviceClass", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "DeviceClassList", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceClaim", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceClaimList", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceClaimTemplate", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceClaimTemplateList", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceSlice", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta1", "ResourceSliceList", 1, 35, 1, 38, ""},
    {"resource.k8s.io/v1beta2", "DeviceClass", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "DeviceClassList", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceClaim", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceClaimList", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceClaimTemplate", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceClaimTemplateList", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceSlice", 1, 36, 1, 39, ""},
    {"resource.k8s.io/v1beta2", "ResourceSliceList", 1, 36, 1, 39, ""},
    {"scheduling.k8s.io/v1beta1", "PriorityClass", 1, 14, 1, 22, "scheduling.k8s.io/v1 PriorityClass"},
    {"scheduling.k8s.io/v1beta1", "PriorityClassList", 1, 14, 1, 22, "scheduling.k8s.io/v1 PriorityClassList"},
    {"storage.k8s.io/v1alpha1", "CSIStorageCapacity", 1, 21, 1, 24, "storage.k8s.io/v1beta1 CSIStorageCapacity"},
    {"storage.k8s.io/v1alpha1", "CSIStorageCapacityList", 1, 21, 1, 24, "storage.k8s.io/v1beta1 CSIStorageCapacityList"},
    {"storage.k8s.io/v1alpha1", "VolumeAttachment", 1, 21, 1, 24, "storage.k8s.io/v1 VolumeAttachment"},
    {"storage.k8s.io/v1alpha1", "VolumeAttachmentList", 1, 21, 1, 24, "storage.k8s.io/v1 VolumeAttachmentList"},
    {"storage.k8s.io/v1alpha1", "VolumeAttributesClass", 1, 32, 1, 35, "storage.k8s.io/v1 VolumeAttributesClass"},
    {"storage.k8s.io/v1alpha1", "VolumeAttributesClassList", 1, 32, 1, 35, "storage.k8s.io/v1 VolumeAttributesClassList"},
    {"storage.k8s.io/v1beta1", "CSIDriver", 1, 19, 1, 22, "storage.k8s.io/v1 CSIDriver"},
    {"storage.k8s.io/v1beta1", "CSIDriverList", 1, 19, 1, 22, "storage.k8s.io/v1 CSIDriverList"},
    {"storage.k8s.io/v1beta1", "CSINode", 1, 17, 1, 22, "storage.k8s.io/v1 CSINode"},
    {"storage.k8s.io/v1beta1", "CSINodeList", 1, 17, 1, 22, "storage.k8s.io/v1 CSINode"},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacity", 1, 24, 1, 27, "storage.k8s.io/v1 CSIStorageCapacity"},
    {"storage.k8s.io/v1beta1", "CSIStorageCapacityList", 1, 24, 1, 27, "storage.k8s.io/v1 CSIStorageCapacityList"},
    {"storage.k8s.io/v1beta1", "StorageClass", 1, 19, 1, 22, "storage.k8s.io/v1 StorageClass"},
    {"storage.k8s.io/v1beta1", "StorageClassList", 1, 19, 1, 22, "storage.k8s.io/v1 StorageClassList"},
    {"storage.k8s.io/v1beta1", "VolumeAttachment", 1, 19, 1, 22, "storage.k8s.io/v1 VolumeAttachment"},
    {"storage.k8s.io/v1beta1", "VolumeAttachmentList", 1, 19, 1, 22, "storage.k8s.io/v1 VolumeAttachmentList"},
    {"storage.k8s.io/v1beta1", "VolumeAttributesClass", 1, 34, 1, 37, "storage.k8s.io/v1 VolumeAttributesClass"},
    {"storage.k8s.io/v1beta1", "VolumeAttributesClassList", 1, 34, 1, 37, "storage.k8s.io/v1 VolumeAttributesClassList"},
    {"storagemigration.k8s.io/v1beta1", "StorageVersionMigration", 1, 38, 1, 41, ""},
    {"storagemigration.k8s.io/v1beta1", "StorageVersionMigrationList", 1, 38, 1, 41, ""},
};

/* deprecation.IsDeprecated and WarningMessage for the object's group version and kind */
const char *lint_check_deprecation(arena *a, const lint_k8s_obj *obj, const char *kube_version)
{
    if (!*obj->api_version || !*obj->kind)
        return NULL;
    const deprecation *d = NULL;
    for (size_t i = 0; i < sizeof deprecations / sizeof *deprecations; i++)
        if (strcmp(deprecations[i].gv, obj->api_version) == 0 && strcmp(deprecations[i].kind, obj->kind) == 0)
            d = &deprecations[i];
    if (!d)
        return NULL;
    int major = 1, minor = 35; /* helm's default Kubernetes version */
    if (kube_version && *kube_version) {
        const char *p = kube_version + (*kube_version == 'v' || *kube_version == 'V');
        major = atoi(p);
        const char *dot = strchr(p, '.');
        minor = dot ? atoi(dot + 1) : 0;
    }
    if (!(major == 0 && minor == 0)) {
        if (d->dep_major > major || (d->dep_major == major && d->dep_minor > minor))
            return NULL;
    }
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "%s %s is deprecated in v%d.%d+", d->gv, d->kind, d->dep_major, d->dep_minor);
    if (d->rm_major || d->rm_minor)
        sb_addf(&sb, ", unavailable in v%d.%d+", d->rm_major, d->rm_minor);
    if (*d->replacement)
        sb_addf(&sb, "; use %s", d->replacement);
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* ---- object names ------------------------------------------------------------------- */

static bool alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

/* [a-z0-9]([-a-z0-9]*[a-z0-9])? (first_alpha: [a-z] first) over s[0..n) */
static bool label_ok(const char *s, size_t n, bool first_alpha)
{
    if (n == 0)
        return false;
    if (first_alpha ? !(s[0] >= 'a' && s[0] <= 'z') : !alnum_lower(s[0]))
        return false;
    if (!alnum_lower(s[n - 1]))
        return false;
    for (size_t i = 1; i + 1 < n; i++)
        if (!alnum_lower(s[i]) && s[i] != '-')
            return false;
    return true;
}

static bool subdomain_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0)
        return false;
    const char *p = s;
    for (;;) {
        const char *dot = strchr(p, '.');
        size_t l = dot ? (size_t)(dot - p) : strlen(p);
        if (!label_ok(p, l, false))
            return false;
        if (!dot)
            return true;
        p = dot + 1;
    }
}

enum name_rule { NAME_SUBDOMAIN, NAME_DNS1035, NAME_LABEL, NAME_PATH_SEGMENT, NAME_ANY };

static enum name_rule rule_for(const char *kind)
{
    static const char *const sub[] = {
        "pod", "node", "secret", "endpoints", "resourcequota", "controllerrevision", "daemonset", "deployment",
        "replicaset", "statefulset", "autoscaler", "cronjob", "job", "lease", "endpointslice", "networkpolicy",
        "ingress", "podsecuritypolicy", "priorityclass", "podpreset", "storageclass", "volumeattachment",
        "csinode", "serviceaccount", NULL};
    for (const char *const *k = sub; *k; k++)
        if (strcasecmp(kind, *k) == 0)
            return NAME_SUBDOMAIN;
    if (strcasecmp(kind, "service") == 0)
        return NAME_DNS1035;
    if (strcasecmp(kind, "namespace") == 0)
        return NAME_LABEL;
    if (strcasecmp(kind, "certificatesigningrequest") == 0)
        return NAME_ANY;
    if (strcasecmp(kind, "role") == 0 || strcasecmp(kind, "clusterrole") == 0 || strcasecmp(kind, "rolebinding") == 0 ||
        strcasecmp(kind, "clusterrolebinding") == 0)
        return NAME_PATH_SEGMENT;
    return NAME_SUBDOMAIN;
}

#define SUBDOMAIN_MSG                                                                                                \
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start " \
    "and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "                     \
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"
#define DNS1035_MSG                                                                                              \
    "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic "      \
    "character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for "        \
    "validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"
#define LABEL_MSG                                                                                                \
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and " \
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "          \
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')"

/* validateMetadataName: NULL, or helm's whole message */
const char *lint_check_name(arena *a, const lint_k8s_obj *obj)
{
    const char *name = obj->name;
    const char *msgs[3];
    int n = 0;
    size_t len = strlen(name);
    switch (rule_for(obj->kind)) {
    case NAME_SUBDOMAIN:
        if (len > 253)
            msgs[n++] = "must be no more than 253 characters";
        if (!subdomain_ok(name))
            msgs[n++] = SUBDOMAIN_MSG;
        break;
    case NAME_DNS1035:
        if (len > 63)
            msgs[n++] = "must be no more than 63 characters";
        if (!label_ok(name, len, true))
            msgs[n++] = DNS1035_MSG;
        break;
    case NAME_LABEL:
        if (len > 63)
            msgs[n++] = "must be no more than 63 characters";
        if (!label_ok(name, len, false))
            msgs[n++] = LABEL_MSG;
        break;
    case NAME_PATH_SEGMENT:
        if (strcmp(name, ".") == 0 || strcmp(name, "..") == 0) {
            msgs[n++] = strcmp(name, ".") == 0 ? "may not be '.'" : "may not be '..'";
            break;
        }
        if (strchr(name, '/'))
            msgs[n++] = "may not contain '/'";
        if (strchr(name, '%'))
            msgs[n++] = "may not contain '%'";
        break;
    case NAME_ANY:
        break;
    }
    if (n == 0)
        return NULL;
    strbuf q = STRBUF_INIT;
    gofmt_quote(&q, name, len);
    strbuf sb = STRBUF_INIT;
    sb_addf(&sb, "object name does not conform to Kubernetes naming requirements: %s: ", sb_str(&q));
    if (n > 1)
        sb_addc(&sb, '[');
    for (int i = 0; i < n; i++)
        sb_addf(&sb, "%smetadata.name: Invalid value: %s: %s", i ? ", " : "", sb_str(&q), msgs[i]);
    if (n > 1)
        sb_addc(&sb, ']');
    sb_release(&q);
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* ---- documents ------------------------------------------------------------------------ */

static const char *json_kind_name(const cval *v)
{
    switch (v->kind) {
    case CV_MAP: return "object";
    case CV_LIST: return "array";
    case CV_BOOL: return "bool";
    case CV_STRING: return "string";
    default: return "number";
    }
}

/* a string field as sigs.k8s.io/yaml fills it; NULL (with *bad the JSON kind) when it cannot */
static const char *string_field(arena *a, const cval *v, const char **bad)
{
    if (!v || cv_is_nil(v))
        return "";
    if (v->kind == CV_MAP || v->kind == CV_LIST) {
        *bad = json_kind_name(v);
        return NULL;
    }
    strbuf sb = STRBUF_INIT;
    if (yaml_string_coerce(&sb, v) != 0) {
        sb_release(&sb);
        *bad = json_kind_name(v);
        return NULL;
    }
    char *r = arena_strndup(a, sb_str(&sb), sb.len);
    sb_release(&sb);
    return r;
}

/* json.Unmarshal of one decoded document into k8sYamlStruct: 0, 1 for null, -1 with *msg */
static int to_obj(arena *a, const cval *v, lint_k8s_obj *o, const char **msg)
{
    o->api_version = o->kind = o->name = o->ns = "";
    if (!v || cv_is_nil(v))
        return 1;
    const char *pre = "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal";
    if (v->kind != CV_MAP) {
        *msg = arena_printf(a, "%s %s into Go value of type rules.k8sYamlStruct", pre, json_kind_name(v));
        return -1;
    }
    const char *first = NULL;
    size_t n;
    const cv_entry *e = cv_map_sorted(v, &n);
    for (size_t i = 0; i < n; i++) {
        const char *bad = NULL, *s;
        if (strcasecmp(e[i].key, "apiVersion") == 0) {
            if ((s = string_field(a, e[i].val, &bad)))
                o->api_version = s;
            else if (!first)
                first = arena_printf(a, "%s %s into Go struct field k8sYamlStruct.apiVersion of type string", pre, bad);
        } else if (strcasecmp(e[i].key, "kind") == 0) {
            if ((s = string_field(a, e[i].val, &bad)))
                o->kind = s;
            else if (!first)
                first = arena_printf(a, "%s %s into Go struct field k8sYamlStruct.Kind of type string", pre, bad);
        } else if (strcasecmp(e[i].key, "metadata") == 0) {
            const cval *m = e[i].val;
            if (!m || cv_is_nil(m))
                continue;
            if (m->kind != CV_MAP) {
                if (!first)
                    first = arena_printf(a, "%s %s into Go struct field k8sYamlStruct.Metadata of type rules.k8sYamlMetadata",
                                         pre, json_kind_name(m));
                continue;
            }
            size_t k;
            const cv_entry *me = cv_map_sorted(m, &k);
            for (size_t j = 0; j < k; j++) {
                const char *field = strcasecmp(me[j].key, "name") == 0        ? "Name"
                                    : strcasecmp(me[j].key, "namespace") == 0 ? "Namespace"
                                                                              : NULL;
                if (!field)
                    continue;
                if ((s = string_field(a, me[j].val, &bad)))
                    *(strcmp(field, "Name") == 0 ? &o->name : &o->ns) = s;
                else if (!first)
                    first = arena_printf(a, "%s %s into Go struct field k8sYamlStruct.Metadata.%s of type string", pre,
                                         bad, field);
            }
        }
    }
    if (first) {
        *msg = first;
        return -1;
    }
    return 0;
}

/* base: where doc starts in the stream (a JSON syntax error names its offset) */
static int one_doc(arena *a, const char *doc, size_t len, size_t base, bool json, lint_doc_fn fn, void *ctx,
                   const char **errmsg)
{
    cval *v;
    cap_err e = CAP_ERR_INIT;
    int rc = json ? json_parse(a, doc, len, "", &v, &e) : yaml_parse_raw(a, doc, len, "", &v, &e);
    if (rc != 0) {
        *errmsg = arena_strdup(a, e.msg ? e.msg : "invalid document");
        if (json && e.line > 0 && e.col > 0) {
            /* apimachinery: "json: offset N: " + the SyntaxError, N counting the bytes read */
            size_t pos = 0;
            for (int l = 1; l < e.line && pos < len; pos++)
                if (doc[pos] == '\n')
                    l++;
            pos += (size_t)e.col - 1;
            *errmsg = arena_printf(a, "json: offset %zu: %s", base + pos + 1, *errmsg);
        }
        cap_err_clear(&e);
        return -1;
    }
    lint_k8s_obj o;
    int r = to_obj(a, v, &o, errmsg);
    if (r < 0)
        return -1;
    if (r == 0 && fn(ctx, &o) != 0)
        return 1;
    return 0;
}

/* a JSON stream: each top-level value in turn (strings and nesting respected) */
static int json_docs(arena *a, const char *t, size_t len, lint_doc_fn fn, void *ctx, const char **errmsg)
{
    size_t i = 0;
    while (i < len) {
        while (i < len && isspace((unsigned char)t[i]))
            i++;
        if (i >= len)
            break;
        size_t start = i;
        int depth = 0;
        bool str = false;
        for (; i < len; i++) {
            char c = t[i];
            if (str) {
                if (c == '\\')
                    i++;
                else if (c == '"')
                    str = false;
                continue;
            }
            if (c == '"')
                str = true;
            else if (c == '{' || c == '[')
                depth++;
            else if ((c == '}' || c == ']') && --depth == 0) {
                i++;
                break;
            }
        }
        int r = one_doc(a, t + start, i - start, start, true, fn, ctx, errmsg);
        if (r != 0)
            return r < 0 ? -1 : 0;
    }
    return 0;
}

int lint_decode_docs(arena *a, const char *text, size_t len, lint_doc_fn fn, void *ctx, const char **errmsg)
{
    /* JSON when the first non-space byte (within the first 4096) is '{' */
    size_t k = 0;
    while (k < len && k < 4096 && isspace((unsigned char)text[k]))
        k++;
    if (k < len && text[k] == '{')
        return json_docs(a, text, len, fn, ctx, errmsg);
    /* apimachinery's YAMLReader: documents end at a line starting with "---" */
    strbuf doc = STRBUF_INIT;
    size_t i = 0;
    int rc = 0;
    while (rc == 0) {
        if (i >= len) {
            if (doc.len)
                rc = one_doc(a, sb_str(&doc), doc.len, 0, false, fn, ctx, errmsg);
            break;
        }
        const char *nl = memchr(text + i, '\n', len - i);
        size_t l = nl ? (size_t)(nl - (text + i)) + 1 : len - i;
        const char *line = text + i;
        i += l;
        if (l >= 3 && memcmp(line, "---", 3) == 0) {
            const char *p = line + 3, *end = line + l;
            while (p < end && isspace((unsigned char)*p))
                p++;
            while (end > p && isspace((unsigned char)end[-1]))
                end--;
            if (p < end && *p != '#') {
                *errmsg = arena_printf(a, "invalid Yaml document separator: %.*s", (int)(end - p), p);
                rc = -1;
                break;
            }
            if (doc.len) {
                rc = one_doc(a, sb_str(&doc), doc.len, 0, false, fn, ctx, errmsg);
                sb_reset(&doc);
            }
            continue;
        }
        sb_add(&doc, line, l);
    }
    sb_release(&doc);
    return rc < 0 ? -1 : 0;
}

/* ---- URLs, e-mail addresses, strict semver ---------------------------------------------- */

static bool has_ctl(const char *s)
{
    for (; *s; s++)
        if ((unsigned char)*s < 0x20 || *s == 0x7f)
            return true;
    return false;
}

static bool escapes_ok(const char *s)
{
    for (; *s; s++)
        if (*s == '%' && !(isxdigit((unsigned char)s[1]) && isxdigit((unsigned char)s[2])))
            return false;
        else if (*s == '%')
            s += 2;
    return true;
}

/* url.Parse's authority rules, roughly: host characters and a numeric port */
static bool authority_ok(const char *s, size_t n)
{
    const char *at = NULL;
    for (size_t i = 0; i < n; i++)
        if (s[i] == '@')
            at = s + i;
    if (at) {
        n -= (size_t)(at + 1 - s);
        s = at + 1;
    }
    if (n && s[0] == '[') {
        const char *rb = memchr(s, ']', n);
        if (!rb)
            return false;
        size_t rest = n - (size_t)(rb + 1 - s);
        if (rest && rb[1] != ':')
            return false;
        for (size_t i = 2; i < rest; i++)
            if (!isdigit((unsigned char)rb[i]))
                return false;
        return true;
    }
    const char *colon = memchr(s, ':', n);
    size_t hl = colon ? (size_t)(colon - s) : n;
    for (size_t i = 0; i < hl; i++) {
        unsigned char c = (unsigned char)s[i];
        if (!(isalnum(c) || c >= 0x80 || strchr("-._~!$&'()*+,;=%\"<>", c)))
            return false;
    }
    if (colon)
        for (const char *p = colon + 1; p < s + n; p++)
            if (!isdigit((unsigned char)*p))
                return false;
    return true;
}

/* govalidator.IsRequestURL: url.ParseRequestURI succeeds and there is a scheme */
bool lint_is_request_url(const char *s)
{
    if (!isalpha((unsigned char)s[0]) || has_ctl(s))
        return false;
    const char *p = s;
    while (isalnum((unsigned char)*p) || *p == '+' || *p == '-' || *p == '.')
        p++;
    if (*p != ':')
        return false;
    p++;
    if (p[0] != '/')
        return true; /* an opaque URI ("mailto:x@y") */
    const char *q = strchr(p, '?');
    size_t rl = q ? (size_t)(q - p) : strlen(p);
    char *path = xstrndup(p, rl);
    bool esc = escapes_ok(path);
    free(path);
    if (!esc)
        return false;
    if (rl >= 2 && p[1] == '/') {
        const char *auth = p + 2;
        size_t al = 0;
        while (auth + al < p + rl && auth[al] != '/')
            al++;
        if (!authority_ok(auth, al))
            return false;
    }
    return true;
}

/* govalidator.IsURL, roughly: an optional http(s)/ftp/ws(s)/tcp/udp scheme, an optional
 * user@, a host name or IP address, an optional port and a path without spaces */
bool lint_is_url(const char *s)
{
    size_t n = strlen(s);
    if (n <= 3 || n >= 2083 || s[0] == '.' || has_ctl(s))
        return false;
    static const char *const schemes[] = {"http://", "https://", "ftp://", "tcp://", "udp://", "ws://", "wss://", NULL};
    const char *p = s;
    for (const char *const *sc = schemes; *sc; sc++)
        if (strncasecmp(p, *sc, strlen(*sc)) == 0) {
            p += strlen(*sc);
            break;
        }
    for (const char *c = p; *c; c++)
        if (isspace((unsigned char)*c))
            return false;
    const char *end = p + strcspn(p, "/?#");
    const char *at = memchr(p, '@', (size_t)(end - p));
    if (at)
        p = at + 1;
    if (*p == '.' || p == end)
        return false;
    const char *colon = memchr(p, ':', (size_t)(end - p));
    const char *hend = colon ? colon : end;
    bool alnum = false;
    for (const char *c = p; c < hend; c++) {
        unsigned char u = (unsigned char)*c;
        if (isalnum(u) || u >= 0x80)
            alnum = true;
        else if (u != '-' && u != '.' && u != '_')
            return false;
    }
    if (!alnum)
        return false;
    if (colon) {
        size_t pl = (size_t)(end - colon - 1);
        if (pl < 1 || pl > 5)
            return false;
        for (const char *c = colon + 1; c < end; c++)
            if (!isdigit((unsigned char)*c))
                return false;
    }
    return true;
}

static bool atext(unsigned char c)
{
    return isalnum(c) || c >= 0x80 || strchr("!#$%&'*+-/=?^_`{|}~", c);
}

/* govalidator.IsEmail, roughly: a dot-atom local part, '@', labels ending with '.',
 * and a top-level label of letters (with - _ ~ and digits inside) */
bool lint_is_email(const char *s)
{
    const char *at = strrchr(s, '@');
    if (!at || at == s)
        return false;
    for (const char *p = s; p < at; p++) {
        if (*p == '.') {
            if (p == s || p[1] == '.' || p + 1 == at)
                return false;
        } else if (!atext((unsigned char)*p) || *p == '@') {
            return false;
        }
    }
    const char *d = at + 1;
    size_t n = strlen(d);
    if (n && d[n - 1] == '.')
        n--;
    /* the last label: the TLD */
    size_t ls = n;
    while (ls > 0 && d[ls - 1] != '.')
        ls--;
    if (ls == 0)
        return false; /* at least one label before the TLD */
    const char *tld = d + ls;
    size_t tl = n - ls;
    if (tl == 0 || !(isalpha((unsigned char)tld[0]) || (unsigned char)tld[0] >= 0x80) ||
        !(isalpha((unsigned char)tld[tl - 1]) || (unsigned char)tld[tl - 1] >= 0x80))
        return false;
    for (size_t i = 0; i < tl; i++) {
        unsigned char c = (unsigned char)tld[i];
        if (!(isalnum(c) || c >= 0x80 || c == '-' || c == '_' || c == '~'))
            return false;
    }
    /* the labels before it: alnum at both ends, alnum - . _ ~ inside */
    const char *p = d, *end = d + ls - 1;
    while (p < end) {
        const char *q = p;
        while (q < end && *q != '.')
            q++;
        size_t l = (size_t)(q - p);
        if (l == 0 || !(isalnum((unsigned char)p[0]) || (unsigned char)p[0] >= 0x80) ||
            !(isalnum((unsigned char)p[l - 1]) || (unsigned char)p[l - 1] >= 0x80))
            return false;
        for (size_t i = 0; i < l; i++) {
            unsigned char c = (unsigned char)p[i];
            if (!(isalnum(c) || c >= 0x80 || c == '-' || c == '_' || c == '~'))
                return false;
        }
        p = q + 1;
    }
    return true;
}

static bool num_ident(const char *s, size_t n, bool allow_leading_zero)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isdigit((unsigned char)s[i]))
            return false;
    return allow_leading_zero || n == 1 || s[0] != '0';
}

static bool idents_ok(const char *s, size_t n, bool pre)
{
    const char *p = s, *end = s + n;
    if (n == 0)
        return false;
    while (p <= end) {
        const char *q = p;
        while (q < end && *q != '.')
            q++;
        size_t l = (size_t)(q - p);
        if (l == 0)
            return false;
        bool numeric = true;
        for (size_t i = 0; i < l; i++) {
            if (!isalnum((unsigned char)p[i]) && p[i] != '-')
                return false;
            if (!isdigit((unsigned char)p[i]))
                numeric = false;
        }
        if (pre && numeric && !num_ident(p, l, false))
            return false;
        p = q + 1;
    }
    return true;
}

/* semver.StrictNewVersion: MAJOR.MINOR.PATCH, no leading zeros, no "v" */
bool lint_is_strict_semver(const char *s)
{
    const char *p = s;
    for (int part = 0; part < 3; part++) {
        const char *q = p;
        while (isdigit((unsigned char)*q))
            q++;
        if (!num_ident(p, (size_t)(q - p), false))
            return false;
        p = q;
        if (part < 2) {
            if (*p != '.')
                return false;
            p++;
        }
    }
    if (*p == '-') {
        const char *q = p + 1 + strcspn(p + 1, "+");
        if (!idents_ok(p + 1, (size_t)(q - p - 1), true))
            return false;
        p = q;
    }
    if (*p == '+') {
        if (!idents_ok(p + 1, strlen(p + 1), false))
            return false;
        p += strlen(p);
    }
    return *p == 0;
}
