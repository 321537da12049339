{{- define "p.name" -}}{{ .Chart.Name }}-{{ .Release.Name }}{{- end -}}
{{- define "p.labels" }}
app: {{ template "p.name" . }}
{{- end }}
