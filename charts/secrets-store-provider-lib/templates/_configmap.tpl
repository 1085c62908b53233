{{/* Provider configuration: the config value as a YAML file, mounted at /etc/secrets-store-provider/config.yaml. */}}
{{- define "ssp.configmap" -}}
apiVersion: v1
kind: ConfigMap
metadata:
  name: {{ include "ssp.fullname" . }}-config
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.labels" . | nindent 4 }}
data:
  config.yaml: |
    # Read by serve and sync (--config) and reloaded without a restart; a broken file is rejected,
    # logged and counted, and the previous configuration stays. Keys (each overrides its flag):
    # logLevel, rotationPollInterval, rotationPollJitter, cacheFreshness, cacheIdle,
    # endpointConcurrency, backendMaxAttempts, circuitFailures, circuitOpen,
    # auditLog ("-" for stdout, "" for no audit, or an absolute file path; switched without losing an event)
    {{- with (include "ssp.backendConfigKeys" . | trim) }}
    {{- . | nindent 4 }}
    {{- end }}
    {{- if .Values.config }}
    {{- toYaml .Values.config | nindent 4 }}
    {{- else }}
    {}
    {{- end }}
  {{- if .Values.readinessProbeIdentity.enabled }}
  {{- if not .Values.readinessProbeIdentity.parameters }}
  {{- fail "readinessProbeIdentity.parameters is required when readinessProbeIdentity.enabled" }}
  {{- end }}
  # The SecretProviderClass that readiness mounts as the provider's ServiceAccount (serve --readiness-probe-spc).
  readiness-probe-spc.yaml: |
    apiVersion: secrets-store.csi.x-k8s.io/v1
    kind: SecretProviderClass
    metadata:
      name: {{ include "ssp.fullname" . }}-readiness-probe
      namespace: {{ .Release.Namespace }}
    spec:
      provider: {{ include "ssp.providerName" . }}
      parameters:
        {{- toYaml .Values.readinessProbeIdentity.parameters | nindent 8 }}
  {{- end }}
{{- end }}
