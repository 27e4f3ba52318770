/**
 * A server process under test: started with its own environment, its output kept in a log file (so a
 * failed start can be explained), ready when a URL answers, stopped with SIGTERM then SIGKILL.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { processTree } from './memory.ts';
import { freePort } from '@split-brain/http';

export { freePort };

export interface ServiceSpec {
  name: string;
  cmd: string[];
  cwd?: string;
  env?: Record<string, string | undefined>;
  /** Polled until it answers 2xx. */
  readyUrl: string;
  readyTimeoutMs?: number;
  logPath: string;
}

export class Service {
  private constructor(
    readonly name: string,
    readonly process: Bun.Subprocess,
    readonly logPath: string,
  ) {}

  get pid(): number {
    return this.process.pid;
  }

  static async start(spec: ServiceSpec): Promise<Service> {
    mkdirSync(dirname(spec.logPath), { recursive: true });
    const child = Bun.spawn(spec.cmd, {
      cwd: spec.cwd,
      env: Object.fromEntries(
        Object.entries({ ...process.env, ...spec.env }).filter(
          (e): e is [string, string] => e[1] !== undefined,
        ),
      ),
      stdout: Bun.file(spec.logPath),
      stderr: Bun.file(spec.logPath),
    });
    const service = new Service(spec.name, child, spec.logPath);
    const deadline = Date.now() + (spec.readyTimeoutMs ?? 60_000);
    while (Date.now() < deadline) {
      if (child.exitCode !== null) break;
      try {
        const response = await fetch(spec.readyUrl, { signal: AbortSignal.timeout(1000) });
        await response.arrayBuffer();
        if (response.ok) return service;
      } catch {
        // not listening yet
      }
      await Bun.sleep(150);
    }
    await service.stop();
    const log = await Bun.file(spec.logPath)
      .text()
      .catch(() => '');
    throw new Error(
      `${spec.name} did not become ready at ${spec.readyUrl}; last output:\n${log.slice(-2000)}`,
    );
  }

  /** SIGTERM to the server, then SIGKILL to whatever of its process tree is left (workers included). */
  async stop(graceMs = 5000): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const tree = processTree(this.process.pid);
    this.process.kill('SIGTERM');
    await Promise.race([this.process.exited, Bun.sleep(graceMs)]);
    for (const pid of tree) {
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
    await this.process.exited;
  }
}
