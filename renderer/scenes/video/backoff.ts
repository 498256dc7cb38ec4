/**
 * Reconnect delays: exponential with jitter, so that 36 tiles whose gateway blinked do not all
 * come back in the same millisecond. `reset` after a stream has played steadily again.
 */
export interface BackoffOptions {
  baseMs: number;
  factor: number;
  maxMs: number;
  /** ± this fraction of the delay, at random. */
  jitter: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 1000, factor: 2, maxMs: 30_000, jitter: 0.2 };

export class Backoff {
  private attempts = 0;

  constructor(
    private readonly options: BackoffOptions = DEFAULT_BACKOFF,
    private readonly random: () => number = Math.random,
  ) {}

  get attempt(): number {
    return this.attempts;
  }

  /** The delay before the next attempt; each call counts an attempt. */
  next(): number {
    const { baseMs, factor, maxMs, jitter } = this.options;
    const raw = Math.min(maxMs, baseMs * factor ** this.attempts);
    this.attempts++;
    const spread = raw * jitter * (this.random() * 2 - 1);
    return Math.max(0, Math.round(Math.min(maxMs, raw + spread)));
  }

  reset(): void {
    this.attempts = 0;
  }
}
