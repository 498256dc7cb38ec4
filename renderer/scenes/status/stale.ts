import type { ConnectionSlice } from '../../state/store';

/** Data older than this is stale when nothing else says the screen is current. */
export const STALE_AFTER_MS = 5000;
/** The server pings every 10 s; a live socket whose last ping is younger than this vouches for a quiet screen. */
export const HEARTBEAT_GRACE_MS = 15_000;

export interface Staleness {
  stale: boolean;
  /** The last time the wall knew its picture was current (data or heartbeat). */
  since: number;
}

/**
 * Stale means: no data for a few seconds, and no live connection with a recent heartbeat to vouch
 * that nothing changed. A stopped server drops the socket at once, so its banner comes after
 * {@link STALE_AFTER_MS}; a silently dead link is caught by the missing heartbeat.
 */
export function staleness(c: ConnectionSlice, now: number): Staleness {
  const heartbeat = c.state === 'live' ? (c.lastHeartbeatAt ?? c.since) : null;
  const since = Math.max(c.lastDataAt ?? c.since, heartbeat ?? Number.NEGATIVE_INFINITY);
  const dataFresh = c.lastDataAt !== null && now - c.lastDataAt <= STALE_AFTER_MS;
  const linkFresh = heartbeat !== null && now - heartbeat <= HEARTBEAT_GRACE_MS && c.lastDataAt !== null;
  return { stale: !dataFresh && !linkFresh && now - since > STALE_AFTER_MS, since };
}
