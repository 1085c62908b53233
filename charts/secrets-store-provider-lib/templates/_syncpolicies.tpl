{{/*
ValidatingAdmissionPolicies of the SecretSync controller (sync.admissionPolicies.enabled, Kubernetes
1.30+). They cover what the upstream controller's chart policies cover, written for this chart:
- the controller's ServiceAccount writes only Secrets of an allowed type (never a service-account
  token) that carry exactly one owner, the SecretSync of the same name, and the reserved label;
  an update needs the same of the Secret as it was, so a Secret of another owner is never changed;
- it deletes no Secret;
- it mints only tokens of 600 s with one audience, one of its own;
- nobody creates a SecretSync whose labels or annotations could never be a Secret's.
With them the controller reads no Secret (--secret-owner-check=admission).
*/}}
{{- define "ssp.syncPolicyUser" -}}
request.userInfo.username == 'system:serviceaccount:{{ .Release.Namespace }}:{{ include "ssp.syncServiceAccountName" . }}'
{{- end }}

{{/* The Secret types the controller may write: the configuration file's list, else the controller's default. */}}
{{- define "ssp.syncAllowedSecretTypes" -}}
{{- $default := list "Opaque" "kubernetes.io/basic-auth" "kubernetes.io/dockercfg" "kubernetes.io/dockerconfigjson" "kubernetes.io/ssh-auth" "kubernetes.io/tls" }}
{{- $types := (.Values.config | default dict).syncAllowedSecretTypes | default $default }}
{{- if has "kubernetes.io/service-account-token" $types }}
{{- fail "config.syncAllowedSecretTypes: kubernetes.io/service-account-token cannot be allowed" }}
{{- end }}
{{- include "ssp.celList" (dict "key" "config.syncAllowedSecretTypes" "items" $types) }}
{{- end }}

{{/* A list of strings as a CEL list literal; an entry that could break out of its quotes fails the render. */}}
{{- define "ssp.celList" -}}
{{- $quoted := list }}
{{- range .items }}
{{- if not (regexMatch "^[A-Za-z0-9/][-A-Za-z0-9_.:/]*$" (toString .)) }}
{{- fail (printf "%s: entries are names and URIs (letters, digits, - _ . : /)" $.key) }}
{{- end }}
{{- $quoted = append $quoted (printf "'%s'" .) }}
{{- end }}
{{- printf "[%s]" (join ", " $quoted) }}
{{- end }}

{{/* The token audiences of the controller: sync.tokenAudiences, else the backend's usual one. */}}
{{- define "ssp.syncTokenAudiences" -}}
{{- $defaults := dict "vault" (list "vault") "aws" (list "sts.amazonaws.com") "azure" (list "api://AzureADTokenExchange") "gcp" (list) }}
{{- $audiences := .Values.sync.tokenAudiences | default (get $defaults (include "ssp.backend" .)) }}
{{- include "ssp.celList" (dict "key" "sync.tokenAudiences" "items" $audiences) }}
{{- end }}

{{- define "ssp.syncPolicy" -}}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicy
metadata:
  name: {{ .name }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" .ctx "component" "sync-controller") | nindent 4 }}
spec:
  failurePolicy: Fail
  {{- if .controllerOnly }}
  matchConditions:
    - name: sync-controller
      expression: {{ include "ssp.syncPolicyUser" .ctx | quote }}
  {{- end }}
  {{- .spec | nindent 2 }}
---
apiVersion: admissionregistration.k8s.io/v1
kind: ValidatingAdmissionPolicyBinding
metadata:
  name: {{ .name }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" .ctx "component" "sync-controller") | nindent 4 }}
spec:
  policyName: {{ .name }}
  validationActions: [Deny]
{{- end }}

{{- define "ssp.syncPolicies" -}}
{{- if and .Values.sync.enabled .Values.sync.admissionPolicies.enabled }}
{{- $name := include "ssp.syncName" . }}
{{- $types := include "ssp.syncAllowedSecretTypes" . }}
{{- $audiences := include "ssp.syncTokenAudiences" . }}
{{ include "ssp.syncPolicy" (dict "ctx" . "controllerOnly" true "name" (printf "%s-secret-type" $name) "spec" (printf `
matchConstraints:
  resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["secrets"]
validations:
  - expression: "object.type != 'kubernetes.io/service-account-token'"
    message: the sync controller never writes a kubernetes.io/service-account-token Secret
    reason: Forbidden
  - expression: "object.type in %s"
    messageExpression: "'the sync controller may not write a Secret of type ' + object.type + ': not in config.syncAllowedSecretTypes'"
    reason: Forbidden` $types) ) }}
{{ include "ssp.syncPolicy" (dict "ctx" . "controllerOnly" true "name" (printf "%s-secret-owner" $name) "spec" `
matchConstraints:
  resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE", "UPDATE"]
      resources: ["secrets"]
variables:
  - name: ownedBySecretSync
    expression: >-
      has(object.metadata.ownerReferences) && size(object.metadata.ownerReferences) == 1 &&
      object.metadata.ownerReferences.all(o, o.kind == 'SecretSync' && o.apiVersion.startsWith('secret-sync.x-k8s.io/') && o.name == object.metadata.name)
  - name: labelled
    expression: >-
      has(object.metadata.labels) && 'secrets-store.sync.x-k8s.io' in object.metadata.labels &&
      object.metadata.labels['secrets-store.sync.x-k8s.io'] == ''
  - name: wasOwnedBySecretSync
    expression: >-
      request.operation != 'UPDATE' || (has(oldObject.metadata.ownerReferences) && size(oldObject.metadata.ownerReferences) == 1 &&
      oldObject.metadata.ownerReferences.all(o, o.kind == 'SecretSync' && o.apiVersion.startsWith('secret-sync.x-k8s.io/') && o.name == object.metadata.name))
  - name: wasLabelled
    expression: >-
      request.operation != 'UPDATE' || (has(oldObject.metadata.labels) && 'secrets-store.sync.x-k8s.io' in oldObject.metadata.labels &&
      oldObject.metadata.labels['secrets-store.sync.x-k8s.io'] == '')
validations:
  - expression: "variables.ownedBySecretSync && variables.labelled"
    message: the sync controller writes only Secrets owned by the SecretSync of the same name and labelled secrets-store.sync.x-k8s.io
    reason: Forbidden
  - expression: "variables.wasOwnedBySecretSync && variables.wasLabelled"
    message: the sync controller changes only Secrets that already belong to the SecretSync of the same name; delete the other Secret to let it be created
    reason: Forbidden` ) }}
{{ include "ssp.syncPolicy" (dict "ctx" . "controllerOnly" true "name" (printf "%s-no-delete" $name) "spec" `
matchConstraints:
  resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["DELETE"]
      resources: ["secrets"]
validations:
  - expression: "false"
    message: the sync controller deletes no Secret; garbage collection removes a Secret with its SecretSync
    reason: Forbidden` ) }}
{{ include "ssp.syncPolicy" (dict "ctx" . "controllerOnly" true "name" (printf "%s-token-request" $name) "spec" (printf `
matchConstraints:
  resourceRules:
    - apiGroups: [""]
      apiVersions: ["v1"]
      operations: ["CREATE"]
      resources: ["serviceaccounts/token"]
validations:
  - expression: "has(object.spec.expirationSeconds) && object.spec.expirationSeconds == 600"
    message: the sync controller mints only tokens of 600 seconds
    reason: Forbidden
  - expression: "size(object.spec.audiences) == 1 && object.spec.audiences[0] in %s"
    message: the sync controller mints only tokens with one of its configured audiences (sync.tokenAudiences)
    reason: Forbidden` $audiences) ) }}
{{ include "ssp.syncPolicy" (dict "ctx" . "controllerOnly" false "name" (printf "%s-secretsync-metadata" $name) "spec" `
matchConstraints:
  resourceRules:
    - apiGroups: ["secret-sync.x-k8s.io"]
      apiVersions: ["*"]
      operations: ["CREATE", "UPDATE"]
      resources: ["secretsyncs"]
variables:
  - name: labels
    expression: "has(object.spec.secretObject) && has(object.spec.secretObject.labels) ? object.spec.secretObject.labels : {}"
  - name: annotations
    expression: "has(object.spec.secretObject) && has(object.spec.secretObject.annotations) ? object.spec.secretObject.annotations : {}"
  - name: qualifiedName
    expression: "'^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\\\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9]$'"
validations:
  - expression: "variables.labels.all(k, k.matches(variables.qualifiedName) && variables.labels[k].matches('^(([A-Za-z0-9][-A-Za-z0-9_.]{0,61})?[A-Za-z0-9])?$'))"
    message: spec.secretObject.labels must be valid Kubernetes label keys and values, or the Secret could never be written
    reason: Invalid
  - expression: "variables.annotations.all(k, k.matches(variables.qualifiedName))"
    message: spec.secretObject.annotations keys must be valid Kubernetes annotation keys, or the Secret could never be written
    reason: Invalid` ) }}
{{- end }}
{{- end }}
