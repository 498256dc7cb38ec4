import type { Clock } from '../clock';

/**
 * The server's clock when history is filled at first start: the simulator sets the time by hand
 * while it plays the past days quickly, then `goLive` hands over to scaled real time (like
 * ScaledClock) from the moment reached. Time never goes back.
 */
export class HistoryClock implements Clock {
  private t: number;
  private live: { start: number; realStart: number } | null = null;

  constructor(
    start: number,
    /** Simulated seconds per real second once live. */
    readonly speed: number,
    private readonly realNow: () => number = Date.now,
  ) {
    this.t = start;
  }

  get isLive(): boolean {
    return this.live !== null;
  }

  now(): number {
    if (!this.live) return this.t;
    return Math.floor(this.live.start + (this.realNow() - this.live.realStart) * this.speed);
  }

  set(t: number): void {
    if (this.live) throw new Error('the clock is live: it can no longer be set');
    if (t < this.t) throw new Error('the clock never goes back');
    this.t = t;
  }

  /** From now on, time runs `speed`× real time from the time reached (or `from`, if later). */
  goLive(from = this.t): void {
    if (this.live) return;
    this.live = { start: Math.max(from, this.t), realStart: this.realNow() };
  }
}
