/**
 * A developer's look at the wall: starts a real server with seeded cases, plays `minutes` of the
 * simulated district, opens the given page in headless Chromium, waits for its data and maps, and
 * saves a screenshot under artifacts/screenshots/look-*.png.
 * `npx tsx test/e2e/look.ts '/wall?layout=single' 1920x1080 [minutes]`
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { ensureRendererBuilt, launchBrowser, MINUTE, ROOT, seedCases, startTestServer, waitForWall } from './harness';

const [path = '/wall?layout=single', size = '1920x1080', minutes = '10'] = process.argv.slice(2);
const [width, height] = size.split('x').map(Number);
await ensureRendererBuilt();
const t = await startTestServer({ preset: 'small' });
await seedCases(t.server, 150);
await t.advance(Number(minutes) * MINUTE);
const browser = await launchBrowser();
try {
  const page = await browser.newPage({ viewport: { width: width ?? 1920, height: height ?? 1080 } });
  page.on('console', (m) => console.log(`[console.${m.type()}]`, m.text()));
  page.on('pageerror', (e) => console.log('[pageerror]', e.message));
  page.on('response', (r) => {
    if (r.status() >= 400) console.log('[http]', r.status(), r.url());
  });
  page.on('requestfailed', (r) => console.log('[requestfailed]', r.url(), r.failure()?.errorText));
  await page.goto(`${t.url}${path}`);
  await waitForWall(page);
  const dir = join(ROOT, 'artifacts/screenshots');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `look-${path.replace(/[^a-z0-9]+/gi, '_')}-${size}.png`);
  await page.screenshot({ path: file });
  console.log('saved', file);
} finally {
  await browser.close();
  await t.dispose();
}
