/** A gateway under test, started against the shared simulator and reached in one or both client dialects. */
import type { Service } from '../lib/service.ts';
import type { Dialect } from '../lib/workload.ts';

export interface TargetContext {
  root: string;
  simulatorUrl: string;
  /** Scratch space for this run: data folders, configs, logs. */
  workDir: string;
  logDir: string;
}

export interface Endpoint {
  /** The URL a client calls (chat completions, or messages). */
  url: string;
  headers: Record<string, string>;
  /** What the path through the gateway is, for the report (e.g. "translated to Claude"). */
  note?: string;
}

export interface RunningTarget {
  endpoints: Partial<Record<Dialect, Endpoint>>;
  /** Processes whose memory is the target's (the gateway itself). */
  measured: Service[];
  /** Processes that help it and are reported apart (split-brain's classifier). */
  helpers: Service[];
  /** Settings it was started with, quoted in the report. */
  settings: string;
  /** Its Prometheus page, when it has one that says how requests were routed (split-brain). */
  metricsUrl?: string;
  /** Checks a response really went through the gateway as configured; throws when not. */
  verify?(response: Response, dialect: Dialect): void;
  stop(): Promise<void>;
}

export interface Target {
  id: string;
  label: string;
  /** Why it cannot run here, or undefined when it can. */
  unavailable(ctx: TargetContext): Promise<string | undefined>;
  start(ctx: TargetContext): Promise<RunningTarget>;
}
