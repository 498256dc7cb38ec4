import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/**
 * `/media/`: the demo cameras' clips (resources/media) as files (MP4, HLS playlists and segments),
 * and `/media/mjpeg/<clip>`: a Motion-JPEG clip replayed as a live multipart stream, looping.
 * Real cameras do not come through here: their records point at a gateway (README, docs/video.md).
 */

export type MediaFaultMode = 'error' | 'stall';

/**
 * Makes media paths fail on purpose: `error` answers 503, `stall` holds requests (and freezes MJPEG
 * streams) until the fault is cleared. The e2e tests run the server in their own process and use it
 * to show that a tile says "no signal" and comes back; nothing in production sets it.
 */
export class MediaFaults {
  private readonly faults = new Map<string, MediaFaultMode>();
  private readonly waiting = new Set<() => void>();
  private held = 0;

  /** `prefix` is a path under /media/, e.g. `/media/clips/clip-1/`. */
  set(prefix: string, mode: MediaFaultMode): void {
    this.faults.set(prefix, mode);
  }

  clear(prefix?: string): void {
    if (prefix === undefined) this.faults.clear();
    else this.faults.delete(prefix);
    for (const wake of [...this.waiting]) wake();
  }

  /** Requests held by a stall now (tests wait for this rather than for time to pass). */
  stalledRequests(): number {
    return this.held;
  }

  modeOf(path: string): MediaFaultMode | null {
    for (const [prefix, mode] of this.faults) if (path.startsWith(prefix)) return mode;
    return null;
  }

  /** Resolves when `path` is no longer stalled, or after `maxMs` (a held request must not leak). */
  async whileStalled(path: string, maxMs: number): Promise<boolean> {
    const deadline = Date.now() + maxMs;
    this.held++;
    try {
      return await this.waitOut(path, deadline);
    } finally {
      this.held--;
    }
  }

  private async waitOut(path: string, deadline: number): Promise<boolean> {
    while (this.modeOf(path) === 'stall') {
      const left = deadline - Date.now();
      if (left <= 0) return false;
      await new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          this.waiting.delete(done);
          resolve();
        };
        const timer = setTimeout(done, Math.min(left, 1000));
        this.waiting.add(done);
      });
    }
    return true;
  }
}

/** The server process's faults (one per process: tests start their server in-process). */
export const mediaFaults = new MediaFaults();

const STALL_MAX_MS = 60_000;
const MJPEG_FPS = 4;
const BOUNDARY = 'gridwallframe';

/** Splits concatenated JPEGs (ffmpeg `-f mjpeg`) at their start-of-image markers. */
export function splitJpegs(data: Buffer): Buffer[] {
  const frames: Buffer[] = [];
  let start = -1;
  for (let i = 0; i + 1 < data.length; i++) {
    if (data[i] === 0xff && data[i + 1] === 0xd8 && (i === 0 || (data[i - 2] === 0xff && data[i - 1] === 0xd9))) {
      if (start >= 0) frames.push(data.subarray(start, i));
      start = i;
    }
  }
  if (start >= 0) frames.push(data.subarray(start));
  return frames;
}

export async function registerMedia(app: FastifyInstance, mediaDir: string, faults = mediaFaults): Promise<void> {
  if (!existsSync(mediaDir)) return;
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    const path = req.url.split('?')[0] ?? '';
    if (!path.startsWith('/media/')) return;
    const mode = faults.modeOf(path);
    if (mode === 'error') return reply.status(503).header('cache-control', 'no-store').send('media fault (test)');
    if (mode === 'stall' && !path.startsWith('/media/mjpeg/')) {
      if (!(await faults.whileStalled(path, STALL_MAX_MS))) return reply.status(504).send('media stalled (test)');
    }
  });

  const frames = new Map<string, Buffer[]>();
  const framesOf = (clip: string): Buffer[] | null => {
    if (!/^clip-\d{1,2}$/.test(clip)) return null;
    let f = frames.get(clip);
    if (!f) {
      const file = join(mediaDir, 'clips', `${clip}.mjpeg`);
      if (!existsSync(file)) return null;
      f = splitJpegs(readFileSync(file));
      frames.set(clip, f);
    }
    return f.length > 0 ? f : null;
  };

  app.get<{ Params: { clip: string } }>('/media/mjpeg/:clip', (req, reply) => {
    const list = framesOf(req.params.clip);
    if (!list) return reply.status(404).send('no such clip');
    const path = req.url.split('?')[0] ?? '';
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      'content-type': `multipart/x-mixed-replace; boundary=${BOUNDARY}`,
      'cache-control': 'no-store',
      connection: 'close',
    });
    let n = 0;
    const timer = setInterval(() => {
      const mode = faults.modeOf(path);
      if (mode === 'error') {
        res.end();
        return;
      }
      // A stalled camera keeps the connection open and sends nothing: the picture freezes.
      if (mode === 'stall') return;
      const frame = list[n++ % list.length] as Buffer;
      res.write(`--${BOUNDARY}\r\ncontent-type: image/jpeg\r\ncontent-length: ${frame.length}\r\n\r\n`);
      res.write(frame);
      res.write('\r\n');
    }, 1000 / MJPEG_FPS);
    const stop = () => clearInterval(timer);
    res.on('close', stop);
    res.on('error', stop);
  });

  // Revalidated on every request (max-age 0, ETag): a camera that fails must look failed at once,
  // not play on from the browser's cache.
  await app.register(fastifyStatic, {
    root: mediaDir,
    prefix: '/media/',
    decorateReply: false,
    maxAge: 0,
    cacheControl: true,
    // The segments are named .m2ts (not .ts: TypeScript tools take those for source), a type the
    // static server does not know.
    setHeaders: (res, path) => {
      if (path.endsWith('.m2ts')) res.header('content-type', 'video/mp2t');
      else if (path.endsWith('.m3u8')) res.header('content-type', 'application/vnd.apple.mpegurl');
    },
  });
}
