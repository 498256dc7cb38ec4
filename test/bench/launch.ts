import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ensureRendererBuilt, launchBrowser, RENDERER_OUT } from '../e2e/harness';

/**
 * Issue 6's figures in browser mode: from launching the product (server + simulator process, then
 * a wall page) to the first frame that shows live data; and the renderer bundle's size.
 */
export interface LaunchBenchResult {
  /** Spawn of the server process to its "listening" line. */
  serverReadyMs: number;
  /** Navigation of the wall page to a map frame drawn with the snapshot's cases. */
  pageToLiveMapMs: number;
  /** Spawn of the server to that frame (the browser already running, as Electron's would be). */
  launchToLiveFrameMs: number;
  bundleJsKB: number;
  bundleJsGzipKB: number;
  bundleAllKB: number;
}

function sizes(dir: string): { js: number; gz: number; all: number } {
  let js = 0;
  let gz = 0;
  let all = 0;
  for (const entry of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const size = statSync(path).size;
    all += size;
    if (entry.name.endsWith('.js')) {
      js += size;
      gz += gzipSync(readFileSync(path)).length;
    }
  }
  return { js, gz, all };
}

export async function benchLaunch(): Promise<LaunchBenchResult> {
  await ensureRendererBuilt();
  const bundle = sizes(RENDERER_OUT);
  const browser = await launchBrowser();
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-bench-launch-'));
  let child: ChildProcess | null = null;
  try {
    const t0 = performance.now();
    child = spawn(
      process.execPath,
      ['--import', 'tsx', 'server/main.ts', '--port', '0', '--data', dataDir, '--preset', 'district', '--speed', '60'],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const proc = child;
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      proc.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/\S+)/.exec(out);
        if (m?.[1]) resolve(m[1]);
      });
      proc.on('exit', (code) => reject(new Error(`server exited ${code}`)));
    });
    const tReady = performance.now();
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${url}/wall`);
    // The map marks itself loaded once its style, areas and the snapshot's cases are drawn.
    await page.waitForSelector('[data-testid=map][data-loaded="1"]', { timeout: 180_000 });
    await page.waitForFunction(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
      undefined,
      { timeout: 180_000 },
    );
    await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r(null))));
    const tLive = performance.now();
    return {
      serverReadyMs: Math.round(tReady - t0),
      pageToLiveMapMs: Math.round(tLive - tReady),
      launchToLiveFrameMs: Math.round(tLive - t0),
      bundleJsKB: Math.round(bundle.js / 1024),
      bundleJsGzipKB: Math.round(bundle.gz / 1024),
      bundleAllKB: Math.round(bundle.all / 1024),
    };
  } finally {
    child?.kill('SIGTERM');
    if (child) await new Promise((r) => child?.once('exit', r));
    await browser.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchLaunch());
