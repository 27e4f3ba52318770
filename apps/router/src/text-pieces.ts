import { createHash } from 'node:crypto';
import type { ExtractedText } from '@split-brain/wire';

/** A piece of conversation text with its content hash (the key for the classification cache and taint). */
export interface TextPiece extends ExtractedText {
  key: string;
}

export function toPieces(texts: readonly ExtractedText[]): TextPiece[] {
  return texts.map((t) => ({ ...t, key: createHash('sha256').update(t.text).digest('base64url') }));
}
