import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

/**
 * Builds the Electron shell: main (ESM, out/main/index.js), the sandboxed preload (CommonJS, which a
 * sandboxed preload must be: out/preload/index.cjs) and the shell's own local pages (settings,
 * connecting: out/pages). The wall and console pages are NOT built here: the server serves the
 * renderer (built by `vite build` to out/renderer), and the shell's windows load it from there.
 * Dependencies are bundled (zod), so the packaged app needs no node_modules.
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      externalizeDeps: false,
      rolldownOptions: { input: { index: resolve('electron/main/index.ts') } },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('electron/pages'),
    build: {
      outDir: 'out/pages',
      rolldownOptions: {
        input: {
          settings: resolve('electron/pages/settings.html'),
          connecting: resolve('electron/pages/connecting.html'),
        },
      },
    },
  },
});
