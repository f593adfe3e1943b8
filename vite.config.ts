import { defineConfig } from 'vite';

// The client is a static site built into dist/client and served by the Express app; in `vite dev`
// API calls go to a running `lscb serve`.
export default defineConfig({
  root: 'client',
  base: '/',
  build: { outDir: '../dist/client', emptyOutDir: true, sourcemap: true },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
});
