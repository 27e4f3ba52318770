import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type ClassifierConfig, loadClassifierConfig } from '@split-brain/config';
import { createLogger } from '@split-brain/http';
import { openStore, type Store } from '@split-brain/store';
import { type RunningClassifier, REPO_MODEL_DIR, startClassifier } from './start.ts';

export interface TestClassifier {
  url: string;
  dataDir: string;
  store: Store;
  running: RunningClassifier;
  close(): Promise<void>;
}

/** A real classifier on a loopback port with the provisioned model and a temporary data folder. */
export async function startTestClassifier(
  overrides: Partial<ClassifierConfig> = {},
): Promise<TestClassifier> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(join(tmpdir(), 'classifier-test-')));
  const config: ClassifierConfig = {
    ...loadClassifierConfig({}), // the shipped defaults
    port: 0,
    dataDir,
    logLevel: 'error',
    modelDir: REPO_MODEL_DIR,
    headPollMs: 200,
    ...overrides,
  };
  const running = await startClassifier(config, createLogger('classifier', 'error'));
  const server = Bun.serve({ port: 0, hostname: '127.0.0.1', fetch: running.app.fetch });
  return {
    url: `http://127.0.0.1:${server.port}`,
    dataDir,
    store: openStore(dataDir),
    running,
    async close() {
      await server.stop(true);
      await running.stop();
      if (!overrides.dataDir) await rm(dataDir, { recursive: true, force: true });
    },
  };
}
