/** FNV-1a over UTF-16 code units: cheap, stable across runtimes and runs, and spreads keys evenly. */
export function fnv1a(key: string, seed = 0): number {
  let h = 2166136261 ^ seed;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return h >>> 0;
}
