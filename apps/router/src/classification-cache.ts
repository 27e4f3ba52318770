/** One text's verdict as the classifier gave it. */
export interface TextVerdict {
  score: number;
  keywords: string[];
}

interface Entry extends TextVerdict {
  expiresAt: number;
}

/**
 * Verdicts per text piece (a system prompt, one turn, one tool result), keyed by a hash of the piece, so a
 * conversation that grows turn by turn only sends its new pieces to the classifier. Bounded in size (oldest
 * out first) and in age (`ttlMs`), and emptied whenever the classifier reports a different head, so a newly
 * promoted head or keyword list takes effect within the TTL at worst.
 */
export class ClassificationCache {
  private readonly entries = new Map<string, Entry>();
  private headVersion: string | null | undefined;
  private keywordsDigest: string | null | undefined;

  constructor(
    private readonly maxEntries: number,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  get(key: string): TextVerdict | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt <= this.now()) {
      this.entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: string, verdict: TextVerdict, headVersion: string | null, keywordsDigest: string | null = null) {
    this.observe(headVersion, keywordsDigest);
    if (this.entries.size >= this.maxEntries) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    this.entries.set(key, { ...verdict, expiresAt: this.now() + this.ttlMs });
  }

  /**
   * What decides verdicts now (the classifier's head and keyword list); a change of either empties the
   * cache. Called with every answer and by the router's poll of the classifier (classifier-basis.ts), so a
   * keyword edit applies within that poll even to conversations served wholly from the cache.
   */
  observe(headVersion: string | null, keywordsDigest: string | null) {
    if (headVersion !== this.headVersion || keywordsDigest !== this.keywordsDigest) {
      this.entries.clear();
      this.headVersion = headVersion;
      this.keywordsDigest = keywordsDigest;
    }
  }

  /**
   * A verdict another pod learned (see SharedVerdicts): kept only when it was given under the head and
   * keyword list in force here, and never replacing one this pod holds.
   */
  adopt(key: string, verdict: TextVerdict, headVersion: string, keywordsDigest: string | null) {
    if (headVersion !== this.headVersion || keywordsDigest !== this.keywordsDigest) return;
    if (this.entries.has(key)) return;
    this.set(key, verdict, headVersion, keywordsDigest);
  }

  get currentHead(): string | null | undefined {
    return this.headVersion;
  }

  get size(): number {
    return this.entries.size;
  }
}
