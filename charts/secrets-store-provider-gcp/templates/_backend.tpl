{{/* Backend hooks of the GCP chart, called by the library templates. GCP flags are not final: use extraArgs. */}}
{{- define "ssp.backend" -}}gcp{{- end }}
{{- define "ssp.backendArgs" -}}
{{- with (include "ssp.tokenRequestFlag" . | trim) }}
- {{ . }}
{{- end }}
{{- end }}
{{/* The cluster's identity for pod-adc (upstream's env names). */}}
{{- define "ssp.backendEnv" -}}
{{- range $name, $value := dict "PROJECT" .Values.gcpProject "CLUSTER_LOCATION" .Values.gkeClusterLocation "CLUSTER_NAME" .Values.gkeClusterName }}
{{- if $value }}
- name: {{ $name }}
  value: {{ $value | quote }}
{{- end }}
{{- end }}
{{- end }}
{{- define "ssp.backendVolumes" -}}{{- end }}
{{- define "ssp.backendVolumeMounts" -}}{{- end }}

{{/* Service-account annotations (iam.gke.io/gcp-service-account), read by name (get) through a small
cache with a TTL, never listed or watched. */}}
{{- define "ssp.backendClusterRules" -}}
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get"]
{{- end }}

{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{- define "ssp.backendKeySecrets" -}}{{- end }}

{{- define "ssp.backendConfigKeys" -}}{{- end }}

{{/* Mint the pod's token when the driver passed none (tokenRequest.enabled); the RBAC follows this flag. */}}
{{- define "ssp.tokenRequestFlag" -}}
{{- if .Values.tokenRequest.enabled }}--gcp-allow-token-request{{ end }}
{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: {{ .Values.gcpProject | default "<PROJECT_ID>" }}.svc.id.goog   # your workload identity pool
{{- end }}
