import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../../protocol';
import { matchBaseline } from './baselines';
import {
  ensureRendererBuilt,
  launchBrowser,
  MINUTE,
  ROOT,
  seedCases,
  startTestServer,
  stillScreenshot,
  type TestServer,
  waitForWall,
} from './harness';

/**
 * Every layout on fixed data: the district (seed 1) with 300 seeded cases and two simulated minutes,
 * on a server whose clock stands still, in pages in the center's time zone. What follows the
 * browser's own clock is hidden in the shots (the wall clock, the simulated time, the lag, countdowns),
 * and the video tiles are masked. At 1920×1080 a few views are
 * compared with committed baselines (test/e2e/baselines/, see baselines.ts); every display is checked
 * for text that spills out of its box, at 1920×1080 and at 3840×2160 (no baseline at 4K: size).
 */
const OUT = join(ROOT, 'artifacts/screenshots');
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;
const LAYOUTS = ['single', 'wall-3x2', 'wall-4x3'] as const;
/** The views compared with a baseline, at 1920×1080: the single wall and each wall's preview (all its displays). */
const WITH_BASELINE = new Set(['single-d0', 'wall-3x2-preview', 'wall-4x3-preview']);
/**
 * Changed pixels a view may have against its baseline (0.1 %: 2,074 pixels at 1920×1080). Two
 * consecutive runs on one machine (SwiftShader GL) gave 0 changed pixels on every baseline; the margin
 * is for another machine's fonts and GL, and stays below a changed panel or a line of text.
 */
const MAX_DIFF_RATIO = 0.001;
/**
 * Moves by design. Taken out of the layout during the shot: the browser's clock and what follows it
 * (the clock, the lag, countdowns and the case queue's times, an alert's age: their widths change and
 * would shift their neighbours). Painted over: the video tiles. The automatic case's turn follows the
 * browser's clock too (15 s a turn): see MASK.
 */
const HIDE = ['.gw-clock', '.gw-simtime', '.gw-lag', '.gw-countdown-value', '.gw-queue-due', '.gw-alert-age'];
/**
 * The automatic case rotates every 15 s of the page's own time, so which case a shot shows depends
 * on how long the page took to draw: its panel and the preview's "当前 …" line are painted over
 * (emptyStates.test.ts checks what they show).
 */
const MASK = [
  '[data-testid=video-tile]',
  '[data-testid=case-detail]:not([data-auto=""])',
  '[data-testid=preview-focus]',
  // The inspection map's 3,319 point symbols come out in one of two placements on SwiftShader (a
  // tile's points shown or hidden by cross-tile collision, by the order its tiles arrive).
  '[data-testid=inspection-map]',
];

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  mkdirSync(OUT, { recursive: true });
  t = await startTestServer({ preset: 'district' });
  await seedCases(t.server, 300, 5);
  await t.advance(2 * MINUTE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

async function layoutOf(name: string): Promise<Layout> {
  const { default: raw } = await import(`../../resources/layouts/${name}.json`, { with: { type: 'json' } });
  return Layout.parse(raw);
}

/** A page in the center's time zone (times on screen are the same on any machine). */
async function fixedPage(size: { width: number; height: number }): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: size, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
  return { context, page: await context.newPage() };
}

/** Opens a view, waits until it has drawn, and saves (and at 1920×1080 maybe compares) its picture. */
async function shoot(page: Page, path: string, view: string, size: { width: number; height: number }): Promise<void> {
  await page.goto(`${t.url}${path}`);
  await waitForWall(page);
  const png = await stillScreenshot(page, { mask: MASK, hide: HIDE });
  const name = `${view}-${size.width}x${size.height}`;
  writeFileSync(join(OUT, `${name}.png`), png);
  if (size.width === 1920 && WITH_BASELINE.has(view)) {
    const r = matchBaseline(view, png, MAX_DIFF_RATIO);
    console.log(
      `baseline ${view}: ${r.written ? 'written' : `${r.changed} pixels changed (${(r.ratio * 100).toFixed(4)} %)`}`,
    );
  }
}

/** Text that overflows its box (clipped or spilling over a neighbour) on a display. */
async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const bad: string[] = [];
    const boxes = document.querySelectorAll<HTMLElement>(
      '.gw-statusbar > *, .gw-scene-title, .gw-panel-title, .gw-figure, .gw-region-title, .gw-legend-item, .gw-alert-kind, .gw-countdown',
    );
    for (const el of boxes) {
      if (el.scrollWidth > el.clientWidth + 2) bad.push(`${el.className}: ${el.textContent.slice(0, 40)}`);
    }
    const regions = [...document.querySelectorAll<HTMLElement>('.gw-region')].map((r) => r.getBoundingClientRect());
    for (let i = 0; i < regions.length; i++) {
      for (let j = i + 1; j < regions.length; j++) {
        const a = regions[i];
        const b = regions[j];
        if (a && b && a.left < b.right - 1 && b.left < a.right - 1 && a.top < b.bottom - 1 && b.top < a.bottom - 1) {
          bad.push(`regions ${i} and ${j} overlap`);
        }
      }
    }
    return bad;
  });
}

describe('screenshots of every layout', () => {
  for (const name of LAYOUTS) {
    for (const size of SIZES) {
      it(`${name} at ${size.width}×${size.height}: every display and the preview`, async () => {
        const layout = await layoutOf(name);
        const { context, page } = await fixedPage(size);
        const problems: string[] = [];
        for (const d of layout.displays) {
          await shoot(page, `/wall?layout=${name}&display=${d.index}`, `${name}-d${d.index}`, size);
          for (const p of await overflowing(page)) problems.push(`display ${d.index}: ${p}`);
          expect(await page.locator('[data-testid=status-bar]').textContent()).toMatch(/[\u4e00-\u9fff]/);
        }
        await shoot(page, `/preview?layout=${name}`, `${name}-preview`, size);
        await context.close();
        expect(problems).toEqual([]);
        // Software WebGL at 4K: a dozen displays take minutes on a small machine.
      }, 900_000);
    }
  }
});
