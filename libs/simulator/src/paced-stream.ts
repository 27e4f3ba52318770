/**
 * Turns a list of pre-rendered SSE events into a response body with the profile's timing and the
 * stream faults (cut, hang, malformed). With zero timing and no fault the whole stream is one write.
 */
import type { Fault } from './profile.ts';

export interface StreamPlan {
  /** Sent at once when the stream opens (message_start, the role chunk). */
  prelude: string[];
  /** Paced: the first after ttftMs, then one per 1/tokensPerSecond. */
  tokens: string[];
  /** Sent right after the last token. */
  tail: string[];
}

export interface Pacing {
  ttftMs: number;
  tokensPerSecond: number;
}

/** Keeps hung requests releasable, so stopping the simulator never waits on them. */
export class HangRegistry {
  private readonly waiters = new Set<() => void>();

  wait(signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        this.waiters.delete(release);
        resolve();
      };
      this.waiters.add(release);
      signal.addEventListener('abort', release, { once: true });
    });
  }

  releaseAll(): void {
    for (const release of [...this.waiters]) release();
  }
}

const encoder = new TextEncoder();

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

export function pacedStream(
  plan: StreamPlan,
  pacing: Pacing,
  fault: Fault | null,
  signal: AbortSignal,
  hangs: HangRegistry,
): ReadableStream<Uint8Array> {
  const all = [...plan.prelude, ...plan.tokens, ...plan.tail];
  const streamFault =
    fault && (fault.kind === 'cut' || fault.kind === 'hang' || fault.kind === 'malformed') ? fault : null;
  const quick = pacing.ttftMs === 0 && pacing.tokensPerSecond === 0 && !streamFault;
  if (quick) {
    const bytes = encoder.encode(all.join(''));
    return new ReadableStream({
      start(controller) {
        controller.enqueue(bytes);
        controller.close();
      },
    });
  }
  const gap = pacing.tokensPerSecond > 0 ? 1000 / pacing.tokensPerSecond : 0;
  const stopAt = streamFault ? (streamFault.afterEvents ?? 1) : all.length;
  return new ReadableStream({
    async start(controller) {
      try {
        for (let i = 0; i < all.length; i++) {
          if (signal.aborted) return;
          if (i === stopAt && streamFault) {
            if (streamFault.kind === 'cut') {
              const next = all[i] ?? 'data: {"partial": tr';
              controller.enqueue(encoder.encode(next.slice(0, Math.max(1, Math.floor(next.length / 2)))));
            } else if (streamFault.kind === 'malformed') {
              controller.enqueue(encoder.encode('data: {"choices": [{"delta": {"content": tru\n\n'));
            } else {
              await hangs.wait(signal);
            }
            break;
          }
          if (i === plan.prelude.length) await sleep(pacing.ttftMs, signal);
          else if (i > plan.prelude.length && i < plan.prelude.length + plan.tokens.length)
            await sleep(gap, signal);
          controller.enqueue(encoder.encode(all[i] ?? ''));
        }
        if (streamFault && stopAt >= all.length && streamFault.kind !== 'cut') {
          if (streamFault.kind === 'hang') await hangs.wait(signal);
        }
        controller.close();
      } catch {
        // the client went away; nothing to send to
      }
    },
  });
}

export { sleep };
