{{- define "ssp.serviceaccount" -}}
{{- if .Values.serviceAccount.create }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "ssp.serviceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.labels" . | nindent 4 }}
    app.kubernetes.io/component: provider
  {{- with .Values.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
{{- end }}
{{- end }}
