{{/*
Prometheus Operator scraping (serviceMonitor or podMonitor): the provider pods and, when
sync.enabled, the sync controller pods, both on their metrics port at /metrics.
*/}}

{{/* The label selector of the pods (or their Services) that serve metrics: both components of this release. */}}
{{- define "ssp.metricsSelector" -}}
matchLabels:
  app.kubernetes.io/name: {{ include "ssp.name" . }}
  app.kubernetes.io/instance: {{ .Release.Name }}
matchExpressions:
  - key: app.kubernetes.io/component
    operator: In
    values:
      - provider
      {{- if .Values.sync.enabled }}
      - sync-controller
      {{- end }}
{{- end }}

{{/* A headless Service over one component's metrics port. Call with (dict "ctx" . "component" "provider" "name" "..."). */}}
{{- define "ssp.metricsService" -}}
apiVersion: v1
kind: Service
metadata:
  name: {{ .name }}
  namespace: {{ .ctx.Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" .ctx "component" .component) | nindent 4 }}
spec:
  clusterIP: None
  selector:
    {{- include "ssp.selectorLabels" (dict "ctx" .ctx "component" .component) | nindent 4 }}
  ports:
    - name: metrics
      port: {{ .ctx.Values.ports.metrics }}
      targetPort: metrics
      protocol: TCP
{{- end }}

{{/* Headless metrics Services and a ServiceMonitor selecting them. */}}
{{- define "ssp.servicemonitor" -}}
{{- if .Values.serviceMonitor.enabled }}
{{ include "ssp.metricsService" (dict "ctx" . "component" "provider" "name" (printf "%s-metrics" (include "ssp.fullname" .))) }}
{{- if .Values.sync.enabled }}
---
{{ include "ssp.metricsService" (dict "ctx" . "component" "sync-controller" "name" (printf "%s-metrics" (include "ssp.syncName" .))) }}
{{- end }}
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
    {{- include "ssp.metricsSelector" . | nindent 4 }}
  endpoints:
    - port: metrics
      path: /metrics
      interval: {{ .Values.serviceMonitor.interval }}
      scrapeTimeout: {{ .Values.serviceMonitor.scrapeTimeout }}
{{- end }}
{{- end }}

{{/* A PodMonitor selecting the pods directly, for Prometheus setups that select PodMonitors (no Service needed). */}}
{{- define "ssp.podmonitor" -}}
{{- if .Values.podMonitor.enabled }}
apiVersion: monitoring.coreos.com/v1
kind: PodMonitor
metadata:
  name: {{ include "ssp.fullname" . }}
  namespace: {{ default .Release.Namespace .Values.podMonitor.namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider" "extra" .Values.podMonitor.labels) | nindent 4 }}
spec:
  namespaceSelector:
    matchNames:
      - {{ .Release.Namespace }}
  selector:
    {{- include "ssp.metricsSelector" . | nindent 4 }}
  podMetricsEndpoints:
    - port: metrics
      path: /metrics
      interval: {{ .Values.podMonitor.interval }}
      scrapeTimeout: {{ .Values.podMonitor.scrapeTimeout }}
{{- end }}
{{- end }}
