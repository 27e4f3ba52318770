/**
 * The upstream simulator in its own process (so its CPU and memory are not the harness's), driven
 * through its admin API: the zero-latency profile measures pure gateway overhead, the realistic one
 * (time to first token, token rate) measures streaming as users see it.
 */
import type { ProfilePatch } from '@split-brain/simulator';
import { join } from 'node:path';
import { freePort, Service } from './service.ts';

/** No added latency: what remains is the gateway's own cost. The log is off so it cannot grow. */
export const zeroLatencyProfile: ProfilePatch = {
  latencyMs: 0,
  ttftMs: 0,
  tokensPerSecond: 0,
  outputTokens: 24,
  recordRequests: false,
  fault: null,
};

/** A hosted model as users meet it: a network round trip, 200 ms to the first token, 50 tokens/s. */
export const realisticProfile: ProfilePatch = {
  latencyMs: 20,
  ttftMs: 200,
  tokensPerSecond: 50,
  outputTokens: 32,
  recordRequests: false,
  fault: null,
};

export interface SimulatorProcess {
  url: string;
  service: Service;
  setProfile(patch: ProfilePatch): Promise<void>;
}

export async function startSimulatorProcess(root: string, logDir: string): Promise<SimulatorProcess> {
  const port = freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await Service.start({
    name: 'simulator',
    cmd: ['bun', join(root, 'libs/simulator/src/main.ts'), '--port', String(port)],
    cwd: root,
    readyUrl: `${url}/v1/health`,
    logPath: join(logDir, 'simulator.log'),
  });
  const setProfile = async (patch: ProfilePatch): Promise<void> => {
    const response = await fetch(`${url}/_sim/profile`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(patch),
    });
    if (!response.ok)
      throw new Error(`simulator refused profile: ${response.status} ${await response.text()}`);
  };
  await setProfile(zeroLatencyProfile);
  return { url, service, setProfile };
}
