{{/* Names ------------------------------------------------------------------ */}}

{{- define "jenkins.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jenkins.fullname" -}}
{{- if .Values.fullnameOverride -}}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- $name := default .Chart.Name .Values.nameOverride -}}
{{- if contains $name .Release.Name -}}
{{- .Release.Name | trunc 63 | trimSuffix "-" -}}
{{- else -}}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" -}}
{{- end -}}
{{- end -}}
{{- end -}}

{{- define "jenkins.namespace" -}}
{{- default .Release.Namespace .Values.namespaceOverride -}}
{{- end -}}

{{- define "jenkins.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "jenkins.selectorLabels" -}}
app.kubernetes.io/name: {{ include "jenkins.name" . }}
app.kubernetes.io/instance: {{ .Release.Name }}
app.kubernetes.io/component: controller
{{- end -}}

{{- define "jenkins.labels" -}}
helm.sh/chart: {{ include "jenkins.chart" . }}
{{ include "jenkins.selectorLabels" . }}
app.kubernetes.io/version: {{ .Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .Release.Service }}
{{- end -}}

{{- define "jenkins.serviceAccountName" -}}
{{- if .Values.serviceAccount.create -}}
{{- default (include "jenkins.fullname" .) .Values.serviceAccount.name -}}
{{- else -}}
{{- default "default" .Values.serviceAccount.name -}}
{{- end -}}
{{- end -}}

{{- define "jenkins.adminSecretName" -}}
{{- default (include "jenkins.fullname" .) .Values.jenkins.admin.existingSecret -}}
{{- end -}}

{{- define "jenkins.registrySecretName" -}}
{{- default (printf "%s-registry" (include "jenkins.fullname" .)) .Values.dockerRegistry.secretName -}}
{{- end -}}

{{/* Images -------------------------------------------------------------------
An image reference from {registry, repository, tag, digest}.
- A repository whose first path part is a registry host (it holds a "." or a
  ":", or is "localhost", e.g. registry.example.cn/team/jenkins) names its own
  registry: it is used as written, and `registry` is not put in front of it.
- The global registry, when set, replaces the image's registry (its own, or the
  host in its repository), so that one value points every image of the chart
  at a private registry.
Call: include "jenkins.image" (dict "image" .Values.agent.image "root" $) */}}
{{- define "jenkins.image" -}}
{{- $img := .image -}}
{{- $repo := toString $img.repository -}}
{{- $registry := $img.registry -}}
{{- $parts := splitList "/" $repo -}}
{{- if and (gt (len $parts) 1) (include "jenkins.isRegistryHost" (first $parts)) -}}
{{- $registry = first $parts -}}
{{- $repo = join "/" (rest $parts) -}}
{{- end -}}
{{- $registry = default $registry .root.Values.global.imageRegistry -}}
{{- $ref := $repo -}}
{{- if $registry -}}
{{- $ref = printf "%s/%s" (trimSuffix "/" $registry) $repo -}}
{{- end -}}
{{- if $img.digest -}}
{{- printf "%s@%s" $ref $img.digest -}}
{{- else -}}
{{- printf "%s:%s" $ref (toString $img.tag) -}}
{{- end -}}
{{- end -}}

{{/* "true" when a path part names a registry host ("." or ":" in it, or localhost) */}}
{{- define "jenkins.isRegistryHost" -}}
{{- if or (contains "." .) (contains ":" .) (eq . "localhost") -}}true{{- end -}}
{{- end -}}

{{/* The registry host of an image reference (docker.io when it names none). */}}
{{- define "jenkins.registryOf" -}}
{{- $parts := splitList "/" . -}}
{{- if and (gt (len $parts) 1) (include "jenkins.isRegistryHost" (first $parts)) -}}
{{- first $parts -}}
{{- else -}}
docker.io
{{- end -}}
{{- end -}}

{{/* The server of the dockerRegistry pull Secret: dockerRegistry.server, else the
registry of the controller image. */}}
{{- define "jenkins.registryServer" -}}
{{- .Values.dockerRegistry.server | default (include "jenkins.registryOf" (include "jenkins.controllerImage" .)) -}}
{{- end -}}

{{- define "jenkins.controllerImage" -}}
{{- $tag := .Values.image.tag | default .Values.image.baseImageTag | default (printf "%s-jdk21" .Chart.AppVersion) -}}
{{- $img := dict "registry" .Values.image.registry "repository" .Values.image.repository "tag" $tag "digest" .Values.image.digest -}}
{{- include "jenkins.image" (dict "image" $img "root" .) -}}
{{- end -}}

{{/* Pull secrets of every pod: global ones, then the registry secret. */}}
{{- define "jenkins.pullSecretNames" -}}
{{- $names := list -}}
{{- range .Values.global.imagePullSecrets -}}
{{- if kindIs "map" . -}}
{{- $names = append $names .name -}}
{{- else -}}
{{- $names = append $names . -}}
{{- end -}}
{{- end -}}
{{- if .Values.dockerRegistry.enabled -}}
{{- $names = append $names (include "jenkins.registrySecretName" .) -}}
{{- end -}}
{{- $names | uniq | toJson -}}
{{- end -}}

{{- define "jenkins.imagePullSecrets" -}}
{{- $names := include "jenkins.pullSecretNames" . | fromJsonArray -}}
{{- if $names -}}
imagePullSecrets:
{{- range $names }}
  - name: {{ . }}
{{- end }}
{{- end -}}
{{- end -}}

{{/* URLs ----------------------------------------------------------------- */}}

{{- define "jenkins.httpPort" -}}
{{- (index .Values.service.ports 0).port -}}
{{- end -}}

{{- define "jenkins.internalUrl" -}}
{{- printf "http://%s.%s.svc.cluster.local:%v%s/" (include "jenkins.fullname" .) (include "jenkins.namespace" .) (include "jenkins.httpPort" .) (trimSuffix "/" .Values.jenkins.urlPrefix) -}}
{{- end -}}

{{- define "jenkins.url" -}}
{{- if .Values.jenkins.url -}}
{{- .Values.jenkins.url -}}
{{- else if and .Values.ingress.enabled .Values.ingress.hosts -}}
{{- $host := (index .Values.ingress.hosts 0).host -}}
{{- $scheme := ternary "https" "http" (gt (len .Values.ingress.tls) 0) -}}
{{- printf "%s://%s%s/" $scheme $host (trimSuffix "/" .Values.jenkins.urlPrefix) -}}
{{- else -}}
{{- include "jenkins.internalUrl" . -}}
{{- end -}}
{{- end -}}

{{- define "jenkins.tunnel" -}}
{{- printf "%s-agent.%s.svc.cluster.local:%v" (include "jenkins.fullname" .) (include "jenkins.namespace" .) .Values.agentService.port -}}
{{- end -}}

{{/* Plugins --------------------------------------------------------------
The list of name:version lines, with a render error when one plugin is listed
twice with different versions. */}}
{{- define "jenkins.plugins" -}}
{{- $seen := dict -}}
{{- $out := list -}}
{{- range concat .Values.plugins.install .Values.plugins.extra -}}
{{- $parts := splitn ":" 2 (toString .) -}}
{{- $name := $parts._0 | trim -}}
{{- $version := default "latest" ($parts._1 | default "" | trim) -}}
{{- if not $name -}}
{{- fail (printf "plugins: an empty plugin name in %q" (toString .)) -}}
{{- end -}}
{{- if hasKey $seen $name -}}
{{- if ne (get $seen $name) $version -}}
{{- fail (printf "plugins: %s is listed twice with different versions: %s and %s" $name (get $seen $name) $version) -}}
{{- end -}}
{{- else -}}
{{- $_ := set $seen $name $version -}}
{{- $out = append $out (printf "%s:%s" $name $version) -}}
{{- end -}}
{{- end -}}
{{- join "\n" $out -}}
{{- end -}}

{{/* Checks run by every render. */}}
{{- define "jenkins.validate" -}}
{{- if gt (int .Values.replicaCount) 1 -}}
{{- fail (printf "replicaCount: %v is not allowed: Jenkins controllers cannot share a home; use 1 (or 0 to stop Jenkins)" .Values.replicaCount) -}}
{{- end -}}
{{- if not (has .Values.plugins.mode (list "image" "download" "bundle")) -}}
{{- fail (printf "plugins.mode: %q is not one of image, download, bundle" .Values.plugins.mode) -}}
{{- end -}}
{{- if and .Values.dockerRegistry.enabled (not .Values.dockerRegistry.user) (not .Values.dockerRegistry.secretName) -}}
{{- fail "dockerRegistry: enabled needs either secretName (an existing Secret) or server, user and password" -}}
{{- end -}}
{{- end -}}
