/**
 * Portkey's open-source gateway (@portkey-ai/gateway), run with Node as its README says, in production
 * mode (NODE_ENV=production, --headless: no console UI or log streaming). It forwards to the simulator
 * as an OpenAI provider (chat completions) and as an Anthropic provider (messages) at a custom host;
 * loopback is on its trusted-host list by default.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, Service } from '../lib/service.ts';
import type { Target } from './target.ts';

const entry = (root: string): string =>
  join(root, '.tools/portkey-gateway/node_modules/@portkey-ai/gateway/build/start-server.js');

export const portkeyTarget: Target = {
  id: 'portkey',
  label: 'Portkey gateway 1.15.2',
  unavailable: async (ctx) =>
    existsSync(entry(ctx.root))
      ? undefined
      : 'not installed (bash bench/tools/install-portkey.sh failed or was not run)',
  start: async (ctx) => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const service = await Service.start({
      name: 'portkey',
      cmd: ['node', entry(ctx.root), `--port=${port}`, '--headless'],
      env: { NODE_ENV: 'production', PORT: String(port) },
      readyUrl: `${url}/`,
      logPath: join(ctx.logDir, 'portkey.log'),
    });
    return {
      endpoints: {
        openai: {
          url: `${url}/v1/chat/completions`,
          headers: {
            'content-type': 'application/json',
            authorization: 'Bearer sim-key',
            'x-portkey-provider': 'openai',
            'x-portkey-custom-host': `${ctx.simulatorUrl}/v1`,
          },
        },
        anthropic: {
          url: `${url}/v1/messages`,
          headers: {
            'content-type': 'application/json',
            'x-api-key': 'sim-key',
            'anthropic-version': '2023-06-01',
            'x-portkey-provider': 'anthropic',
            'x-portkey-custom-host': `${ctx.simulatorUrl}/v1`,
          },
        },
      },
      measured: [service],
      helpers: [],
      settings: 'node build/start-server.js --headless, NODE_ENV=production; provider header + custom host',
      stop: () => service.stop(),
    };
  },
};
