import {
  hashToken,
  isWellFormedToken,
  TOKEN_PREFIX,
  type TokenRecord,
  type TokenStore,
} from '@split-brain/store';
import { WireError } from '@split-brain/wire';

export interface Caller {
  user: string;
  tokenId: string;
}

/** A refused token; for a revoked one the owner is known, so the refusal is audited under their name. */
export class AuthenticationFailed extends WireError {
  constructor(
    message: string,
    readonly caller?: Caller,
  ) {
    super(401, 'authentication', message);
  }
}

interface CacheEntry {
  record: TokenRecord | undefined;
  /** sha256 of the token, kept so a cached request does not hash again. */
  hash: string;
  expiresAt: number;
}

/** The token a client presented: `Authorization: Bearer` (OpenAI clients) or `x-api-key` (Anthropic ones). */
export function presentedToken(headers: Headers): string | undefined {
  const bearer = headers.get('authorization');
  if (bearer) {
    const match = /^Bearer\s+(.+)$/i.exec(bearer.trim());
    if (match?.[1]) return match[1].trim();
  }
  return headers.get('x-api-key')?.trim() || undefined;
}

/**
 * Checks `sbk_` tokens against the store. Lookups are cached for `ttlMs`, so a revocation takes effect on
 * every pod within that bound (TOKEN_CACHE_TTL_MS) without a file read per request. Last-used is written at
 * most once a minute per token, into its own file, so it can never undo a revocation.
 */
export class Authenticator {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly touched = new Map<string, number>();

  constructor(
    private readonly tokens: TokenStore,
    private readonly ttlMs: number,
    private readonly onTouchError: (error: unknown) => void,
    private readonly now: () => number = Date.now,
  ) {}

  async authenticate(headers: Headers): Promise<Caller> {
    const token = presentedToken(headers);
    if (!token) {
      throw new AuthenticationFailed(
        `missing API token: send your ${TOKEN_PREFIX}… token as "Authorization: Bearer" or "x-api-key"`,
      );
    }
    if (!isWellFormedToken(token)) {
      throw new AuthenticationFailed(
        `malformed API token: split-brain tokens are "${TOKEN_PREFIX}" followed by 43 characters`,
      );
    }
    const { record, hash } = await this.lookup(token);
    if (!record) throw new AuthenticationFailed('unknown API token');
    if (record.revokedAt) {
      throw new AuthenticationFailed('this API token has been revoked', {
        user: record.user,
        tokenId: record.id,
      });
    }
    this.touch(hash);
    return { user: record.user, tokenId: record.id };
  }

  /** Cached by the presented token (held in this pod's memory only, like every request's headers). */
  private async lookup(token: string): Promise<{ record: TokenRecord | undefined; hash: string }> {
    const now = this.now();
    const hit = this.cache.get(token);
    if (hit && hit.expiresAt > now) return hit;
    const hash = hit?.hash ?? hashToken(token);
    const record = await this.tokens.lookup(token);
    if (this.ttlMs > 0) {
      // Bounded: unknown tokens are cached too (a flood of bad tokens must not turn into file reads), so
      // the map is cleared of expired entries when it grows.
      if (this.cache.size >= 10_000) this.evictExpired(now);
      this.cache.set(token, { record, hash, expiresAt: now + this.ttlMs });
    }
    return { record, hash };
  }

  private evictExpired(now: number) {
    for (const [key, entry] of this.cache) if (entry.expiresAt <= now) this.cache.delete(key);
    if (this.cache.size >= 10_000) this.cache.clear();
  }

  private touch(hash: string) {
    const now = this.now();
    if ((this.touched.get(hash) ?? 0) > now - 60_000) return;
    this.touched.set(hash, now);
    this.tokens.touchLastUsed(hash, new Date(now)).catch(this.onTouchError);
  }
}
