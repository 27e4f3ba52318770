/**
 * Dynamic batching of model calls. Windows from concurrent requests queue up; a batch starts when the
 * oldest queued window has waited `maxWaitMs` or the queue holds `maxBatchTokens` worth of windows, and
 * never while another batch runs, because ONNX Runtime already uses every core for one call. What queues
 * during a run goes into the next batch. `maxWaitMs` 0 (the default) starts as soon as the model is idle,
 * after the current turn of the event loop: on a CPU the batches that form while a call runs already keep
 * the cores busy, and waiting for company only adds latency (2 ms on a 16-token prompt of 1.3 ms).
 * A batch is cut into sub-batches of similar length so short windows are not padded to long ones.
 */
export interface BatcherOptions {
  maxWaitMs: number;
  /** Upper bound on windows x padded length per model call. */
  maxBatchTokens: number;
}

/**
 * Where one caller's windows spent their time, filled in by the batcher: waiting for the model (queued
 * behind a running batch or for company) and inside model calls. The service reports it as Server-Timing.
 */
export interface ModelTiming {
  queuedMs: number;
  modelMs: number;
}

export interface BatchStats {
  batches: number;
  windows: number;
  lastBatchWindows: number;
}

interface Pending {
  window: number[];
  queuedAt: number;
  timing: ModelTiming | undefined;
  resolve(value: Float32Array): void;
  reject(error: unknown): void;
}

export class WindowBatcher {
  private queue: Pending[] = [];
  private queuedTokens = 0;
  private running = false;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private immediate: ReturnType<typeof setImmediate> | undefined;
  readonly stats: BatchStats = { batches: 0, windows: 0, lastBatchWindows: 0 };

  constructor(
    private readonly embedWindows: (windows: number[][]) => Promise<Float32Array[]>,
    private readonly options: BatcherOptions,
  ) {}

  embed(windows: number[][], timing?: ModelTiming): Promise<Float32Array[]> {
    const queuedAt = performance.now();
    const promises = windows.map(
      (window) =>
        new Promise<Float32Array>((resolve, reject) => {
          this.queue.push({ window, queuedAt, timing, resolve, reject });
          this.queuedTokens += window.length + 2;
        }),
    );
    this.schedule();
    return Promise.all(promises);
  }

  private schedule(): void {
    if (this.running || this.queue.length === 0) return;
    if (this.queuedTokens >= this.options.maxBatchTokens) {
      this.clearTimer();
      void this.flush();
      return;
    }
    if (this.options.maxWaitMs === 0) {
      this.immediate ??= setImmediate(() => {
        this.immediate = undefined;
        void this.flush();
      });
      return;
    }
    if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.flush();
      }, this.options.maxWaitMs);
    }
  }

  private clearTimer(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    if (this.immediate !== undefined) clearImmediate(this.immediate);
    this.timer = undefined;
    this.immediate = undefined;
  }

  private async flush(): Promise<void> {
    if (this.running || this.queue.length === 0) return;
    this.running = true;
    const batch = this.queue;
    this.queue = [];
    this.queuedTokens = 0;
    this.stats.batches++;
    this.stats.windows += batch.length;
    this.stats.lastBatchWindows = batch.length;
    try {
      for (const group of groupByLength(batch, this.options.maxBatchTokens)) {
        const startedAt = performance.now();
        try {
          const vectors = await this.embedWindows(group.map((p) => p.window));
          recordTiming(group, startedAt, performance.now());
          group.forEach((p, i) => {
            p.resolve(vectors[i]!);
          });
        } catch (error) {
          for (const p of group) p.reject(error);
        }
      }
    } finally {
      this.running = false;
      // Whatever arrived during the run has already waited: start it now.
      this.clearTimer();
      if (this.queue.length > 0) void this.flush();
    }
  }
}

/** Each caller counts a model call once, however many of its windows rode in it. */
function recordTiming(group: Pending[], startedAt: number, endedAt: number): void {
  const seen = new Set<ModelTiming>();
  for (const p of group) {
    if (!p.timing || seen.has(p.timing)) continue;
    seen.add(p.timing);
    p.timing.modelMs += endedAt - startedAt;
    // Groups run one after another, so after the caller's last one this is all its time outside them.
    p.timing.queuedMs = endedAt - p.queuedAt - p.timing.modelMs;
  }
}

/** Sorts by length and cuts into groups whose padded size (count x longest) stays within the budget. */
function groupByLength(batch: Pending[], maxTokens: number): Pending[][] {
  const sorted = [...batch].sort((a, b) => a.window.length - b.window.length);
  const groups: Pending[][] = [];
  let current: Pending[] = [];
  for (const item of sorted) {
    const padded = (current.length + 1) * (item.window.length + 2);
    if (current.length > 0 && padded > maxTokens) {
      groups.push(current);
      current = [];
    }
    current.push(item);
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
