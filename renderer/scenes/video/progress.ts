/**
 * Watches a picture for progress: a tile must never freeze silently. The position is whatever
 * moves while a stream plays (a video's currentTime, a hash of an MJPEG image's pixels); when it
 * has not changed for `stallMs` the stream is stalled, whatever the player's own events say.
 */
export class ProgressWatch {
  private last: number | null = null;
  private changedAt: number;

  constructor(
    private readonly stallMs: number,
    now: number,
  ) {
    this.changedAt = now;
  }

  /** Starts over (a new connection): the stream gets a whole `stallMs` from now. */
  restart(now: number): void {
    this.last = null;
    this.changedAt = now;
  }

  /** Records the position at `now`; true when the stream has stalled. */
  observe(now: number, position: number): boolean {
    if (this.last === null || position !== this.last) {
      if (this.last !== null || position !== 0) this.changedAt = now;
      this.last = position;
    }
    return now - this.changedAt >= this.stallMs;
  }

  /** Milliseconds since the position last moved. */
  idleFor(now: number): number {
    return now - this.changedAt;
  }
}
