import { join, resolve } from 'node:path';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MediaFaults, registerMedia, splitJpegs } from './media';

const MEDIA = resolve(import.meta.dirname, '../../resources/media');

describe('media route', () => {
  let app: FastifyInstance;
  let base: string;
  const faults = new MediaFaults();

  beforeAll(async () => {
    app = Fastify();
    await registerMedia(app, MEDIA, faults);
    base = await app.listen({ host: '127.0.0.1', port: 0 });
  });
  afterAll(() => app.close());

  it('serves the HLS playlists, segments and MP4 clips, revalidated on every request', async () => {
    const m3u8 = await fetch(`${base}/media/clips/clip-1/index.m3u8`);
    expect(m3u8.status).toBe(200);
    expect(m3u8.headers.get('content-type')).toBe('application/vnd.apple.mpegurl');
    expect(await m3u8.text()).toContain('#EXT-X-ENDLIST');
    const segment = await fetch(`${base}/media/clips/clip-1/seg-000.m2ts`);
    expect(segment.headers.get('content-type')).toBe('video/mp2t');
    const mp4 = await fetch(`${base}/media/clips/clip-3.mp4`, { headers: { range: 'bytes=0-99' } });
    expect(mp4.status).toBe(206);
    expect(mp4.headers.get('cache-control')).toContain('max-age=0');
    expect((await mp4.arrayBuffer()).byteLength).toBe(100);
  });

  it('fails a path on purpose and recovers when the fault clears', async () => {
    faults.set('/media/clips/clip-2/', 'error');
    expect((await fetch(`${base}/media/clips/clip-2/seg-000.m2ts`)).status).toBe(503);
    expect((await fetch(`${base}/media/clips/clip-1/seg-000.m2ts`)).status).toBe(200);
    faults.clear('/media/clips/clip-2/');
    expect((await fetch(`${base}/media/clips/clip-2/seg-000.m2ts`)).status).toBe(200);
  });

  it('holds a stalled request until the fault clears', async () => {
    faults.set('/media/clips/clip-1/', 'stall');
    let answered = false;
    const pending = fetch(`${base}/media/clips/clip-1/index.m3u8`).then((r) => {
      answered = true;
      return r.status;
    });
    // The request has reached the server and waits there (no timer in the test decides this).
    await expect.poll(() => faults.stalledRequests()).toBe(1);
    expect(answered).toBe(false);
    faults.clear();
    expect(await pending).toBe(200);
  });

  it('streams an MJPEG clip as multipart JPEG frames', async () => {
    const ctrl = new AbortController();
    const res = await fetch(`${base}/media/mjpeg/clip-4`, { signal: ctrl.signal });
    expect(res.headers.get('content-type')).toBe('multipart/x-mixed-replace; boundary=gridwallframe');
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    let got = Buffer.alloc(0);
    while (got.indexOf('--gridwallframe', 0) === got.lastIndexOf('--gridwallframe') || got.length < 100) {
      const { value, done } = await reader.read();
      if (done) break;
      got = Buffer.concat([got, Buffer.from(value)]);
    }
    ctrl.abort();
    const start = got.indexOf(Buffer.from([0xff, 0xd8]));
    expect(start).toBeGreaterThan(0);
    expect((await fetch(`${base}/media/mjpeg/clip-9`)).status).toBe(404);
    expect((await fetch(`${base}/media/mjpeg/..%2Fsecret`)).status).toBe(404);
  });
});

describe('splitJpegs', () => {
  it('splits concatenated JPEGs at their start markers', () => {
    const a = Buffer.from([0xff, 0xd8, 1, 2, 0xff, 0xd9]);
    const b = Buffer.from([0xff, 0xd8, 0xff, 0xd8, 3, 0xff, 0xd9]);
    const frames = splitJpegs(Buffer.concat([a, b]));
    expect(frames.map((f) => [...f])).toEqual([[...a], [...b]]);
  });
  it('finds the frames of the demo clip', async () => {
    const { readFileSync } = await import('node:fs');
    const frames = splitJpegs(readFileSync(join(MEDIA, 'clips/clip-4.mjpeg')));
    expect(frames.length).toBe(32);
    for (const f of frames) expect([f[0], f[1], f.at(-2), f.at(-1)]).toEqual([0xff, 0xd8, 0xff, 0xd9]);
  });
});
