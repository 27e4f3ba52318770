/**
 * Resident memory of a server and every process it started (LiteLLM's workers, a launcher's child),
 * read from /proc. Peak is the largest sum of VmRSS seen across samples; VmHWM, the kernel's own
 * per-process high-water mark, is kept too because it catches peaks between samples.
 */
import { readdirSync, readFileSync } from 'node:fs';

function readStatus(pid: number): string | null {
  try {
    return readFileSync(`/proc/${pid}/status`, 'utf8');
  } catch {
    return null; // the process has gone
  }
}

function kib(status: string, field: 'VmRSS' | 'VmHWM'): number {
  const match = new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status);
  return match ? Number(match[1]) : 0;
}

/** The pid and all its descendants, found through each process's parent id in /proc/<pid>/stat. */
export function processTree(root: number): number[] {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
    } catch {
      continue;
    }
    // The command name may hold spaces and parentheses; the fields after the last ')' are fixed.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parent = Number(fields[1]);
    const list = children.get(parent) ?? [];
    list.push(Number(entry));
    children.set(parent, list);
  }
  const tree: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    const pid = queue.shift()!;
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

export interface MemorySnapshot {
  /** Sum of VmRSS over the tree, MiB. */
  rssMiB: number;
  /** Sum of each process's VmHWM over the tree, MiB (an upper bound on the tree's peak). */
  hwmMiB: number;
  processes: number;
}

export function treeMemory(root: number): MemorySnapshot {
  let rss = 0;
  let hwm = 0;
  let processes = 0;
  for (const pid of processTree(root)) {
    const status = readStatus(pid);
    if (!status) continue;
    rss += kib(status, 'VmRSS');
    hwm += kib(status, 'VmHWM');
    processes += 1;
  }
  return { rssMiB: rss / 1024, hwmMiB: hwm / 1024, processes };
}

/** Samples a tree's memory on an interval until stopped; reports the peak and the last sample. */
export class MemorySampler {
  private peakRss = 0;
  private peakHwm = 0;
  private last: MemorySnapshot = { rssMiB: 0, hwmMiB: 0, processes: 0 };
  private readonly timer: ReturnType<typeof setInterval>;

  constructor(
    private readonly roots: number[],
    intervalMs = 200,
  ) {
    this.sample();
    this.timer = setInterval(() => this.sample(), intervalMs);
  }

  private sample(): void {
    let rss = 0;
    let hwm = 0;
    let processes = 0;
    for (const root of this.roots) {
      const snapshot = treeMemory(root);
      rss += snapshot.rssMiB;
      hwm += snapshot.hwmMiB;
      processes += snapshot.processes;
    }
    this.last = { rssMiB: rss, hwmMiB: hwm, processes };
    this.peakRss = Math.max(this.peakRss, rss);
    this.peakHwm = Math.max(this.peakHwm, hwm);
  }

  stop(): { peakRssMiB: number; peakHwmMiB: number; lastRssMiB: number } {
    clearInterval(this.timer);
    this.sample();
    return { peakRssMiB: this.peakRss, peakHwmMiB: this.peakHwm, lastRssMiB: this.last.rssMiB };
  }
}
