import { describe, expect, test } from 'bun:test';
import { ConfigError, loadClassifierConfig, loadRouterConfig, loadUiConfig } from './index.ts';

const routerEnv = {
  CLASSIFIER_URL: 'http://classifier:8080/',
  SCALARLM_BASE_URL: 'http://scalarlm:8000/v1',
  ANTHROPIC_API_KEY: 'sk-ant-test',
};

describe('router config', () => {
  test('applies the documented defaults', () => {
    const c = loadRouterConfig(routerEnv);
    expect(c.port).toBe(8080);
    expect(c.dataDir).toBe('/var/split-brain');
    expect(c.classifier).toEqual({
      url: 'http://classifier:8080',
      threshold: 0.4,
      timeoutMs: 1500,
      timeoutPerKbMs: 80,
      failMode: 'local',
    });
    expect(c.maxInflight).toBe(256);
    expect(c.anthropic.model).toBe('claude-sonnet-4-6');
    expect(c.scalarlm.model).toBe('auto');
    expect(c.classificationCache.enabled).toBe(true);
  });

  test('parses typed values from strings', () => {
    const c = loadRouterConfig({
      ...routerEnv,
      PORT: '9090',
      CLASSIFIER_THRESHOLD: '0.75',
      CLASSIFICATION_CACHE: 'false',
      POD_NAME: 'router-abc',
    });
    expect(c.port).toBe(9090);
    expect(c.classifier.threshold).toBe(0.75);
    expect(c.classificationCache.enabled).toBe(false);
    expect(c.podName).toBe('router-abc');
  });

  test('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadRouterConfig({ PORT: 'eighty', CLASSIFIER_THRESHOLD: '2', ANTHROPIC_API_KEY: '  ' });
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const names = (error as ConfigError).problems.map((p) => p.variable).sort();
    expect(names).toEqual([
      'ANTHROPIC_API_KEY',
      'CLASSIFIER_THRESHOLD',
      'CLASSIFIER_URL',
      'PORT',
      'SCALARLM_BASE_URL',
    ]);
    expect((error as Error).message).toContain('PORT');
    expect((error as Error).message).not.toContain('sk-ant');
  });

  test('the audit key is optional, refused when short (without echoing it), and retention is whole days', () => {
    expect(loadRouterConfig(routerEnv).audit).toEqual({ hmacKey: undefined, retentionDays: undefined });
    const key = 'a'.repeat(32);
    expect(loadRouterConfig({ ...routerEnv, AUDIT_HMAC_KEY: key, AUDIT_RETENTION_DAYS: '90' }).audit).toEqual(
      {
        hmacKey: key,
        retentionDays: 90,
      },
    );
    let error: unknown;
    try {
      loadRouterConfig({ ...routerEnv, AUDIT_HMAC_KEY: 'short-secret', AUDIT_RETENTION_DAYS: '-1' });
    } catch (e) {
      error = e;
    }
    expect((error as ConfigError).problems.map((p) => p.variable).sort()).toEqual([
      'AUDIT_HMAC_KEY',
      'AUDIT_RETENTION_DAYS',
    ]);
    expect((error as Error).message).toContain('at least 32 characters');
    expect((error as Error).message).not.toContain('short-secret');
  });
});

describe('classifier config', () => {
  test('defaults to the minilm kind with the baked model path', () => {
    const c = loadClassifierConfig({});
    expect(c.modelKind).toBe('minilm');
    expect(c.modelDir).toBe('/models/all-MiniLM-L6-v2');
    expect(c.keywordsPath).toBeUndefined();
  });
  test('refuses an unknown model kind', () => {
    expect(() => loadClassifierConfig({ CLASSIFIER_MODEL_KIND: 'bert' })).toThrow(/CLASSIFIER_MODEL_KIND/);
  });
});

describe('ui config', () => {
  test('refuses to start with no sign-in at all', () => {
    expect(() => loadUiConfig({ CLASSIFIER_URL: 'http://c:8080' })).toThrow(/no sign-in is configured/);
  });
  test('Google sign-in needs its secret, session secret and redirect URL', () => {
    let error: ConfigError | undefined;
    try {
      loadUiConfig({ CLASSIFIER_URL: 'http://c:8080', GOOGLE_CLIENT_ID: 'id' });
    } catch (e) {
      error = e as ConfigError;
    }
    expect(error?.problems.map((p) => p.variable).sort()).toEqual([
      'GOOGLE_CLIENT_SECRET',
      'OAUTH_REDIRECT_URL',
      'SESSION_SECRET',
    ]);
  });
  test('dev mode beside a real sign-in layer or an allow-list refuses to start, naming each', () => {
    const cases: [Record<string, string>, string][] = [
      [
        {
          GOOGLE_CLIENT_ID: 'id',
          GOOGLE_CLIENT_SECRET: 's',
          SESSION_SECRET: 's',
          OAUTH_REDIRECT_URL: 'https://c/cb',
        },
        'GOOGLE_CLIENT_ID',
      ],
      [{ CF_TEAM_DOMAIN: 't.cloudflareaccess.com', CF_JWT_AUDIENCE: 'aud' }, 'CF_TEAM_DOMAIN'],
      [{ ALLOWED_DOMAINS: 'acme.com' }, 'ALLOWED_DOMAINS'],
      [{ ALLOWED_EMAILS: 'ann@acme.com' }, 'ALLOWED_EMAILS'],
    ];
    for (const [env, variable] of cases) {
      let error: ConfigError | undefined;
      try {
        loadUiConfig({ CLASSIFIER_URL: 'http://c:8080', UI_DEV_MODE: 'true', ...env });
      } catch (e) {
        error = e as ConfigError;
      }
      expect(error?.problems.map((p) => p.variable)).toEqual([variable]);
      expect(error?.message).toContain('UI_DEV_MODE=true would switch this sign-in setting off');
    }
  });
  test('dev mode with lists', () => {
    const c = loadUiConfig({
      CLASSIFIER_URL: 'http://c:8080',
      UI_DEV_MODE: 'true',
      ADMIN_EMAILS: ' Ops@Example.com, ,dev@example.com',
    });
    expect(c.devMode).toBe(true);
    expect(c.adminEmails).toEqual(['ops@example.com', 'dev@example.com']);
    expect(c.google).toBeUndefined();
  });
});
