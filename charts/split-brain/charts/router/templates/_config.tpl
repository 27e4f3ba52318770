{{/*
The router ConfigMap data: every non-secret environment variable. The Deployment hashes this (not
the rendered ConfigMap, whose labels change with every chart version) so a config change rolls the pods.
*/}}
{{- define "split-brain.router.configData" -}}
PORT: "8080"
SPLIT_BRAIN_DATA_DIR: "/var/split-brain"
CLASSIFIER_URL: {{ printf "http://%s:8080" (include "split-brain.fullname" (dict "context" $ "component" "classifier")) | quote }}
{{- if or (lt (float64 .Values.config.classifierThreshold) 0.0) (gt (float64 .Values.config.classifierThreshold) 1.0) }}
{{- fail (printf "%s.config.classifierThreshold is %v: it must be from 0 to 1" $.Chart.Name .Values.config.classifierThreshold) }}
{{- end }}
CLASSIFIER_THRESHOLD: {{ .Values.config.classifierThreshold | toString | quote }}
CLASSIFIER_TIMEOUT_MS: {{ .Values.config.classifierTimeoutMs | int | toString | quote }}
CLASSIFIER_FAIL_MODE: {{ .Values.config.classifierFailMode | quote }}
OPAQUE_CONTENT: {{ .Values.config.opaqueContent | quote }}
MAX_INFLIGHT: {{ .Values.config.maxInflight | int | toString | quote }}
MAX_BODY_BYTES: {{ .Values.config.maxBodyBytes | int | toString | quote }}
UPSTREAM_TIMEOUT_MS: {{ .Values.config.upstreamTimeoutMs | int | toString | quote }}
TOKEN_CACHE_TTL_MS: {{ .Values.config.tokenCacheTtlMs | int | toString | quote }}
ANTHROPIC_MODEL: {{ .Values.config.anthropicModel | quote }}
{{- if .Values.config.anthropicBaseUrl }}
ANTHROPIC_BASE_URL: {{ .Values.config.anthropicBaseUrl | quote }}
{{- end }}
ANTHROPIC_PROMPT_CACHING: {{ .Values.config.anthropicPromptCaching | toString | quote }}
SCALARLM_BASE_URL: {{ .Values.config.scalarlmBaseUrl | quote }}
SCALARLM_MODEL: {{ .Values.config.scalarlmModel | quote }}
CLASSIFICATION_CACHE: {{ .Values.config.classificationCache | toString | quote }}
CLASSIFICATION_CACHE_SIZE: {{ .Values.config.classificationCacheSize | int | toString | quote }}
AUDIT_RETENTION_DAYS: {{ .Values.config.auditRetentionDays | int | toString | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
{{- range $name, $value := .Values.extraConfig }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The router environment variables that are not in its ConfigMap: secrets and the pod name. */}}
{{- define "split-brain.router.env" -}}
- name: POD_NAME
  valueFrom:
    fieldRef:
      fieldPath: metadata.name
- name: ANTHROPIC_API_KEY
  valueFrom:
    secretKeyRef:
      name: anthropic-api-key
      key: ANTHROPIC_API_KEY
- name: SCALARLM_API_KEY
  valueFrom:
    secretKeyRef:
      name: scalarlm-credentials
      key: SCALARLM_API_KEY
      # ScalarLM without auth is valid: the Secret exists only when a key was given.
      optional: true
- name: AUDIT_HMAC_KEY
  valueFrom:
    secretKeyRef:
      name: audit-hmac-key
      key: AUDIT_HMAC_KEY
      # Without the key the audit chain is plain SHA-256 (docs/store.md); only the router ever mounts it.
      optional: true
{{- range $name, $ref := .Values.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}
