import { defineConfig } from 'vite';

// The console is built once (npm run build:console) into dist/console and served by the
// router: index.html at GET /, everything else under /console/. No request leaves the router.
export default defineConfig({
  root: import.meta.dirname,
  base: '/console/',
  logLevel: 'warn',
  build: {
    outDir: '../dist/console',
    emptyOutDir: true,
    // One stylesheet and one script; no preload helper fetching from elsewhere.
    modulePreload: false,
    chunkSizeWarningLimit: 2000,
  },
});
