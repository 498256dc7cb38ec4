import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CHROME_ARGS,
  chromePath,
  ensureRendererBuilt,
  MINUTE,
  ROOT,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

/**
 * The wall on a machine without CJK fonts: Chromium sees only DejaVu and Liberation (a fontconfig of
 * its own), so every hanzi on screen must come from the bundled GridWall Sans.
 */
let t: TestServer;
let browser: Browser;
let fontconfigDir: string;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 60);
  await t.advance(MINUTE);
  fontconfigDir = mkdtempSync(join(tmpdir(), 'gridwall-fontconfig-'));
  const conf = join(fontconfigDir, 'fonts.conf');
  writeFileSync(
    conf,
    `<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig>
  <dir>/usr/share/fonts/truetype</dir><cachedir>${join(fontconfigDir, 'cache')}</cachedir></fontconfig>`,
  );
  browser = await chromium.launch({
    executablePath: chromePath(),
    args: CHROME_ARGS,
    headless: true,
    env: { ...process.env, FONTCONFIG_FILE: conf },
  });
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
  if (fontconfigDir) rmSync(fontconfigDir, { recursive: true, force: true });
});

/** Distinct pixel patterns of `chars` drawn one by one in `font` (tofu boxes all look alike). */
function glyphPatterns(page: Page, font: string, chars: string[]): Promise<number> {
  return page.evaluate(
    ({ font, chars }) => {
      const canvas = document.createElement('canvas');
      canvas.width = 64;
      canvas.height = 64;
      const g = canvas.getContext('2d', { willReadFrequently: true });
      if (!g) return 0;
      const seen = new Set<string>();
      for (const ch of chars) {
        g.clearRect(0, 0, 64, 64);
        g.font = font;
        g.fillStyle = '#000';
        g.fillText(ch, 4, 52);
        const data = g.getImageData(0, 0, 64, 64).data;
        let bits = '';
        for (let i = 3; i < data.length; i += 4 * 7) bits += (data[i] ?? 0) > 127 ? '1' : '0';
        seen.add(bits);
      }
      return seen.size;
    },
    { font, chars },
  );
}

describe('bundled font', () => {
  it('draws the wall from GridWall Sans with no system CJK font', async () => {
    const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${t.url}/wall?layout=single`);
    await page.waitForSelector('[data-testid="map"][data-loaded="1"]', { timeout: 120_000 });

    // Both weights and the map labels' alias were fetched from the server and loaded.
    const faces = await waitFor('the bundled faces loaded', async () => {
      const list = await page.evaluate(() =>
        [...document.fonts]
          .filter((f) => f.family.replaceAll('"', '').startsWith('GridWall Sans') && f.status === 'loaded')
          .map((f) => `${f.family.replaceAll('"', '')} ${f.weight}`)
          .sort(),
      );
      return list.length >= 3 ? list : null;
    });
    expect(faces).toEqual(['GridWall Sans 400', 'GridWall Sans 700', 'GridWall Sans Bold 700']);
    const fetched = await page.evaluate(() =>
      performance
        .getEntriesByType('resource')
        .map((e) => new URL(e.name).pathname)
        .filter((p) => p.endsWith('.woff2')),
    );
    expect(fetched.some((p) => /\/assets\/GridWallSans-Regular-[\w-]+\.woff2$/.test(p))).toBe(true);
    expect(fetched.some((p) => /\/assets\/GridWallSans-Bold-[\w-]+\.woff2$/.test(p))).toBe(true);

    // Real glyphs, not one tofu box for all: the fallback has none, the bundled font has each.
    const hanzi = [...'网格化综合治理指挥中心'];
    expect(await glyphPatterns(page, '48px sans-serif', hanzi)).toBeLessThanOrEqual(2);
    expect(await glyphPatterns(page, '48px "GridWall Sans"', hanzi)).toBe(hanzi.length);
    expect(await glyphPatterns(page, 'bold 48px "GridWall Sans Bold"', hanzi)).toBe(hanzi.length);

    const dir = join(ROOT, 'artifacts/screenshots');
    mkdirSync(dir, { recursive: true });
    await page.screenshot({ path: join(dir, 'fonts-no-system-cjk-single-1920x1080.png') });
    expect(errors).toEqual([]);
    await page.close();
  });
});
