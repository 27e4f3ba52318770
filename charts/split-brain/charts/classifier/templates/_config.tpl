{{/*
The classifier ConfigMap data: every non-secret environment variable. The Deployment hashes this (not
the rendered ConfigMap, whose labels change with every chart version) so a config change rolls the pods.
*/}}
{{- define "split-brain.classifier.configData" -}}
PORT: "8080"
SPLIT_BRAIN_DATA_DIR: "/var/split-brain"
CLASSIFIER_MODEL_KIND: {{ .Values.config.modelKind | quote }}
CLASSIFIER_MODEL_DIR: {{ .Values.config.modelDir | quote }}
{{- if .Values.config.keywords }}
CLASSIFIER_KEYWORDS_PATH: "/etc/split-brain/keywords/keywords.txt"
{{- else if .Values.config.keywordsPath }}
CLASSIFIER_KEYWORDS_PATH: {{ .Values.config.keywordsPath | quote }}
{{- end }}
CLASSIFIER_HEAD_POLL_MS: {{ .Values.config.headPollMs | int | toString | quote }}
CLASSIFIER_BATCH_MAX_TOKENS: {{ .Values.config.batchMaxTokens | int | toString | quote }}
CLASSIFIER_MODEL_DTYPE: {{ .Values.config.modelDtype | quote }}
CLASSIFIER_THREADS: {{ .Values.config.threads | int | toString | quote }}
{{- if or (lt (float64 .Values.config.batchWaitMs) 0.0) (gt (float64 .Values.config.batchWaitMs) 100.0) }}
{{- fail (printf "%s.config.batchWaitMs is %v: it must be from 0 to 100" $.Chart.Name .Values.config.batchWaitMs) }}
{{- end }}
CLASSIFIER_BATCH_WAIT_MS: {{ .Values.config.batchWaitMs | toString | quote }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
{{- range $name, $value := .Values.extraConfig }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The classifier environment variables that are not in its ConfigMap: secrets and the pod name. */}}
{{- define "split-brain.classifier.env" -}}
{{- range $name, $ref := .Values.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}
