import type { Page } from 'playwright-core';
import type { Camera, Sensor } from '../../protocol';
import { MINUTE, type TestServer, waitFor } from './harness';

/** What the e2e tests and the benchmark read of a video tile. */
export interface TileView {
  index: number;
  cameraId: string;
  kind: string;
  state: string;
  live: boolean;
  decoding: boolean;
  firstFrame: number | null;
  currentTime: number;
  text: string;
}

export function tiles(page: Page): Promise<TileView[]> {
  return linkedView(page).then((v) => v.tiles);
}

/**
 * The video scene's link (why and to what it last linked) and its tiles, read in one go, so the
 * two come from one instant.
 */
export function linkedView(page: Page): Promise<{ reason: string; ref: string; tiles: TileView[] }> {
  return page.evaluate(() => {
    const scene = document.querySelector<HTMLElement>('[data-testid=video-scene]');
    const els = [...document.querySelectorAll<HTMLElement>('[data-testid=video-tile]')];
    return {
      reason: scene?.dataset.linkReason ?? '',
      ref: scene?.dataset.linkRef ?? '',
      tiles: els.map((e) => {
        const video = e.querySelector('video');
        const ff = e.dataset.firstFrame ?? '';
        return {
          index: Number(e.dataset.index),
          cameraId: e.dataset.cameraId ?? '',
          kind: e.dataset.kind ?? '',
          state: e.dataset.state ?? '',
          live: e.dataset.live === '1',
          decoding: e.dataset.decoding === '1',
          firstFrame: ff === '' ? null : Number(ff),
          currentTime: video?.currentTime ?? 0,
          text: e.innerText,
        };
      }),
    };
  });
}

/** The video's currentTime of one tile, twice, `gapMs` apart (the page's own timer, not a sleep here). */
export function progressOf(page: Page, index: number, gapMs = 1500): Promise<[number, number]> {
  return page.evaluate(
    ({ index, gapMs }) =>
      new Promise<[number, number]>((resolve) => {
        const video = () =>
          document.querySelector<HTMLVideoElement>(`[data-testid=video-tile][data-index="${index}"] video`);
        const a = video()?.currentTime ?? 0;
        setTimeout(() => resolve([a, video()?.currentTime ?? 0]), gapMs);
      }),
    { index, gapMs },
  );
}

/** Waits until a tile plays: its state says so and its video's currentTime advances. */
export async function waitPlaying(page: Page, index: number, timeoutMs = 60_000): Promise<void> {
  await waitFor(
    `tile ${index} to play`,
    async () => {
      const t = (await tiles(page)).find((x) => x.index === index);
      if (t?.state !== 'playing') return false;
      if (t.kind === 'mjpeg') return true;
      const [a, b] = await progressOf(page, index, 800);
      return b > a || (b < a && b > 0);
    },
    timeoutMs,
  );
}

export function cameras(page: Page): Promise<Camera[]> {
  return page.evaluate(() => {
    const s = (
      globalThis as unknown as { __gridwall: { store: { getState(): { cameras: { byId: Map<string, Camera> } } } } }
    ).__gridwall.store.getState();
    return [...s.cameras.byId.values()];
  });
}

const R = 6_371_008.8;
/** Great-circle metres (haversine): the brute-force reference for the linkage. */
export function metres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

export async function waitReady(page: Page): Promise<void> {
  await waitFor('the wall to load', () =>
    page.evaluate(
      () =>
        (globalThis as { __gridwall?: { store: { getState(): { ready: boolean } } } }).__gridwall?.store.getState()
          .ready === true,
    ),
  );
}

/** Open cases with a place, as the page holds them. */
export function openCases(page: Page): Promise<{ id: string; code: string; lng: number; lat: number }[]> {
  return page.evaluate(() => {
    const s = (
      globalThis as unknown as {
        __gridwall: {
          store: {
            getState(): {
              cases: {
                byId: Map<string, { id: string; code: string; lng: number; lat: number; endedAt: number | null }>;
              };
            };
          };
        };
      }
    ).__gridwall.store.getState();
    return [...s.cases.byId.values()]
      .filter((c) => c.endedAt === null)
      .map((c) => ({ id: c.id, code: c.code, lng: c.lng, lat: c.lat }));
  });
}

export function focus(page: Page, caseId: string | null): Promise<number> {
  return page.evaluate((id) => {
    const t0 = performance.now();
    (globalThis as unknown as { __gridwall: { focus(id: string | null): void } }).__gridwall.focus(id);
    return t0;
  }, caseId);
}

/**
 * A sensor's alarm through the server's own intake, as the device would raise it, a minute after
 * what came before: the wall links to alarms raised after its focus was set, on the server's clock,
 * which the tests' manual clock holds still until it is stepped.
 */
export async function raiseSensorAlarm(t: TestServer, sensor: Sensor): Promise<void> {
  await t.advance(MINUTE);
  const server = t.server;
  const category = server.preset.categories[0];
  if (!category) throw new Error('no category');
  await server.core.report(
    {
      category: category.code,
      source: 'sensor',
      priority: 'normal',
      description: `${sensor.name}报警`,
      location: { ...sensor.position, address: sensor.name },
      reporter: null,
      media: [],
      selfHandled: false,
    },
    { id: 'sensor', name: sensor.name, role: 'admin' },
    sensor.id,
  );
}
