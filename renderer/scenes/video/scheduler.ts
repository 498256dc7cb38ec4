/**
 * Which tiles may decode. A decoder costs CPU and tens of MB; a wall of 36 tiles on a workstation
 * GPU, or 16 on a software-decoding PC, must cap them. Tiles over the cap show their last frame.
 *
 * Priority: the enlarged tile, then pinned tiles, then tile order (linkage puts the nearest camera
 * first). The top `cap − rotating` tiles decode for good; `rotating` slots pass from one waiting
 * tile to the next every `rotateMs`, so that every picture is refreshed now and then and none is
 * hours old. Tiles that are hidden (under the enlarged tile, on a page not shown) never decode.
 */

export interface TileDemand {
  /** Stable while the tile shows the same camera: tile index and camera id. */
  key: string;
  /** Tile order (reading order; linkage fills it nearest first). */
  order: number;
  /** It has a camera with a stream that may play (online, a URL it can handle). */
  playable: boolean;
  visible: boolean;
  enlarged: boolean;
  pinned: boolean;
}

export interface SchedulerOptions {
  cap: number;
  rotateMs: number;
}

/** Rotating slots for a cap: none for one decoder (it goes to the most important tile), else a quarter. */
export function rotatingSlots(cap: number): number {
  return cap <= 1 ? 0 : Math.max(1, Math.floor(cap / 4));
}

export class DecoderScheduler {
  /** When each live tile got its decoder. */
  private readonly liveSince = new Map<string, number>();
  /** When each tile last had a decoder (its picture's age). */
  private readonly lastLiveAt = new Map<string, number>();

  constructor(private options: SchedulerOptions) {}

  setOptions(options: SchedulerOptions): void {
    this.options = options;
  }

  /** The keys that may decode now. Call it on every change and on a timer (rotation). */
  plan(tiles: readonly TileDemand[], now: number): Set<string> {
    const cap = Math.max(0, Math.floor(this.options.cap));
    const candidates = tiles.filter((t) => t.playable && t.visible);
    let live: TileDemand[];
    if (candidates.length <= cap) {
      live = candidates;
    } else {
      const byPriority = [...candidates].sort(
        (a, b) => Number(b.enlarged) - Number(a.enlarged) || Number(b.pinned) - Number(a.pinned) || a.order - b.order,
      );
      const rotating = Math.min(rotatingSlots(cap), byPriority.length - cap);
      const fixed = byPriority.slice(0, cap - rotating);
      const rest = byPriority.slice(cap - rotating);
      // Tiles that got a rotating slot keep it for rotateMs; then the longest-waiting take over.
      const holding = rest
        .filter((t) => {
          const since = this.liveSince.get(t.key);
          return since !== undefined && now - since < this.options.rotateMs;
        })
        .sort((a, b) => (this.liveSince.get(a.key) ?? 0) - (this.liveSince.get(b.key) ?? 0))
        .slice(0, rotating);
      const holdingKeys = new Set(holding.map((t) => t.key));
      const waiting = rest
        .filter((t) => !holdingKeys.has(t.key))
        .sort(
          (a, b) =>
            (this.lastLiveAt.get(a.key) ?? Number.NEGATIVE_INFINITY) -
              (this.lastLiveAt.get(b.key) ?? Number.NEGATIVE_INFINITY) || a.order - b.order,
        );
      live = [...fixed, ...holding, ...waiting.slice(0, rotating - holding.length)];
    }
    const keys = new Set(live.map((t) => t.key));
    for (const key of keys) {
      if (!this.liveSince.has(key)) this.liveSince.set(key, now);
      this.lastLiveAt.set(key, now);
    }
    for (const key of [...this.liveSince.keys()]) if (!keys.has(key)) this.liveSince.delete(key);
    // Forget tiles that are gone (their camera changed), so the maps stay as small as the wall.
    const present = new Set(tiles.map((t) => t.key));
    for (const key of [...this.lastLiveAt.keys()]) if (!present.has(key)) this.lastLiveAt.delete(key);
    return keys;
  }
}
