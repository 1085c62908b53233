{{/*
The provider DaemonSet: one pod per node serving the driver's gRPC API on
<providersDir>/<providerName>.sock. It mounts only the providers directory from the host: the
provider returns files to the driver, which writes them into pods, so the kubelet directory is
never mounted.
*/}}
{{- define "ssp.daemonset" -}}
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: {{ include "ssp.fullname" . }}
  namespace: {{ .Release.Namespace }}
  labels:
    {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider") | nindent 4 }}
spec:
  selector:
    matchLabels:
      {{- include "ssp.selectorLabels" (dict "ctx" . "component" "provider") | nindent 6 }}
  updateStrategy:
    {{- /* Helm merges rollingUpdate from the defaults into a user's OnDelete, which the API refuses. */}}
    {{- toYaml (ternary (pick .Values.updateStrategy "type") .Values.updateStrategy (eq (.Values.updateStrategy.type | default "") "OnDelete")) | nindent 4 }}
  template:
    metadata:
      labels:
        {{- include "ssp.componentLabels" (dict "ctx" . "component" "provider" "extra" .Values.podLabels) | nindent 8 }}
      {{- /* No config checksum: the provider reloads the ConfigMap itself, without rolling every node. */}}
      {{- with .Values.podAnnotations }}
      annotations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
    spec:
      serviceAccountName: {{ include "ssp.serviceAccountName" . }}
      automountServiceAccountToken: {{ .Values.serviceAccount.automountToken }}
      hostNetwork: false
      {{- with .Values.dnsPolicy }}
      dnsPolicy: {{ . }}
      {{- end }}
      {{- with (include "ssp.priorityClassName" .) }}
      priorityClassName: {{ . }}
      {{- end }}
      {{- with .Values.imagePullSecrets }}
      imagePullSecrets:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      securityContext:
        {{- include "ssp.podSecurityContext" . | nindent 8 }}
      {{- if .Values.socketDirInit.enabled }}
      initContainers:
        # The hostPath providers directory is created root-owned 0755 by kubelet (or by the driver),
        # so the non-root provider could not create its socket in it. This container, the only one
        # running as root and with just CHOWN and FOWNER, gives the directory to the provider's group
        # with group write and the sticky bit (1775): the provider can create and replace its own
        # socket but cannot remove or rename the sockets of other providers sharing the directory.
        - name: socket-dir-init
          image: {{ include "ssp.imageRef" (dict "image" .Values.socketDirInit.image "ctx" .) }}
          imagePullPolicy: {{ .Values.socketDirInit.image.pullPolicy }}
          command:
            - sh
            - -c
            - chown 0:{{ .Values.securityContext.runAsGroup }} {{ .Values.providersDir | quote }} && chmod 1775 {{ .Values.providersDir | quote }}
          securityContext:
            runAsNonRoot: false
            runAsUser: 0
            runAsGroup: 0
            privileged: false
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop:
                - ALL
              add:
                - CHOWN
                - FOWNER
            seccompProfile:
              type: RuntimeDefault
          resources:
            {{- toYaml .Values.socketDirInit.resources | nindent 12 }}
          volumeMounts:
            - name: providers-dir
              mountPath: {{ .Values.providersDir }}
      {{- end }}
      containers:
        - name: provider
          image: {{ include "ssp.imageRef" (dict "image" .Values.image "ctx" .) }}
          imagePullPolicy: {{ .Values.image.pullPolicy }}
          # No command: the image's entrypoint is the provider's CLI (the distroless image has no shell
          # and no launcher script; it runs the JVM with the launcher's options).
          args:
            - serve
            - --backend
            - {{ include "ssp.backend" . }}
            - --provider-name={{ include "ssp.providerName" . }}
            - --socket-dir={{ .Values.providersDir }}
            - --health-addr=:{{ .Values.ports.health }}
            - --metrics-addr=:{{ .Values.ports.metrics }}
            {{- include "ssp.commonArgs" . | nindent 12 }}
            {{- if or .Values.readinessIncludesBackend .Values.readinessProbeIdentity.enabled }}
            - --readiness-includes-backend
            {{- end }}
            {{- if .Values.readinessProbeIdentity.enabled }}
            - --readiness-probe-spc=/etc/secrets-store-provider/readiness-probe-spc.yaml
            - --readiness-probe-service-account={{ include "ssp.serviceAccountName" . }}
            - --readiness-probe-token={{ required "readinessProbeIdentity.audience is required when readinessProbeIdentity.enabled" .Values.readinessProbeIdentity.audience }}=/var/run/secrets/secrets-store-provider/readiness-probe/token
            - --readiness-probe-interval={{ .Values.readinessProbeIdentity.interval }}
            {{- end }}
            {{- with .Values.extraArgs }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
          env:
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
            {{- toYaml .Values.resources | nindent 12 }}
          securityContext:
            {{- include "ssp.containerSecurityContext" . | nindent 12 }}
          volumeMounts:
            - name: providers-dir
              mountPath: {{ .Values.providersDir }}
            {{- include "ssp.commonVolumeMounts" . | nindent 12 }}
            {{- if .Values.readinessProbeIdentity.enabled }}
            - name: readiness-probe-token
              mountPath: /var/run/secrets/secrets-store-provider/readiness-probe
              readOnly: true
            {{- end }}
            {{- with .Values.extraVolumeMounts }}
            {{- toYaml . | nindent 12 }}
            {{- end }}
      volumes:
        - name: providers-dir
          hostPath:
            path: {{ .Values.providersDir }}
            type: DirectoryOrCreate
        {{- include "ssp.commonVolumes" . | nindent 8 }}
        {{- if .Values.readinessProbeIdentity.enabled }}
        # The provider's own token for the probe identity; kubelet rotates it, the provider reads it each probe.
        - name: readiness-probe-token
          projected:
            sources:
              - serviceAccountToken:
                  audience: {{ .Values.readinessProbeIdentity.audience }}
                  expirationSeconds: 3600
                  path: token
        {{- end }}
        {{- with .Values.extraVolumes }}
        {{- toYaml . | nindent 8 }}
        {{- end }}
      nodeSelector:
        {{- /* Linux only (Unix sockets, glibc natives): the os label always wins over values. */}}
        {{- toYaml (merge (dict "kubernetes.io/os" "linux") (deepCopy (.Values.nodeSelector | default dict))) | nindent 8 }}
      {{- with .Values.affinity }}
      affinity:
        {{- toYaml . | nindent 8 }}
      {{- end }}
      {{- with .Values.tolerations }}
      tolerations:
        {{- toYaml . | nindent 8 }}
      {{- end }}
{{- end }}
