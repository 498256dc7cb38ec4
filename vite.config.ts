import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const root = resolve(import.meta.dirname, 'renderer');

/**
 * The renderer, built once for browser mode (served by the server at /wall, /preview, /console,
 * /presenter) and for Electron's windows. (The wall benchmark's page, test/bench/wall/, has its own
 * build: test/bench/wall-page.ts.)
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  publicDir: false,
  resolve: {
    alias: {
      // Layouts and fonts ship in resources/ (also read by Electron's main process).
      '@resources': resolve(import.meta.dirname, 'resources'),
    },
  },
  worker: { format: 'es' },
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 2500,
    rollupOptions: {
      input: {
        index: resolve(root, 'index.html'),
        // [console hook] The console's service worker must sit at the root to control /console.
        'console-sw': resolve(root, 'console/sw/sw.ts'),
      },
      output: {
        entryFileNames: (chunk) => (chunk.name === 'console-sw' ? 'console-sw.js' : 'assets/[name]-[hash].js'),
      },
    },
  },
  server: {
    host: '127.0.0.1',
    port: 5173,
    proxy: {
      // `npm run server` on 8080 during development: the same origin as in browser mode.
      '/api': process.env.GRIDWALL_SERVER ?? 'http://127.0.0.1:8080',
      '/health': process.env.GRIDWALL_SERVER ?? 'http://127.0.0.1:8080',
      '/socket.io': { target: process.env.GRIDWALL_SERVER ?? 'http://127.0.0.1:8080', ws: true },
    },
  },
});
