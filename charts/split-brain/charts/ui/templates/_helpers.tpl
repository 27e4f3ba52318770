{{/*
Helpers shared by the umbrella and every subchart. Generated from chart-src/templates/shared/_helpers.tpl.hbs:
each chart carries an identical copy, so a subchart also renders on its own.
Every helper that names or labels a component takes (dict "context" $ "component" "<name>").
*/}}

{{/* "<release>-<component>", cut to 63 characters (a DNS label). */}}
{{- define "split-brain.fullname" -}}
{{- printf "%s-%s" .context.Release.Name .component | trunc 63 | trimSuffix "-" -}}
{{- end -}}

{{/* Labels a selector matches on: never the version, so upgrades keep matching the same pods. */}}
{{- define "split-brain.selectorLabels" -}}
app.kubernetes.io/name: {{ .component }}
app.kubernetes.io/instance: {{ .context.Release.Name }}
{{- end -}}

{{/* Labels on every object. */}}
{{- define "split-brain.labels" -}}
helm.sh/chart: {{ printf "%s-%s" .context.Chart.Name .context.Chart.Version | replace "+" "_" | trunc 63 | trimSuffix "-" }}
{{ include "split-brain.podLabels" . }}
{{- end -}}

{{/*
Labels on pod templates: those of every object except the chart version, so a chart version bump alone
changes no pod template and restarts nothing (the image tag follows appVersion, which does).
*/}}
{{- define "split-brain.podLabels" -}}
{{ include "split-brain.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: split-brain
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
{{- end -}}

{{/* The label every pod that mounts the data PVC carries, so ReadWriteOnce storage can co-locate them. */}}
{{- define "split-brain.dataVolumeLabel" -}}
split-brain/mounts-data: "true"
{{- end -}}

{{/* imagePullSecrets from global.image.pullSecrets, for every pod. Takes the root context. */}}
{{- define "split-brain.imagePullSecrets" -}}
{{- with .Values.global.image.pullSecrets }}
imagePullSecrets:
  {{- range . }}
  - name: {{ . }}
  {{- end }}
{{- end }}
{{- end -}}

{{/*
A component's affinity: its own `affinity` value, plus anti-affinity between its pods (podAntiAffinity:
soft|hard|none), plus, for pods that mount the data PVC on ReadWriteOnce storage, a required pod affinity
that puts them on the node of every other PVC-mounting pod of the release (one node can mount the volume).
Takes (dict "context" $ "component" "<name>" "mountsData" true|false).
*/}}
{{- define "split-brain.affinity" -}}
{{- $values := .context.Values }}
{{- $affinity := deepCopy ($values.affinity | default dict) }}
{{- $rwo := and .mountsData (eq .context.Values.global.storage.accessMode "ReadWriteOnce") }}
{{- if and (ne $values.podAntiAffinity "none") (not $rwo) }}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" (include "split-brain.selectorLabels" . | fromYaml)) }}
{{- $anti := $affinity.podAntiAffinity | default dict }}
{{- if eq $values.podAntiAffinity "hard" }}
{{- $_ := set $anti "requiredDuringSchedulingIgnoredDuringExecution" (append ($anti.requiredDuringSchedulingIgnoredDuringExecution | default list) $term) }}
{{- else }}
{{- $_ := set $anti "preferredDuringSchedulingIgnoredDuringExecution" (append ($anti.preferredDuringSchedulingIgnoredDuringExecution | default list) (dict "weight" 100 "podAffinityTerm" $term)) }}
{{- end }}
{{- $_ := set $affinity "podAntiAffinity" $anti }}
{{- end }}
{{- if $rwo }}
{{- $labels := merge (include "split-brain.dataVolumeLabel" . | fromYaml) (dict "app.kubernetes.io/instance" .context.Release.Name) }}
{{- $term := dict "topologyKey" "kubernetes.io/hostname" "labelSelector" (dict "matchLabels" $labels) }}
{{- $together := $affinity.podAffinity | default dict }}
{{- $_ := set $together "requiredDuringSchedulingIgnoredDuringExecution" (append ($together.requiredDuringSchedulingIgnoredDuringExecution | default list) $term) }}
{{- $_ := set $affinity "podAffinity" $together }}
{{- end }}
{{- with $affinity }}
affinity:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- end -}}

{{/*
The scheduling fields every Deployment's pod spec shares: priority class, node selector, tolerations,
affinity (above) and zone spread. Takes the same dict as split-brain.affinity.
*/}}
{{- define "split-brain.scheduling" -}}
{{- $values := .context.Values }}
{{- with $values.priorityClassName }}
priorityClassName: {{ . }}
{{- end }}
{{- with $values.nodeSelector }}
nodeSelector:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- with $values.tolerations }}
tolerations:
  {{- toYaml . | nindent 2 }}
{{- end }}
{{- include "split-brain.affinity" . }}
{{- with $values.topologySpread }}
{{- if .enabled }}
topologySpreadConstraints:
  - maxSkew: {{ .maxSkew | int }}
    topologyKey: {{ .topologyKey }}
    whenUnsatisfiable: {{ .whenUnsatisfiable }}
    labelSelector:
      matchLabels:
        {{- include "split-brain.selectorLabels" $ | nindent 8 }}
    # Count only the pods of the same ReplicaSet, so a rollout's old pods do not skew the new ones.
    matchLabelKeys:
      - pod-template-hash
{{- end }}
{{- end }}
{{- end -}}

{{/*
Ingress from the metrics scrapers (global.networkPolicy.metricsScrapers) on a component's metrics port, as
one NetworkPolicy ingress rule; nothing when none are listed. Takes (dict "context" $ "port" <port>).
*/}}
{{- define "split-brain.metricsIngress" -}}
{{- with .context.Values.global.networkPolicy.metricsScrapers }}
- from:
    {{- toYaml . | nindent 4 }}
  ports:
    - protocol: TCP
      port: {{ $.port }}
{{- end }}
{{- end -}}

{{/*
The image reference of a component: its registry (or global.image.registry) joined with its repository,
at its tag (or the chart appVersion). Takes (dict "context" $ "image" .Values.image).
*/}}
{{- define "split-brain.image" -}}
{{- $registry := .image.registry | default .context.Values.global.image.registry -}}
{{- $tag := .image.tag | default .context.Chart.AppVersion -}}
{{- printf "%s/%s:%s" (required "global.image.registry must be set" $registry) (required "image.repository must be set" .image.repository) (toString $tag) -}}
{{- end -}}

{{/* Pod-level security: non-root and RuntimeDefault seccomp always; the ids come from values. */}}
{{- define "split-brain.podSecurityContext" -}}
runAsNonRoot: true
runAsUser: {{ .runAsUser | int }}
runAsGroup: {{ .runAsGroup | int }}
fsGroup: {{ .fsGroup | int }}
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* Container-level security: read-only root filesystem, no escalation, every capability dropped. */}}
{{- define "split-brain.containerSecurityContext" -}}
runAsNonRoot: true
allowPrivilegeEscalation: false
readOnlyRootFilesystem: true
capabilities:
  drop:
    - ALL
seccompProfile:
  type: RuntimeDefault
{{- end -}}

{{/* The egress rule every pod needs: cluster DNS on port 53. */}}
{{- define "split-brain.dnsEgress" -}}
- to:
    {{- toYaml .Values.global.networkPolicy.dns | nindent 4 }}
  ports:
    - protocol: UDP
      port: 53
    - protocol: TCP
      port: 53
{{- end -}}

{{/*
A hash of the secret values a component reads, for its checksum/secrets pod annotation: a rotated key
rolls the pods. Only meaningful in create mode; with bring-your-own Secrets, roll the pods yourself.
*/}}
{{- define "split-brain.secretsChecksum" -}}
{{- toJson . | sha256sum -}}
{{- end -}}
