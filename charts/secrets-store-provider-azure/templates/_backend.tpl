{{/* Backend hooks of the Azure chart, called by the library templates. Azure flags are not final: use extraArgs. */}}
{{- define "ssp.backend" -}}azure{{- end }}
{{- define "ssp.backendArgs" -}}{{- end }}
{{- define "ssp.backendEnv" -}}{{- end }}
{{- define "ssp.backendVolumes" -}}{{- end }}
{{- define "ssp.backendVolumeMounts" -}}{{- end }}

{{/* Azure needs no Kubernetes API permissions: the client id comes from the SecretProviderClass. */}}
{{- define "ssp.backendClusterRules" -}}{{- end }}
{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{- define "ssp.backendKeySecrets" -}}{{- end }}

{{- define "ssp.backendConfigKeys" -}}{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: api://AzureADTokenExchange   # Microsoft Entra Workload ID
- audience: api://AKSIdentityBinding     # AKS identity binding (useAzureTokenProxy)
{{- end }}
