import { Database } from 'bun:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { DrizzleSQLiteAdapter } from '@lucia-auth/adapter-drizzle';
import { drizzle } from 'drizzle-orm/bun-sqlite';
import { integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import { Lucia, TimeSpan } from 'lucia';

/** Sign-in sessions (Google layer): lucia over drizzle-orm on SQLite at the store's ui/ path. */
export const userTable = sqliteTable('user', {
  id: text('id').notNull().primaryKey(),
  email: text('email').notNull(),
});

export const sessionTable = sqliteTable('session', {
  id: text('id').notNull().primaryKey(),
  userId: text('user_id')
    .notNull()
    .references(() => userTable.id),
  expiresAt: integer('expires_at').notNull(),
  /** Seconds since the epoch; a session never outlives SESSION_MAX_AGE_DAYS from here, however active. */
  createdAt: integer('created_at').notNull(),
});

// drizzle has no migrations at run time here; the schema is two small tables created idempotently.
const SCHEMA = `
CREATE TABLE IF NOT EXISTS user (id TEXT NOT NULL PRIMARY KEY, email TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS session (
  id TEXT NOT NULL PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES user(id),
  expires_at INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS session_user ON session(user_id);
`;

export const SESSION_COOKIE = 'sb_session';

export function openSessions(options: { databaseFile: string; maxAgeDays: number; secureCookies: boolean }) {
  mkdirSync(dirname(options.databaseFile), { recursive: true });
  const sqlite = new Database(options.databaseFile, { create: true });
  sqlite.exec('PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 2000;');
  sqlite.exec(SCHEMA);
  const db = drizzle(sqlite);
  const lucia = new Lucia(new DrizzleSQLiteAdapter(db, sessionTable, userTable), {
    sessionExpiresIn: new TimeSpan(options.maxAgeDays, 'd'),
    sessionCookie: {
      name: SESSION_COOKIE,
      attributes: { secure: options.secureCookies, sameSite: 'lax', path: '/' },
    },
    getSessionAttributes: (a) => ({ createdAt: (a as { createdAt: number }).createdAt }),
    getUserAttributes: (a) => ({ email: (a as { email: string }).email }),
  });
  const maxAgeSeconds = options.maxAgeDays * 86_400;

  return {
    lucia,
    /** Records the user (by email) and opens a session for them. */
    async signIn(email: string) {
      const id = email.toLowerCase();
      db.insert(userTable).values({ id, email: id }).onConflictDoNothing().run();
      return lucia.createSession(id, { createdAt: Math.floor(Date.now() / 1000) } as never);
    },
    /** The session's user, or a reason it is not valid (unknown, deleted, expired, too old). */
    async validate(sessionId: string) {
      const { session, user } = await lucia.validateSession(sessionId);
      if (!session || !user) return { ok: false as const, reason: 'session expired or signed out' };
      const createdAt = (session as unknown as { createdAt: number }).createdAt;
      if (Date.now() / 1000 - createdAt > maxAgeSeconds) {
        await lucia.invalidateSession(session.id);
        return { ok: false as const, reason: 'session is older than SESSION_MAX_AGE_DAYS' };
      }
      return { ok: true as const, session, email: (user as unknown as { email: string }).email };
    },
    async signOut(sessionId: string) {
      await lucia.invalidateSession(sessionId);
    },
    /** For tests and the admin's "sign everyone out": removes every session of a user. */
    async signOutEverywhere(email: string) {
      await lucia.invalidateUserSessions(email.toLowerCase());
    },
    counts() {
      const row = sqlite
        .query('SELECT (SELECT count(*) FROM user) AS users, (SELECT count(*) FROM session) AS sessions')
        .get() as {
        users: number;
        sessions: number;
      };
      return row;
    },
    close() {
      sqlite.close();
    },
  };
}

export type Sessions = ReturnType<typeof openSessions>;
