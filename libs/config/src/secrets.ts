/**
 * Variables that carry secret material, per app. They must come from a Secret (never a ConfigMap or an env
 * literal in a manifest) and are never logged. The chart's contract test checks the first rule.
 */
export const secretEnvNames = {
  router: ['ANTHROPIC_API_KEY', 'SCALARLM_API_KEY', 'AUDIT_HMAC_KEY'],
  classifier: [],
  ui: ['GOOGLE_CLIENT_SECRET', 'SESSION_SECRET'],
} as const satisfies Record<string, readonly string[]>;
