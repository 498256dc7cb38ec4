import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_RENEWAL, loadStoredSession, login, renewalStep, storeSession } from './auth';

const MIN = 60_000;

describe('renewalStep', () => {
  const t0 = 1_700_000_000_000;

  it('renews a working supervisor’s session every few minutes', () => {
    const s = { expiresAt: t0 + 12 * 60 * MIN, lastRenewAt: t0, lastActivityAt: t0 };
    expect(renewalStep(t0 + 4 * MIN, s)).toBe('wait');
    expect(renewalStep(t0 + DEFAULT_RENEWAL.everyMs, { ...s, lastActivityAt: t0 + 4 * MIN })).toBe('renew');
  });

  it('lets the session of an abandoned desk run out, then says it has expired', () => {
    const s = { expiresAt: t0 + 12 * 60 * MIN, lastRenewAt: t0, lastActivityAt: t0 };
    expect(renewalStep(t0 + 31 * MIN, s)).toBe('wait');
    expect(renewalStep(t0 + 12 * 60 * MIN, s)).toBe('expired');
  });

  it('never renews or expires a session without an expiry', () => {
    expect(renewalStep(t0 + 99 * 60 * MIN, { expiresAt: null, lastRenewAt: t0, lastActivityAt: t0 })).toBe('wait');
  });
});

describe('stored session', () => {
  it('round-trips and refuses what it cannot read', () => {
    const bag = new Map<string, string>();
    const storage = {
      getItem: (k: string) => bag.get(k) ?? null,
      setItem: (k: string, v: string) => void bag.set(k, v),
      removeItem: (k: string) => void bag.delete(k),
    };
    expect(loadStoredSession(storage)).toBeNull();
    const s = { token: 't', username: 'supervisor', role: 'supervisor' as const, expiresAt: 5 };
    storeSession(s, storage);
    expect(loadStoredSession(storage)).toEqual(s);
    bag.set('gridwall.console.session', '{"token":1}');
    expect(loadStoredSession(storage)).toBeNull();
    storeSession(null, storage);
    expect(bag.size).toBe(0);
  });
});

describe('login', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('tells a throttled sign-in how long to wait, not that the server failed', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 429, headers: { 'retry-after': '8' } }));
    expect(await login('http://x', 'supervisor', 'wrong')).toEqual({ ok: false, error: 'throttled', retryAfterS: 8 });
  });

  it('keeps wrong credentials apart from a throttled address', async () => {
    vi.stubGlobal('fetch', async () => new Response('{}', { status: 401 }));
    expect(await login('http://x', 'supervisor', 'wrong')).toEqual({ ok: false, error: 'credentials' });
  });
});
