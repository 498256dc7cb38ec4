import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureRendererBuilt,
  launchBrowser,
  login,
  MINUTE,
  seedCases,
  startTestServer,
  type TestServer,
  waitFor,
} from './harness';

/**
 * Issue 24: a wall given `?token=` takes it once: the address bar and the page's storage no longer
 * hold it (an HttpOnly cookie does, which no script can read), and the wall still streams, also
 * after a reload without the token.
 */
let t: TestServer;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  t = await startTestServer({ preset: 'small' });
  await seedCases(t.server, 10, 5);
  await t.advance(MINUTE);
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  await t?.dispose();
});

type Handle = {
  __gridwall?: {
    store: {
      getState(): {
        ready: boolean;
        connection: { state: string; role: string | null };
        cases: { byId: Map<string, unknown> };
      };
    };
  };
};

describe('a wall provisioned by ?token=', () => {
  it('moves the token out of the URL and out of storage, and still streams', async () => {
    // A presenter's credential, so the test can tell it from the demo wall user the page falls back to.
    const token = await login(t.url, 'presenter');
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    // An older wall left it in localStorage: it goes too.
    await page.addInitScript(() => {
      if (!sessionStorage.getItem('seeded')) {
        sessionStorage.setItem('seeded', '1');
        localStorage.setItem('gridwall.wall.token', 'left-by-an-older-version');
      }
    });
    await page.goto(`${t.url}/wall?layout=single&token=${token}`);
    const live = () =>
      page.evaluate(() => {
        const s = (globalThis as Handle).__gridwall?.store.getState();
        return s?.ready === true && s.connection.state === 'live'
          ? { role: s.connection.role, cases: s.cases.byId.size }
          : null;
      });
    const first = await waitFor('the wall to stream', live);
    expect(first.role).toBe('presenter');
    expect(first.cases).toBeGreaterThan(0);

    expect(page.url()).not.toContain('token');
    expect(page.url()).toContain('layout=single');
    const stored = await page.evaluate(() => {
      const all = (s: Storage) =>
        Array.from({ length: s.length }, (_, i) => `${s.key(i)}=${s.getItem(s.key(i) ?? '')}`);
      return [
        ...all(localStorage),
        ...all(sessionStorage),
        document.cookie,
        history.state ? JSON.stringify(history.state) : '',
      ].join('\n');
    });
    expect(stored).not.toContain(token);
    expect(stored).not.toContain('left-by-an-older-version');
    const cookies = await context.cookies(t.url);
    expect(cookies.find((c) => c.value === token)).toMatchObject({ httpOnly: true, sameSite: 'Strict' });

    // New cases still arrive.
    const before = first.cases;
    await seedCases(t.server, 5, 9);
    await t.advance(MINUTE);
    await waitFor('the new cases', async () => ((await live())?.cases ?? 0) >= before + 5);

    // A reload without the token keeps the same credential (the cookie), not the demo wall user.
    await page.reload();
    const again = await waitFor('the wall to stream after a reload', live);
    expect(again.role).toBe('presenter');
    await context.close();
  });

  it('a wall without a token finds no cookie without a failed request, and streams as the demo wall user', async () => {
    const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
    const page = await context.newPage();
    const failed: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') failed.push(m.text());
    });
    page.on('response', (r) => {
      if (r.status() >= 400) failed.push(`${r.status()} ${r.url()}`);
    });
    await page.goto(`${t.url}/wall?layout=single`);
    const role = await waitFor('the wall to stream', () =>
      page.evaluate(() => {
        const s = (globalThis as Handle).__gridwall?.store.getState();
        return s?.ready === true && s.connection.state === 'live' ? s.connection.role : null;
      }),
    );
    expect(role).toBe('wall');
    expect(failed).toEqual([]);
    await context.close();
  });
});
