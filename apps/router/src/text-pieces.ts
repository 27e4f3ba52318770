import type { ExtractedText } from '@split-brain/wire';

/** A piece of conversation text with its content hash (the key for the classification cache and taint). */
export interface TextPiece extends ExtractedText {
  key: string;
}

export function toPieces(texts: readonly ExtractedText[]): TextPiece[] {
  // Over the text's UTF-8 bytes: every text is well-formed here (lone surrogates are refused at parse,
  // slices keep surrogate pairs, PDF text is made well-formed), so no two texts share a key. Bun's
  // one-shot SHA-256 gives the same digest as node:crypto's hasher at a fraction of its cost.
  return texts.map((t) => ({ ...t, key: Bun.SHA256.hash(t.text, 'base64url') }));
}
