/** How the stream waits before it reconnects. */
export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
}

export const DEFAULT_BACKOFF: BackoffOptions = { baseMs: 500, maxMs: 8000 };

/**
 * "Equal jitter" backoff: half the exponential step for sure, the other half at random. Walls of
 * one center reconnect at once after a server restart; the random half spreads them out, the fixed
 * half keeps a flapping link from being hammered.
 */
export function backoffDelay(attempt: number, random: number, o: BackoffOptions = DEFAULT_BACKOFF): number {
  const cap = Math.min(o.maxMs, o.baseMs * 2 ** Math.min(attempt, 20));
  return Math.round(cap / 2 + random * (cap / 2));
}
