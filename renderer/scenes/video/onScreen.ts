import { z } from 'zod';

const Message = z.discriminatedUnion('type', [
  z.object({ type: z.literal('tiles'), from: z.string().max(64), ids: z.array(z.string().max(64)).max(512) }),
  z.object({ type: z.literal('hello'), from: z.string().max(64) }),
  z.object({ type: z.literal('bye'), from: z.string().max(64) }),
]);
type Message = z.infer<typeof Message>;

/** A window that has not spoken for this long is gone (closed or crashed): its cameras leave the map. */
const REMOTE_TTL_MS = 30_000;
const ANNOUNCE_MS = 10_000;

/**
 * The cameras on screen in the video scenes of a wall, across its windows (one BroadcastChannel
 * per wall, like the focus): the map on one monitor rings the cameras the video wall on another
 * shows. Each window announces its own tiles when they change and every few seconds.
 */
export class OnScreenCameras {
  private readonly local = new Map<string, readonly string[]>();
  private readonly remote = new Map<string, { ids: readonly string[]; at: number }>();
  private readonly listeners = new Set<() => void>();
  private readonly channel: BroadcastChannel | null;
  private readonly id = Math.random().toString(36).slice(2, 12);
  private readonly timer: ReturnType<typeof setInterval> | null;
  private cache: ReadonlySet<string> | null = null;
  private closed = false;

  constructor(wall: string) {
    this.channel = typeof BroadcastChannel === 'undefined' ? null : new BroadcastChannel(`gridwall-video:${wall}`);
    if (this.channel) {
      this.channel.onmessage = (ev: MessageEvent<unknown>) => {
        const parsed = Message.safeParse(ev.data);
        if (parsed.success && parsed.data.from !== this.id) this.receive(parsed.data);
      };
      this.post({ type: 'hello', from: this.id });
    }
    this.timer =
      this.channel === null
        ? null
        : setInterval(() => {
            this.expire();
            if (this.local.size > 0) this.announce();
          }, ANNOUNCE_MS);
  }

  /** A scene's tiles (replaces what it showed before). */
  set(scene: string, ids: readonly string[]): void {
    const prev = this.local.get(scene);
    if (prev && prev.length === ids.length && prev.every((id, i) => id === ids[i])) return;
    this.local.set(scene, [...ids]);
    this.changed();
    this.announce();
  }

  remove(scene: string): void {
    if (!this.local.delete(scene)) return;
    this.changed();
    this.announce();
  }

  /** Every camera on screen in this window and the wall's others. */
  all(): ReadonlySet<string> {
    if (!this.cache) {
      const ids = new Set<string>();
      for (const list of this.local.values()) for (const id of list) ids.add(id);
      for (const r of this.remote.values()) for (const id of r.ids) ids.add(id);
      this.cache = ids;
    }
    return this.cache;
  }

  subscribe(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: Message): void {
    if (msg.type === 'hello') {
      if (this.local.size > 0) this.announce();
      return;
    }
    if (msg.type === 'bye') this.remote.delete(msg.from);
    else this.remote.set(msg.from, { ids: msg.ids, at: Date.now() });
    this.changed();
  }

  private expire(): void {
    const now = Date.now();
    let any = false;
    for (const [from, r] of this.remote) {
      if (now - r.at > REMOTE_TTL_MS) {
        this.remote.delete(from);
        any = true;
      }
    }
    if (any) this.changed();
  }

  private announce(): void {
    const ids = new Set<string>();
    for (const list of this.local.values()) for (const id of list) ids.add(id);
    this.post({ type: 'tiles', from: this.id, ids: [...ids] });
  }

  private changed(): void {
    this.cache = null;
    for (const l of this.listeners) l();
  }

  private post(msg: Message): void {
    // A closed channel throws on postMessage (a scene unmounting after the page's pagehide).
    if (!this.closed) this.channel?.postMessage(msg);
  }

  close(): void {
    if (this.closed) return;
    this.post({ type: 'bye', from: this.id });
    this.closed = true;
    if (this.timer !== null) clearInterval(this.timer);
    this.channel?.close();
  }
}

const registries = new Map<string, OnScreenCameras>();

/** The page's registry for a wall (one per wall name, shared by its video and map scenes). */
export function onScreenCameras(wall: string): OnScreenCameras {
  let r = registries.get(wall);
  if (!r) {
    const created = new OnScreenCameras(wall);
    registries.set(wall, created);
    // Tell the other windows at once, rather than after the time-to-live, that these tiles are gone.
    globalThis.addEventListener?.(
      'pagehide',
      () => {
        created.close();
        registries.delete(wall);
      },
      { once: true },
    );
    r = created;
  }
  return r;
}
