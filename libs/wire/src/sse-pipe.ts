/**
 * Glue for the common case: a backend SSE body in, a client SSE body out, translated event by event.
 * Read `translator.usage` once the returned stream has closed.
 */
import { formatSse, SseReader } from './sse.ts';
import type { StreamTranslator } from './stream-translator.ts';

export function translateSseBody(
  upstream: ReadableStream<Uint8Array>,
  translator: StreamTranslator,
  hooks: { onClose?: (translator: StreamTranslator) => void } = {},
): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const reader = new SseReader();
  const source = upstream.getReader();
  let closed = false;
  const close = (controller: ReadableStreamDefaultController<Uint8Array>, text: string): void => {
    if (closed) return;
    closed = true;
    if (text) controller.enqueue(encoder.encode(text));
    controller.close();
    hooks.onClose?.(translator);
  };
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      for (;;) {
        let result: Awaited<ReturnType<typeof source.read>>;
        try {
          result = await source.read();
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          close(
            controller,
            translator.fail(`the upstream connection failed: ${message}`).map(formatSse).join(''),
          );
          return;
        }
        if (result.done) {
          const { incomplete } = reader.end();
          close(controller, translator.end(incomplete).map(formatSse).join(''));
          return;
        }
        let text = '';
        for (const event of reader.push(result.value))
          for (const out of translator.push(event)) text += formatSse(out);
        if (translator.finished || translator.failed) {
          // Anything after the end of the message is dropped; stop reading the upstream.
          void source.cancel().catch(() => {});
          close(controller, text);
          return;
        }
        if (text) {
          controller.enqueue(encoder.encode(text));
          return;
        }
      }
    },
    cancel(reason) {
      closed = true;
      return source.cancel(reason);
    },
  });
}
