{{/*
The optional SecretSync controller (sync.enabled): a leader-elected Deployment running
"secrets-store-provider sync --backend <cloud>" with the backend in-process, its own
ServiceAccount and RBAC. It needs no host path and no node access.
*/}}
{{- define "ssp.sync" -}}
{{- if .Values.sync.enabled }}
apiVersion: v1
kind: ServiceAccount
metadata:
  name: {{ include "ssp.syncServiceAccountName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
  {{- with .Values.sync.serviceAccount.annotations }}
  annotations:
    {{- toYaml . | nindent 4 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: {{ include "ssp.syncName" . }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
rules:
  # Every verb below is one the controller's code uses (docs/sync.md, RBAC).
  # Informer (list, watch) and the read before a status write (get).
  - apiGroups: ["secret-sync.x-k8s.io"]
    resources: ["secretsyncs"]
    verbs: ["get", "list", "watch"]
  # Status written with update against the resourceVersion read, so a concurrent change is not overwritten.
  - apiGroups: ["secret-sync.x-k8s.io"]
    resources: ["secretsyncs/status"]
    verbs: ["update"]
  # Informer, and a read by name of a class the informer has not seen yet.
  - apiGroups: ["secrets-store.csi.x-k8s.io"]
    resources: ["secretproviderclasses"]
    verbs: ["get", "list", "watch"]
  # Server-side apply is a patch, and a patch that creates also needs create. Without the admission
  # policies the controller reads the Secret by name first (get) to leave one it does not own.
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: {{ if .Values.sync.admissionPolicies.enabled }}["create", "patch"]{{ else }}["create", "patch", "get"]{{ end }}
  # TokenRequests for spec.serviceAccountName.
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["create"]
  # Events on create, update and failure (events.k8s.io/v1).
  - apiGroups: ["events.k8s.io"]
    resources: ["events"]
    verbs: ["create"]
  {{- with (include "ssp.backendClusterRules" . | trim) }}
  # The backend runs in-process and needs what the provider needs.
  {{- . | nindent 2 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: {{ include "ssp.syncName" . }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: {{ include "ssp.syncName" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ssp.syncServiceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- $leaseNamespace := .Values.sync.leaderElection.namespace | default .Release.Namespace }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "ssp.syncName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
rules:
  {{- if eq $leaseNamespace .Release.Namespace }}
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    verbs: ["get", "create", "update"]
  {{- end }}
  {{- with (include "ssp.keySecretRules" . | trim) }}
  # The key Secrets the in-process backend and the sync hash read or create, by name.
  {{- . | nindent 2 }}
  {{- end }}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "ssp.syncName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "ssp.syncName" . }}
subjects:
  - kind: ServiceAccount
    name: {{ include "ssp.syncServiceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- if ne $leaseNamespace .Release.Namespace }}
---
# The Lease in another namespace (sync.leaderElection.namespace), e.g. the upstream controller's, so
# the two controllers share one Lease and only one of them leads.
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: {{ include "ssp.syncName" . }}-leader-election
  namespace: {{ $leaseNamespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
rules:
  - apiGroups: ["coordination.k8s.io"]
    resources: ["leases"]
    verbs: ["get", "create", "update"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata:
  name: {{ include "ssp.syncName" . }}-leader-election
  namespace: {{ $leaseNamespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: {{ include "ssp.syncName" . }}-leader-election
subjects:
  - kind: ServiceAccount
    name: {{ include "ssp.syncServiceAccountName" . }}
    namespace: {{ .Release.Namespace }}
{{- end }}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ include "ssp.syncName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
spec:
  replicas: {{ .Values.sync.replicas }}
  {{- with .Values.sync.updateStrategy }}
  strategy:
    {{- /* Helm merges rollingUpdate from the defaults into a user's Recreate, which the API refuses. */}}
    {{- toYaml (ternary (pick . "type") . (eq (.type | default "") "Recreate")) | nindent 4 }}
  {{- end }}
  selector:
    matchLabels:
      {{- include "ssp.selectorLabels" (dict "ctx" . "component" "sync-controller") | nindent 6 }}
  template:
    metadata:
      labels:
        {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller" "extra" .Values.sync.podLabels) | nindent 8 }}
      {{- /* No config checksum: the controller reloads the ConfigMap itself (--config), without a restart. */}}
      {{- with .Values.sync.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "ssp.syncServiceAccountName" . }}
      hostNetwork: false
      {{- with .Values.sync.dnsPolicy }}
      dnsPolicy: {{ . }}
      {{- end }}
      {{- with .Values.sync.priorityClassName }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "ssp.podSecurityContext" . | nindent 8 }}
      containers:
        - name: sync-controller
          image: {{ include "ssp.imageRef" (dict "image" .Values.image "ctx" .) }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          # No command: the image's entrypoint is the provider's CLI (see the provider DaemonSet).
          args:
            - sync
            - --backend
            - {{ include "ssp.backend" . }}
            - --leader-elect
            - --leader-election-namespace={{ .Values.sync.leaderElection.namespace | default .Release.Namespace }}
            - --secret-owner-check={{ if .Values.sync.admissionPolicies.enabled }}admission{{ else }}read{{ end }}
            {{- with .Values.sync.tokenAudiences }}
            - --token-request-audience={{ join "," . }}
            {{- end }}
            - --health-addr=:{{ .Values.ports.health }}
            - --metrics-addr=:{{ .Values.ports.metrics }}
            {{- include "ssp.commonArgs" . | nindent 12 }}
            {{- with .Values.sync.extraArgs }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          env:
            - name: POD_NAME
              valueFrom:
                fieldRef:
                  fieldPath: metadata.name
            # The controller sends its own pod name and UID as the mount's pod, as upstream does.
            - name: POD_UID
              valueFrom:
                fieldRef:
                  fieldPath: metadata.uid
            {{- include "ssp.env" . | nindent 12 }}
          ports:
            - name: health
              containerPort: {{ .Values.ports.health }}
              protocol: TCP
            - name: metrics
              containerPort: {{ .Values.ports.metrics }}
              protocol: TCP
          livenessProbe:
            httpGet:
              path: /livez
              port: health
            {{- toYaml .Values.livenessProbe | nindent 12 }}
          readinessProbe:
            httpGet:
              path: /readyz
              port: health
            {{- toYaml .Values.readinessProbe | nindent 12 }}
          resources:
            {{- toYaml .Values.sync.resources | nindent 12 }}
          securityContext:
            {{- include "ssp.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            {{- include "ssp.commonVolumeMounts" . | nindent 12 }}
            {{- with .Values.sync.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        {{- include "ssp.commonVolumes" . | nindent 8 }}
        {{- with .Values.sync.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      nodeSelector:
        {{- toYaml (merge (dict "kubernetes.io/os" "linux") (deepCopy (.Values.sync.nodeSelector | default dict))) | nindent 8 }}
      {{- with .Values.sync.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.sync.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- if and .Values.sync.podDisruptionBudget.enabled (gt (int .Values.sync.replicas) 1) }}
---
# Keeps a standby controller through voluntary evictions (node drains). Only with more than one
# replica: with one, any budget either blocks every drain or allows what no budget would.
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: {{ include "ssp.syncName" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
spec:
  maxUnavailable: {{ .Values.sync.podDisruptionBudget.maxUnavailable }}
  selector:
    matchLabels:
      {{- include "ssp.selectorLabels" (dict "ctx" . "component" "sync-controller") | nindent 6 }}
{{- end }}
{{- end }}
{{- end }}
