import { z } from 'zod';

/**
 * Every record format on the store, each versioned with `v`. A record of a version this build does not
 * know is refused with a clear message instead of being read as something it is not.
 */
const version1 = z.literal(1, { error: 'unknown record version (this build reads v: 1)' });
const isoTime = z.iso.datetime({ offset: true });
const email = z.string().min(1).max(320);
/** SHA-256 of a piece's exact text (UTF-8), lowercase hex: how pins and the audit name a piece. */
const pieceHash = z.string().regex(/^[a-f0-9]{64}$/, 'a piece hash is 64 lowercase hex characters (SHA-256)');

export const routeSchema = z.enum(['claude', 'local']);
export type Route = z.infer<typeof routeSchema>;
export const dialectSchema = z.enum(['openai', 'anthropic']);
export type Dialect = z.infer<typeof dialectSchema>;

export const usageSchema = z.object({
  inputTokens: z.number().int().min(0),
  outputTokens: z.number().int().min(0),
  cacheReadInputTokens: z.number().int().min(0).optional(),
  cacheCreationInputTokens: z.number().int().min(0).optional(),
});
export type Usage = z.infer<typeof usageSchema>;

/** A piece of a request as the audit keeps it (see pinSchema for what `hash` is). */
function auditPieceSchema() {
  return z.object({
    hash: pieceHash,
    score: z.number().min(0).max(1).nullable(),
    pinned: z.enum(['public', 'proprietary']).optional(),
    chars: z.number().int().min(0),
    preview: z.string(),
  });
}

/** `sha256:<hex>` or `hmac-sha256:<hex>`: which function made it travels with the hash. */
export const chainHashSchema = z.string().regex(/^(sha256|hmac-sha256):[a-f0-9]{64}$/);

/**
 * One line per request, written by the router pod that served it, after the response completed. v: 2 adds
 * the hash chain (docs/store.md): `seq`, `prev` and `hash`, always the line's last member. v: 1 lines (written
 * before the chain) still read.
 */
export const auditRecordSchema = z
  .object({
    v: z.literal([1, 2], {
      error: 'unknown record version (this build reads audit records of v: 1 and 2)',
    }),
    id: z.string().min(1),
    time: isoTime,
    pod: z.string(),
    user: z.string(),
    tokenId: z.string().nullable(),
    dialect: dialectSchema,
    stream: z.boolean(),
    clientModel: z.string().nullable(),
    /** null when the request was refused before a brain was chosen (auth, quota, bad input, fail-closed refusal). */
    route: routeSchema.nullable(),
    backendModel: z.string().nullable(),
    score: z.number().min(0).max(1).nullable(),
    threshold: z.number(),
    keywords: z.array(z.string()),
    headVersion: z.string().nullable(),
    /** Why this route: e.g. score, keyword, below-threshold, client-asked-local, session-taint, classifier-unavailable. */
    reason: z.string(),
    status: z.number().int(),
    error: z.string().optional(),
    latencyMs: z.number().min(0),
    ttfbMs: z.number().min(0).nullable(),
    usage: usageSchema.nullable(),
    /** The text the classifier saw (the whole conversation), capped in size; see textTruncated. */
    text: z.string(),
    textTruncated: z.boolean().optional(),
    /**
     * Each distinct piece (system prompt, tool definition, turn) by its exact hash, for the console's
     * "frequent pieces" list and pins: its score (null when not classified), whether a pin decided it, its
     * length and the start of its text.
     */
    pieces: z.array(auditPieceSchema()).optional(),
    /** Position in this pod's chain, from 0. */
    seq: z.number().int().min(0).optional(),
    /** The previous record's `hash` (across day files); null for a chain's first record. */
    prev: chainHashSchema.nullable().optional(),
    /** Hash (or HMAC with AUDIT_HMAC_KEY) of the record's canonical bytes: its line without this member. */
    hash: chainHashSchema.optional(),
  })
  .refine((r) => r.v === 1 || (r.seq !== undefined && r.prev !== undefined && r.hash !== undefined), {
    message: 'a v: 2 audit record needs seq, prev and hash',
  });
export type AuditRecord = z.infer<typeof auditRecordSchema>;
/** What the router knows about a request; the audit writer adds the version and the chain fields. */
export type AuditEntry = Omit<AuditRecord, 'v' | 'seq' | 'prev' | 'hash'>;

/** Where a pod's chain stood: its last record, or (in a checkpoint) the last record retention removed. */
export const chainPointSchema = z.object({
  seq: z.number().int().min(0),
  hash: chainHashSchema,
  day: z.string(),
});
export type ChainPoint = z.infer<typeof chainPointSchema>;

/**
 * A pod's chain head, rewritten about once a second: lets verification see records cut from the end. Sealed
 * like a record (`mac` over the file's bytes without it).
 */
export const auditHeadSchema = z.object({
  v: version1,
  pod: z.string(),
  head: chainPointSchema,
  writtenAt: isoTime,
  mac: chainHashSchema,
});
export type AuditHead = z.infer<typeof auditHeadSchema>;

/** Left by retention: per pod, the last record of the removed days, so the first kept record still links. */
export const auditCheckpointSchema = z.object({
  v: version1,
  /** Every day up to and including this one was removed. */
  through: z.string(),
  pods: z.record(z.string(), chainPointSchema),
  writtenAt: isoTime,
  mac: chainHashSchema,
});
export type AuditCheckpoint = z.infer<typeof auditCheckpointSchema>;

export const auditFindingSchema = z.object({
  kind: z.enum([
    'edited',
    'removed',
    'inserted',
    'reordered',
    'rechained',
    'truncated',
    // Notes, not breaks: a crash's torn line, the chain picking up after it, lines from before the chain.
    'torn',
    'resumed',
    'legacy',
  ]),
  pod: z.string(),
  /** Relative to the data root, e.g. audit/2026-03-01/router-0.jsonl. */
  file: z.string(),
  line: z.number().int().min(0),
  message: z.string(),
});
export type AuditFinding = z.infer<typeof auditFindingSchema>;

/** The last verification's outcome, written by whoever ran it (the CLI or a router on an admin's request). */
export const auditVerificationSchema = z.object({
  v: version1,
  ranAt: isoTime,
  ranBy: z.string(),
  requestedBy: z.string().nullable(),
  ok: z.boolean(),
  keyed: z.boolean(),
  from: z.string().nullable(),
  to: z.string().nullable(),
  pods: z.number().int().min(0),
  files: z.number().int().min(0),
  records: z.number().int().min(0),
  /** Tampering or loss; the first 100. */
  breaks: z.array(auditFindingSchema),
  breakCount: z.number().int().min(0),
  /** Crash traces (torn lines, chains resumed after them): not tampering. The first 100. */
  notes: z.array(auditFindingSchema),
  durationMs: z.number().min(0),
});
export type AuditVerification = z.infer<typeof auditVerificationSchema>;

/** An admin's request that a router (which holds the key) run a verification. */
export const auditVerifyRequestSchema = z.object({
  v: version1,
  requestedAt: isoTime,
  requestedBy: z.string(),
});
export type AuditVerifyRequest = z.infer<typeof auditVerifyRequestSchema>;

/** A token's identity, written by the UI or the token CLI. Revocation is one-way: revokedAt never clears. */
export const tokenRecordSchema = z.object({
  v: version1,
  id: z.string().regex(/^[a-f0-9]{12}$/),
  hash: z.string().regex(/^[a-f0-9]{64}$/),
  user: email,
  name: z.string().min(1).max(200),
  createdAt: isoTime,
  createdBy: z.string(),
  revokedAt: isoTime.nullable(),
});
export type TokenRecord = z.infer<typeof tokenRecordSchema>;

/** Kept in its own file so a last-used write can never overwrite (and so undo) a revocation. */
export const tokenLastUsedSchema = z.object({ v: version1, lastUsedAt: isoTime });

/** A usage ledger entry: quota is reserved before forwarding and settled from real usage afterwards. */
export const usageEntrySchema = z.object({
  v: version1,
  time: isoTime,
  requestId: z.string(),
  user: z.string(),
  brain: routeSchema,
  kind: z.enum(['reserve', 'settle']),
  /** Tokens this entry adds to the user's day: positive for a reservation, actual minus reserved for a settlement. */
  tokens: z.number().int(),
  inputTokens: z.number().int().min(0).optional(),
  outputTokens: z.number().int().min(0).optional(),
});
export type UsageEntry = z.infer<typeof usageEntrySchema>;

/**
 * A trained classifier head: logistic regression over the sentence embedding, optionally blended with nearest
 * neighbours and with a logistic regression over the text's words.
 */
export const headSchema = z
  .object({
    v: version1,
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/),
    createdAt: isoTime,
    modelId: z.string().min(1),
    dimension: z.number().int().positive(),
    weights: z.array(z.number()),
    bias: z.number(),
    /** The threshold training suggests for the target recall; the router's threshold is still config. */
    suggestedThreshold: z.number().min(0).max(1).optional(),
    /**
     * Nearest-neighbour evidence blended into the score: logit + weight * (mean similarity to the k nearest
     * proprietary examples - mean similarity to the k nearest public ones). Vectors are int8, row-major,
     * base64, each row with its own scale (value = int8 * scale). Absent in plain logistic heads.
     */
    neighbours: z
      .object({
        k: z.number().int().min(1).max(50),
        weight: z.number().min(0),
        positives: z.object({
          count: z.number().int().min(1),
          scales: z.array(z.number()),
          data: z.string(),
        }),
        negatives: z.object({
          count: z.number().int().min(1),
          scales: z.array(z.number()),
          data: z.string(),
        }),
      })
      .optional(),
    /**
     * Word evidence blended into the score: + weight * (bias + sum of the weights of the text's hashed words and
     * word pairs / sqrt(max(their number, minTerms))); see libs/training/src/lexical.ts. Buckets uint32 and weights float32,
     * little-endian, base64, `count` of each. Absent in heads trained before it existed.
     */
    lexical: z
      .object({
        bits: z.number().int().min(8).max(24),
        bias: z.number(),
        weight: z.number().min(0),
        minTerms: z.number().int().min(1),
        count: z.number().int().min(0),
        buckets: z.string(),
        weights: z.string(),
      })
      .optional(),
    metrics: z.record(z.string(), z.union([z.number(), z.string(), z.null()])),
  })
  .refine((h) => h.weights.length === h.dimension, {
    message: 'weights must have exactly `dimension` entries',
    path: ['weights'],
  })
  .refine(
    (h) =>
      !h.neighbours ||
      [h.neighbours.positives, h.neighbours.negatives].every((set) => set.scales.length === set.count),
    { message: 'each neighbour set needs one scale per vector', path: ['neighbours'] },
  );
export type Head = z.infer<typeof headSchema>;

export const headPointerSchema = z.object({
  v: version1,
  current: z.string(),
  /** Earlier current heads, oldest first; rollback pops the last one. */
  history: z.array(z.string()),
  updatedAt: isoTime,
  updatedBy: z.string(),
});
export type HeadPointer = z.infer<typeof headPointerSchema>;

export const labelSchema = z.object({
  v: version1,
  id: z.string(),
  text: z.string().min(1),
  label: z.enum(['proprietary', 'public']),
  requestId: z.string().nullable(),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type Label = z.infer<typeof labelSchema>;

/** Per-user daily token limits. null means unlimited. */
export const limitsSchema = z.object({
  v: version1,
  defaultDailyTokens: z.number().int().min(0).nullable(),
  users: z.record(z.string(), z.number().int().min(0).nullable()),
});
export type Limits = z.infer<typeof limitsSchema>;
export const defaultLimits: Limits = { v: 1, defaultDailyTokens: null, users: {} };

export const settingsSchema = z.object({
  v: version1,
  /** The Claude model used when the client's is not allowed; null means ANTHROPIC_MODEL. */
  defaultClaudeModel: z.string().min(1).nullable(),
  /** Claude models a client may ask for by name; empty means any model named claude-*. */
  allowedClaudeModels: z.array(z.string().min(1)),
  /** The classifier score at or above which a request stays local; absent means CLASSIFIER_THRESHOLD. */
  classifierThreshold: z.number().min(0).max(1).optional(),
});
export type Settings = z.infer<typeof settingsSchema>;
export const defaultSettings: Settings = { v: 1, defaultClaudeModel: null, allowedClaudeModels: [] };

export const documentMetaSchema = z.object({
  v: version1,
  id: z.string(),
  name: z.string().min(1).max(255),
  mediaType: z.enum(['text/plain', 'text/markdown', 'text/html', 'application/pdf']),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[a-f0-9]{64}$/),
  textChars: z.number().int().min(0),
  uploadedAt: isoTime,
  uploadedBy: z.string(),
  /**
   * A public reference document (industry primer, public web page, standard, policy template): its chunks
   * teach the head what the field looks like when it is not ours. Absent in records written before it existed.
   */
  public: z.boolean().optional(),
});
export type DocumentMeta = z.infer<typeof documentMetaSchema>;

/**
 * One generated training question (generated/questions.jsonl): an employee question that needs a document's
 * specific content (label proprietary), or a public question on the same subject (label public). Written by
 * the ScalarLM question generator or any other generator; reviewed in the console before training.
 */
export const generatedQuestionSchema = z.object({
  text: z.string().trim().min(1).max(20_000),
  label: z.enum(['proprietary', 'public']),
  /** The document it was generated from (its name). */
  doc: z.string().min(1).max(255),
  /** What kind of question and who made it, e.g. "employee", "employee-nameless", "pasted", "public". */
  source: z.string().min(1).max(100),
  /** The document section (heading path) it was generated from, when known. */
  section: z.string().max(500).optional(),
});
export type GeneratedQuestion = z.infer<typeof generatedQuestionSchema>;

/**
 * A pinned verdict: an admin has decided a recurring piece of text (by the SHA-256 of its exact text) is
 * public — not classified again, the rest of the request still is — or proprietary — the request goes local.
 */
export const pinSchema = z.object({
  hash: pieceHash,
  verdict: z.enum(['public', 'proprietary']),
  /** The start of the text, so the list says what was pinned; the full text is not stored. */
  preview: z.string().max(500),
  note: z.string().max(500).optional(),
  createdAt: isoTime,
  createdBy: z.string(),
});
export type Pin = z.infer<typeof pinSchema>;
export const pinsSchema = z.object({ v: version1, pins: z.array(pinSchema).max(10_000) });
export type Pins = z.infer<typeof pinsSchema>;
export const defaultPins: Pins = { v: 1, pins: [] };
