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
    {{- if .Values.config }}
    {{- toYaml .Values.config | nindent 4 }}
    {{- else }}
    {}
    {{- end }}
{{- end }}
