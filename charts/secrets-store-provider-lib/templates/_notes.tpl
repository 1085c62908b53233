{{- define "ssp.notes" -}}
{{ include "ssp.fullname" . }} is installed in namespace {{ .Release.Namespace }}: a DaemonSet serving
the {{ include "ssp.backend" . }} backend on {{ .Values.providersDir }}/{{ include "ssp.providerName" . }}.sock.

SecretProviderClasses use it with:
  spec:
    provider: {{ include "ssp.providerName" . }}

The Secrets Store CSI driver must look in {{ .Values.providersDir }} (driver chart value
linux.providersDir or linux.additionalProvidersDirs) and must pass pod tokens for this backend.
Set in the driver chart (secrets-store-csi-driver):
  tokenRequests:
    {{- include "ssp.tokenAudiences" . | nindent 4 }}
{{- with (include "ssp.tokenRequestFlag" . | trim) }}

tokenRequest.enabled is true ({{ . }}): when the driver passes no token for the audience, this
provider mints the pod's token itself, which needs serviceaccounts/token create cluster-wide (granted).
Set the driver's tokenRequests above and tokenRequest.enabled=false to drop that permission.
{{- end }}
{{- if .Values.sync.enabled }}

The SecretSync controller ({{ include "ssp.syncName" . }}) is enabled. It can read and write Secrets
in every namespace; restrict who may create SecretSync objects.
{{- if .Values.sync.crd.install }}
The SecretSync CRD is kept when this release is uninstalled (deleting it would delete every synced Secret).
{{- end }}
{{- end }}
{{- if not (include "ssp.priorityClassName" .) }}

No priority class: system-node-critical is the default only in kube-system (GKE admits it elsewhere
only with a ResourceQuota that allows it), so in {{ .Release.Namespace }} the provider pods may be
evicted under node pressure like ordinary pods. Set priorityClassName to a class this namespace admits.
{{- end }}
{{- if not .Values.socketDirInit.enabled }}

socketDirInit.enabled is false: {{ .Values.providersDir }} must already be writable by group
{{ .Values.securityContext.runAsGroup }} on every node, or the provider cannot create its socket.
{{- end }}
{{- end }}
