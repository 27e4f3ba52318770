import { afterAll, beforeAll, describe, expect, test } from 'bun:test';
import { auditRecords, type Stack, startStack } from './test-support.ts';

/**
 * The classifier client against a real classifier process (keywords kind) behind the fault proxy: verdicts
 * that arrive after the asking request gave up are kept, and concurrent requests share one classification.
 */
let stack: Stack;
beforeAll(async () => {
  // Base budget 200 ms and no per-KB allowance: the proxy's 400 ms delay always outlasts the wait.
  stack = await startStack({ CLASSIFIER_TIMEOUT_MS: '200', CLASSIFIER_TIMEOUT_PER_KB_MS: '0' });
});
afterAll(async () => {
  await stack?.stop();
});

function ask(token: string, text: string) {
  return fetch(`${stack.routerUrl}/v1/chat/completions`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ model: 'claude-sonnet-4-6', messages: [{ role: 'user', content: text }] }),
  });
}

describe('verdicts survive timeouts', () => {
  test('a classification that timed out still fills the cache; the same request next time is decided from it', async () => {
    const text = `What is a good way to learn to juggle three balls? (${crypto.randomUUID()})`;
    stack.proxy.fault = 'slow';
    const calls = stack.proxy.classifyCalls.length;
    const first = await ask(await stack.token('first@example.com'), text);
    expect(first.headers.get('x-split-brain-route')).toBe('local');
    await first.text();
    let records = await auditRecords(stack);
    expect(records.at(-1)?.reason).toStartWith('classifier-unavailable (timeout');

    // The late answer lands; from now on the classifier would fail, so only the cache can decide.
    await Bun.sleep(600);
    stack.proxy.fault = 'error';
    for (const user of ['first@example.com', 'second@example.com']) {
      const again = await ask(await stack.token(user), text);
      expect(again.headers.get('x-split-brain-route')).toBe('claude');
      await again.text();
      records = await auditRecords(stack);
      expect(records.at(-1)?.reason).toBe('below-threshold');
    }
    expect(stack.proxy.classifyCalls.length).toBe(calls + 1);
    stack.proxy.fault = 'none';
  });

  test('concurrent requests with the same pieces share one classification', async () => {
    const system = `You are a helpful assistant for gardening questions. (${crypto.randomUUID()})`;
    stack.proxy.fault = 'slow';
    const token = await stack.token('concurrent@example.com');
    const calls = stack.proxy.classifyCalls.length;
    const responses = await Promise.all(
      ['When should I plant tomatoes?', 'When should I plant basil?'].map((question) =>
        fetch(`${stack.routerUrl}/v1/chat/completions`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify({
            model: 'claude-sonnet-4-6',
            messages: [
              { role: 'system', content: system },
              { role: 'user', content: question },
            ],
          }),
        }),
      ),
    );
    for (const r of responses) await r.text();
    await Bun.sleep(600);
    const made = stack.proxy.classifyCalls.slice(calls);
    // The system prompt crossed the network once, in one of the two calls; each question once.
    expect(made.flat().filter((t) => t === system)).toHaveLength(1);
    expect(made.flat().sort()).toEqual(
      [system, 'When should I plant basil?', 'When should I plant tomatoes?'].sort(),
    );
    stack.proxy.fault = 'none';
  });

  test('a keyword found late still sends the next identical request local, by keyword', async () => {
    const text = `Status of Project Falcon, please (${crypto.randomUUID()})`;
    stack.proxy.fault = 'slow';
    const first = await ask(await stack.token('kw@example.com'), text);
    await first.text();
    await Bun.sleep(600);
    stack.proxy.fault = 'error';
    const again = await ask(await stack.token('kw2@example.com'), text);
    expect(again.headers.get('x-split-brain-route')).toBe('local');
    await again.text();
    expect((await auditRecords(stack)).at(-1)?.reason).toBe('keyword');
    stack.proxy.fault = 'none';
  });

  test('a hung classification is not joined past its asker’s wait: once the classifier recovers, a fresh call decides', async () => {
    const system = `You are a patient tutor for chess openings. (${crypto.randomUUID()})`;
    const token = await stack.token('recovered@example.com');
    const send = (question: string) =>
      fetch(`${stack.routerUrl}/v1/chat/completions`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          model: 'claude-sonnet-4-6',
          messages: [
            { role: 'system', content: system },
            { role: 'user', content: question },
          ],
        }),
      });
    // The proxy hangs (2 s) on the first call, which carries the system prompt and keeps running after
    // its asker failed closed at 200 ms.
    stack.proxy.fault = 'hang';
    const first = await send('What does the Sicilian defence aim for?');
    expect(first.headers.get('x-split-brain-route')).toBe('local');
    await first.text();
    // The classifier is healthy again while that call still hangs: the next request with the same system
    // prompt must not wait on it (it would fail closed too) but ask afresh and be decided.
    stack.proxy.fault = 'none';
    await Bun.sleep(250);
    const calls = stack.proxy.classifyCalls.length;
    const second = await send('And the French defence?');
    expect(second.headers.get('x-split-brain-route')).toBe('claude');
    await second.text();
    expect((await auditRecords(stack)).at(-1)?.reason).toBe('below-threshold');
    expect(stack.proxy.classifyCalls.slice(calls).flat()).toContain(system);
  });
});
