import { join, resolve } from 'node:path';
import { assertDay, assertSafeId } from './safe-id.ts';

/**
 * Every path under the data root (SPEC section 6). Nothing else in the project builds a store path; each
 * variable segment is checked here, so a client id cannot walk out of its folder.
 */
export function storePaths(dataDir: string) {
  const root = resolve(dataDir);
  const at = (...parts: string[]) => join(root, ...parts);
  return {
    root,
    auditDir: at('audit'),
    auditDayDir: (day: string) => at('audit', assertDay(day)),
    auditFile: (day: string, pod: string) =>
      at('audit', assertDay(day), `${assertSafeId(pod, 'pod name')}.jsonl`),
    /**
     * The chain's side files (heads, retention checkpoint, last verification) sit under audit/ so the
     * mounts stay as they are (router read-write, ui read-only); day folders are only YYYY-MM-DD, so readers
     * and retention never take `chain` for a day. The UI's request for a verification goes with the other
     * admin files the router follows, under settings/.
     */
    auditChainDir: at('audit', 'chain'),
    auditHeadFile: (pod: string) => at('audit', 'chain', 'heads', `${assertSafeId(pod, 'pod name')}.json`),
    auditCheckpointFile: at('audit', 'chain', 'checkpoint.json'),
    auditVerificationFile: at('audit', 'chain', 'verification.json'),
    auditRetentionLockFile: at('audit', 'chain', 'retention.lock'),
    auditVerifyRequestFile: at('settings', 'audit-verify-request.json'),
    tokensDir: at('tokens'),
    tokenFile: (hash: string) => at('tokens', `${assertHash(hash)}.json`),
    tokenLastUsedFile: (hash: string) => at('tokens', `${assertHash(hash)}.last-used.json`),
    bootstrapDir: at('bootstrap'),
    documentDir: (id: string) => at('bootstrap', assertSafeId(id, 'document id')),
    documentMetaFile: (id: string) => at('bootstrap', assertSafeId(id, 'document id'), 'meta.json'),
    documentOriginalFile: (id: string) => at('bootstrap', assertSafeId(id, 'document id'), 'original'),
    documentTextFile: (id: string) => at('bootstrap', assertSafeId(id, 'document id'), 'text.txt'),
    generatedDir: at('generated'),
    generatedQuestionsFile: at('generated', 'questions.jsonl'),
    headsDir: at('heads'),
    headFile: (version: string) => at('heads', `${assertSafeId(version, 'head version')}.json`),
    headPointerFile: at('heads', 'current.json'),
    labelsDir: at('labels'),
    labelsFile: at('labels', 'labels.jsonl'),
    limitsDir: at('limits'),
    limitsFile: at('limits', 'limits.json'),
    verdictsDir: at('verdicts'),
    verdictsHeadDir: (head: string) => at('verdicts', assertSafeId(head, 'head version')),
    verdictsFile: (head: string, pod: string) =>
      at('verdicts', assertSafeId(head, 'head version'), `${assertSafeId(pod, 'pod name')}.jsonl`),
    pinsDir: at('pins'),
    pinsFile: at('pins', 'pins.json'),
    settingsDir: at('settings'),
    settingsFile: at('settings', 'settings.json'),
    usageDir: at('usage'),
    usageDayDir: (day: string) => at('usage', assertDay(day)),
    usageFile: (day: string, pod: string) =>
      at('usage', assertDay(day), `${assertSafeId(pod, 'pod name')}.jsonl`),
    /** Router pods' shared files: the salt of opaque user ids, session taint (one append file per pod). */
    routerDir: at('router'),
    userIdSaltFile: at('router', 'user-id-salt'),
    taintDir: at('router', 'taint'),
    taintDayDir: (day: string) => at('router', 'taint', assertDay(day)),
    taintFile: (day: string, pod: string) =>
      at('router', 'taint', assertDay(day), `${assertSafeId(pod, 'pod name')}.jsonl`),
    uiDir: at('ui'),
    uiDatabaseFile: at('ui', 'sessions.sqlite'),
  };
}

export type StorePaths = ReturnType<typeof storePaths>;

function assertHash(hash: string): string {
  if (!/^[a-f0-9]{64}$/.test(hash)) throw new Error('a token hash must be 64 lowercase hex characters');
  return hash;
}
