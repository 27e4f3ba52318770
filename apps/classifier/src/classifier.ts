import type { ModelTiming } from './batcher.ts';
import { type EmbeddingEngine, textVector } from './embedding-engine.ts';
import { type HeadHolder, scoreText } from './head.ts';
import type { KeywordMatcher } from './keywords.ts';

/** A keyword matcher that can name its list (the live one does; a fixed list has no digest). */
type Keywords = KeywordMatcher & { readonly digest?: string };

export const KEYWORDS_MODEL_ID = 'keywords';

export interface TextResult {
  /** The head's probability that the text is proprietary (max over windows); null with no head. */
  score: number | null;
  keywords: string[];
  tokens: number;
  windows: number;
}

export interface Classification {
  results: TextResult[];
  /** The max score over texts; null when the minilm kind has no head (the router fails closed). */
  maxScore: number | null;
  keywords: string[];
  headVersion: string | null;
  /** Names the keyword list that decided (the router's cache is emptied when it changes). */
  keywordsDigest: string | null;
  modelKind: 'minilm' | 'keywords';
  modelId: string;
}

export interface Classifier {
  readonly kind: 'minilm' | 'keywords';
  readonly modelId: string;
  headVersion(): string | null;
  /** The keyword list in force (see Classification.keywordsDigest). */
  keywordsDigest(): string | null;
  /** `timing`, when given, is filled in with the model's share of the call (see ModelTiming). */
  classify(texts: string[], timing?: ModelTiming): Promise<Classification>;
}

function union(lists: string[][]): string[] {
  return [...new Set(lists.flat())];
}

/** The smallest install: a keyword match scores 1, anything else 0. */
export function keywordsClassifier(keywords: Keywords): Classifier {
  return {
    kind: 'keywords',
    modelId: KEYWORDS_MODEL_ID,
    headVersion: () => null,
    keywordsDigest: () => keywords.digest ?? null,
    async classify(texts) {
      const results = texts.map((text) => {
        const matched = keywords.match(text);
        return { score: matched.length > 0 ? 1 : 0, keywords: matched, tokens: 0, windows: 0 };
      });
      return {
        results,
        maxScore: Math.max(...results.map((r) => r.score)),
        keywords: union(results.map((r) => r.keywords)),
        headVersion: null,
        keywordsDigest: keywords.digest ?? null,
        modelKind: 'keywords',
        modelId: KEYWORDS_MODEL_ID,
      };
    },
  };
}

/** Embeddings plus the trained head; keywords are reported alongside (the router ORs them in). */
export function minilmClassifier(engine: EmbeddingEngine, heads: HeadHolder, keywords: Keywords): Classifier {
  return {
    kind: 'minilm',
    modelId: engine.modelId,
    headVersion: () => heads.current?.version ?? null,
    keywordsDigest: () => keywords.digest ?? null,
    async classify(texts, timing) {
      // One head for the whole request, even if a reload swaps it mid-way.
      const head = heads.current;
      const embedded = head ? await engine.embedTexts(texts, timing) : undefined;
      const results = texts.map((text, i): TextResult => {
        const e = embedded?.[i];
        const score = head && e ? scoreText(head, text, e.windows) : null;
        return {
          score,
          keywords: keywords.match(text),
          tokens: e?.tokens ?? 0,
          windows: e?.windows.length ?? 0,
        };
      });
      return {
        results,
        maxScore: head ? Math.max(...results.map((r) => r.score ?? 0)) : null,
        keywords: union(results.map((r) => r.keywords)),
        headVersion: head?.version ?? null,
        keywordsDigest: keywords.digest ?? null,
        modelKind: 'minilm',
        modelId: engine.modelId,
      };
    },
  };
}

export async function embedForTraining(
  engine: EmbeddingEngine,
  texts: string[],
  timing?: ModelTiming,
): Promise<number[][]> {
  const embedded = await engine.embedTexts(texts, timing);
  return embedded.map((e) => Array.from(textVector(e)));
}
