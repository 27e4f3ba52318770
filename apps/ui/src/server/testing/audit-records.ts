import type { AuditRecord } from '@split-brain/store';

/** An audit record as the router writes it, with the fields a test cares about overridden. */
export function auditRecord(overrides: Partial<AuditRecord> & { id: string; time: string }): AuditRecord {
  return {
    v: 1,
    pod: 'router-0',
    user: 'ann@acme.com',
    tokenId: 'abcdef012345',
    dialect: 'openai',
    stream: false,
    clientModel: 'gpt-4o',
    route: 'claude',
    backendModel: 'claude-sonnet-4-6',
    score: 0.1,
    threshold: 0.4,
    keywords: [],
    headVersion: null,
    reason: 'below-threshold',
    status: 200,
    latencyMs: 120,
    ttfbMs: 80,
    usage: { inputTokens: 10, outputTokens: 20 },
    text: 'What is the capital of France?',
    ...overrides,
  };
}
