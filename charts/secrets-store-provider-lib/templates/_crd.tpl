{{/*
The SecretSync CRD (secret-sync.x-k8s.io/v1alpha1, the upstream secrets-store-sync-controller API).
It is a template rather than a file in crds/ because crds/ cannot be conditional: it would be
installed by every release, sync or not, and never upgraded. Rendered only when sync.enabled and
sync.crd.install; kept on uninstall (helm.sh/resource-policy: keep) because deleting the CRD deletes
every SecretSync and, through their owner references, every Secret they manage.
*/}}
{{- define "ssp.crd" -}}
{{- if and .Values.sync.enabled .Values.sync.crd.install }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: secretsyncs.secret-sync.x-k8s.io
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
spec:
  group: secret-sync.x-k8s.io
  names:
    kind: SecretSync
    listKind: SecretSyncList
    plural: secretsyncs
    singular: secretsync
  scope: Namespaced
  versions:
    - name: v1alpha1
      served: true
      storage: true
      subresources:
        status: {}
      additionalPrinterColumns:
        - name: SecretProviderClass
          type: string
          jsonPath: .spec.secretProviderClassName
        - name: Last sync
          type: date
          jsonPath: .status.lastSuccessfulSyncTime
      schema:
        openAPIV3Schema:
          description: SecretSync keeps a Kubernetes Secret of the same name equal to the objects a SecretProviderClass names.
          type: object
          required: ["spec"]
          properties:
            apiVersion:
              type: string
            kind:
              type: string
            metadata:
              type: object
            spec:
              type: object
              required: ["secretProviderClassName", "serviceAccountName", "secretObject"]
              properties:
                secretProviderClassName:
                  description: A SecretProviderClass in the same namespace.
                  type: string
                  minLength: 1
                serviceAccountName:
                  description: The service account whose token (TokenRequest) fetches the objects.
                  type: string
                  minLength: 1
                secretObject:
                  type: object
                  required: ["type", "data"]
                  properties:
                    type:
                      description: The Secret type, e.g. Opaque or kubernetes.io/tls.
                      type: string
                      minLength: 1
                    data:
                      type: array
                      minItems: 1
                      items:
                        type: object
                        required: ["sourcePath", "targetKey"]
                        properties:
                          sourcePath:
                            description: A file path the provider returns.
                            type: string
                            minLength: 1
                          targetKey:
                            description: The key in the Secret.
                            type: string
                            minLength: 1
                    labels:
                      type: object
                      additionalProperties:
                        type: string
                    annotations:
                      type: object
                      additionalProperties:
                        type: string
                forceSynchronization:
                  description: Any change forces a new sync.
                  type: string
                secretSyncControllerName:
                  description: Which controller owns this SecretSync.
                  type: string
            status:
              type: object
              properties:
                syncHash:
                  type: string
                lastSuccessfulSyncTime:
                  type: string
                  format: date-time
                conditions:
                  type: array
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: ["type"]
                  items:
                    type: object
                    required: ["type", "status", "lastTransitionTime", "reason", "message"]
                    properties:
                      type:
                        type: string
                      status:
                        type: string
                        enum: ["True", "False", "Unknown"]
                      observedGeneration:
                        type: integer
                        format: int64
                        minimum: 0
                      lastTransitionTime:
                        type: string
                        format: date-time
                      reason:
                        type: string
                      message:
                        type: string
{{- end }}
{{- end }}
{{/*
The SecretProviderClass CRD (secrets-store.csi.x-k8s.io/v1), for clusters where the SecretSync
controller runs without the CSI driver, which otherwise installs it. Opt-in
(sync.crd.installSecretProviderClass): installing it beside the driver's would make two owners of
one CRD. Kept on uninstall for the same reason as the SecretSync CRD.
*/}}
{{- define "ssp.spcCrd" -}}
{{- if and .Values.sync.enabled .Values.sync.crd.installSecretProviderClass }}
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: secretproviderclasses.secrets-store.csi.x-k8s.io
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "sync-controller") | nindent 4 }}
  annotations:
    helm.sh/resource-policy: keep
spec:
  group: secrets-store.csi.x-k8s.io
  names:
    kind: SecretProviderClass
    listKind: SecretProviderClassList
    plural: secretproviderclasses
    singular: secretproviderclass
  scope: Namespaced
  versions:
    - name: v1
      served: true
      storage: true
      schema:
        openAPIV3Schema:
          description: SecretProviderClass names a provider and the parameters it mounts or syncs objects with.
          type: object
          properties:
            apiVersion:
              type: string
            kind:
              type: string
            metadata:
              type: object
            spec:
              type: object
              properties:
                provider:
                  description: The provider name (its socket name for the CSI driver).
                  type: string
                parameters:
                  description: Provider parameters, passed as mount attributes.
                  type: object
                  additionalProperties:
                    type: string
                secretObjects:
                  description: The CSI driver's mount-bound Secret sync (not used by the SecretSync controller).
                  type: array
                  items:
                    type: object
                    x-kubernetes-preserve-unknown-fields: true
            status:
              type: object
              x-kubernetes-preserve-unknown-fields: true
{{- end }}
{{- end }}
