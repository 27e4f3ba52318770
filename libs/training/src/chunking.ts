/**
 * Cuts a document into passages well inside one model window (all-MiniLM-L6-v2 takes ~254 word pieces;
 * 150 words is the most that stays under that for ordinary prose). Cuts fall between sentences where possible, and
 * consecutive chunks share a sentence of overlap so no fact is only ever seen cut in half.
 */
export interface ChunkOptions {
  maxWords: number;
  minWords: number;
}

// 60 words (two or three sentences) is closer to the length of a prompt than a whole window is, and gives the head
// more, sharper positives from a small corpus.
export const DEFAULT_CHUNKING: ChunkOptions = { maxWords: 60, minWords: 5 };

function sentences(text: string): string[] {
  return text
    .replace(/\r\n?/g, '\n')
    .split(/\n\s*\n|(?<=[.!?])\s+(?=[\p{Lu}\d"'(])/u)
    .map((s) => s.replace(/\s+/g, ' ').trim())
    .filter((s) => s !== '');
}

const wordCount = (s: string) => s.split(' ').length;

export function chunkDocument(text: string, options: Partial<ChunkOptions> = {}): string[] {
  const { maxWords, minWords } = { ...DEFAULT_CHUNKING, ...options };
  // A sentence longer than a chunk is cut into word runs first.
  const pieces = sentences(text).flatMap((s) => {
    const words = s.split(' ');
    if (words.length <= maxWords) return [s];
    const runs: string[] = [];
    for (let i = 0; i < words.length; i += maxWords) runs.push(words.slice(i, i + maxWords).join(' '));
    return runs;
  });
  const chunks: string[] = [];
  let current: string[] = [];
  let words = 0;
  for (const piece of pieces) {
    const n = wordCount(piece);
    if (words + n > maxWords && current.length > 0) {
      chunks.push(current.join(' '));
      const last = current.at(-1)!;
      const carry = wordCount(last) + n <= maxWords ? [last] : [];
      current = carry;
      words = carry.reduce((a, s) => a + wordCount(s), 0);
    }
    current.push(piece);
    words += n;
  }
  if (current.length > 0) chunks.push(current.join(' '));
  return chunks.filter((c) => wordCount(c) >= minWords);
}
