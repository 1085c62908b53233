{{/* Backend hooks of the GCP chart, called by the library templates. GCP flags are not final: use extraArgs. */}}
{{- define "ssp.backend" -}}gcp{{- end }}
{{- define "ssp.backendArgs" -}}{{- end }}
{{- define "ssp.backendEnv" -}}{{- end }}
{{- define "ssp.backendVolumes" -}}{{- end }}
{{- define "ssp.backendVolumeMounts" -}}{{- end }}

{{/* Service-account annotations (iam.gke.io/gcp-service-account). */}}
{{- define "ssp.backendClusterRules" -}}
- apiGroups: [""]
  resources: ["serviceaccounts"]
  verbs: ["get"]
{{- end }}

{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: <PROJECT_ID>.svc.id.goog   # your workload identity pool
{{- end }}
