import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { readdir } from 'node:fs/promises';
import { readJsonFile, writeJsonAtomic } from './atomic-file.ts';
import type { StorePaths } from './paths.ts';
import { logProblem, type ProblemSink, StoreDataError } from './problems.ts';
import { type TokenRecord, tokenLastUsedSchema, tokenRecordSchema } from './records.ts';

export const TOKEN_PREFIX = 'sbk_';
/** sbk_ followed by 32 random bytes in base64url (43 characters). */
const TOKEN_SHAPE = /^sbk_[A-Za-z0-9_-]{43}$/;

export const isWellFormedToken = (token: string) => TOKEN_SHAPE.test(token);
export const hashToken = (token: string) => createHash('sha256').update(token, 'utf8').digest('hex');
export const generateToken = () => `${TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;

export type TokenView = TokenRecord & { lastUsedAt: string | null };

/**
 * Tokens, one file per token named by sha256(token). The token itself is never stored. Last-used times live
 * in a separate file per token, so a last-used write can never bring back a token revoked meanwhile.
 */
export class TokenStore {
  constructor(
    private readonly paths: StorePaths,
    private readonly onProblem: ProblemSink = logProblem,
  ) {}

  async create(input: { user: string; name: string; createdBy: string; now?: Date }) {
    const token = generateToken();
    const hash = hashToken(token);
    const record: TokenRecord = tokenRecordSchema.parse({
      v: 1,
      id: hash.slice(0, 12),
      hash,
      user: input.user.trim().toLowerCase(),
      name: input.name.trim(),
      createdAt: (input.now ?? new Date()).toISOString(),
      createdBy: input.createdBy,
      revokedAt: null,
    });
    await writeJsonAtomic(this.paths.tokenFile(hash), record);
    return { token, record };
  }

  /** The record for a presented token, or undefined when unknown or malformed. Revoked records are returned. */
  async lookup(token: string): Promise<TokenRecord | undefined> {
    if (!isWellFormedToken(token)) return undefined;
    const hash = hashToken(token);
    const record = await this.readRecord(hash);
    if (!record) return undefined;
    // The file name already matched; compare the stored hash in constant time as a second check.
    const a = Buffer.from(record.hash, 'hex');
    const b = Buffer.from(hash, 'hex');
    return a.length === b.length && timingSafeEqual(a, b) ? record : undefined;
  }

  /** Finds a token by its short id (12 hex) or its full hash. */
  async find(idOrHash: string): Promise<TokenRecord | undefined> {
    if (/^[a-f0-9]{64}$/.test(idOrHash)) return this.readRecord(idOrHash);
    if (!/^[a-f0-9]{12}$/.test(idOrHash)) return undefined;
    for (const hash of await this.hashes()) {
      if (hash.startsWith(idOrHash)) return this.readRecord(hash);
    }
    return undefined;
  }

  /** Revokes a token; idempotent (the first revocation time stays). */
  async revoke(idOrHash: string, now = new Date()): Promise<TokenRecord | undefined> {
    const record = await this.find(idOrHash);
    if (!record) return undefined;
    if (record.revokedAt) return record;
    const revoked = { ...record, revokedAt: now.toISOString() };
    await writeJsonAtomic(this.paths.tokenFile(record.hash), revoked);
    return revoked;
  }

  async touchLastUsed(hash: string, now = new Date()): Promise<void> {
    await writeJsonAtomic(this.paths.tokenLastUsedFile(hash), { v: 1, lastUsedAt: now.toISOString() });
  }

  async lastUsed(hash: string): Promise<string | null> {
    try {
      return (
        (await readJsonFile(this.paths.tokenLastUsedFile(hash), tokenLastUsedSchema))?.lastUsedAt ?? null
      );
    } catch (error) {
      if (error instanceof StoreDataError) this.onProblem(error.problem);
      else throw error;
      return null;
    }
  }

  async list(filter: { user?: string } = {}): Promise<TokenView[]> {
    const out: TokenView[] = [];
    const user = filter.user?.trim().toLowerCase();
    for (const hash of await this.hashes()) {
      const record = await this.readRecord(hash);
      if (!record || (user && record.user !== user)) continue;
      out.push({ ...record, lastUsedAt: await this.lastUsed(hash) });
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  private async hashes(): Promise<string[]> {
    try {
      return (await readdir(this.paths.tokensDir))
        .filter((f) => /^[a-f0-9]{64}\.json$/.test(f))
        .map((f) => f.slice(0, 64))
        .sort();
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
  }

  private async readRecord(hash: string): Promise<TokenRecord | undefined> {
    try {
      const record = await readJsonFile(this.paths.tokenFile(hash), tokenRecordSchema);
      if (record && record.hash !== hash) {
        this.onProblem({
          path: this.paths.tokenFile(hash),
          message: 'hash inside does not match the file name',
        });
        return undefined;
      }
      return record;
    } catch (error) {
      if (!(error instanceof StoreDataError)) throw error;
      this.onProblem(error.problem);
      return undefined;
    }
  }
}
