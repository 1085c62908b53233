{{/*
The provider's RBAC: the backend's cluster-wide rules (hook ssp.backendClusterRules) plus
serviceaccounts/token create only when the rendered flags let the provider mint pod tokens itself
(hook ssp.tokenRequestFlag: the backend's flag, or nothing for backends that never mint),
and in the release namespace the backend's rules (hook ssp.backendNamespacedRules) plus the key
Secrets the provider reads or creates: the backend's (hook ssp.backendKeySecrets, a YAML list of
names) and the payload fingerprint key (fingerprintSecretName). A ClusterRole or Role without rules
is not rendered.
*/}}
{{- define "ssp.clusterRules" -}}
{{- with (include "ssp.backendClusterRules" . | trim) }}
{{ . }}
{{- end }}
{{- if (include "ssp.tokenRequestFlag" . | trim) }}
- apiGroups: [""]
  resources: ["serviceaccounts/token"]
  verbs: ["create"]
{{- end }}
{{- end }}

{{/*
Key Secrets: get only those names. Create is granted for the namespace because Kubernetes cannot
restrict create by resourceNames (the authorizer sees no name before the object exists); the
provider only ever creates the Secrets named here, and only when they are missing.
*/}}
{{- define "ssp.keySecretRules" -}}
{{- $names := include "ssp.backendKeySecrets" . | fromYamlArray | default list }}
{{- with .Values.fingerprintSecretName }}
{{- $names = append $names . }}
{{- end }}
{{- if $names }}
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: {{ $names | uniq | toJson }}
  verbs: ["get"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
{{- end }}
{{- end }}

{{- define "ssp.namespacedRules" -}}
{{- with (include "ssp.backendNamespacedRules" . | trim) }}
{{ . }}
{{- end }}
{{- with (include "ssp.keySecretRules" . | trim) }}
{{ . }}
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
{{- $rules := include "ssp.namespacedRules" . | trim }}
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
