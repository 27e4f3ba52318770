import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Hono } from 'hono';
import { serveStatic } from 'hono/bun';
import { errorPage } from './errors.ts';

/** The built single-page app next to the server, unless UI_STATIC_DIR says otherwise. */
export const defaultStaticDir = resolve(import.meta.dir, '../../dist');

/**
 * Serves the built files, and index.html for any other page path so the app's own routes work on reload.
 * Hashed assets are cached for a year; index.html never, so a new build is picked up at once.
 */
export function mountStaticFiles<E extends object>(app: Hono<E & { Variables: object }>, dir: string) {
  const index = resolve(dir, 'index.html');
  // Asset names are Vite's hashed file names; anything else (a NUL, an undecodable escape, a dot segment)
  // is not an asset, and is answered 404 before it reaches the file system.
  app.use('/assets/*', async (c, next) => {
    let name: string;
    try {
      name = decodeURIComponent(c.req.path.slice('/assets/'.length));
    } catch {
      return c.notFound();
    }
    if (!/^[\w.-]+$/.test(name) || name.startsWith('.')) return c.notFound();
    return next();
  });
  app.use(
    '/assets/*',
    serveStatic({
      root: dir,
      onFound: (_path, c) => {
        c.header('cache-control', 'public, max-age=31536000, immutable');
      },
    }),
  );
  app.get('*', async (c, next) => {
    if (c.req.path.startsWith('/api/') || c.req.path.startsWith('/auth/')) return next();
    if (!existsSync(index)) {
      return c.html(
        errorPage('Console not built', `No built app at ${dir}. Run \`bun run --cwd apps/ui build\`.`),
        503,
      );
    }
    c.header('cache-control', 'no-store');
    return c.html(await Bun.file(index).text());
  });
}
