{{/*
The ui ConfigMap data: every non-secret environment variable. The Deployment hashes this (not
the rendered ConfigMap, whose labels change with every chart version) so a config change rolls the pods.
*/}}
{{- define "split-brain.ui.configData" -}}
PORT: "8080"
SPLIT_BRAIN_DATA_DIR: "/var/split-brain"
CLASSIFIER_URL: {{ printf "http://%s:8080" (include "split-brain.fullname" (dict "context" $ "component" "classifier")) | quote }}
{{- if .Values.config.cfTeamDomain }}
CF_TEAM_DOMAIN: {{ .Values.config.cfTeamDomain | quote }}
{{- end }}
{{- if .Values.config.cfJwtAudience }}
CF_JWT_AUDIENCE: {{ .Values.config.cfJwtAudience | quote }}
{{- end }}
{{- if .Values.config.googleClientId }}
GOOGLE_CLIENT_ID: {{ .Values.config.googleClientId | quote }}
{{- end }}
{{- if .Values.config.oauthRedirectUrl }}
OAUTH_REDIRECT_URL: {{ .Values.config.oauthRedirectUrl | quote }}
{{- end }}
{{- if .Values.config.allowedDomains }}
ALLOWED_DOMAINS: {{ .Values.config.allowedDomains | quote }}
{{- end }}
{{- if .Values.config.allowedEmails }}
ALLOWED_EMAILS: {{ .Values.config.allowedEmails | quote }}
{{- end }}
{{- if .Values.config.adminEmails }}
ADMIN_EMAILS: {{ .Values.config.adminEmails | quote }}
{{- end }}
SESSION_MAX_AGE_DAYS: {{ .Values.config.sessionMaxAgeDays | int | toString | quote }}
{{- if .Values.config.scalarlmBaseUrl }}
SCALARLM_BASE_URL: {{ .Values.config.scalarlmBaseUrl | quote }}
{{- end }}
{{- if .Values.config.scalarlmBaseUrl }}
SCALARLM_MODEL: {{ .Values.config.scalarlmModel | quote }}
{{- end }}
LOG_LEVEL: {{ .Values.config.logLevel | quote }}
{{- range $name, $value := .Values.extraConfig }}
{{ $name }}: {{ $value | toString | quote }}
{{- end }}
{{- end -}}

{{/* The UI refuses to start without a way to sign in; fail at render time with the values to set. */}}
{{- define "split-brain.ui.validateSignIn" -}}
{{- $c := .Values.config }}
{{- if ne (empty $c.cfTeamDomain) (empty $c.cfJwtAudience) }}
{{- fail "ui.config.cfTeamDomain and ui.config.cfJwtAudience must be set together (Cloudflare Access)" }}
{{- end }}
{{- if and $c.googleClientId (not $c.oauthRedirectUrl) }}
{{- fail "ui.config.oauthRedirectUrl is required when ui.config.googleClientId is set" }}
{{- end }}
{{- if not (or $c.googleClientId $c.cfTeamDomain) }}
{{- fail "ui: no sign-in is configured: set ui.config.googleClientId (Google sign-in) or ui.config.cfTeamDomain and cfJwtAudience (Cloudflare Access)" }}
{{- end }}
{{- end -}}

{{/* The ui environment variables that are not in its ConfigMap: secrets and the pod name. */}}
{{- define "split-brain.ui.env" -}}
{{- if .Values.config.googleClientId }}
- name: GOOGLE_CLIENT_SECRET
  valueFrom:
    secretKeyRef:
      name: google-oauth
      key: clientSecret
- name: SESSION_SECRET
  valueFrom:
    secretKeyRef:
      name: google-oauth
      key: sessionSecret
{{- end }}
{{- if .Values.config.scalarlmBaseUrl }}
- name: SCALARLM_API_KEY
  valueFrom:
    secretKeyRef:
      name: scalarlm-credentials
      key: SCALARLM_API_KEY
      # As for the router: ScalarLM without auth is valid, the Secret exists only when a key was given.
      optional: true
{{- end }}
{{- range $name, $ref := .Values.secretEnv }}
- name: {{ $name }}
  valueFrom:
    secretKeyRef:
      name: {{ $ref.secret }}
      key: {{ $ref.key }}
{{- end }}
{{- end -}}
