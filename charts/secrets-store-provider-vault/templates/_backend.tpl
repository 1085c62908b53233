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

{{- define "ssp.backendNamespacedRules" -}}{{- end }}

{{/* The HMAC key Secret of object versions, read or created by the provider (see ssp.keySecretRules). */}}
{{- define "ssp.backendConfigKeys" -}}
# vaultAllowedAddresses: the vaultAddress values a SecretProviderClass may name, replacing
# --vault-allowed-addresses while set ([] allows none); checked on every mount.
{{- end }}

{{- define "ssp.backendKeySecrets" -}}
- {{ .Values.hmacSecretName | quote }}
{{- end }}

{{- define "ssp.tokenAudiences" -}}
- audience: vault   # or the audience your SecretProviderClasses set (audience parameter)
{{- end }}
