/** Server time. The simulator runs it faster than real time; tests step it by hand. */
export interface Clock {
  now(): number;
  readonly speed: number;
}

/** Real time, or real time scaled by `speed` from `start` (a simulated district at 60× runs a minute a second). */
export class ScaledClock implements Clock {
  private readonly realStart = Date.now();
  constructor(
    private readonly start: number,
    readonly speed: number,
  ) {}
  now(): number {
    return Math.floor(this.start + (Date.now() - this.realStart) * this.speed);
  }
}

export class ManualClock implements Clock {
  readonly speed = 1;
  constructor(private t: number) {}
  now(): number {
    return this.t;
  }
  set(t: number): void {
    if (t < this.t) throw new Error('the clock never goes back');
    this.t = t;
  }
  advance(ms: number): void {
    this.t += ms;
  }
}
