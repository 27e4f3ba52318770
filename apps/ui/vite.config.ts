import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * The console's single-page app. `vite build` writes apps/ui/dist, which the Bun server serves. In dev the
 * Vite server hot-reloads the app and proxies /api and /auth to the UI server.
 */
/**
 * What the dev server forwards to the API server: /api/… and /auth/… only. The keys are patterns (a key
 * starting with ^ is a RegExp to Vite): a plain '/api' prefix would also catch the app's own module
 * /api.ts and answer it with the API's JSON 404, leaving a blank page.
 */
export function apiProxy(target: string) {
  return { '^/api/': target, '^/auth/': target, '^/healthz$': target };
}

export default defineConfig({
  root: resolve(import.meta.dirname, 'src/web'),
  plugins: [solid()],
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true, target: 'es2022' },
  // The dev launcher (startUiDev) overrides the target with the port it started the API server on.
  server: { proxy: apiProxy('http://127.0.0.1:8080') },
});
