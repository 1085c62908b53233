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
{{- with (include "ssp.tokenRequestFlag" . | trim) }}
- {{ . }}
{{- end }}
{{- if .Values.vault.allowSkipTLSVerify }}
- --vault-allow-skip-tls-verify
{{- end }}
{{- with .Values.vault.tlsFileDirs }}
- --vault-spc-file-dirs={{ include "ssp.vaultFileDirPaths" $ }}
{{- end }}
{{- end }}

{{/*
Mint the pod's token with the vault audience when the driver passed none (tokenRequest.enabled, on
by default as upstream does); the RBAC (serviceaccounts/token create) follows this flag.
*/}}
{{- define "ssp.tokenRequestFlag" -}}
{{- if .Values.tokenRequest.enabled }}--vault-allow-token-request{{ end }}
{{- end }}

{{/* The vault.tlsFileDirs paths, comma-separated (--vault-spc-file-dirs). */}}
{{- define "ssp.vaultFileDirPaths" -}}
{{- $paths := list }}
{{- range .Values.vault.tlsFileDirs }}
{{- $paths = append $paths .path }}
{{- end }}
{{- join "," $paths }}
{{- end }}

{{- define "ssp.backendEnv" -}}{{- end }}

{{/*
The CA Secret, and for each vault.tlsFileDirs entry its Secret or ConfigMap: SecretProviderClasses
may then name files under that directory (vaultCACertPath, vaultTLSClientCertPath,
vaultTLSClientKeyPath). Mounted in the provider and the sync controller, which both run the backend.
*/}}
{{- define "ssp.backendVolumes" -}}
{{- if .Values.vault.caCert.secretName }}
- name: vault-ca
  secret:
    secretName: {{ .Values.vault.caCert.secretName }}
    items:
      - key: {{ .Values.vault.caCert.key }}
        path: {{ .Values.vault.caCert.key }}
{{- end }}
{{- range $i, $dir := .Values.vault.tlsFileDirs }}
- name: vault-files-{{ $i }}
  {{- if $dir.secretName }}
  secret:
    secretName: {{ $dir.secretName }}
  {{- else }}
  configMap:
    name: {{ required (printf "vault.tlsFileDirs[%d] needs secretName or configMapName" $i) $dir.configMapName }}
  {{- end }}
{{- end }}
{{- end }}

{{- define "ssp.backendVolumeMounts" -}}
{{- if .Values.vault.caCert.secretName }}
- name: vault-ca
  mountPath: /etc/secrets-store-provider/vault-ca
  readOnly: true
{{- end }}
{{- range $i, $dir := .Values.vault.tlsFileDirs }}
- name: vault-files-{{ $i }}
  mountPath: {{ $dir.path }}
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
