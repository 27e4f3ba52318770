/**
 * Appends records just after the response that produced them has gone out (on the next turn of the event
 * loop), in order. What is waiting then goes out in one write through the store's appender (one system call
 * instead of one per record; nothing is held longer than before); should that write fail, each record is
 * tried alone so one bad record cannot take the others with it. `drain` writes what is pending at once
 * (shutdown).
 */
export class DeferredAppender<T> {
  private pending: T[] = [];
  private scheduled = false;

  constructor(
    private readonly writer: { append(record: T): void; appendMany(records: readonly T[]): void },
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
    if (batch.length === 0) return;
    this.pending = [];
    try {
      if (batch.length === 1) this.writer.append(batch[0] as T);
      else this.writer.appendMany(batch);
      return;
    } catch (error) {
      if (batch.length === 1) {
        this.onError(error);
        return;
      }
    }
    for (const record of batch) {
      try {
        this.writer.append(record);
      } catch (error) {
        this.onError(error);
      }
    }
  }
}
