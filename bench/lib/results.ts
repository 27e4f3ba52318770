/** What one benchmark run measured; written as results.json beside the report. */
import type { TtfbResult } from './ttfb.ts';
import type { Dialect } from './workload.ts';
import type { LoadResult } from './wrk.ts';

export type ScenarioId = 'nonstream' | 'stream' | 'cold' | 'realistic-stream';

export const scenarioTitles: Record<ScenarioId, string> = {
  nonstream: 'Non-streaming, zero-latency upstream',
  stream: 'Streaming, zero-latency upstream',
  cold: 'Non-streaming, cold classification (every conversation new)',
  'realistic-stream': 'Streaming, realistic upstream (20 ms + 200 ms to first token, 50 tokens/s)',
};

export interface LoadRow {
  target: string;
  dialect: Dialect;
  scenario: ScenarioId;
  load: LoadResult;
  /** Peak resident memory of the gateway's process tree during the run, MiB. */
  peakRssMiB: number;
  /** Same for its helper processes (split-brain's classifier), MiB. */
  helperPeakRssMiB: number | null;
  /** What split-brain's /metrics counted during the run. */
  routing?: RoutingCounts;
}

export interface RoutingCounts {
  cacheHits: number;
  cacheMisses: number;
  classifierCalls: number;
  /** Mean classifier round trip, ms (cache hits excluded). */
  classifierMeanMs: number | null;
  classifierFailures: number;
  failClosed: number;
}

export interface TtfbRow extends TtfbResult {
  target: string;
  dialect: Dialect;
}

export interface TargetOutcome {
  id: string;
  label: string;
  status: 'measured' | 'unavailable' | 'failed';
  reason?: string;
  settings?: string;
  idleRssMiB?: number;
  helperIdleRssMiB?: number | null;
  /** Per dialect, what did not work (the dialect, or only its streaming); the rest is still measured. */
  problems?: Partial<Record<Dialect, string>>;
  /** Per dialect, what the path through the gateway is when it is not plain forwarding. */
  notes?: Partial<Record<Dialect, string>>;
}

export interface MachineInfo {
  date: string;
  /** 1-minute load average before and after the run: other work on the machine skews figures. */
  loadAverage: { before: number; after?: number };
  commit: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  versions: Record<string, string>;
}

export interface BenchResults {
  quick: boolean;
  machine: MachineInfo;
  durationS: number;
  targets: TargetOutcome[];
  loads: LoadRow[];
  ttfb: TtfbRow[];
  /** Output of the classifier benchmark (bench/classifier.ts), when it ran. */
  classifier: { status: 'measured' | 'unavailable' | 'failed'; reason?: string; markdown?: string };
  /** Output of the agent benchmark (bench/agent.ts: Claude Code through bun run dev), when it ran. */
  agent?: { status: 'measured' | 'failed'; reason?: string; markdown?: string };
}
