import { resolve } from 'node:path';
import { defineConfig } from 'vite';
import solid from 'vite-plugin-solid';

/**
 * The console's single-page app. `vite build` writes apps/ui/dist, which the Bun server serves. In dev the
 * Vite server hot-reloads the app and proxies /api and /auth to the UI server.
 */
export default defineConfig({
  root: resolve(import.meta.dirname, 'src/web'),
  plugins: [solid()],
  build: { outDir: resolve(import.meta.dirname, 'dist'), emptyOutDir: true, target: 'es2022' },
  // The dev launcher (startUiDev) overrides the target with the port it started the API server on.
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/auth': 'http://127.0.0.1:8080' } },
});
