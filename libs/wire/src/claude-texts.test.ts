import { describe, expect, test } from 'bun:test';
import { JUNCTION_REACH, textsSentToClaude } from './claude-texts.ts';

const all = (body: Record<string, unknown>) =>
  textsSentToClaude(body)
    .texts.map((t) => t.text)
    .join('\n');

describe('the texts of an outgoing Claude request', () => {
  test('every string is read, keys included, at any depth; structural values are not', () => {
    const found = textsSentToClaude({
      model: 'claude-sonnet-4-6',
      max_tokens: 10,
      system: [{ type: 'text', text: 'sys', cache_control: { type: 'ephemeral', ttl: '5m' } }],
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: 'hello', x_extra: { deep: ['buried'] } },
            {
              type: 'tool_result',
              tool_use_id: 'toolu_1',
              content: [{ type: 'search_result', source: 'kb://a', title: 't' }],
            },
          ],
        },
      ],
      tools: [
        { name: 'f', input_schema: { type: 'object', properties: { secret_field: { type: 'string' } } } },
      ],
      mcp_servers: [{ type: 'url', url: 'https://mcp', name: 'srv' }],
      stop_sequences: ['STOP'],
    });
    const text = found.texts.map((t) => t.text).join('\n');
    for (const s of [
      'sys',
      'hello',
      'x_extra',
      'buried',
      'toolu_1',
      'kb://a',
      'secret_field',
      'https://mcp',
      'srv',
      'STOP',
      'claude-sonnet-4-6',
    ])
      expect(text).toContain(s);
    for (const s of ['ephemeral', '5m', 'tool_result', 'search_result', 'cache_control', 'input_schema'])
      expect(text.split(/\n/)).not.toContain(s);
    expect(found.texts.find((t) => t.text.includes('toolu_1'))?.source).toBe('tool_result');
    expect(found.texts.find((t) => t.text.includes('secret_field'))?.source).toBe('tool_definition');
    expect(found.opaque).toEqual([]);
  });

  test('a structural key with a value outside its list is read', () => {
    expect(all({ messages: [{ role: 'wizard of Skunkworks', content: 'x' }] })).toContain(
      'wizard of Skunkworks',
    );
    expect(all({ messages: [{ role: 'user', content: [{ type: 'Skunkworks', text: 'x' }] }] })).toContain(
      'Skunkworks',
    );
  });

  test('adjacent text blocks are also read across their joins, at any depth', () => {
    const body = {
      messages: [
        {
          role: 'user',
          content: [
            { type: 'text', text: `${'a'.repeat(1000)} Proj` },
            { type: 'text', text: `ect Falcon ${'b'.repeat(1000)}` },
          ],
        },
      ],
    };
    const joins = textsSentToClaude(body).texts.filter((t) => t.text.includes('Project Falcon'));
    expect(joins).toHaveLength(1);
    expect(joins[0]?.text.length).toBe(2 * JUNCTION_REACH);
    const nested = {
      messages: [
        {
          role: 'user',
          content: [
            {
              type: 'tool_result',
              tool_use_id: 't',
              content: [
                { type: 'text', text: 'Skunk' },
                { type: 'text', text: 'works' },
              ],
            },
          ],
        },
      ],
    };
    expect(all(nested)).toContain('Skunkworks');
  });

  test('opaque content is named where it is; inline PDFs are handed back, their bytes not read', () => {
    const found = textsSentToClaude({
      messages: [
        {
          role: 'user',
          content: [
            { type: 'image', source: { type: 'base64', media_type: 'image/png', data: 'AAAA' } },
            { type: 'document', source: { type: 'url', url: 'https://x/a.pdf' } },
            {
              type: 'document',
              source: { type: 'base64', media_type: 'application/pdf', data: 'JVBERi0=' },
              title: 'Report',
            },
            { type: 'container_upload', file_id: 'file_1' },
          ],
        },
      ],
    });
    expect(found.opaque).toEqual([
      'an image at messages.0.content.0',
      'a document by URL at messages.0.content.1',
      'a file by id at messages.0.content.3',
    ]);
    expect(found.pdfs).toEqual([{ where: 'messages.0.content.2', data: 'JVBERi0=', source: 'user' }]);
    const text = found.texts.map((t) => t.text).join('\n');
    expect(text).toContain('Report');
    expect(text).not.toContain('JVBERi0=');
  });
});

test('the router-generated user id is not read; a client value in its place would be', () => {
  const id = `sb-user-${'0a'.repeat(16)}`;
  expect(all({ metadata: { user_id: id } })).not.toContain(id);
  expect(all({ metadata: { user_id: 'alice@example.com' } })).toContain('alice@example.com');
});
