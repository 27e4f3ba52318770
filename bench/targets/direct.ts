/** The floor: the simulator called directly, with no gateway in between. */
import type { Service } from '../lib/service.ts';
import type { Target } from './target.ts';

export function directTarget(simulator: { service: Service }): Target {
  return {
    id: 'direct',
    label: 'direct (floor)',
    unavailable: async () => undefined,
    start: async (ctx) => ({
      endpoints: {
        openai: {
          url: `${ctx.simulatorUrl}/v1/chat/completions`,
          headers: { 'content-type': 'application/json', authorization: 'Bearer sim-key' },
        },
        anthropic: {
          url: `${ctx.simulatorUrl}/v1/messages`,
          headers: {
            'content-type': 'application/json',
            'x-api-key': 'sim-key',
            'anthropic-version': '2023-06-01',
          },
        },
      },
      measured: [simulator.service],
      helpers: [],
      settings: 'the simulator itself (Bun), no gateway',
      stop: async () => undefined,
    }),
  };
}
