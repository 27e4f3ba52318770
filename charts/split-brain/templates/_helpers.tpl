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
{{ include "split-brain.selectorLabels" . }}
app.kubernetes.io/component: {{ .component }}
app.kubernetes.io/part-of: split-brain
app.kubernetes.io/version: {{ .context.Chart.AppVersion | quote }}
app.kubernetes.io/managed-by: {{ .context.Release.Service }}
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
