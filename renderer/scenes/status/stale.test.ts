import { describe, expect, it } from 'vitest';
import { initialState } from '../../state/store';
import { STALE_AFTER_MS, staleness } from './stale';

const base = initialState(0).connection;

describe('staleness', () => {
  it('is fresh while data flows', () => {
    expect(staleness({ ...base, state: 'live', lastDataAt: 10_000 }, 12_000).stale).toBe(false);
  });
  it('goes stale a few seconds after the server goes away, dated at the last data', () => {
    const c = { ...base, state: 'reconnecting' as const, since: 20_000, lastDataAt: 19_000, lastHeartbeatAt: 15_000 };
    expect(staleness(c, 19_000 + STALE_AFTER_MS - 1).stale).toBe(false);
    const s = staleness(c, 19_000 + STALE_AFTER_MS + 1);
    expect(s).toEqual({ stale: true, since: 19_000 });
  });
  it('trusts a quiet but live connection while its heartbeat is recent', () => {
    const c = { ...base, state: 'live' as const, since: 0, lastDataAt: 1_000, lastHeartbeatAt: 50_000 };
    expect(staleness(c, 60_000).stale).toBe(false);
    // No heartbeat for too long: the link may be dead without the socket knowing yet.
    expect(staleness(c, 70_000)).toEqual({ stale: true, since: 50_000 });
  });
  it('calls a wall that never got data stale after the grace period', () => {
    const c = { ...base, state: 'connecting' as const, since: 0 };
    expect(staleness(c, 3_000).stale).toBe(false);
    expect(staleness(c, 6_000).stale).toBe(true);
  });
});
