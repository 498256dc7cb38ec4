/**
 * A rate over too few cases (issue 16): on screen it reads "—（5 件）" / "— (5 cases)", never 0 % or
 * a figure of 5 cases. Read from what the rates chart drew on its canvas (CANVAS_TEXT_PROBE), in
 * both languages, on a district of five cases (the sample rule's default is 20).
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureRendererBuilt, launchBrowser, seedCases, startTestServer, type TestServer, waitFor } from './harness';
import { CANVAS_TEXT_PROBE } from './layoutAudit.helpers';

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 5, 3);
  // A minute on: the KPI board's figures are counted and pushed.
  await t.advance(60_000);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

/** The texts the rates chart drew last, once it drew any. */
async function ratesDrawn(lang: 'zh-CN' | 'en'): Promise<string[]> {
  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 }, locale: lang });
  try {
    await context.addInitScript(CANVAS_TEXT_PROBE);
    const page = await context.newPage();
    await page.goto(`${t.url}/wall?layout=single&display=0&lang=${lang}`);
    return await waitFor('the rates chart to draw its figures', () =>
      page.evaluate(() => {
        const canvas = document.querySelector<HTMLCanvasElement & { __gwTexts?: { text: string }[] }>(
          '[data-testid=kpi-chart-rates] canvas',
        );
        const texts = canvas?.__gwTexts?.map((r) => r.text) ?? [];
        // Until the five cases are counted: a figure with its count, or a percentage (the failure).
        return texts.some((s) => /^—\s?[（(]|%$/.test(s)) ? texts : null;
      }),
    );
  } finally {
    await context.close();
  }
}

describe('a rate under the sample rule', () => {
  it('shows "—" with its count in Chinese, not a percentage of five cases', async () => {
    const texts = await ratesDrawn('zh-CN');
    // Five cases received: the filing rate is over five, under the sample rule (20).
    expect(texts).toContain('—（5 件）');
    expect(texts.filter((s) => /%$/.test(s))).toEqual([]);
  });

  it('shows "— (5 cases)" in English', async () => {
    const texts = await ratesDrawn('en');
    expect(texts).toContain('— (5 cases)');
    expect(texts.filter((s) => /%$/.test(s))).toEqual([]);
  });
});
