{{/* Backend hooks of the Azure chart, called by the library templates. Other Azure flags go through extraArgs. */}}
{{- define "ssp.backend" -}}azure{{- end }}
{{/*
Which credentials a SecretProviderClass may use besides workload identity and identity binding:
service principal (the tenant's own Secret; allowed unless turned off, as upstream), and the
node-level managed identity and pod identity (opt-ins: any pod on the node could borrow them).
*/}}
{{- define "ssp.backendArgs" -}}
- --azure-allow-service-principal={{ .Values.azure.allowServicePrincipal }}
{{- if .Values.azure.enableManagedIdentity }}
- --azure-enable-managed-identity=true
{{- end }}
{{- if .Values.azure.podIdentity.enabled }}
- --azure-enable-pod-identity=true
- --azure-pod-identity-endpoint={{ required "azure.podIdentity.endpoint is required when azure.podIdentity.enabled: the pod has no host network, so localhost is not the node's NMI" .Values.azure.podIdentity.endpoint }}
{{- end }}
{{- end }}
{{- define "ssp.backendEnv" -}}{{- end }}
{{- define "ssp.backendVolumes" -}}{{- end }}
{{- define "ssp.backendVolumeMounts" -}}{{- end }}

{{/* Azure needs no Kubernetes API permissions: the client id comes from the SecretProviderClass. */}}
{{- define "ssp.backendClusterRules" -}}{{- end }}
{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{- define "ssp.backendKeySecrets" -}}{{- end }}

{{- define "ssp.backendConfigKeys" -}}{{- end }}

{{/* This backend never mints pod tokens: no flag, and so no serviceaccounts/token permission. */}}
{{- define "ssp.tokenRequestFlag" -}}{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: api://AzureADTokenExchange   # Microsoft Entra Workload ID
- audience: api://AKSIdentityBinding     # AKS identity binding (useAzureTokenProxy)
{{- end }}
