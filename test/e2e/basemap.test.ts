import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type BaseMap, BaseMap as BaseMapSchema } from '../../protocol';
import { DEMO_CONFIG, type RunningServer, startServer } from '../../server/app/start';
import type { BaseMapConfig } from '../../server/config';
import { ensureRendererBuilt, launchBrowser, type PixelPage, ROOT, screenshotInPage, waitFor } from './harness';

/**
 * An operator's own base map, served by the server from a folder of its config: a tiny raster tile
 * set written here (solid colours), as XYZ tiles and as a PMTiles archive. The wall must draw it
 * under the grids, and ask nothing of any other host.
 */

type Rgb = readonly [number, number, number];
const MAGENTA: Rgb = [255, 0, 255];
const GREEN: Rgb = [0, 255, 0];
/** Levels written; the map scales the deepest up to whatever zoom it shows. */
const MAX_ZOOM = 2;

/** A solid 256×256 RGB PNG. */
function solidPng([r, g, b]: Rgb): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const head = Buffer.alloc(8);
    head.writeUInt32BE(data.length, 0);
    head.write(type, 4, 'latin1');
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
    return Buffer.concat([head, data, crc]);
  };
  const size = 256;
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8 bits, truecolour
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x++) row.set([r, g, b], 1 + x * 3);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function writeXyz(dir: string, png: Buffer): void {
  for (let z = 0; z <= MAX_ZOOM; z++) {
    for (let x = 0; x < 2 ** z; x++) {
      mkdirSync(join(dir, `${z}`, `${x}`), { recursive: true });
      for (let y = 0; y < 2 ** z; y++) writeFileSync(join(dir, `${z}`, `${x}`, `${y}.png`), png);
    }
  }
}

function varint(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v & 0x7f) | 0x80);
    v = Math.floor(v / 128);
  }
  out.push(v);
  return out;
}

/**
 * A PMTiles v3 archive of one PNG for every tile of zooms 0..MAX_ZOOM. Tile ids of whole zoom levels
 * from 0 are 0..n-1, so one directory entry with a run length covers them all.
 */
function writePmtiles(file: string, png: Buffer): void {
  const tiles = ((4 ** (MAX_ZOOM + 1) - 1) / 3) | 0;
  // entries, tile id delta, run length, length, offset + 1
  const dir = Buffer.from([...varint(1), ...varint(0), ...varint(tiles), ...varint(png.length), ...varint(1)]);
  const meta = Buffer.from('{"name":"test"}');
  const header = Buffer.alloc(127);
  header.write('PMTiles', 0, 'latin1');
  header.writeUInt8(3, 7);
  const u64 = (at: number, v: number) => header.writeBigUInt64LE(BigInt(v), at);
  const dirAt = 127;
  const metaAt = dirAt + dir.length;
  const dataAt = metaAt + meta.length;
  u64(8, dirAt);
  u64(16, dir.length);
  u64(24, metaAt);
  u64(32, meta.length);
  u64(40, dataAt); // no leaf directories
  u64(48, 0);
  u64(56, dataAt);
  u64(64, png.length);
  u64(72, tiles);
  u64(80, 1);
  u64(88, 1);
  header.set([1, 1, 1, 2, 0, MAX_ZOOM], 96); // clustered, no compression ×2, PNG, zooms
  header.writeInt32LE(-180e7, 102);
  header.writeInt32LE(-85e7, 106);
  header.writeInt32LE(180e7, 110);
  header.writeInt32LE(85e7, 114);
  writeFileSync(file, Buffer.concat([header, dir, meta, png]));
}

let tmp: string;
let browser: Browser;

beforeAll(async () => {
  await ensureRendererBuilt();
  tmp = mkdtempSync(join(tmpdir(), 'gridwall-basemap-'));
  writeXyz(join(tmp, 'tiles'), solidPng(MAGENTA));
  writePmtiles(join(tmp, 'city.pmtiles'), solidPng(GREEN));
  browser = await launchBrowser();
});

afterAll(async () => {
  await browser?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

/** A server whose config (the demo one plus `baseMap`) sits in the temp folder, paths relative to it. */
async function serverWith(baseMap: unknown, name: string): Promise<RunningServer> {
  const config = { ...(JSON.parse(readFileSync(DEMO_CONFIG, 'utf8')) as object), baseMap };
  const configPath = join(tmp, `${name}.json`);
  writeFileSync(configPath, JSON.stringify(config));
  return startServer({
    host: '127.0.0.1',
    port: 0,
    dataDir: mkdtempSync(join(tmp, `data-${name}-`)),
    configPath,
    preset: 'small',
    simulate: false,
  });
}

/** Share of the map's pixels near `rgb` blended at the base layer's opacity over the background. */
async function shareOf(page: Page, rgb: Rgb): Promise<number> {
  const b64 = await screenshotInPage(page, '[data-testid="map"] canvas');
  return page.evaluate(
    async ({ b64, rgb }) => {
      const { data } = await (globalThis as unknown as PixelPage).gwPixels(b64);
      const bg = [6, 20, 43];
      // raster-opacity 0.6 over the style's background
      const want = rgb.map((c, i) => 0.6 * c + 0.4 * (bg[i] ?? 0));
      let hits = 0;
      for (let i = 0; i < data.length; i += 4) {
        const d =
          Math.abs((data[i] ?? 0) - (want[0] ?? 0)) +
          Math.abs((data[i + 1] ?? 0) - (want[1] ?? 0)) +
          Math.abs((data[i + 2] ?? 0) - (want[2] ?? 0));
        if (d < 24) hits++;
      }
      return hits / (data.length / 4);
    },
    { b64, rgb },
  );
}

async function expectBaseMapOnWall(server: RunningServer, rgb: Rgb, name: string): Promise<string[]> {
  const page = await browser.newPage({ viewport: { width: 1920, height: 1080 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(`${server.url}/wall?layout=single`);
  await page.waitForSelector('[data-testid="map"][data-loaded="1"]', { timeout: 120_000 });
  // Around the district's grids the base map shows bare (only its opacity over the background).
  const share = await waitFor('the base map drawn', async () => {
    const s = await shareOf(page, rgb);
    return s > 0.05 ? s : null;
  });
  expect(share).toBeGreaterThan(0.05);
  const dir = join(ROOT, 'artifacts/screenshots');
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `basemap-${name}-single-1920x1080.png`) });
  expect(errors).toEqual([]);
  await page.close();
  return requests;
}

const offSite = (requests: string[], origin: string) =>
  requests.filter((u) => !u.startsWith(`${origin}/`) && !u.startsWith('data:') && !u.startsWith('blob:'));

describe('base map from the server config', () => {
  it('draws XYZ tiles served from a folder', async () => {
    const server = await serverWith(
      { type: 'xyz', dir: 'tiles', maxzoom: MAX_ZOOM } satisfies Partial<BaseMapConfig>,
      'xyz',
    );
    try {
      const res = await fetch(`${server.url}/api/basemap`);
      const body = (await res.json()) as { baseMap: unknown };
      const baseMap: BaseMap = BaseMapSchema.parse(body.baseMap);
      expect(baseMap).toEqual({
        type: 'xyz',
        tiles: ['/basemap/xyz/{z}/{x}/{y}.png'],
        tileSize: 256,
        minzoom: 0,
        maxzoom: MAX_ZOOM,
      });
      expect((await fetch(`${server.url}/basemap/xyz/2/1/3.png`)).headers.get('content-type')).toBe('image/png');
      expect((await fetch(`${server.url}/basemap/xyz/../xyz.json`)).status).toBe(404);

      const requests = await expectBaseMapOnWall(server, MAGENTA, 'xyz');
      expect(requests.some((u) => u.includes('/basemap/xyz/'))).toBe(true);
      expect(offSite(requests, server.url)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('draws a raster PMTiles archive read by HTTP ranges', async () => {
    const server = await serverWith({ type: 'pmtiles', file: 'city.pmtiles' }, 'pmtiles');
    try {
      const res = await fetch(`${server.url}/api/basemap`);
      expect(await res.json()).toEqual({ baseMap: { type: 'pmtiles', url: '/basemap/pmtiles/city.pmtiles' } });
      const part = await fetch(`${server.url}/basemap/pmtiles/city.pmtiles`, { headers: { range: 'bytes=0-6' } });
      expect(part.status).toBe(206);
      expect(await part.text()).toBe('PMTiles');
      // Only the archive: not the config or the tiles folder that lie beside it.
      expect((await fetch(`${server.url}/basemap/pmtiles/pmtiles.json`)).status).toBe(404);

      const requests = await expectBaseMapOnWall(server, GREEN, 'pmtiles');
      expect(requests.some((u) => u.endsWith('/basemap/pmtiles/city.pmtiles'))).toBe(true);
      expect(offSite(requests, server.url)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('serves no base map when the config has none', async () => {
    const server = await serverWith(undefined, 'none');
    try {
      expect(await (await fetch(`${server.url}/api/basemap`)).json()).toEqual({ baseMap: null });
    } finally {
      await server.close();
    }
  });
});
