import { readdirSync, readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import {
  ensureRendererBuilt,
  launchBrowser,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from '../e2e/harness';
import { focus, openCases, tiles, waitReady } from '../e2e/video.helpers';

/**
 * Issue 8's figures, in browser mode against a real district server (1,176 cameras):
 * - focusing a case → the first frame of every tile the linkage changed (3×3, 9 decoders);
 * - the browser's CPU and memory with 16 tiles of which 16 decode, and of which 4 decode.
 * CPU is the whole Chromium process tree (renderer, GPU/compositor, utility), from /proc; memory
 * is its proportional set size. Software GL on a shared 2-core machine: compare figures of one run.
 */
export interface VideoBenchResult {
  linkRuns: number;
  /** Focus → first frame of the last changed tile (the wall has all its new pictures). */
  focusToAllFramesMs: { p50: number; max: number };
  /** Focus → first frame of the first changed tile. */
  focusToFirstFrameMs: { p50: number; max: number };
  tilesChangedPerLink: number;
  live16: LoadFigures;
  live4: LoadFigures;
}

export interface LoadFigures {
  decoding: number;
  /** CPU of all Chromium processes, in % of one core. */
  cpuPercent: number;
  /** Proportional set size of all Chromium processes. */
  pssMB: number;
  /** The page's JS heap. */
  heapMB: number;
  /** Video frames decoded per second, all tiles together. */
  framesPerSecond: number;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? 0 : (s[Math.floor((s.length - 1) / 2)] as number);
};

/** Pids of the Chromium processes this process started, and their children. */
function chromiumTree(): number[] {
  const parent = new Map<number, number>();
  const comm = new Map<number, string>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const fields = stat.slice(close + 2).split(' ');
      parent.set(Number(entry), Number(fields[1]));
      comm.set(Number(entry), stat.slice(stat.indexOf('(') + 1, close));
    } catch {
      // The process ended while we looked.
    }
  }
  const roots = [...parent].filter(([pid, ppid]) => ppid === process.pid && /chrom/i.test(comm.get(pid) ?? ''));
  const out = new Set(roots.map(([pid]) => pid));
  let grew = true;
  while (grew) {
    grew = false;
    for (const [pid, ppid] of parent) {
      if (!out.has(pid) && out.has(ppid)) {
        out.add(pid);
        grew = true;
      }
    }
  }
  return [...out];
}

function cpuTicks(pids: number[]): number {
  let ticks = 0;
  for (const pid of pids) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      // utime and stime: fields 14 and 15 of stat, 12 and 13 after the command name.
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // Gone.
    }
  }
  return ticks;
}

function pssKB(pids: number[]): number {
  let kb = 0;
  for (const pid of pids) {
    try {
      const m = /^Pss:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
      kb += Number(m?.[1] ?? 0);
    } catch {
      // Gone, or not ours to read.
    }
  }
  return kb;
}

const TICKS_PER_SECOND = 100;

function decodedFrames(page: Page): Promise<number> {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLVideoElement>('[data-testid=video-tile] video')].reduce(
      (n, v) => n + (v.getVideoPlaybackQuality?.().totalVideoFrames ?? 0),
      0,
    ),
  );
}

async function linkLatency(page: Page, runs: number) {
  const all: number[] = [];
  const first: number[] = [];
  const changed: number[] = [];
  const cases = await openCases(page);
  // Cases spread over the district: each focus moves the wall to other cameras. The first focus is
  // not measured: it makes every later one follow a person's choice, which alerts leave alone.
  const step = Math.max(1, Math.floor(cases.length / (runs + 1)));
  for (let r = 0; r <= runs && r * step < cases.length; r++) {
    const target = cases[r * step];
    if (!target) break;
    const before = new Map((await tiles(page)).map((x) => [x.index, x.cameraId]));
    const t0 = await focus(page, target.id);
    await page.waitForSelector(`[data-testid=video-scene][data-link-ref="${target.code}"]`, { timeout: 60_000 });
    const frames = await waitFor(
      `first frames after focusing ${target.code}`,
      async () => {
        const view = (await tiles(page)).filter((x) => x.live && x.cameraId !== before.get(x.index));
        if (view.some((x) => x.firstFrame === null || x.firstFrame < t0)) return null;
        return view.map((x) => (x.firstFrame as number) - t0);
      },
      60_000,
    );
    if (frames.length === 0 || r === 0) continue;
    all.push(Math.max(...frames));
    first.push(Math.min(...frames));
    changed.push(frames.length);
  }
  return { all, first, changed };
}

async function load(t: TestServer, cameraIds: string[], live: number): Promise<LoadFigures> {
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    await page.goto(`${t.url}/wall?layout=video&vgrid=4x4&vlive=${live}&vlink=0&vcams=${cameraIds.join(',')}`);
    await waitReady(page);
    await waitFor(
      `${live} tiles playing`,
      async () => (await tiles(page)).filter((x) => x.state === 'playing').length >= live,
      120_000,
    );
    // Settle (buffers filled, caches warm), then measure over a fixed window of the page's own time.
    await page.evaluate(() => new Promise((r) => setTimeout(r, 5000)));
    const pids = chromiumTree();
    const f0 = await decodedFrames(page);
    const c0 = cpuTicks(pids);
    const w0 = performance.now();
    await page.evaluate(() => new Promise((r) => setTimeout(r, 20_000)));
    const seconds = (performance.now() - w0) / 1000;
    const c1 = cpuTicks(chromiumTree());
    const f1 = await decodedFrames(page);
    const heap = await page.evaluate(
      () => (performance as unknown as { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize ?? 0,
    );
    const decoding = (await tiles(page)).filter((x) => x.decoding).length;
    return {
      decoding,
      cpuPercent: Math.round(((c1 - c0) / TICKS_PER_SECOND / seconds) * 100),
      pssMB: Math.round(pssKB(chromiumTree()) / 1024),
      heapMB: Math.round(heap / 1024 / 1024),
      framesPerSecond: Math.round((f1 - f0) / seconds),
    };
  } finally {
    await browser.close();
  }
}

export async function benchVideo(options: { runs?: number } = {}): Promise<VideoBenchResult> {
  await ensureRendererBuilt();
  // Server time stands still: no alarm of the simulated district moves the wall while it is timed.
  const t = await startTestServer({ preset: 'district' });
  try {
    await seedCases(t.server, 80, 5);
    const browser = await launchBrowser();
    let latency: Awaited<ReturnType<typeof linkLatency>>;
    try {
      const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
      await page.goto(`${t.url}/wall?layout=video`);
      await waitReady(page);
      await waitFor(
        'the first tiles to play',
        async () => (await tiles(page)).some((x) => x.state === 'playing'),
        120_000,
      );
      latency = await linkLatency(page, options.runs ?? 8);
    } finally {
      await browser.close();
    }
    // The same 16 cameras (HLS and MP4, no MJPEG) for both loads.
    const cams = t.server.preset.cameras
      .filter((c) => c.status === 'online' && c.streamKind !== 'mjpeg')
      .slice(0, 16)
      .map((c) => c.id);
    const live16 = await load(t, cams, 16);
    const live4 = await load(t, cams, 4);
    return {
      linkRuns: latency.all.length,
      focusToAllFramesMs: { p50: Math.round(median(latency.all)), max: Math.round(Math.max(0, ...latency.all)) },
      focusToFirstFrameMs: { p50: Math.round(median(latency.first)), max: Math.round(Math.max(0, ...latency.first)) },
      tilesChangedPerLink: Math.round(median(latency.changed)),
      live16,
      live4,
    };
  } finally {
    await t.dispose();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await benchVideo());
