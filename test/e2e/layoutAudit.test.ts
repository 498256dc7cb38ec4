import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Layout } from '../../protocol';
import {
  E2E_START,
  ensureRendererBuilt,
  launchBrowser,
  MINUTE,
  ROOT,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
  waitForWall,
} from './harness';
import { type AuditKind, type AuditOptions, auditPage, CANVAS_TEXT_PROBE, type Finding } from './layoutAudit.helpers';

/**
 * The layout audit (issue 16, "text that fits"): every display of every layout in
 * resources/layouts, in zh-CN and English, at 1920×1080 and 3840×2160, on a populated district, must
 * have (a) no text cut or spilling out of its box, (b) no text under 22 px on the 1080p canvas
 * (its size on screen over the 1080p canvas's scale: a 4K screen's 2560×1440 canvas does not count),
 * (c) no text under 4.5:1 contrast against what is painted under it, (d) no scene or panel empty
 * without a stated reason. Chart text (echarts on a 2D canvas) is audited from what the canvas drew.
 * A lobby tour step (a KPI period tag, the presenter's marks in the status bar) is audited too.
 *
 * Cost on 2 cores: one browser, one server, one page per language; each display is loaded once per
 * language at 1920×1080, audited, resized to 3840×2160 (the same page: it lays itself out on the
 * large-screen canvas), audited again. About 3.5 min on 2 cores (part of `npm test`); set
 * GRIDWALL_AUDIT_ONLY=wall-3x2 (a layout name, or name:display) to audit fewer views.
 */

const OPTIONS: AuditOptions = { minFontPx: 22, minContrast: 4.5, canvas: { width: 1920, height: 1080 } };
const SIZES = [
  { width: 1920, height: 1080 },
  { width: 3840, height: 2160 },
] as const;
const LANGUAGES = ['zh-CN', 'en'] as const;
const ONLY = process.env.GRIDWALL_AUDIT_ONLY ?? '';

interface View {
  layout: string;
  display: number;
  /** The query string after `/wall?`. */
  query: string;
  /** A fixed browser time (the lobby tour's step follows the browser's clock). */
  fixedTime?: number;
  name: string;
}

/** Every layout file's displays, and the single layout under the lobby tour on a step with a period tag. */
function views(): View[] {
  const out: View[] = [];
  const dir = join(ROOT, 'resources/layouts');
  for (const file of readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()) {
    const layout = Layout.parse(JSON.parse(readFileSync(join(dir, file), 'utf8')));
    for (const d of layout.displays) {
      out.push({
        layout: layout.name,
        display: d.index,
        query: `layout=${layout.name}&display=${d.index}`,
        name: `${layout.name} d${d.index}`,
      });
    }
  }
  // The lobby tour (no schedule: it runs all day from midnight UTC, 30 s a step): 45 s into the day's
  // first lap is its second step, "closed loop", whose figures are the month's (a period tag).
  const midnight = Math.floor(E2E_START / 86_400_000) * 86_400_000;
  out.push({
    layout: 'single',
    display: 0,
    query: 'layout=single&tour=lobby',
    fixedTime: midnight + 45_000,
    name: 'single d0 lobby tour',
  });
  return out.filter(
    (v) => ONLY === '' || ONLY === v.layout || ONLY === `${v.layout}:${v.display}` || v.name.includes(ONLY),
  );
}

let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'district' });
  await seedCases(t.server, 300, 5);
  // Ten minutes of the district: cases adopted, urgent ones warned and overdue, the trend drawn.
  await t.advance(10 * MINUTE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

/**
 * Until what the page shows stands still: text boxes, chart sizes and chart draws equal on three
 * reads in a row, 250 ms apart (a chart redraws at most every 500 ms after a resize).
 */
async function settled(page: Page): Promise<void> {
  // The display fills the screen at its new size (letterboxed: one side fills).
  await waitFor('the display to fill the screen', () =>
    page.evaluate(() => {
      const r = document.querySelector('[data-testid=display]')?.getBoundingClientRect();
      return !!r && (Math.abs(r.width - innerWidth) < 2 || Math.abs(r.height - innerHeight) < 2);
    }),
  );
  let last = '';
  let same = 0;
  await waitFor(
    'the layout to settle',
    async () => {
      await new Promise((r) => setTimeout(r, 50));
      const now = await page.evaluate(() => {
        const parts: string[] = [];
        for (const el of document.querySelectorAll('[data-testid=display] *')) {
          if (el.children.length > 0 && el.tagName !== 'CANVAS') continue;
          const r = el.getBoundingClientRect();
          parts.push(`${Math.round(r.left)},${Math.round(r.top)},${Math.round(r.width)},${Math.round(r.height)}`);
        }
        for (const c of document.querySelectorAll<HTMLCanvasElement & { __gwTexts?: unknown[] }>('.gw-chart canvas'))
          parts.push(`${c.width}:${c.__gwTexts?.length ?? -1}`);
        for (const c of document.querySelectorAll<HTMLElement>('.gw-chart')) parts.push(c.dataset.values ?? 'x');
        return parts.join(';');
      });
      same = now === last ? same + 1 : 0;
      last = now;
      return same >= 2;
    },
    30_000,
  );
}

/** The audit of what the page shows now. */
async function audit(page: Page): Promise<Finding[]> {
  return (await page.evaluate(auditPage, OPTIONS)).findings;
}

interface Row extends Finding {
  view: string;
  lang: string;
  size: string;
}

const all: Row[] = [];

describe('layout audit: every display, both languages, 1080p and 4K', () => {
  for (const lang of LANGUAGES) {
    it(`${lang}: every layout and display`, async () => {
      const started = Date.now();
      let context: BrowserContext | null = null;
      let page: Page | null = null;
      let fixed = false;
      for (const v of views()) {
        // A fresh page where the browser's clock must be fixed (and for the first view).
        if (!page || (v.fixedTime !== undefined) !== fixed) {
          await context?.close();
          context = await browser.newContext({
            viewport: SIZES[0],
            timezoneId: 'Asia/Shanghai',
            locale: lang,
          });
          await context.addInitScript(CANVAS_TEXT_PROBE);
          page = await context.newPage();
          page.on('pageerror', (e) => console.log(`[pageerror ${v.name}]`, e.message));
          fixed = v.fixedTime !== undefined;
          if (v.fixedTime !== undefined) await page.clock.setFixedTime(v.fixedTime);
        }
        await page.setViewportSize(SIZES[0]);
        await page.goto(`${t.url}/wall?${v.query}&lang=${lang}`);
        await waitForWall(page);
        if (v.fixedTime !== undefined) {
          const p = page;
          await waitFor('the tour step with a period', () =>
            p.evaluate(() => document.querySelector('.gw-kpi-period') !== null),
          );
        }
        for (const size of SIZES) {
          if (size !== SIZES[0]) {
            // The same page resized: the canvas scales, charts redraw at the new pixel ratio. Maps
            // re-render too, but nothing audited is drawn by them (their WebGL labels are out of reach).
            await page.setViewportSize(size);
          }
          await settled(page);
          for (const f of await audit(page)) {
            all.push({ ...f, view: v.name, lang, size: `${size.width}×${size.height}` });
          }
        }
      }
      await context?.close();
      console.log(`layout audit ${lang}: ${views().length} views in ${((Date.now() - started) / 1000).toFixed(0)} s`);
    }, 600_000);
  }

  it('finds nothing cut, too small, too faint or empty without a reason', () => {
    const counts: Record<AuditKind, number> = { clipped: 0, small: 0, contrast: 0, empty: 0 };
    for (const r of all) counts[r.kind]++;
    const lines = all.map((r) => `${r.kind}\t${r.view}\t${r.lang}\t${r.size}\t${r.value}\t«${r.text}»\t${r.path}`);
    console.log(`layout audit: ${all.length} findings ${JSON.stringify(counts)}\n${lines.join('\n')}`);
    expect(lines).toEqual([]);
  });
});
