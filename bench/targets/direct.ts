/** The floor: the simulator called directly, with no gateway in between. */
import type { Target } from './target.ts';

export function directTarget(simulator: { service: import('../lib/service.ts').Service }): Target {
  return {
    id: 'direct',
    label: 'direct (floor)',
    unavailable: async () => undefined,
    start: async (ctx) => ({
      url: `${ctx.simulatorUrl}/v1/chat/completions`,
      headers: { 'content-type': 'application/json', authorization: 'Bearer sim-key' },
      measured: [simulator.service],
      helpers: [],
      settings: 'the simulator itself (Bun), no gateway',
      stop: async () => undefined,
    }),
  };
}
