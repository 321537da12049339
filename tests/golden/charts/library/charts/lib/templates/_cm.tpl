{{- define "lib.cm" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ .Values.name }}
data:
  chart: {{ .Chart.Name }}
{{- end -}}
