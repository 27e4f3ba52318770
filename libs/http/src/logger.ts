/** Structured JSON logs, one object per line. Keys that may carry secrets are redacted wherever they appear. */
export type LogLevel = 'debug' | 'info' | 'warn' | 'error';
const order: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };
const SECRET_KEY = /authorization|api[-_]?key|token|secret|password|cookie|credential/i;

export interface Logger {
  debug(msg: string, fields?: Record<string, unknown>): void;
  info(msg: string, fields?: Record<string, unknown>): void;
  warn(msg: string, fields?: Record<string, unknown>): void;
  error(msg: string, fields?: Record<string, unknown>): void;
  child(fields: Record<string, unknown>): Logger;
  /** Whether lines at this level are written: skip building fields that would be thrown away. */
  enabled(level: LogLevel): boolean;
}

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 6 || value === null || typeof value !== 'object') return value;
  if (value instanceof Error) return { name: value.name, message: value.message };
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    // Counts and ids about tokens are fine to log; token values are not.
    out[k] = SECRET_KEY.test(k) && !/(count|id|ttl|tokens)$/i.test(k) ? '[redacted]' : redact(v, depth + 1);
  }
  return out;
}

export function createLogger(
  service: string,
  level: LogLevel = 'info',
  base: Record<string, unknown> = {},
  write: (line: string, level: LogLevel) => void = (line, l) =>
    (l === 'error' || l === 'warn' ? process.stderr : process.stdout).write(`${line}\n`),
): Logger {
  const emit = (l: LogLevel, msg: string, fields?: Record<string, unknown>) => {
    if (order[l] < order[level]) return;
    const record = { time: new Date().toISOString(), level: l, service, msg, ...base, ...(fields ?? {}) };
    write(JSON.stringify(redact(record)), l);
  };
  return {
    debug: (m, f) => emit('debug', m, f),
    info: (m, f) => emit('info', m, f),
    warn: (m, f) => emit('warn', m, f),
    error: (m, f) => emit('error', m, f),
    child: (fields) => createLogger(service, level, { ...base, ...fields }, write),
    enabled: (l) => order[l] >= order[level],
  };
}
