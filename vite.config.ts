import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import { definitionsPage } from './client/definitions/vitePlugin.ts';

const page = (name: string) => fileURLToPath(new URL(`./client/${name}`, import.meta.url));

// The client is a static site built into dist/client and served by the Express app; in `vite dev`
// API calls go to a running `lscb serve`. Two pages: the app, and the definitions rendered from
// docs/METRICS.md at build time.
export default defineConfig({
  root: 'client',
  base: '/',
  plugins: [definitionsPage()],
  build: {
    outDir: '../dist/client',
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: { input: { index: page('index.html'), definitions: page('definitions.html') } },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
