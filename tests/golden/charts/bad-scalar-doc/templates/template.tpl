Hello {{ .Release.Name }}
