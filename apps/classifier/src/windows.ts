/**
 * Splits a text's word pieces into windows the model can take. Windows overlap so that a phrase cut at a
 * window edge still appears whole in the next one; a text's score is the max over its windows.
 */
export function splitIntoWindows(ids: number[], size: number, overlap: number): number[][] {
  if (size <= overlap) throw new Error(`window size ${size} must exceed the overlap ${overlap}`);
  if (ids.length <= size) return [ids];
  const windows: number[][] = [];
  const step = size - overlap;
  for (let start = 0; ; start += step) {
    const end = Math.min(start + size, ids.length);
    windows.push(ids.slice(start, end));
    if (end === ids.length) return windows;
  }
}
