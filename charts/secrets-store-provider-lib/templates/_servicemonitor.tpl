{{/* A headless Service over the provider pods' metrics port and a ServiceMonitor selecting it (Prometheus Operator). */}}
{{- define "ssp.servicemonitor" -}}
{{- if .Values.serviceMonitor.enabled }}
apiVersion: v1
kind: Service
metadata:
  name: {{ include "ssp.fullname" . }}-metrics
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "ssp.selectorLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
  ports:
    - name: metrics
      port: {{ .Values.ports.metrics }}
      targetPort: metrics
      protocol: TCP
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: {{ include "ssp.fullname" . }}
  namespace: {{ default .Release.Namespace .Values.serviceMonitor.namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider" "extra" .Values.serviceMonitor.labels) | nindent 4 }}
spec:
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  selector:
    matchLabels:
      {{- include "ssp.selectorLabels" (dict "ctx" . "component" "provider") | nindent 6 }}
  endpoints:
    - port: metrics
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
{{- end }}
{{- end }}
