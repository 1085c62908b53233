{{/* Backend hooks of the Vault chart, called by the library templates. */}}
{{- define "ssp.backend" -}}vault{{- end }}

{{- define "ssp.backendArgs" -}}
- --hmac-secret-name={{ .Values.hmacSecretName }}
{{- with .Values.vault.addr }}
- --vault-addr={{ . }}
{{- end }}
{{- with .Values.vault.mount }}
- --vault-mount={{ . }}
{{- end }}
{{- with .Values.vault.namespace }}
- --vault-namespace={{ . }}
{{- end }}
{{- if .Values.vault.caCert.secretName }}
- --vault-ca-cert=/etc/secrets-store-provider/vault-ca/{{ .Values.vault.caCert.key }}
{{- end }}
{{- if .Values.tokenRequest.enabled }}
- --vault-allow-token-request
{{- end }}
{{- end }}

{{- define "ssp.backendEnv" -}}{{- end }}

{{- define "ssp.backendVolumes" -}}
{{- if .Values.vault.caCert.secretName }}
- name: vault-ca
  secret:
    secretName: {{ .Values.vault.caCert.secretName }}
    items:
      - key: {{ .Values.vault.caCert.key }}
        path: {{ .Values.vault.caCert.key }}
{{- end }}
{{- end }}

{{- define "ssp.backendVolumeMounts" -}}
{{- if .Values.vault.caCert.secretName }}
- name: vault-ca
  mountPath: /etc/secrets-store-provider/vault-ca
  readOnly: true
{{- end }}
{{- end }}

{{- define "ssp.backendClusterRules" -}}{{- end }}

{{/* The HMAC key Secret: get by name; create cannot be scoped by resourceNames. */}}
{{- define "ssp.backendNamespacedRules" -}}
- apiGroups: [""]
  resources: ["secrets"]
  resourceNames: [{{ .Values.hmacSecretName | quote }}]
  verbs: ["get"]
- apiGroups: [""]
  resources: ["secrets"]
  verbs: ["create"]
{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: vault   # or the audience your SecretProviderClasses set (audience parameter)
{{- end }}
