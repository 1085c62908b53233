{{/*
The provider's RBAC: the backend's cluster-wide rules (hook ssp.backendClusterRules) plus
serviceaccounts/token create only when the provider mints pod tokens itself (tokenRequest.enabled),
and the backend's rules in the release namespace (hook ssp.backendNamespacedRules). A ClusterRole or
Role without rules is not rendered.
*/}}
{{- define "ssp.clusterRules" -}}
{{- with (include "ssp.backendClusterRules" . | trim) }}
{{ . }}
{{- end }}
{{- if .Values.tokenRequest.enabled }}
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  verbs: ["create"]
{{- end }}
{{- end }}

{{- define "ssp.rbac" -}}
{{- if .Values.rbac.create }}
{{- $clusterRules := include "ssp.clusterRules" . | trim }}
{{- if $clusterRules }}
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "ssp.fullname" . }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
rules:
{{ $clusterRules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "ssp.fullname" . }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ include "ssp.fullname" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ssp.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
{{- $rules := include "ssp.backendNamespacedRules" . | trim }}
{{- if $rules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "ssp.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
rules:
{{ $rules }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "ssp.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "ssp.fullname" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ssp.serviceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
{{- end }}
{{- end }}
