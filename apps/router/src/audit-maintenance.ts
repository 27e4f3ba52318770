import type { AuditConfig } from '@split-brain/config';
import type { Logger } from '@split-brain/http';
import type { Store } from '@split-brain/store';

/**
 * The audit chores a router pod does beside serving, because it holds the key: retention (at start, then
 * hourly) and a verification when an admin asks for one in the console (the request is a file under
 * settings/, the answer audit/chain/verification.json). Every pod may answer; a duplicate run is harmless.
 */
export class AuditMaintenance {
  private timers: ReturnType<typeof setInterval>[] = [];
  private verifying = false;
  /** The request this pod last answered, so a poll after that costs one small read. */
  private answered = '';

  constructor(
    private readonly store: Store,
    private readonly config: AuditConfig,
    private readonly pod: string,
    private readonly logger: Logger,
    private readonly every = { retentionMs: 3_600_000, requestPollMs: 2000 },
  ) {}

  start() {
    if (this.config.retentionDays !== undefined) {
      void this.applyRetention();
      this.timers.push(setInterval(() => void this.applyRetention(), this.every.retentionMs));
    }
    this.timers.push(setInterval(() => void this.answerRequest(), this.every.requestPollMs));
    for (const t of this.timers) t.unref?.();
  }

  stop() {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
  }

  async applyRetention() {
    const days = this.config.retentionDays;
    if (days === undefined) return;
    try {
      const outcome = await this.store.audit.applyRetention({ days, key: this.config.hmacKey });
      if ('removedDays' in outcome && outcome.removedDays.length > 0)
        this.logger.info('audit retention', {
          removedDays: outcome.removedDays,
          checkpointThrough: outcome.through,
        });
    } catch (error) {
      this.logger.error('audit retention failed', { error: String(error) });
    }
  }

  /** Runs a verification if an admin asked for one after the last verification ran. */
  async answerRequest(): Promise<boolean> {
    if (this.verifying) return false;
    this.verifying = true;
    try {
      const request = await this.store.audit.verifyRequest();
      if (!request || request.requestedAt === this.answered) return false;
      const last = await this.store.audit.lastVerification().catch(() => undefined);
      if (last && last.ranAt >= request.requestedAt) return false;
      const result = await this.store.audit.verify({
        key: this.config.hmacKey,
        ranBy: `router pod ${this.pod}`,
        requestedBy: request.requestedBy,
      });
      await this.store.audit.saveVerification(result);
      this.answered = request.requestedAt;
      this.logger[result.ok ? 'info' : 'error']('audit verified', {
        ok: result.ok,
        records: result.records,
        pods: result.pods,
        breaks: result.breakCount,
        requestedBy: request.requestedBy,
      });
      return true;
    } catch (error) {
      this.logger.error('audit verification failed', { error: String(error) });
      return false;
    } finally {
      this.verifying = false;
    }
  }
}
