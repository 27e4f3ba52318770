import { describe, expect, test } from 'bun:test';
import { loadRouterConfig } from '@split-brain/config';
import { claudeHeaders, claudeQuery } from './upstream-request.ts';

const config = loadRouterConfig({
  CLASSIFIER_URL: 'http://127.0.0.1:1',
  ANTHROPIC_API_KEY: 'sk-ant-router',
  SCALARLM_BASE_URL: 'http://127.0.0.1:2/v1',
});

describe('what reaches Claude besides the body', () => {
  test('headers come from an allow-list; version and beta values are checked and the betas classified', () => {
    const client = new Headers({
      'anthropic-version': '2023-06-01',
      'anthropic-beta': ' claude-code-20250219 ,interleaved-thinking-2025-05-14',
      'x-api-key': 'the-clients-token',
      'x-claude-code-session-id': 'abc',
      'user-agent': 'claude-cli',
    });
    const { headers, texts } = claudeHeaders(config, client);
    expect(headers).toEqual({
      'content-type': 'application/json',
      'x-api-key': 'sk-ant-router',
      'anthropic-version': '2023-06-01',
      'anthropic-beta': 'claude-code-20250219,interleaved-thinking-2025-05-14',
    });
    expect(texts).toEqual(['claude-code-20250219\ninterleaved-thinking-2025-05-14']);
    expect(() => claudeHeaders(config, new Headers({ 'anthropic-version': 'latest please' }))).toThrow(
      'anthropic-version',
    );
    expect(() => claudeHeaders(config, new Headers({ 'anthropic-beta': 'Project Falcon' }))).toThrow(
      'anthropic-beta',
    );
    expect(claudeHeaders(config, undefined).headers['anthropic-version']).toBe('2023-06-01');
  });

  test('of the query string only beta=true passes', () => {
    expect(claudeQuery('')).toBe('');
    expect(claudeQuery('?beta=true')).toBe('?beta=true');
    expect(claudeQuery('?beta=true&note=Project%20Falcon')).toBe('?beta=true');
    expect(claudeQuery('?note=x&beta=yes')).toBe('');
  });
});
