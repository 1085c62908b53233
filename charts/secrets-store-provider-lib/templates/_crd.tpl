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
        # As strict as upstream's schema and no stricter, so every SecretSync it accepts is accepted
        # here: the same name patterns and sizes, targetKey as the key of the data list, the
        # reserved label/annotation prefix, and the Kubernetes condition limits.
        openAPIV3Schema:
          description: SecretSync keeps a Kubernetes Secret of the same name equal to the objects a SecretProviderClass names.
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
              required: ["secretProviderClassName", "serviceAccountName", "secretObject"]
              properties:
                secretProviderClassName:
                  description: A SecretProviderClass in the same namespace.
                  type: string
                  minLength: 1
                  maxLength: 253
                  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
                serviceAccountName:
                  description: The service account whose token (TokenRequest) fetches the objects.
                  type: string
                  minLength: 1
                  maxLength: 253
                  pattern: '^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$'
                secretObject:
                  description: The Secret to keep in sync.
                  type: object
                  required: ["data"]
                  properties:
                    type:
                      description: The Secret type; the controller syncs only the types its configuration allows.
                      type: string
                      default: Opaque
                      maxLength: 253
                    data:
                      description: Which returned file goes to which key; each targetKey once.
                      type: array
                      minItems: 1
                      x-kubernetes-list-type: map
                      x-kubernetes-list-map-keys: ["targetKey"]
                      items:
                        type: object
                        required: ["sourcePath", "targetKey"]
                        properties:
                          sourcePath:
                            description: A file path the provider returns.
                            type: string
                            minLength: 1
                            maxLength: 253
                            pattern: '^[A-Za-z0-9.]([-A-Za-z0-9]+([-._a-zA-Z0-9]?[A-Za-z0-9])*)?(\/([0-9]+))*$'
                          targetKey:
                            description: The key in the Secret.
                            type: string
                            minLength: 1
                            maxLength: 253
                            pattern: '^[A-Za-z0-9.]([-A-Za-z0-9]+([-._a-zA-Z0-9]?[A-Za-z0-9])*)?(\/([0-9]+))*$'
                    labels:
                      description: Labels of the Secret; the prefix secrets-store.sync.x-k8s.io is the controller's.
                      type: object
                      additionalProperties:
                        type: string
                      x-kubernetes-validations:
                        - rule: "self.all(k, k.size() <= 317 && self[k].size() <= 63)"
                          message: label keys have at most 317 characters (253 prefix, slash, 63 name) and values at most 63
                        - rule: "self.all(k, !k.startsWith('secrets-store.sync.x-k8s.io'))"
                          message: the label prefix secrets-store.sync.x-k8s.io is reserved for the controller
                    annotations:
                      description: Annotations of the Secret; the prefix secrets-store.sync.x-k8s.io is the controller's.
                      type: object
                      additionalProperties:
                        type: string
                      x-kubernetes-validations:
                        - rule: "self.all(k, k.size() < 317 && self[k].size() <= 262144)"
                          message: annotation keys have fewer than 317 characters and values at most 256 KiB
                        - rule: "self.all(k, !k.startsWith('secrets-store.sync.x-k8s.io'))"
                          message: the annotation prefix secrets-store.sync.x-k8s.io is reserved for the controller
                forceSynchronization:
                  description: Any change forces a new sync.
                  type: string
                  maxLength: 253
                  pattern: '^[A-Za-z0-9]([-A-Za-z0-9]+([-._a-zA-Z0-9]?[A-Za-z0-9])*)?$'
                secretSyncControllerName:
                  description: Which controller owns this SecretSync (--secret-sync-controller-name); empty for any.
                  type: string
                  default: ""
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
                  maxItems: 16
                  x-kubernetes-list-type: map
                  x-kubernetes-list-map-keys: ["type"]
                  items:
                    type: object
                    required: ["type", "status", "lastTransitionTime", "reason", "message"]
                    properties:
                      type:
                        type: string
                        maxLength: 316
                        pattern: '^([a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*/)?(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])$'
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
                        minLength: 1
                        maxLength: 1024
                        pattern: '^[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?$'
                      message:
                        type: string
                        maxLength: 32768
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
