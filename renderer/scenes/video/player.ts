import Hls from 'hls.js';
import type { StreamKind } from '../../../protocol';
import { Backoff } from './backoff';
import { ProgressWatch } from './progress';

/**
 * One tile's playback, outside React: a <video> (HLS through hls.js, or MP4) or an <img> (MJPEG),
 * and a <canvas> holding the last frame while the tile has no decoder. The scene says which
 * source and whether the tile may decode now; the player connects, watches the picture move,
 * says "no signal" when it does not, and reconnects with backoff.
 */

export type PlayerState =
  /** No source, or not allowed to decode: the last frame (if any) shows. */
  | 'standby'
  | 'connecting'
  | 'playing'
  /** Failed or stalled; `retryAt` says when it tries again. */
  | 'nosignal'
  | 'unsupported';

export interface PlayerSource {
  /** The camera: another camera is another connection, even where two share a URL (the demo clips). */
  id: string;
  url: string;
  kind: StreamKind;
}

export interface PlayerInfo {
  state: PlayerState;
  retryAt: number | null;
  /** Local time of the last frame held in the canvas (standby), or null. */
  frameAt: number | null;
  /** performance.now() of the first frame since the source was set (the linkage benchmark). */
  firstFrameAt: number | null;
  decoding: boolean;
}

export interface PlayerOptions {
  stallMs: number;
  onChange(info: PlayerInfo): void;
  random?: () => number;
}

/** Decoders attached on this page now, and the most ever: what the e2e test holds against the cap. */
export const decoderStats = { now: 0, max: 0 };
(globalThis as { __gridwallVideo?: typeof decoderStats }).__gridwallVideo = decoderStats;

const WATCH_MS = 1000;

export function playable(kind: StreamKind): boolean {
  // WebRTC needs a signalling exchange with the gateway (WHEP); the gateway also serves HLS.
  return kind === 'hls' || kind === 'mp4' || kind === 'mjpeg';
}

export class TilePlayer {
  private readonly video: HTMLVideoElement;
  private readonly img: HTMLImageElement;
  private readonly canvas: HTMLCanvasElement;
  private hls: Hls | null = null;
  private source: PlayerSource | null = null;
  private live = false;
  private attached = false;
  private state: PlayerState = 'standby';
  private retryAt: number | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private watchTimer: ReturnType<typeof setInterval> | null = null;
  private readonly backoff: Backoff;
  private readonly watch: ProgressWatch;
  private frameAt: number | null = null;
  private firstFrameAt: number | null = null;
  private playingSince: number | null = null;
  private sampler: CanvasRenderingContext2D | null = null;
  private disposed = false;
  /** Failed since it last played: retries keep saying "no signal". */
  private failing = false;

  constructor(
    private readonly host: HTMLElement,
    private readonly options: PlayerOptions,
  ) {
    const doc = host.ownerDocument;
    this.canvas = doc.createElement('canvas');
    this.canvas.className = 'gw-tile-frame';
    this.video = doc.createElement('video');
    this.video.className = 'gw-tile-video';
    this.video.muted = true;
    this.video.playsInline = true;
    this.video.loop = true;
    this.video.preload = 'auto';
    this.img = doc.createElement('img');
    this.img.className = 'gw-tile-video';
    this.img.alt = '';
    host.append(this.canvas, this.video, this.img);
    this.video.hidden = true;
    this.img.hidden = true;
    this.backoff = new Backoff(undefined, options.random);
    this.watch = new ProgressWatch(options.stallMs, Date.now());
    this.video.addEventListener('error', () => this.fail());
    this.img.addEventListener('error', () => this.fail());
  }

  setSource(source: PlayerSource | null): void {
    const same = (a: PlayerSource | null, b: PlayerSource | null) =>
      a === b || (a !== null && b !== null && a.id === b.id && a.url === b.url && a.kind === b.kind);
    if (same(source, this.source)) return;
    this.detach(false);
    this.clearFrame();
    this.source = source;
    this.firstFrameAt = null;
    this.failing = false;
    this.backoff.reset();
    this.clearRetry();
    this.update();
  }

  setLive(live: boolean): void {
    if (live === this.live) return;
    this.live = live;
    if (!live) {
      this.clearRetry();
      this.detach(true);
    }
    this.update();
  }

  private update(): void {
    if (this.disposed) return;
    if (!this.source || (!this.live && playable(this.source.kind))) this.set('standby');
    else if (!playable(this.source.kind)) this.set('unsupported');
    else if (this.retryTimer === null && !this.attached) this.attach();
  }

  private attach(): void {
    const src = this.source;
    if (!src) return;
    this.attached = true;
    decoderStats.now++;
    decoderStats.max = Math.max(decoderStats.max, decoderStats.now);
    this.playingSince = null;
    this.watch.restart(Date.now());
    // A stream that failed still says "no signal" while it tries again, until it plays.
    this.set(this.failing ? 'nosignal' : 'connecting');
    const url = new URL(src.url, location.href).href;
    if (src.kind === 'mjpeg') {
      this.img.hidden = false;
      this.img.src = url;
    } else {
      this.video.hidden = false;
      if (src.kind === 'hls' && Hls.isSupported()) {
        const hls = new Hls({
          // A wall tile shows now, not a minute of buffer: little memory per tile, and a dead
          // source shows within seconds instead of after the buffer runs dry.
          maxBufferLength: 4,
          maxMaxBufferLength: 8,
          backBufferLength: 0,
          enableWorker: true,
          startLevel: 0,
          fragLoadPolicy: {
            default: {
              maxTimeToFirstByteMs: 8000,
              maxLoadTimeMs: 15_000,
              timeoutRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 2000 },
              errorRetry: { maxNumRetry: 1, retryDelayMs: 500, maxRetryDelayMs: 2000 },
            },
          },
        });
        hls.on(Hls.Events.ERROR, (_e, data) => {
          if (data.fatal) this.fail();
        });
        hls.loadSource(url);
        hls.attachMedia(this.video);
        this.hls = hls;
      } else {
        // MP4, or HLS where the browser plays it itself (Safari).
        this.video.src = url;
      }
      void this.video.play().catch(() => {
        // Autoplay of a muted video is allowed; a rejection here means the source failed, which
        // the error event or the progress watch reports.
      });
      if ('requestVideoFrameCallback' in this.video) {
        this.video.requestVideoFrameCallback(() => this.onFirstFrame());
      }
    }
    this.startWatch();
  }

  private onFirstFrame(): void {
    if (this.firstFrameAt === null) this.firstFrameAt = performance.now();
    this.emit();
  }

  /** Stops decoding; with `keepFrame` the picture of the moment stays in the canvas. */
  private detach(keepFrame: boolean): void {
    this.stopWatch();
    if (!this.attached) return;
    if (keepFrame && this.state === 'playing') this.snapshot();
    this.attached = false;
    decoderStats.now--;
    if (this.hls) {
      this.hls.destroy();
      this.hls = null;
    }
    this.video.pause();
    this.video.removeAttribute('src');
    // Releases the decoder and the media buffers now, not when the element is collected.
    this.video.load();
    this.video.hidden = true;
    this.img.removeAttribute('src');
    this.img.hidden = true;
  }

  private snapshot(): void {
    const el = this.source?.kind === 'mjpeg' ? this.img : this.video;
    const w = el instanceof HTMLVideoElement ? el.videoWidth : el.naturalWidth;
    const h = el instanceof HTMLVideoElement ? el.videoHeight : el.naturalHeight;
    if (w === 0 || h === 0) return;
    this.canvas.width = w;
    this.canvas.height = h;
    const g = this.canvas.getContext('2d');
    if (!g) return;
    try {
      g.drawImage(el, 0, 0, w, h);
      this.frameAt = Date.now();
    } catch {
      // A cross-origin MJPEG without CORS taints nothing but cannot be drawn on some engines: keep the old frame.
    }
  }

  private clearFrame(): void {
    this.canvas.width = 0;
    this.canvas.height = 0;
    this.frameAt = null;
  }

  private startWatch(): void {
    this.stopWatch();
    this.watchTimer = setInterval(() => this.check(), WATCH_MS);
  }

  private stopWatch(): void {
    if (this.watchTimer !== null) clearInterval(this.watchTimer);
    this.watchTimer = null;
  }

  /** The position that moves while the picture does. */
  private position(): number {
    if (this.source?.kind !== 'mjpeg') return this.video.currentTime;
    // An <img> fires no event per multipart frame: hash a few pixels of a tiny copy instead.
    if (!this.img.complete || this.img.naturalWidth === 0) return 0;
    if (!this.sampler) {
      const c = this.host.ownerDocument.createElement('canvas');
      c.width = 16;
      c.height = 9;
      this.sampler = c.getContext('2d', { willReadFrequently: true });
    }
    const g = this.sampler;
    if (!g) return 0;
    try {
      g.drawImage(this.img, 0, 0, 16, 9);
      const data = g.getImageData(0, 0, 16, 9).data;
      let hash = 0;
      for (let i = 0; i < data.length; i++) hash = (Math.imul(hash, 31) + (data[i] ?? 0)) | 0;
      return hash === 0 ? 1 : hash;
    } catch {
      return 0;
    }
  }

  private check(): void {
    if (!this.attached) return;
    const now = Date.now();
    const stalled = this.watch.observe(now, this.position());
    if (stalled) {
      this.fail();
      return;
    }
    const moved = this.watch.idleFor(now) < WATCH_MS * 1.5 && this.progressed();
    if (moved && this.state !== 'playing') {
      this.playingSince = now;
      this.failing = false;
      if (this.firstFrameAt === null) this.firstFrameAt = performance.now();
      this.set('playing');
    }
    // Steady for a while: the next failure starts the backoff from the beginning again.
    if (this.playingSince !== null && now - this.playingSince > 20_000) this.backoff.reset();
  }

  private progressed(): boolean {
    return this.source?.kind === 'mjpeg' ? this.img.naturalWidth > 0 : this.video.currentTime > 0;
  }

  private fail(): void {
    if (!this.attached || this.disposed) return;
    // The frame it froze on stays under the "no signal" sign.
    this.detach(true);
    this.failing = true;
    const delay = this.backoff.next();
    this.retryAt = Date.now() + delay;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.retryAt = null;
      this.update();
    }, delay);
    this.set('nosignal');
  }

  private clearRetry(): void {
    if (this.retryTimer !== null) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.retryAt = null;
  }

  private set(state: PlayerState): void {
    this.state = state;
    this.emit();
  }

  private emit(): void {
    this.options.onChange({
      state: this.state,
      retryAt: this.retryAt,
      frameAt: this.frameAt,
      firstFrameAt: this.firstFrameAt,
      decoding: this.attached,
    });
  }

  /** The <video> (tests read its currentTime). */
  get element(): HTMLVideoElement {
    return this.video;
  }

  dispose(): void {
    this.disposed = true;
    this.clearRetry();
    this.detach(false);
    this.host.replaceChildren();
  }
}
