/**
 * The wall benchmark's page (test/bench/wall/): built on its own, like the renderer, and served from
 * a local HTTP server for headless Chromium.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize } from 'node:path';
import { ROOT } from '../e2e/harness';

/** Its own build: the shared out/renderer may be rebuilt by someone else's test mid-run. */
export const OUT = join(ROOT, 'out/bench');

/**
 * The page under test/bench/wall/ (index.html) with the wall's own code, built like the renderer
 * (vite.config.ts) but on its own: the product build does not ship the benchmark.
 */
export async function buildBench(minify: boolean): Promise<void> {
  const { build } = await import('vite');
  const { default: react } = await import('@vitejs/plugin-react');
  await build({
    configFile: false,
    root: join(ROOT, 'test/bench/wall'),
    base: '/',
    plugins: [react()],
    publicDir: false,
    resolve: { alias: { '@resources': join(ROOT, 'resources') } },
    worker: { format: 'es' },
    logLevel: 'warn',
    // `minify` false: a profile names functions only in an unminified build.
    build: {
      outDir: OUT,
      emptyOutDir: true,
      sourcemap: true,
      chunkSizeWarningLimit: 2500,
      minify,
    },
  });
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript',
  '.mjs': 'text/javascript',
  '.css': 'text/css',
  '.json': 'application/json',
  '.map': 'application/json',
};

export function serveRenderer(): Promise<Server> {
  const server = createServer((req, res) => {
    const path = normalize(decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname)).replace(
      /^(\.\.[/\\])+/,
      '',
    );
    const file = join(OUT, path === '/' ? 'index.html' : path);
    if (!file.startsWith(OUT) || !existsSync(file) || !statSync(file).isFile()) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': MIME[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  return new Promise((done) => server.listen(0, '127.0.0.1', () => done(server)));
}
