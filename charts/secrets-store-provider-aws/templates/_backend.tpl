{{/* Backend hooks of the AWS chart, called by the library templates. */}}
{{- define "ssp.backend" -}}aws{{- end }}

{{- define "ssp.backendArgs" -}}{{- end }}

{{/* AWS flags are not final: other settings go through extraArgs. */}}
{{- define "ssp.backendEnv" -}}
{{- if .Values.awsRegion }}
- name: AWS_REGION
  value: {{ .Values.awsRegion | quote }}
{{- end }}
{{- end }}

{{- define "ssp.backendVolumes" -}}{{- end }}
{{- define "ssp.backendVolumeMounts" -}}{{- end }}

{{/* Service-account annotations (IRSA role ARN), read by name (get) through a small cache with a TTL,
never listed or watched, so nothing grows with the cluster; the node's region label only when no
region is set. */}}
{{- define "ssp.backendClusterRules" -}}
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get"]
{{- if not .Values.awsRegion }}
- apiGroups: [""]
  resources: ["nodes"]
  verbs: ["get"]
{{- end }}
{{- end }}

{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{- define "ssp.backendKeySecrets" -}}{{- end }}

{{- define "ssp.backendConfigKeys" -}}{{- end }}

{{/* This backend never mints pod tokens: no flag, and so no serviceaccounts/token permission. */}}
{{- define "ssp.tokenRequestFlag" -}}{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: sts.amazonaws.com        # IAM Roles for Service Accounts (IRSA)
- audience: pods.eks.amazonaws.com   # EKS Pod Identity
{{- end }}
