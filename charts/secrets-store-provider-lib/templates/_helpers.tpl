{{/*
Helpers shared by the four provider charts. Each application chart defines the backend hooks
(see _hooks.md in this chart): ssp.backend, ssp.backendArgs, ssp.backendEnv, ssp.backendVolumes,
ssp.backendVolumeMounts, ssp.backendClusterRules, ssp.backendNamespacedRules, ssp.tokenAudiences,
ssp.tokenRequestFlag (the flag that lets the backend mint pod tokens, or nothing; RBAC follows it).
*/}}

{{- define "ssp.name" -}}
{{- default .Chart.Name .Values.nameOverride | trunc 63 | trimSuffix "-" }}
{{- end }}

{{- define "ssp.fullname" -}}
{{- if .Values.fullnameOverride }}
{{- .Values.fullnameOverride | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- $name := default .Chart.Name .Values.nameOverride }}
{{- if contains $name .Release.Name }}
{{- .Release.Name | trunc 63 | trimSuffix "-" }}
{{- else }}
{{- printf "%s-%s" .Release.Name $name | trunc 63 | trimSuffix "-" }}
{{- end }}
{{- end }}
{{- end }}

{{/* Name of the sync controller's objects; 5 characters shorter so the suffix always fits. */}}
{{- define "ssp.syncName" -}}
{{- printf "%s-sync" (include "ssp.fullname" . | trunc 58 | trimSuffix "-") }}
{{- end }}

{{- define "ssp.chart" -}}
{{- printf "%s-%s" .Chart.Name .Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{- end }}

{{/* Labels on every object: commonLabels, then the standard labels, which commonLabels cannot replace. */}}
{{- define "ssp.labels" -}}
{{- $standard := dict
    "helm.sh/chart" (include "ssp.chart" .)
    "app.kubernetes.io/name" (include "ssp.name" .)
    "app.kubernetes.io/instance" .Release.Name
    "app.kubernetes.io/version" .Chart.AppVersion
    "app.kubernetes.io/managed-by" .Release.Service
    "app.kubernetes.io/part-of" "secrets-store-provider" }}
{{- toYaml (merge $standard (deepCopy (.Values.commonLabels | default dict))) }}
{{- end }}

{{/*
Labels of an object of a component ("provider" or "sync-controller"), plus extra labels (pod labels)
that can add to but never replace them, so selectors keep matching. Call with
(dict "ctx" . "component" "provider" "extra" .Values.podLabels).
*/}}
{{- define "ssp.componentLabels" -}}
{{- $labels := merge (dict "app.kubernetes.io/component" .component) (fromYaml (include "ssp.labels" .ctx)) }}
{{- toYaml (merge $labels (deepCopy (.extra | default dict))) }}
{{- end }}

{{/* Selector labels of a component: "provider" or "sync-controller". Call with (dict "ctx" . "component" "provider"). */}}
{{- define "ssp.selectorLabels" -}}
app.kubernetes.io/name: {{ include "ssp.name" .ctx }}
app.kubernetes.io/instance: {{ .ctx.Release.Name }}
app.kubernetes.io/component: {{ .component }}
{{- end }}

{{- define "ssp.serviceAccountName" -}}
{{- if .Values.serviceAccount.create }}
{{- default (include "ssp.fullname" .) .Values.serviceAccount.name }}
{{- else }}
{{- default "default" .Values.serviceAccount.name }}
{{- end }}
{{- end }}

{{- define "ssp.syncServiceAccountName" -}}
{{- default (include "ssp.syncName" .) .Values.sync.serviceAccount.name }}
{{- end }}

{{/* The socket name: --provider-name, what SecretProviderClasses put in spec.provider. */}}
{{- define "ssp.providerName" -}}
{{- default (include "ssp.backend" .) .Values.providerName }}
{{- end }}

{{/* An image reference from {repository, tag, digest}: the digest wins (repo@sha256:...), then the tag, then appVersion. Call with (dict "image" .Values.image "ctx" .). */}}
{{- define "ssp.imageRef" -}}
{{- if .image.digest }}
{{- printf "%s@%s" .image.repository .image.digest }}
{{- else }}
{{- printf "%s:%s" .image.repository (default .ctx.Chart.AppVersion .image.tag) }}
{{- end }}
{{- end }}

{{/*
The flags serve and sync share: logging, the configuration file, the payload fingerprint key
Secret (one per namespace, so every provider and the sync controller fingerprint alike), and the
backend's own flags.
*/}}
{{- define "ssp.commonArgs" -}}
- --log-format={{ .Values.logFormat }}
- --log-level={{ .Values.logLevel }}
- --config=/etc/secrets-store-provider/config.yaml
{{- with .Values.fingerprintSecretName }}
- --fingerprint-secret-name={{ . }}
- --fingerprint-secret-namespace={{ $.Release.Namespace }}
{{- end }}
{{- with (include "ssp.backendArgs" . | trim) }}
{{ . }}
{{- end }}
{{- end }}

{{/* Environment of both workloads: downward API, the backend's variables, then extraEnv. */}}
{{- define "ssp.env" -}}
- name: POD_NAMESPACE
  valueFrom:
    fieldRef:
      fieldPath: metadata.namespace
- name: NODE_NAME
  valueFrom:
    fieldRef:
      fieldPath: spec.nodeName
{{- with (include "ssp.backendEnv" . | trim) }}
{{ . }}
{{- end }}
{{- with .Values.extraEnv }}
{{ toYaml . }}
{{- end }}
{{- end }}

{{/*
Pod-level security context of the provider and the sync controller: podSecurityContext (fsGroup,
supplementalGroups, seLinuxOptions, appArmorProfile, sysctls, ...) over the fixed non-root identity,
which it cannot replace (the schema also refuses those keys), and RuntimeDefault seccomp, which it can.
*/}}
{{- define "ssp.podSecurityContext" -}}
{{- $fixed := dict "runAsNonRoot" true "runAsUser" .Values.securityContext.runAsUser "runAsGroup" .Values.securityContext.runAsGroup }}
{{- $defaults := dict "seccompProfile" (dict "type" "RuntimeDefault") }}
{{- toYaml (merge $fixed (deepCopy (.Values.podSecurityContext | default dict)) $defaults) }}
{{- end }}

{{/*
Priority class of the provider pods: the value when set; otherwise system-node-critical in
kube-system, the one namespace where every distribution admits it (GKE refuses it elsewhere unless a
ResourceQuota allows it), and none in any other namespace.
*/}}
{{- define "ssp.priorityClassName" -}}
{{- if .Values.priorityClassName }}
{{- .Values.priorityClassName }}
{{- else if eq .Release.Namespace "kube-system" }}
{{- "system-node-critical" }}
{{- end }}
{{- end }}

{{/* Container-level security context: non-root, read-only root, no capabilities, no escalation. */}}
{{- define "ssp.containerSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .Values.securityContext.runAsUser }}
runAsGroup: {{ .Values.securityContext.runAsGroup }}
privileged: false
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end }}

{{/* Mounts both workloads share: /tmp and the configuration file. */}}
{{- define "ssp.commonVolumeMounts" -}}
- name: tmp
  mountPath: /tmp
# The whole directory, not a subPath: kubelet never updates subPath mounts, and the provider
# reloads config.yaml when the ConfigMap changes.
- name: config
  mountPath: /etc/secrets-store-provider
  readOnly: true
{{- with (include "ssp.backendVolumeMounts" . | trim) }}
{{ . }}
{{- end }}
{{- end }}

{{- define "ssp.commonVolumes" -}}
# Writable scratch space: the root filesystem is read-only, and gRPC's netty extracts its native
# epoll library into java.io.tmpdir (/tmp) at startup.
- name: tmp
  emptyDir:
    sizeLimit: {{ .Values.tmpSizeLimit }}
- name: config
  configMap:
    name: {{ include "ssp.fullname" . }}-config
{{- with (include "ssp.backendVolumes" . | trim) }}
{{ . }}
{{- end }}
{{- end }}
