import { stat } from 'node:fs/promises';
import type { Logger } from '@split-brain/http';
import { type Head, type HeadStore, StoreDataError } from '@split-brain/store';
import { type HeadScorer, headScorer } from '@split-brain/training/head-scorer';

/** A head checked against the model it will run on, with its weights ready for dot products. */
export interface LoadedHead {
  version: string;
  weights: Float32Array;
  bias: number;
  suggestedThreshold: number | undefined;
  /** Logistic regression, blended with nearest-neighbour and word evidence when the head carries them. */
  scorer: HeadScorer;
}

export class HeadRejected extends Error {
  override name = 'HeadRejected';
}

/** The head's probability that a text is proprietary, from its windows' embeddings (the training library's scorer). */
export function scoreText(head: LoadedHead, text: string, windows: Float32Array[]): number {
  return head.scorer.scoreText(text, windows);
}

/** Checks a parsed head against the running model; throws HeadRejected saying what does not fit. */
export function checkHead(head: Head, model: { modelId: string; dimension: number }): LoadedHead {
  if (head.modelId !== model.modelId) {
    throw new HeadRejected(
      `head ${head.version} was trained on ${head.modelId}, this classifier runs ${model.modelId}`,
    );
  }
  if (head.dimension !== model.dimension || head.weights.length !== model.dimension) {
    throw new HeadRejected(
      `head ${head.version} has dimension ${head.dimension} (${head.weights.length} weights); the model gives ${model.dimension}`,
    );
  }
  if (!head.weights.every(Number.isFinite) || !Number.isFinite(head.bias)) {
    throw new HeadRejected(`head ${head.version} has a weight or bias that is not a finite number`);
  }
  let scorer: HeadScorer;
  try {
    scorer = headScorer(head);
  } catch (error) {
    throw new HeadRejected(`head ${head.version}: ${error instanceof Error ? error.message : String(error)}`);
  }
  return {
    version: head.version,
    weights: Float32Array.from(head.weights),
    bias: head.bias,
    suggestedThreshold: head.suggestedThreshold,
    scorer,
  };
}

/**
 * Holds the head this replica serves. `reload` re-reads the `current` pointer and swaps only a head that
 * parses and fits the model; otherwise the old head stays. `watch` polls the pointer file's identity
 * (inode, size, mtime: one stat) so a head promoted through another replica arrives here within a poll.
 */
export class HeadHolder {
  private loaded: LoadedHead | undefined;
  private seenPointer = '';
  private timer: ReturnType<typeof setInterval> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly heads: HeadStore,
    private readonly pointerFile: string,
    private readonly model: { modelId: string; dimension: number },
    private readonly logger: Logger,
    private readonly onSwap: (head: LoadedHead) => void = () => {},
  ) {}

  get current(): LoadedHead | undefined {
    return this.loaded;
  }

  /** Loads the current head; throws HeadRejected (keeping the old head) when it is missing or unfit. */
  reload(): Promise<LoadedHead> {
    // Reads run one at a time (the poller and /reload may overlap), and each call reads afresh, so a
    // /reload that arrives during an older read still sees the pointer as it is now.
    const next = this.queue.catch(() => undefined).then(() => this.readAndSwap());
    this.queue = next;
    return next;
  }

  private async readAndSwap(): Promise<LoadedHead> {
    this.seenPointer = await this.pointerIdentity();
    let head: Head | undefined;
    try {
      const pointer = await this.heads.pointer();
      if (!pointer)
        throw new HeadRejected('no head has been promoted (heads/current.json is missing or unreadable)');
      head = await this.heads.read(pointer.current);
      if (!head)
        throw new HeadRejected(`the current pointer names head ${pointer.current}, which does not exist`);
    } catch (error) {
      if (error instanceof StoreDataError) throw new HeadRejected(`unreadable head: ${error.message}`);
      throw error;
    }
    const checked = checkHead(head, this.model);
    const previous = this.loaded?.version;
    this.loaded = checked;
    if (previous !== checked.version) {
      this.logger.info('head loaded', { version: checked.version, previous: previous ?? null });
      this.onSwap(checked);
    }
    return checked;
  }

  private async pointerIdentity(): Promise<string> {
    try {
      const s = await stat(this.pointerFile);
      return `${s.ino}:${s.size}:${s.mtimeMs}`;
    } catch {
      return 'absent';
    }
  }

  /** One cheap check: reload only when the pointer file changed since the last read. */
  async poll(): Promise<void> {
    if ((await this.pointerIdentity()) === this.seenPointer) return;
    try {
      await this.reload();
    } catch (error) {
      this.logger.warn('promoted head not loaded; keeping the previous one', {
        reason: error instanceof Error ? error.message : String(error),
        serving: this.loaded?.version ?? null,
      });
    }
  }

  watch(intervalMs: number): void {
    this.stop();
    this.timer = setInterval(() => void this.poll(), intervalMs);
  }

  stop(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}
