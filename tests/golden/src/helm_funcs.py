"""helm-funcs suite (issue 3): Helm's own functions and objects: include,
tpl, toToml/fromToml, lookup, the must* forms, .Release, .Chart,
.Capabilities, .Template.  (required/fail: defaults suite; toYaml &co: yaml
and json suites.)"""
from gsrc import Suite

SUITE = s = Suite("helm-funcs")
H = {"templates/_helpers.tpl":
     '{{- define "t.name" -}}{{ .Chart.Name }}-{{ .Values.suffix | default "x" }}{{- end -}}\n'
     '{{- define "t.labels" -}}\napp: {{ include "t.name" . }}\ntier: {{ .Values.tier | quote }}\n{{- end -}}\n'
     '{{- define "t.args" -}}{{ printf "%T:%v" . . }}{{- end -}}\n'
     '{{- define "t.rec" -}}{{ if gt (int .) 0 }}{{ . }},{{ include "t.rec" (sub . 1) }}{{ end }}{{- end -}}\n'
     '{{- define "t.inf" -}}{{ include "t.inf" . }}{{- end -}}\n'
     '{{- define "t.fail" -}}{{ fail "from partial" }}{{- end -}}\n'
     '{{- define "t.dict" -}}{{ .a }}/{{ .b.c }}{{- end -}}\n'}
V = "suffix: sfx\ntier: web\ntplv: 'name={{ .Values.suffix }}'\nnested: {t: '{{ .Release.Name }}'}\n"

s.exprs("include-basic", ['include "t.name" .', '~include "t.labels" .', 'include "t.labels" . | nindent 2 | trim'],
        values=V, files=H)
s.exprs("include-args", ['include "t.args" 1', 'include "t.args" "s"', 'include "t.args" nil',
                         'include "t.args" (list 1 2)', 'include "t.dict" (dict "a" 1 "b" (dict "c" 2))'],
        values=V, files=H)
s.exprs("include-recursive", ['include "t.rec" 5', 'include "t.rec" 0'], files=H)
s.exprs("include-pipe", ['include "t.name" . | upper', 'include "t.name" . | len'], values=V, files=H)
s.err("include-undefined", 'include "nope" .', files=H)
s.err("include-infinite", 'include "t.inf" .', files=H)
s.err("include-fail", 'include "t.fail" .', files=H)
s.err("include-noargs", 'include "t.name"', files=H)
s.exprs("template-action", ['template "t.name" .', 'template "t.args" 3'], values=V, files=H)
s.exprs("tpl-basic", ['tpl .Values.tplv .', 'tpl "{{ .Values.tier }}" .', 'tpl "plain" .', 'tpl "" .',
                      'tpl .Values.nested.t .', 'tpl "{{ include \\"t.name\\" . }}" .'],
        values=V, files=H)
s.exprs("tpl-define", ['tpl "{{ define \\"x\\" }}X{{ end }}{{ template \\"x\\" }}" .',
                       'tpl "{{ .a }}" (dict "a" 1)'], values=V, files=H)
s.err("tpl-parse-error", 'tpl "{{ .Values.x" .')
s.err("tpl-exec-error", 'tpl "{{ fail \\"in tpl\\" }}" .')
s.err("tpl-nofunc", 'tpl "{{ nofunc }}" .')
# (self-recursive tpl: helm v4.1.4 runs for minutes, so no golden)
s.exprs("toToml", ['~toToml (dict "a" 1 "b" "x" "c" (dict "d" true) "l" (list 1 2))', '~toToml (dict)',
                   '~toToml .Values', 'toToml "s"'], values=V)
s.exprs("fromToml", ['fromToml "a = 1\\nb = \\"x\\"\\n[c]\\nd = true" | toJson', 'fromToml "bad = = 1" | toJson',
                     'fromToml "" | toJson', 'fromToml "t = 1979-05-27T07:32:00Z" | toJson',
                     'printf "%T" (fromToml "a = 1").a'])
s.exprs("lookup", ['lookup "v1" "Pod" "ns" "name" | toJson', 'lookup "v1" "Namespace" "" "" | toJson',
                   'printf "%T" (lookup "v1" "Pod" "" "")'])
s.exprs("must-forms", ['mustToYaml (dict "a" 1)', 'mustToJson (list 1)', 'mustToRawJson "<>"',
                       'mustToPrettyJson (dict)'])
s.exprs("release", ['.Release.Name', '.Release.Namespace', '.Release.IsInstall', '.Release.IsUpgrade',
                    '.Release.Revision', '.Release.Service', 'printf "%T" .Release.Revision'])
s.exprs("release-flags", ['.Release.Name', '.Release.Namespace', '.Release.IsUpgrade', '.Release.IsInstall'],
        args=["--namespace", "prod", "--is-upgrade"])
s.exprs("chart", ['.Chart.Name', '.Chart.Version', '.Chart.AppVersion', '.Chart.APIVersion', '.Chart.Type',
                  '.Chart.Description', '.Chart.Keywords', '~toYaml .Chart.Maintainers'],
        files={"Chart.yaml": "apiVersion: v2\nname: t\nversion: 1.2.3\nappVersion: \"4.5\"\ndescription: d\n"
                             "keywords: [a, b]\nmaintainers:\n- name: m\n  email: m@x\n"})
s.exprs("chart-v1", ['.Chart.APIVersion', '.Chart.Name', '.Chart.Type'],
        files={"Chart.yaml": "apiVersion: v1\nname: t\nversion: 0.1.0\n"})
s.exprs("capabilities", ['.Capabilities.KubeVersion.Version', '.Capabilities.KubeVersion.Major',
                         '.Capabilities.KubeVersion.Minor', '.Capabilities.KubeVersion.GitVersion',
                         '.Capabilities.KubeVersion', '.Capabilities.APIVersions.Has "apps/v1"',
                         '.Capabilities.APIVersions.Has "apps/v1/Deployment"', '.Capabilities.APIVersions.Has "x/v9"'])
s.exprs("capabilities-flags", ['.Capabilities.KubeVersion', '.Capabilities.APIVersions.Has "x/v9"',
                               '.Capabilities.APIVersions.Has "y.io/v1/Thing"'],
        args=["--kube-version", "1.29.3", "--api-versions", "x/v9", "--api-versions", "y.io/v1/Thing"])
s.exprs("capabilities-helm", ['.Capabilities.HelmVersion.Version', 'printf "%T" .Capabilities'])
s.exprs("template-object", ['.Template.Name', '.Template.BasePath'])
s.exprs("values-object", ['printf "%T" .Values', 'len .Values', 'printf "%T" .'], values=V)
s.err("bad-kube-version", '"x"', args=["--kube-version", "notaversion"])
