/**
 * Appends records just after the response that produced them has gone out (on the next turn of the event
 * loop), in order, each still its own write through the store's appender. Keeps the store's per-record
 * guarantees and takes the writes off the response path; `drain` writes what is pending at once (shutdown).
 */
export class DeferredAppender<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly write: (record: T) => void,
    private readonly onError: (error: unknown) => void,
  ) {}

  append(record: T) {
    this.pending.push(record);
    if (this.scheduled) return;
    this.scheduled = true;
    setImmediate(() => this.drain());
  }

  drain() {
    this.scheduled = false;
    const batch = this.pending;
    this.pending = [];
    for (const record of batch) {
      try {
        this.write(record);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
