import { describe, expect, it } from 'vitest';
import type { Case, StreamEvent } from '../../protocol';
import { diffCase } from '../../protocol/casePatch';
import { toCaseLite } from '../../protocol/lite';
import { SyntheticDistrict } from '../../test/bench/synthetic';
import { backoffDelay } from './backoff';
import { ACK_MS, type Clock, StreamClient, type StreamSocket } from './client';
import type { ConnectionInfo, StartOptions } from './types';

class FakeSocket implements StreamSocket {
  readonly listeners = new Map<string, ((...args: unknown[]) => void)[]>();
  readonly emitted: string[] = [];
  readonly acks: unknown[] = [];
  disconnected = false;
  constructor(readonly auth: { token: string; since?: number }) {}
  on(event: string, listener: (...args: unknown[]) => void): this {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  emit(event: 'resync' | 'ack', ack?: unknown): this {
    this.emitted.push(event);
    if (event === 'ack') this.acks.push(ack);
    return this;
  }
  disconnect(): this {
    this.disconnected = true;
    return this;
  }
  fire(event: string, ...args: unknown[]): void {
    for (const l of this.listeners.get(event) ?? []) l(...args);
  }
}

class FakeClock implements Clock {
  t = 1_000_000;
  timers: { at: number; fn: () => void; id: number }[] = [];
  private nextId = 1;
  randomValue = 0.5;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((x) => x.id !== handle);
  }
  random(): number {
    return this.randomValue;
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.timers.filter((x) => x.at <= this.t);
    this.timers = this.timers.filter((x) => x.at > this.t);
    for (const x of due) x.fn();
  }
}

function setup(fetchCase?: (id: string) => Promise<unknown>) {
  const sockets: FakeSocket[] = [];
  const clock = new FakeClock();
  const calls = { ready: 0, needToken: 0, connection: [] as ConnectionInfo[] };
  const client = new StreamClient(
    (_o: StartOptions, auth) => {
      const s = new FakeSocket(auth);
      sockets.push(s);
      return s;
    },
    {
      onReady: () => {
        calls.ready++;
      },
      onConnection: (info) => calls.connection.push(info),
      onNeedToken: () => {
        calls.needToken++;
      },
      ...(fetchCase ? { fetchCase: (_o: StartOptions, id: string) => fetchCase(id) } : {}),
    },
    clock,
  );
  client.start({ origin: 'http://x', token: 't1' });
  const last = () => sockets[sockets.length - 1] as FakeSocket;
  return { client, sockets, clock, calls, last };
}

function district() {
  return new SyntheticDistrict({ seed: 7, cases: 30, workers: 10, cameras: 5, inspectionPoints: 10 });
}

describe('StreamClient', () => {
  it('hands over a snapshot and the events after it, coalesced to the latest version per case', () => {
    const { client, last, calls } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    const events: StreamEvent[] = [];
    for (let i = 0; i < 40; i++) events.push(d.nextCaseEvent(d.now + 1000));
    last().fire('events', events.slice(0, 20));
    last().fire('events', events.slice(20));
    expect(calls.ready).toBe(1);
    const batch = client.take();
    expect(batch?.snapshot?.cases.length).toBe(30);
    expect(batch?.lastSeq).toBe(40);
    expect(batch?.events).toBe(40);
    const ids = batch?.cases.map((c) => c.id) ?? [];
    expect(new Set(ids).size).toBe(ids.length);
    // Each case is handed over at the version of its last event.
    const lastVersion = new Map<string, number>();
    for (const e of events) if (e.type === 'case.upserted') lastVersion.set(e.payload.id, e.payload.version);
    for (const c of batch?.cases ?? []) expect(c.version).toBe(lastVersion.get(c.id));
    expect(client.take()).toBeNull();
  });

  it('acknowledges the last seq it took in, at most once per ACK_MS', () => {
    const { last, clock } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    last().fire('events', [d.nextCaseEvent(d.now), d.nextCaseEvent(d.now)]);
    expect(last().acks).toEqual([]);
    clock.advance(ACK_MS);
    last().fire('events', [d.nextCaseEvent(d.now)]);
    expect(last().acks).toEqual([{ seq: 2 }]);
    clock.advance(ACK_MS);
    expect(last().acks).toEqual([{ seq: 2 }, { seq: 3 }]);
    clock.advance(ACK_MS * 4);
    expect(last().acks.length).toBe(2);
  });

  it('ignores events at or below its last seq and counts them', () => {
    const { client, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    const e1 = d.nextCaseEvent(d.now);
    const e2 = d.nextCaseEvent(d.now);
    last().fire('events', [e1, e2]);
    last().fire('events', [e1, e2]);
    client.take();
    expect(client.connection.counters.duplicates).toBe(2);
    expect(client.connection.lastSeq).toBe(2);
    expect(client.take()).toBeNull();
  });

  it('drops and counts malformed messages without throwing', () => {
    const { client, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', { nonsense: true });
    last().fire('snapshot', d.snapshot());
    d.seq = 1; // the malformed event below takes seq 1
    const good = d.nextCaseEvent(d.now);
    last().fire('events', 'not an array');
    last().fire('events', [{ seq: 1, at: 1, type: 'case.upserted', payload: { id: 'x' } }, good]);
    last().fire('positions', { at: 1, positions: [['w-1', 'east', 0, 1]] });
    last().fire('kpis', null);
    const counters = client.connection.counters;
    expect(counters.invalid).toBe(5);
    // The bad event took seq 1; the good one (seq 2 after it) was kept: no false gap.
    const batch = client.take();
    expect(batch?.lastSeq).toBe(2);
    expect(counters.gaps).toBe(0);
  });

  it('drops one bad case of a snapshot and keeps the rest', () => {
    const { client, last } = setup();
    const d = district();
    const snap = d.snapshot();
    const bad = { ...snap, cases: [...snap.cases, { id: 'broken' }] };
    last().fire('connect');
    last().fire('snapshot', bad);
    expect(client.take()?.snapshot?.cases.length).toBe(30);
    expect(client.connection.counters.invalid).toBe(1);
  });

  it('asks for a snapshot on a gap and ignores events until it arrives', () => {
    const { client, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    const e1 = d.nextCaseEvent(d.now);
    d.nextCaseEvent(d.now); // seq 2 is lost on the way
    const e3 = d.nextCaseEvent(d.now);
    last().fire('events', [e1]);
    last().fire('events', [e3]);
    expect(last().emitted).toEqual(['resync']);
    expect(client.connection.counters.gaps).toBe(1);
    const e4 = d.nextCaseEvent(d.now);
    last().fire('events', [e4]);
    expect(client.take()?.lastSeq).toBe(1);
    last().fire('snapshot', d.snapshot());
    const b = client.take();
    expect(b?.snapshot?.seq).toBe(4);
    expect(b?.lastSeq).toBe(4);
  });

  it('reconnects with jittered backoff and resumes from the last seq', () => {
    const { client, sockets, clock, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    last().fire('events', [d.nextCaseEvent(d.now), d.nextCaseEvent(d.now)]);
    expect(sockets[0]?.auth.since).toBeUndefined();
    last().fire('disconnect', 'transport close');
    expect(client.connection.state).toBe('reconnecting');
    const delay0 = backoffDelay(0, 0.5);
    clock.advance(delay0 - 1);
    expect(sockets.length).toBe(1);
    clock.advance(1);
    expect(sockets.length).toBe(2);
    expect(last().auth).toEqual({ token: 't1', since: 2 });
    // A refused attempt backs off longer.
    last().fire('connect_error', new Error('xhr poll error'));
    expect(client.connection.retryAt).toBe(clock.t + backoffDelay(1, 0.5));
    clock.advance(backoffDelay(1, 0.5));
    last().fire('connect');
    expect(client.connection.state).toBe('live');
    expect(client.connection.attempt).toBe(0);
    // Events after the resume continue the seq; nothing is missing or repeated.
    last().fire('events', [d.nextCaseEvent(d.now)]);
    expect(client.take()?.lastSeq).toBe(3);
  });

  it('resnapshots when the server says so', () => {
    const { sockets, clock, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    last().fire('resync', { reason: 'too_far_behind' });
    expect(last().emitted).toEqual(['resync']);
    // Dropped before the snapshot came: the next connection asks for one (no `since`).
    last().fire('disconnect', 'transport close');
    clock.advance(10_000);
    expect(sockets[1]?.auth.since).toBeUndefined();
  });

  it('asks the page for a new token when the server refuses the old one', () => {
    const { client, sockets, calls, last } = setup();
    last().fire('connect_error', new Error('unauthorized'));
    expect(client.connection.state).toBe('unauthorized');
    expect(calls.needToken).toBe(1);
    client.setToken('t2');
    expect(sockets.length).toBe(2);
    expect(last().auth.token).toBe('t2');
  });

  it('keeps the equal-jitter backoff between half and all of its cap', () => {
    for (const attempt of [0, 1, 2, 3, 4, 10, 50]) {
      const cap = Math.min(8000, 500 * 2 ** Math.min(attempt, 20));
      expect(backoffDelay(attempt, 0)).toBe(cap / 2);
      expect(backoffDelay(attempt, 0.999999)).toBeLessThanOrEqual(cap);
    }
  });

  it('forwards the full focused case from events', () => {
    const { client, last } = setup();
    const d = district();
    last().fire('connect');
    last().fire('snapshot', d.snapshot());
    client.take();
    const e = d.nextCaseEvent(d.now);
    if (e.type !== 'case.upserted') throw new Error('expected a case event');
    client.setFocus(e.payload.id);
    last().fire('events', [e]);
    expect(client.take()?.focusedCase?.id).toBe(e.payload.id);
  });

  describe('patches', () => {
    /** A case's next versions as the server makes them: a status, a time and a timeline entry each. */
    function versions(c: Case, n: number): Case[] {
      const out = [c];
      const statuses = ['filed', 'dispatched', 'accepted', 'handled', 'verified', 'closed'] as const;
      for (let i = 0; i < n; i++) {
        const prev = out[out.length - 1] as Case;
        const at = prev.updatedAt + 60_000;
        const status = statuses[i % statuses.length] ?? 'filed';
        out.push({
          ...prev,
          status,
          version: prev.version + 1,
          updatedAt: at,
          milestones: status === 'closed' ? { ...prev.milestones, closedAt: at } : prev.milestones,
          timeline: [
            ...prev.timeline,
            {
              at,
              action: 'x',
              actor: { id: 's', name: '值班长', role: 'supervisor' },
              from: prev.status,
              to: status,
              level: 'grid',
            },
          ],
        });
      }
      return out;
    }
    const patchEvent = (seq: number, prev: Case, next: Case): StreamEvent => ({
      seq,
      at: next.updatedAt,
      type: 'case.patched',
      payload: diffCase(prev, next),
    });

    function connected(fetchCase?: (id: string) => Promise<unknown>) {
      const t = setup(fetchCase);
      const d = district();
      const snap = d.snapshot();
      t.last().fire('connect');
      t.last().fire('snapshot', snap);
      t.client.take();
      const first = snap.cases[0] as Case;
      return { ...t, snap, v: versions(first, 6) };
    }

    it('applies patches in order on top of the version before, to the slim record and the focused case', async () => {
      let whole: Case | null = null;
      const { client, last, snap, v } = connected(async () => whole);
      const [v1, v2, v3, v4] = v as [Case, Case, Case, Case];
      // Focusing fetches the whole case; patches then apply to it too.
      whole = v1;
      client.setFocus(v1.id);
      await Promise.resolve();
      await Promise.resolve();
      last().fire('events', [patchEvent(snap.seq + 1, v1, v2), patchEvent(snap.seq + 2, v2, v3)]);
      last().fire('events', [patchEvent(snap.seq + 3, v3, v4)]);
      const b = client.take();
      expect(b?.cases).toEqual([toCaseLite(v4)]);
      expect(b?.focusedCase).toEqual(v4);
      expect(client.connection.counters.gaps).toBe(0);
    });

    it('ignores a patch it already has (an old or repeated version)', () => {
      const { client, last, snap, v } = connected();
      const [v1, v2, v3, v4] = v as [Case, Case, Case, Case];
      // The whole case at v3 first (a refetch, or the server sent it whole), then the patches behind it.
      last().fire('events', [{ seq: snap.seq + 1, at: v3.updatedAt, type: 'case.upserted', payload: v3 }]);
      last().fire('events', [patchEvent(snap.seq + 2, v1, v2), patchEvent(snap.seq + 3, v2, v3)]);
      expect(client.connection.counters.duplicates).toBe(2);
      last().fire('events', [patchEvent(snap.seq + 4, v3, v4)]);
      expect(client.take()?.cases).toEqual([toCaseLite(v4)]);
      expect(last().emitted).toEqual([]);
    });

    it('asks for the whole case when a version is missing, then applies the patches after it', async () => {
      const asked: string[] = [];
      let answer: Case | null = null;
      const { client, last, snap, v, calls } = connected(async (id) => {
        asked.push(id);
        return answer;
      });
      const [v1, , v3, v4, v5] = v as [Case, Case, Case, Case, Case];
      answer = v4;
      // v2 never came: the patch to v4 cannot apply on v1.
      last().fire('events', [patchEvent(snap.seq + 1, v3, v4)]);
      expect(asked).toEqual([v1.id]);
      expect(client.connection.counters.gaps).toBe(1);
      await Promise.resolve();
      await Promise.resolve();
      expect(calls.ready).toBeGreaterThan(0);
      expect(client.take()?.cases).toEqual([toCaseLite(v4)]);
      last().fire('events', [patchEvent(snap.seq + 2, v4, v5)]);
      expect(client.take()?.cases).toEqual([toCaseLite(v5)]);
      expect(last().emitted).toEqual([]);
    });

    it('asks for a case it never had, and resnapshots when the case cannot be fetched', async () => {
      const { client, last, snap, v } = connected(async () => null);
      const [, v2, v3] = v as [Case, Case, Case];
      const stranger = { ...v2, id: 'c-unknown' };
      last().fire('events', [patchEvent(snap.seq + 1, stranger, { ...v3, id: 'c-unknown' })]);
      await Promise.resolve();
      await Promise.resolve();
      expect(last().emitted).toEqual(['resync']);
      expect(client.connection.counters.gaps).toBe(1);
    });

    it('without a way to fetch a case, a gap asks for a snapshot', () => {
      const { last, snap, v } = connected();
      const [, v2, v3] = v as [Case, Case, Case];
      last().fire('events', [patchEvent(snap.seq + 1, v2, v3)]);
      expect(last().emitted).toEqual(['resync']);
    });
  });

  describe('packed positions', () => {
    it('unpacks by the snapshot’s worker list; another list asks for a snapshot', () => {
      const { client, last } = setup();
      const d = district();
      last().fire('connect');
      last().fire('snapshot', d.snapshot());
      client.take();
      const moved = d.movePositions(d.now, 5);
      last().fire('positions', d.pack(moved));
      const got = client.take()?.positions ?? [];
      const want = new Map(moved.positions.map((p) => [p[0], p]));
      expect(got.length).toBe(want.size);
      for (const [id, lng, lat, duty] of got) {
        const w = want.get(id);
        expect(lng).toBeCloseTo(w?.[1] ?? Number.NaN, 6);
        expect(lat).toBeCloseTo(w?.[2] ?? Number.NaN, 6);
        expect(duty).toBe(w?.[3]);
      }
      last().fire('positions', { ...d.pack(moved), n: 3 });
      expect(last().emitted).toEqual(['resync']);
    });
  });
});
