import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/**
 * The per-user id Anthropic sees in `metadata.user_id`: an HMAC of the caller's user name under a salt kept
 * on the data volume, so it is stable per user across pods and restarts (Anthropic's abuse tracking keeps
 * working) but says nothing about who the user is, and cannot be checked against guesses without the salt.
 * Whatever the client put in `metadata.user_id` or `user` is dropped.
 */
export function opaqueUserIds(saltFile: string): (user: string) => string {
  const salt = loadOrCreateSalt(saltFile);
  const cache = new Map<string, string>();
  return (user) => {
    let id = cache.get(user);
    if (id === undefined) {
      const hmac = new Bun.CryptoHasher('sha256', salt).update(user).digest('hex');
      id = `sb-user-${hmac.slice(0, 32)}`;
      if (cache.size > 10_000) cache.clear();
      cache.set(user, id);
    }
    return id;
  };
}

/** The first pod to start writes the salt (exclusive create); the others, and restarts, read it. */
function loadOrCreateSalt(path: string): string {
  try {
    const salt = readFileSync(path, 'utf8').trim();
    if (salt.length >= 64) return salt;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(dirname(path), { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  // Another pod may have created the file a moment ago and still be writing it.
  for (let attempt = 0; ; attempt++) {
    const salt = readFileSync(path, 'utf8').trim();
    if (salt.length >= 64 || attempt >= 100) {
      if (salt.length < 64) throw new Error(`${path} does not hold a salt; delete it to have one made`);
      return salt;
    }
    Bun.sleepSync(10);
  }
}
