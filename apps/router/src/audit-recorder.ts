import type { AuditChainWriter, AuditEntry, AuditRecord } from '@split-brain/store';
import type { Usage } from '@split-brain/wire';
import { DeferredAppender } from './deferred-appender.ts';

/** The audit keeps the start and the end of a long conversation: the opening and the newest turns. */
const HEAD_CHARS = 8 * 1024;
const TAIL_CHARS = 24 * 1024;

export function auditText(text: string): { text: string; textTruncated?: boolean } {
  if (text.length <= HEAD_CHARS + TAIL_CHARS) return { text };
  return {
    text: `${text.slice(0, HEAD_CHARS)}\n\n[… ${text.length - HEAD_CHARS - TAIL_CHARS} characters left out …]\n\n${text.slice(-TAIL_CHARS)}`,
    textTruncated: true,
  };
}

export function auditUsage(usage: Usage | null): AuditRecord['usage'] {
  if (!usage) return null;
  return {
    inputTokens: usage.inputTokens,
    outputTokens: usage.outputTokens,
    cacheReadInputTokens: usage.cacheReadInputTokens,
    cacheCreationInputTokens: usage.cacheCreationInputTokens,
  };
}

/**
 * Appends one line per request to this pod's audit file, just after the response has gone out; a failed
 * write is logged, never thrown at a client. The store's writer chains each record to the one before (the
 * version and chain fields are its business: a `v` given here is replaced).
 */
export class AuditRecorder {
  private readonly deferred: DeferredAppender<AuditEntry>;

  constructor(
    private readonly writer: AuditChainWriter,
    onError: (error: unknown) => void,
  ) {
    this.deferred = new DeferredAppender(writer, onError);
  }

  record(record: AuditEntry) {
    this.deferred.append(record);
  }

  flush() {
    this.deferred.drain();
    this.writer.flush();
  }

  close() {
    this.deferred.drain();
    this.writer.close();
  }
}
