import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../../protocol';
import {
  ensureRendererBuilt,
  launchBrowser,
  ROOT,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

const OUT = join(ROOT, 'artifacts/screenshots');
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;
const LAYOUTS = ['single', 'wall-3x2', 'wall-4x3'] as const;

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  mkdirSync(OUT, { recursive: true });
  t = await startTestServer({ preset: 'district', speed: 60 });
  await seedCases(t.server, 300, 5);
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

/** Waits for data, maps and charts to settle, then checks nothing spills out of its box. */
async function settle(page: Page): Promise<void> {
  await waitFor('the first snapshot', () =>
    page.evaluate(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
    ),
  );
  const maps = page.locator('[data-testid=map], [data-testid=inspection-map]');
  const n = await maps.count();
  for (let i = 0; i < n; i++) await maps.nth(i).and(page.locator('[data-loaded="1"]')).waitFor({ timeout: 90_000 });
  // Let the charts' throttled first draw and the maps' last tiles land.
  await page.waitForTimeout(1500);
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
        const page = await browser.newPage({ viewport: size });
        const problems: string[] = [];
        for (const d of layout.displays) {
          await page.goto(`${t.url}/wall?layout=${name}&display=${d.index}`);
          await settle(page);
          for (const p of await overflowing(page)) problems.push(`display ${d.index}: ${p}`);
          expect(await page.locator('[data-testid=status-bar]').textContent()).toMatch(/[\u4e00-\u9fff]/);
          await page.screenshot({ path: join(OUT, `${name}-d${d.index}-${size.width}x${size.height}.png`) });
        }
        await page.goto(`${t.url}/preview?layout=${name}`);
        await settle(page);
        await page.screenshot({ path: join(OUT, `${name}-preview-${size.width}x${size.height}.png`) });
        await page.close();
        expect(problems).toEqual([]);
        // Software WebGL at 4K: a dozen displays take minutes on a small machine.
      }, 900_000);
    }
  }
});
