import { AuditLog } from './audit.ts';
import { DocumentStore } from './documents.ts';
import { GeneratedQuestionStore } from './generated-questions.ts';
import { HeadStore } from './heads.ts';
import { LabelStore } from './labels.ts';
import { LiveFile } from './live-file.ts';
import { storePaths } from './paths.ts';
import { logProblem, type ProblemSink } from './problems.ts';
import { PinStore } from './pins.ts';
import { defaultLimits, defaultSettings, limitsSchema, settingsSchema } from './records.ts';
import { TaintLog } from './taint-log.ts';
import { TokenStore } from './tokens.ts';
import { UsageLedger } from './usage.ts';

/** The shared store on the PVC (SPEC section 6): every path and record format goes through here. */
export function openStore(dataDir: string, options: { onProblem?: ProblemSink } = {}) {
  const onProblem = options.onProblem ?? logProblem;
  const paths = storePaths(dataDir);
  return {
    paths,
    tokens: new TokenStore(paths, onProblem),
    audit: new AuditLog(paths, onProblem),
    usage: new UsageLedger(paths, onProblem),
    taint: new TaintLog(paths, onProblem),
    heads: new HeadStore(paths, onProblem),
    labels: new LabelStore(paths, onProblem),
    documents: new DocumentStore(paths, onProblem),
    generatedQuestions: new GeneratedQuestionStore(paths, onProblem),
    limits: new LiveFile(paths.limitsFile, limitsSchema, defaultLimits, onProblem),
    settings: new LiveFile(paths.settingsFile, settingsSchema, defaultSettings, onProblem),
    pins: new PinStore(paths, onProblem),
  };
}

export type Store = ReturnType<typeof openStore>;

export { type AuditPage, AuditLog, InvalidCursorError } from './audit.ts';
export { AuditChainWriter, type AuditWriterOptions, type ChainKey, chainHash } from './audit-chain.ts';
export type { RetentionOutcome } from './audit-retention.ts';
export type { VerifyOptions } from './audit-verify.ts';
export { readJsonFile, writeFileAtomic, writeFileAtomicSync, writeJsonAtomic } from './atomic-file.ts';
export { DocumentStore } from './documents.ts';
export { GeneratedQuestionStore, generatedQuestionId } from './generated-questions.ts';
export { HeadStore } from './heads.ts';
export {
  JsonlAppender,
  type PodWriter,
  type PodWriterOptions,
  podWriter,
  readJsonl,
  readLinesBackward,
  readLinesBackwardSync,
  readLinesForward,
} from './jsonl.ts';
export { LabelStore } from './labels.ts';
export { LiveFile } from './live-file.ts';
export { type StorePaths, storePaths } from './paths.ts';
export { type FrequentPiece, frequentPieces, PinStore, pieceHash } from './pins.ts';
export { SharedVerdicts, type SharedVerdict } from './verdicts.ts';
export { logProblem, type ProblemSink, StoreDataError, type StoreProblem } from './problems.ts';
export * from './records.ts';
export { assertSafeId, dayOf, isSafeId, UnsafeIdError } from './safe-id.ts';
export {
  generateToken,
  hashToken,
  isWellFormedToken,
  TOKEN_PREFIX,
  TokenStore,
  type TokenView,
} from './tokens.ts';
export { TaintLog, type TaintEntry, taintEntrySchema } from './taint-log.ts';
export { UsageLedger, UsageTally, type UserDayTotal } from './usage.ts';
