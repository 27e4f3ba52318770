import { stat, readFile } from 'node:fs/promises';
import {
  createKeywordMatcher,
  type KeywordMatcher,
  keywordListDigest,
  parseKeywordList,
} from '@split-brain/keywords';

export { createKeywordMatcher, type KeywordMatcher, parseKeywordList } from '@split-brain/keywords';

/**
 * The keyword file, re-read whenever it changes (a stat per poll, cheap), so an operator's edit applies
 * without a restart. `digest` names the list in force; /classify reports it beside the head version, and the
 * router empties its verdict cache when either changes. A file that cannot be read keeps the last good list.
 */
export class LiveKeywords implements KeywordMatcher {
  private matcher: KeywordMatcher = createKeywordMatcher([]);
  private listDigest = keywordListDigest([]);
  private seen = '';
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly path: string | undefined,
    private readonly onProblem: (message: string) => void = () => {},
  ) {}

  get terms() {
    return this.matcher.terms;
  }

  get digest() {
    return this.listDigest;
  }

  match(text: string) {
    return this.matcher.match(text);
  }

  /** Reads the file if it changed since the last read; true when the list was replaced. */
  async refresh(): Promise<boolean> {
    if (!this.path) return false;
    try {
      const info = await stat(this.path);
      const version = `${info.mtimeMs}:${info.size}:${info.ino}`;
      if (version === this.seen) return false;
      const terms = parseKeywordList(await readFile(this.path, 'utf8'));
      this.matcher = createKeywordMatcher(terms);
      this.listDigest = keywordListDigest(terms);
      this.seen = version;
      return true;
    } catch (error) {
      this.onProblem(`could not read the keyword file ${this.path}: ${String(error)}`);
      return false;
    }
  }

  watch(pollMs: number) {
    this.stop();
    this.timer = setInterval(() => void this.refresh(), pollMs);
    this.timer.unref?.();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}
