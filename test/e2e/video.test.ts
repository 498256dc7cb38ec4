import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Camera } from '../../protocol';
import { mediaFaults } from '../../server/transport/media';
import { ensureRendererBuilt, launchBrowser, seedCases, startTestServer, type TestServer, waitFor } from './harness';
import {
  cameras,
  focus,
  linkedView,
  metres,
  openCases,
  progressOf,
  raiseSensorAlarm,
  tiles,
  waitPlaying,
  waitReady,
} from './video.helpers';

let t: TestServer;
let browser: Browser;
let context: BrowserContext;

beforeAll(async () => {
  await ensureRendererBuilt();
  // The district: 1,176 cameras, enough for the nearest nine to mean something.
  // Server time stands still (the test never advances it): no alarm of the simulated district
  // relinks the tiles under a check; only the test's own focus moves them.
  t = await startTestServer({ preset: 'district' });
  await seedCases(t.server, 40, 3);
  browser = await launchBrowser();
  context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
});

afterAll(async () => {
  mediaFaults.clear();
  await context?.close();
  await browser?.close();
  await t?.dispose();
});

/** The scene's tiles at the first moment it is seen linked to `ref` (tiles and link read together). */
function linkedTo(page: Page, ref: string, timeoutMs = 30_000) {
  return waitFor(
    `the video scene to link to ${ref}`,
    async () => {
      const view = await linkedView(page);
      return view.ref === ref ? view : null;
    },
    timeoutMs,
  );
}

async function open(path: string): Promise<Page> {
  const page = await context.newPage();
  await page.goto(`${t.url}${path}`);
  await waitReady(page);
  return page;
}

/** Online demo cameras of each format: two per HLS clip, three MP4, one MJPEG drone. */
function mixedCameras(): Camera[] {
  const online = t.server.preset.cameras.filter((c) => c.status === 'online');
  const pick = (test: (c: Camera) => boolean, n: number) => online.filter(test).slice(0, n);
  return [
    ...pick((c) => c.streamUrl.includes('clip-1/'), 2),
    ...pick((c) => c.streamUrl.includes('clip-2/'), 2),
    ...pick((c) => c.streamKind === 'mp4', 3),
    ...pick((c) => c.streamKind === 'mjpeg', 1),
  ];
}

describe('video wall', () => {
  let page: Page;
  let chosen: Camera[];

  it('plays HLS, MP4 and MJPEG tiles: the pictures move, with name, status and time on each', async () => {
    chosen = mixedCameras();
    expect(new Set(chosen.map((c) => c.streamKind))).toEqual(new Set(['hls', 'mp4', 'mjpeg']));
    // Linkage off: an urgent alert must not swap the cameras under test.
    page = await open(`/wall?layout=video&vlink=0&vcams=${chosen.map((c) => c.id).join(',')}`);
    await page.waitForSelector('[data-testid=video-tile][data-camera-id]:not([data-camera-id=""])');
    for (const [i, cam] of chosen.entries()) {
      await waitPlaying(page, i);
      const tile = (await tiles(page))[i];
      expect(tile?.cameraId).toBe(cam.id);
      expect(tile?.kind).toBe(cam.streamKind);
      expect(tile?.text).toContain(cam.name);
      expect(tile?.text).toContain('直播');
      expect(tile?.text).toMatch(/\d{2}:\d{2}:\d{2}/);
    }
    // currentTime advances on every video tile, measured again after all have started.
    for (const [i, cam] of chosen.entries()) {
      if (cam.streamKind === 'mjpeg') continue;
      const [a, b] = await progressOf(page, i);
      expect(b === a, `tile ${i} (${cam.streamKind}) froze at ${a}`).toBe(false);
    }
  });

  it('says "no signal" when a stream fails or stalls, and plays again when it returns', async () => {
    const index = (url: string) => chosen.findIndex((c) => c.streamUrl.includes(url));
    const cases: Array<{ prefix: string; mode: 'error' | 'stall'; tile: number }> = [
      { prefix: '/media/clips/clip-1/', mode: 'error', tile: index('clip-1/') },
      { prefix: '/media/clips/clip-2/', mode: 'stall', tile: index('clip-2/') },
      { prefix: '/media/mjpeg/', mode: 'stall', tile: index('/mjpeg/') },
    ];
    for (const c of cases) {
      await waitPlaying(page, c.tile);
      mediaFaults.set(c.prefix, c.mode);
      await waitFor(
        `tile ${c.tile} to show no signal (${c.mode} on ${c.prefix})`,
        async () => {
          const tile = (await tiles(page))[c.tile];
          return tile?.state === 'nosignal' && tile.text.includes('无信号');
        },
        60_000,
      );
      // Still failing: it tries again (backoff), and says so.
      expect((await tiles(page))[c.tile]?.text).toMatch(/秒后重连|正在重连/);
      mediaFaults.clear(c.prefix);
      await waitPlaying(page, c.tile, 90_000);
    }
  });

  it('links to a focused case: unpinned tiles take the nearest cameras (as a brute-force sort), pinned ones stay, the map rings them', async () => {
    await page.close();
    page = await open('/wall?layout=video');
    await page.waitForSelector('[data-testid=video-tile][data-index="0"]:not([data-camera-id=""])');
    // Pin tile 1; then focus a case. The pinned camera is read once pinned.
    await page.locator('[data-testid=video-tile][data-index="0"] [data-testid=video-pin]').click();
    await page.waitForSelector('[data-testid=video-tile][data-index="0"][data-pinned="1"]');
    const pinnedBefore = (await tiles(page))[0]?.cameraId;
    const all = await openCases(page);
    expect(all.length).toBeGreaterThan(5);
    for (const target of all.slice(0, 3)) {
      await focus(page, target.id);
      const { tiles: view } = await linkedTo(page, target.code);
      const cams = await cameras(page);
      const brute = cams
        .filter((c) => c.status === 'online' && c.id !== pinnedBefore)
        .map((c) => ({ id: c.id, d: metres(target, c.position) }))
        .filter((c) => c.d <= 3000)
        .sort((a, b) => a.d - b.d)
        .slice(0, 8);
      expect(view[0]?.cameraId).toBe(pinnedBefore);
      const linked = view.slice(1, 1 + brute.length).map((v) => v.cameraId);
      expect(linked).toEqual(brute.map((b) => b.id));
      expect(await page.locator('[data-testid=video-caption]').textContent()).toContain(target.code);
      // The map on the same wall rings exactly the nine cameras on screen.
      await page.waitForSelector('[data-testid=map][data-cameras-on-screen="9"]', { timeout: 30_000 });
    }
  });

  it('enlarges a tile on a click or a digit key, and restores it with Escape', async () => {
    await page.locator('[data-testid=video-tile][data-index="4"]').click({ position: { x: 60, y: 80 } });
    await page.waitForSelector('[data-testid=video-tile][data-index="4"].gw-tile-enlarged');
    // The covered tiles give their decoders up.
    await waitFor('covered tiles to stop decoding', async () =>
      (await tiles(page)).every((x) => x.index === 4 || !x.decoding),
    );
    await page.keyboard.press('Escape');
    await page.waitForSelector('.gw-tile-enlarged', { state: 'detached' });
    await page.keyboard.press('2');
    await page.waitForSelector('[data-testid=video-tile][data-index="1"].gw-tile-enlarged');
    await page.keyboard.press('Escape');
    await page.waitForSelector('.gw-tile-enlarged', { state: 'detached' });
    await page.close();
  });

  it('links to a sensor alarm: the cameras nearest the sensor', async () => {
    const alarmPage = await open('/wall?layout=video');
    await alarmPage.waitForSelector('[data-testid=video-tile][data-index="0"]:not([data-camera-id=""])');
    const sensor = t.server.preset.sensors.find((s) => s.kind === 'oil_fume');
    if (!sensor) throw new Error('no oil-fume monitor in the district');
    await raiseSensorAlarm(t, sensor);
    const { reason, tiles: view } = await linkedTo(alarmPage, sensor.name, 60_000);
    expect(reason).toBe('sensor');
    const brute = (await cameras(alarmPage))
      .filter((c) => c.status === 'online')
      .map((c) => ({ id: c.id, d: metres(sensor.position, c.position) }))
      .filter((c) => c.d <= 3000)
      .sort((a, b) => a.d - b.d)
      .slice(0, 9);
    expect(view.slice(0, brute.length).map((v) => v.cameraId)).toEqual(brute.map((b) => b.id));
    expect(await alarmPage.locator('[data-testid=video-caption]').textContent()).toContain('传感器报警');
    await alarmPage.close();
  });

  it('holds the decoder cap: 16 tiles, 4 decoders, the others show their last frame by turns', async () => {
    const capped = await open('/wall?layout=video&vgrid=4x4&vlive=4');
    await capped.waitForSelector('[data-testid=video-tile][data-index="15"]');
    let maxDecoding = 0;
    await waitFor(
      'a tile over the cap to show its last frame',
      async () => {
        const view = await tiles(capped);
        const decoding = view.filter((x) => x.decoding).length;
        maxDecoding = Math.max(maxDecoding, decoding);
        expect(view.filter((x) => x.live).length).toBeLessThanOrEqual(4);
        return view.some((x) => x.state === 'standby' && x.text.includes('最后画面'));
      },
      120_000,
    );
    const stats = await capped.evaluate(
      () => (globalThis as unknown as { __gridwallVideo: { now: number; max: number } }).__gridwallVideo,
    );
    expect(maxDecoding).toBeLessThanOrEqual(4);
    expect(stats.max).toBeLessThanOrEqual(4);
    expect(stats.now).toBeLessThanOrEqual(4);
    expect((await tiles(capped)).filter((x) => x.state === 'playing').length).toBeGreaterThan(0);
    await capped.close();
  });
});
