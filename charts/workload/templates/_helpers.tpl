{{- define "workload.fullname" -}}
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

{{/* The object name of workload NAME: include "workload.objname" (list $ NAME) */}}
{{- define "workload.objname" -}}
{{- $root := index . 0 -}}
{{- printf "%s-%s" (include "workload.fullname" $root) (index . 1) | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{- define "workload.labels" -}}
{{- $root := index . 0 -}}
helm.sh/chart: {{ printf "%s-%s" $root.Chart.Name $root.Chart.Version | replace "+" "_" }}
app.kubernetes.io/managed-by: {{ $root.Release.Service }}
{{ include "workload.selectorLabels" . }}
{{- end -}}

{{- define "workload.selectorLabels" -}}
{{- $root := index . 0 -}}
app.kubernetes.io/name: {{ default $root.Chart.Name $root.Values.nameOverride }}
app.kubernetes.io/instance: {{ $root.Release.Name }}
app.kubernetes.io/component: {{ index . 1 }}
{{- end -}}

{{/* Image reference: include "workload.image" (list $ IMAGE). A repository whose
first path part is a registry host ("." or ":" in it, or localhost) names its own
registry and is used as written; the global registry, when set, replaces the
image's registry (its own, or that host). */}}
{{- define "workload.image" -}}
{{- $root := index . 0 -}}
{{- $img := index . 1 -}}
{{- $repo := toString $img.repository -}}
{{- $registry := $img.registry -}}
{{- $parts := splitList "/" $repo -}}
{{- $host := first $parts -}}
{{- if and (gt (len $parts) 1) (or (contains "." $host) (contains ":" $host) (eq $host "localhost")) -}}
{{- $registry = $host -}}
{{- $repo = join "/" (rest $parts) -}}
{{- end -}}
{{- $registry = default $registry $root.Values.global.imageRegistry -}}
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

{{/* The kind/name list a workload waits for, as the installer reads it:
include "workload.dependsOn" (list $ NAME SPEC) */}}
{{- define "workload.dependsOn" -}}
{{- $root := index . 0 -}}
{{- $self := index . 1 -}}
{{- $w := index . 2 -}}
{{- $refs := list -}}
{{- range $w.dependsOn -}}
{{- if not (hasKey $root.Values.workloads .) -}}
{{- fail (printf "workloads.%s.dependsOn: no workload named %q" $self .) -}}
{{- end -}}
{{- if eq . $self -}}
{{- fail (printf "workloads.%s.dependsOn: a workload cannot depend on itself" $self) -}}
{{- end -}}
{{- $dep := index $root.Values.workloads . -}}
{{- $refs = append $refs (printf "%s/%s" ($dep.kind | default "Deployment") (include "workload.objname" (list $root .))) -}}
{{- end -}}
{{- join "," $refs -}}
{{- end -}}

{{/* The pod template of workload NAME: include "workload.pod" (list $ NAME SPEC) */}}
{{- define "workload.pod" -}}
{{- $root := index . 0 -}}
{{- $name := index . 1 -}}
{{- $w := index . 2 -}}
{{- $image := mergeOverwrite (deepCopy $root.Values.defaults.image) ($w.image | default dict) -}}
{{- $objname := include "workload.objname" (list $root $name) -}}
metadata:
  labels:
    {{- include "workload.selectorLabels" (list $root $name) | nindent 4 }}
  {{- if $w.config }}
  annotations:
    checksum/config: {{ $w.config | toJson | sha256sum }}
  {{- end }}
spec:
  {{- if has ($w.kind | default "Deployment") (list "Job" "CronJob") }}
  restartPolicy: {{ $w.restartPolicy | default "Never" }}
  {{- end }}
  {{- with $root.Values.global.imagePullSecrets }}
  imagePullSecrets:
    {{- range . }}
    - name: {{ . }}
    {{- end }}
  {{- end }}
  containers:
    - name: {{ $name }}
      image: {{ include "workload.image" (list $root $image) }}
      imagePullPolicy: {{ $image.pullPolicy | default "IfNotPresent" }}
      {{- with $w.command }}
      command:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $w.args }}
      args:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- if or $w.env $w.secret }}
      env:
        {{- range $k, $v := $w.env }}
        - name: {{ $k }}
          value: {{ $v | toString | quote }}
        {{- end }}
        {{- range $k, $_ := $w.secret }}
        - name: {{ $k }}
          valueFrom:
            secretKeyRef:
              name: {{ $objname }}
              key: {{ $k }}
        {{- end }}
      {{- end }}
      {{- with $w.envFrom }}
      envFrom:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with $w.ports }}
      ports:
        {{- range . }}
        - name: {{ .name }}
          containerPort: {{ .containerPort }}
          protocol: {{ .protocol | default "TCP" }}
        {{- end }}
      {{- end }}
      {{- range $probe := list "startupProbe" "livenessProbe" "readinessProbe" }}
      {{- with index $w $probe }}
      {{ $probe }}:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- end }}
      resources:
        {{- toYaml ($w.resources | default $root.Values.defaults.resources) | nindent 8 }}
      securityContext:
        {{- toYaml ($w.securityContext | default $root.Values.defaults.securityContext) | nindent 8 }}
      {{- if or $w.config $w.volumeClaim }}
      volumeMounts:
        {{- if $w.config }}
        - name: config
          mountPath: /etc/{{ $name }}/config
          readOnly: true
        {{- end }}
        {{- with $w.volumeClaim }}
        - name: data
          mountPath: {{ .mountPath | default "/data" }}
        {{- end }}
      {{- end }}
  {{- if $w.config }}
  volumes:
    - name: config
      configMap:
        name: {{ $objname }}
  {{- end }}
{{- end -}}
