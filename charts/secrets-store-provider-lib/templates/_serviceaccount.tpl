{{- define "ssp.serviceaccount" -}}
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "ssp.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end }}
{{- end }}
