/**
 * LiteLLM's proxy from PyPI (project-local venv), with its production checklist's settings that apply
 * without a database: a master key, one worker per core, quiet JSON logs, no verbose mode. It forwards
 * to the simulator as an OpenAI-compatible model (chat completions) and as Anthropic (messages).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { freePort, Service } from '../lib/service.ts';
import { CLAUDE_MODEL, SCALARLM_MODEL } from '../lib/workload.ts';
import type { Target } from './target.ts';

const MASTER_KEY = 'sk-bench-master-key';
const binary = (root: string): string => join(root, '.tools/litellm-venv/bin/litellm');

export const litellmTarget: Target = {
  id: 'litellm',
  label: 'LiteLLM proxy 1.80.0',
  unavailable: async (ctx) =>
    existsSync(binary(ctx.root))
      ? undefined
      : 'not installed (bash bench/tools/install-litellm.sh failed or was not run)',
  start: async (ctx) => {
    const port = freePort();
    const url = `http://127.0.0.1:${port}`;
    const config = join(ctx.workDir, 'litellm.yaml');
    writeFileSync(
      config,
      [
        'model_list:',
        `  - model_name: ${SCALARLM_MODEL}`,
        '    litellm_params:',
        `      model: openai/${SCALARLM_MODEL}`,
        `      api_base: ${ctx.simulatorUrl}/v1`,
        '      api_key: sim-key',
        `  - model_name: ${CLAUDE_MODEL}`,
        '    litellm_params:',
        `      model: anthropic/${CLAUDE_MODEL}`,
        `      api_base: ${ctx.simulatorUrl}`,
        '      api_key: sim-key',
        'general_settings:',
        `  master_key: ${MASTER_KEY}`,
        'litellm_settings:',
        '  set_verbose: false',
        '  json_logs: true',
        '  request_timeout: 600',
        '',
      ].join('\n'),
    );
    const workers = 2; // one per core on this machine, as the production guide sizes it
    const service = await Service.start({
      name: 'litellm',
      cmd: [
        binary(ctx.root),
        '--config',
        config,
        '--host',
        '127.0.0.1',
        '--port',
        String(port),
        '--num_workers',
        String(workers),
      ],
      env: { LITELLM_LOG: 'ERROR', LITELLM_MODE: 'PRODUCTION', DISABLE_ADMIN_UI: 'True', NO_DOCS: 'True' },
      readyUrl: `${url}/health/liveliness`,
      readyTimeoutMs: 180_000,
      logPath: join(ctx.logDir, 'litellm.log'),
    });
    return {
      endpoints: {
        openai: {
          url: `${url}/v1/chat/completions`,
          headers: { 'content-type': 'application/json', authorization: `Bearer ${MASTER_KEY}` },
        },
        anthropic: {
          url: `${url}/v1/messages`,
          headers: {
            'content-type': 'application/json',
            'x-api-key': MASTER_KEY,
            'anthropic-version': '2023-06-01',
          },
        },
      },
      measured: [service],
      helpers: [],
      settings: `litellm --num_workers ${workers}, master key, LITELLM_LOG=ERROR, json_logs, no database`,
      stop: () => service.stop(),
    };
  },
};
