/** The machine and software a run was measured on, so reports can be compared honestly. */
import { readFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { MachineInfo } from './results.ts';

async function output(cmd: string[]): Promise<string> {
  try {
    const child = Bun.spawn(cmd, { stdout: 'pipe', stderr: 'pipe' });
    const [out, err] = await Promise.all([
      new Response(child.stdout).text(),
      new Response(child.stderr).text(),
    ]);
    await child.exited;
    return (out || err).trim().split('\n')[0] ?? '';
  } catch {
    return 'not found';
  }
}

export async function machineInfo(root: string): Promise<Omit<MachineInfo, 'loadAverage'>> {
  const cpuModel =
    cpus()[0]?.model ?? readFileSync('/proc/cpuinfo', 'utf8').match(/model name\s*:\s*(.*)/)?.[1];
  return {
    date: new Date().toISOString(),
    commit: await output(['git', '-C', root, 'rev-parse', '--short', 'HEAD']),
    cpu: cpuModel ?? 'unknown',
    cores: cpus().length,
    memoryGiB: Math.round(totalmem() / 2 ** 30),
    versions: {
      bun: Bun.version,
      node: await output(['node', '--version']),
      wrk: (await output(['wrk', '--version'])).replace(/ \[.*$/, ''),
      python: await output(['python3', '--version']),
      kernel: await output(['uname', '-r']),
      litellm: await output([
        join(root, '.tools/litellm-venv/bin/python'),
        '-c',
        'import importlib.metadata as m; print(m.version("litellm"))',
      ]),
    },
  };
}
