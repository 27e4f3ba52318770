import {
  dayOf,
  type LiveFile,
  type limitsSchema,
  type Route,
  type UsageLedger,
  type UsageEntry,
  type UsageTally,
} from '@split-brain/store';
import type { Usage } from '@split-brain/wire';
import { WireError } from '@split-brain/wire';
import { DeferredAppender } from './deferred-appender.ts';

export interface Reservation {
  user: string;
  requestId: string;
  brain: Route;
  /** Tokens held against the limit until settlement (0 for users without a limit). */
  tokens: number;
  /** What the request may cost at most (prompt estimate + max_tokens): the charge for an interrupted stream. */
  estimate: number;
}

type UsageWriter = ReturnType<UsageLedger['writer']>;

/**
 * Per-user daily token limits (limits/limits.json), enforced across pods through the usage ledgers.
 *
 * A request with a limit is admitted only if its reservation (prompt estimate + max_tokens) fits in what is
 * left; the reservation is appended to this pod's ledger before forwarding and settled from the real usage
 * afterwards. Other pods' ledgers are re-read every USAGE_REFRESH_MS, and at once (incrementally) whenever a
 * user is past half of their limit, so near the limit a pod sees every reservation already on disk. The
 * worst-case overrun is in docs/router.md.
 */
export class QuotaGate {
  /** Every pod's usage today: other pods' from their files, this pod's own as it appends it. */
  private tally: UsageTally;
  private refreshing: Promise<void> | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;
  private readonly deferred: DeferredAppender<UsageEntry>;

  constructor(
    private readonly ledger: UsageLedger,
    /** This pod's name: its ledger is the one `writer` appends to. */
    private readonly pod: string,
    private readonly writer: UsageWriter,
    private readonly limits: LiveFile<typeof limitsSchema>,
    private readonly refreshMs: number,
    private readonly now: () => number = Date.now,
    onDeferredError: (error: unknown) => void = () => {},
  ) {
    this.tally = ledger.tally(dayOf(now()), { ownPod: pod });
    this.deferred = new DeferredAppender(writer, onDeferredError);
  }

  async start() {
    await this.refresh();
    this.timer = setInterval(() => void this.refresh().catch(() => {}), this.refreshMs);
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.deferred.drain();
  }

  limitFor(user: string): number | null {
    const limits = this.limits.get();
    const own = limits.users[user];
    return own === undefined ? limits.defaultDailyTokens : own;
  }

  /** Tokens counted against the user today, across every pod (reservations included). */
  used(user: string): number {
    return this.tally.tokensFor(user);
  }

  /** Holds `tokens` for the request, or throws the 429 the client gets when they do not fit. */
  async reserve(user: string, requestId: string, brain: Route, tokens: number): Promise<Reservation> {
    this.rollOver();
    const limit = this.limitFor(user);
    if (limit === null) return { user, requestId, brain, tokens: 0, estimate: tokens };
    if (this.used(user) + tokens > limit / 2) await this.refresh();
    const used = this.used(user);
    if (used + tokens > limit) {
      const left = Math.max(0, limit - used);
      throw new WireError(
        429,
        'rate_limit',
        `daily token limit reached for ${user}: ${used} of ${limit} tokens used today; this request needs up to ${tokens} (prompt plus max_tokens) and ${left} are left. Lower max_tokens or wait until 00:00 UTC`,
      );
    }
    this.append({ user, requestId, brain, kind: 'reserve', tokens });
    return { user, requestId, brain, tokens, estimate: tokens };
  }

  /**
   * Replaces the reservation with what the request really cost. `usage` is null when the backend never
   * reported any (an upstream error: nothing was generated, nothing is charged).
   */
  settle(reservation: Reservation, usage: Usage | null, options: { interrupted?: boolean } = {}) {
    const input = usage ? usage.inputTokens + usage.cacheReadInputTokens + usage.cacheCreationInputTokens : 0;
    const output = usage?.outputTokens ?? 0;
    let actual = input + output;
    // An interrupted stream is charged at least its estimate: the backend may have generated more than it
    // reported before the connection went, and usage mostly arrives in the last event.
    if (options.interrupted) actual = Math.max(actual, reservation.estimate);
    // A user without a limit held nothing, so nothing waits on this entry: it is written just after the
    // response has gone out. Held reservations are settled at once, so other pods see them replaced.
    this.append(
      {
        user: reservation.user,
        requestId: reservation.requestId,
        brain: reservation.brain,
        kind: 'settle',
        tokens: actual - reservation.tokens,
        inputTokens: input,
        outputTokens: output,
      },
      reservation.tokens === 0,
    );
  }

  refresh(): Promise<void> {
    // This pod's entries are in the tally from the moment they are appended; a refresh reads the others'.
    this.refreshing ??= this.tally.refresh().finally(() => {
      this.refreshing = undefined;
    });
    return this.refreshing;
  }

  private append(
    entry: {
      user: string;
      requestId: string;
      brain: Route;
      kind: 'reserve' | 'settle';
      tokens: number;
      inputTokens?: number;
      outputTokens?: number;
    },
    deferred = false,
  ) {
    const record: UsageEntry = { v: 1, time: new Date(this.now()).toISOString(), ...entry };
    if (deferred) this.deferred.append(record);
    else this.writer.append(record);
    this.tally.record(record);
  }

  private rollOver() {
    const today = dayOf(this.now());
    if (today !== this.tally.day) {
      this.tally = this.ledger.tally(today, { ownPod: this.pod });
      void this.refresh().catch(() => {});
    }
  }
}
