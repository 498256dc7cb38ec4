import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Health } from '../../protocol/http';
import {
  Backoff,
  type HealthProbe,
  healthUrl,
  type Logger,
  nextSoftReloadAt,
  RecoveryController,
  type RecoveryTarget,
  scheduleDaily,
  type Timers,
  waitForServer,
} from './recovery';

const healthy: Health = { ok: true, version: '0.1.0', seq: 10, uptimeSeconds: 5, simulator: null };

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};

const quietLog = (): Logger & { lines: string[] } => {
  const lines: string[] = [];
  return {
    lines,
    info: (m) => lines.push(`info ${m}`),
    warn: (m) => lines.push(`warn ${m}`),
    error: (m) => lines.push(`error ${m}`),
  };
};

/** A server that is down until `up()` is called. */
const fakeServer = () => {
  let isUp = false;
  const probe = vi.fn<HealthProbe>(async () => {
    if (!isUp) throw new Error('ECONNREFUSED');
    return healthy;
  });
  return { probe, up: () => (isUp = true), down: () => (isUp = false) };
};

const fakeTarget = (): RecoveryTarget & { events: string[] } => {
  const events: string[] = [];
  return {
    key: 'wall:0',
    events,
    load: () => events.push('load'),
    showWaiting: (reason) => events.push(`waiting: ${reason}`),
    kill: () => events.push('kill'),
  };
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date(2026, 10, 23, 12, 0, 0) });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('Backoff', () => {
  it('doubles the delay with each failure in a row, up to the cap', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 8000, resetAfterMs: 60_000 });
    const delays = [0, 1, 2, 3, 4, 5].map((i) => backoff.next(i * 100).delayMs);
    expect(delays).toEqual([1000, 2000, 4000, 8000, 8000, 8000]);
  });

  it('starts again from the first delay after a quiet period', () => {
    const backoff = new Backoff({ initialMs: 1000, maxMs: 60_000, resetAfterMs: 60_000 });
    backoff.next(0);
    backoff.next(1000);
    expect(backoff.next(2000)).toEqual({ attempt: 3, delayMs: 4000 });
    expect(backoff.next(2000 + 60_000)).toEqual({ attempt: 1, delayMs: 1000 });
  });
});

describe('waitForServer', () => {
  it('probes /health with growing delays until the server answers', async () => {
    const server = fakeServer();
    const waiting: number[] = [];
    const done = waitForServer('http://10.0.0.5:8080', {
      probe: server.probe,
      timers,
      signal: new AbortController().signal,
      onWaiting: (_n, next) => waiting.push(next),
    });
    await vi.advanceTimersByTimeAsync(500 + 1000 + 2000);
    expect(server.probe).toHaveBeenCalledTimes(4);
    server.up();
    await vi.advanceTimersByTimeAsync(4000);
    await expect(done).resolves.toBe(5);
    expect(waiting).toEqual([500, 1000, 2000, 4000]);
    expect(server.probe.mock.calls[0]![0]).toBe('http://10.0.0.5:8080/health');
  });

  it('does not take an answer that is not a healthy Health body', async () => {
    const probe = vi
      .fn<HealthProbe>()
      .mockResolvedValueOnce('<html>proxy error</html>')
      .mockResolvedValueOnce({ ...healthy, ok: false })
      .mockResolvedValue(healthy);
    const done = waitForServer('http://s', { probe, timers, signal: new AbortController().signal });
    await vi.advanceTimersByTimeAsync(1500);
    await expect(done).resolves.toBe(3);
  });

  it('stops when cancelled', async () => {
    const server = fakeServer();
    const abort = new AbortController();
    const done = waitForServer('http://s', { probe: server.probe, timers, signal: abort.signal });
    const settled = expect(done).rejects.toThrow('cancelled');
    await vi.advanceTimersByTimeAsync(100);
    abort.abort();
    await settled;
  });
});

describe('RecoveryController', () => {
  const make = (server = fakeServer()) => {
    const target = fakeTarget();
    const log = quietLog();
    const controller = new RecoveryController(target, {
      serverUrl: 'http://127.0.0.1:8080',
      probe: server.probe,
      timers,
      now: () => Date.now(),
      log,
      backoff: { initialMs: 1000, maxMs: 60_000, resetAfterMs: 300_000 },
      hangGraceMs: 10_000,
    });
    return { controller, target, log, server };
  };

  it('reloads a crashed window after the backoff delay, once the server answers', async () => {
    const { controller, target, log, server } = make();
    server.up();
    controller.crashed('crashed', 139);
    expect(target.events).toEqual(['waiting: render process gone']);
    expect(controller.state).toBe('backing-off');
    await vi.advanceTimersByTimeAsync(999);
    expect(target.events).not.toContain('load');
    await vi.advanceTimersByTimeAsync(1);
    expect(target.events).toEqual(['waiting: render process gone', 'load']);
    expect(controller.state).toBe('running');
    expect(log.lines[0]).toBe('error render process gone');
  });

  it('keeps the window on the connecting page until the server answers, not an error page', async () => {
    const { controller, target, server } = make();
    controller.loadFailed(-102, 'ERR_CONNECTION_REFUSED', 'http://127.0.0.1:8080/wall');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(controller.state).toBe('waiting-for-server');
    expect(target.events).toEqual(['waiting: page failed to load']);
    server.up();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(target.events.at(-1)).toBe('load');
    expect(controller.state).toBe('running');
  });

  it('waits longer after each crash in a row', async () => {
    const { controller, target, server } = make();
    server.up();
    const loadTimes: number[] = [];
    const start = Date.now();
    for (let i = 0; i < 4; i++) {
      controller.crashed('crashed');
      const before = target.events.filter((e) => e === 'load').length;
      while (target.events.filter((e) => e === 'load').length === before) await vi.advanceTimersByTimeAsync(100);
      loadTimes.push(Date.now() - start);
    }
    const gaps = loadTimes.map((t, i) => t - (loadTimes[i - 1] ?? 0));
    expect(gaps).toEqual([1000, 2000, 4000, 8000]);
  });

  it('ignores further failures while it is already recovering', async () => {
    const { controller, target, server } = make();
    server.up();
    controller.crashed('crashed');
    controller.loadFailed(-3, 'ERR_ABORTED', 'x');
    controller.crashed('killed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(target.events.filter((e) => e === 'load')).toHaveLength(1);
  });

  it('kills and reloads a window that stays unresponsive past the grace period', async () => {
    const { controller, target, server } = make();
    server.up();
    controller.unresponsive();
    await vi.advanceTimersByTimeAsync(9_999);
    expect(target.events).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(target.events).toEqual(['waiting: renderer hung', 'kill']);
    // The kill makes Electron report the render process gone: already handled.
    controller.crashed('killed');
    await vi.advanceTimersByTimeAsync(1000);
    expect(target.events).toEqual(['waiting: renderer hung', 'kill', 'load']);
  });

  it('leaves a window alone that answers again within the grace period', async () => {
    const { controller, target, log } = make();
    controller.unresponsive();
    await vi.advanceTimersByTimeAsync(5_000);
    controller.responsive();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(target.events).toEqual([]);
    expect(log.lines).toEqual(['warn window unresponsive', 'info window responsive again']);
  });

  it('soft-reloads only when the server answers', async () => {
    const { controller, target, server } = make();
    await expect(controller.softReload()).resolves.toBe('skipped');
    server.up();
    await expect(controller.softReload()).resolves.toBe('reloaded');
    expect(target.events).toEqual(['load']);
  });

  it('does nothing more once disposed', async () => {
    const { controller, target, server } = make();
    controller.crashed('crashed');
    controller.dispose();
    server.up();
    await vi.advanceTimersByTimeAsync(120_000);
    expect(target.events).toEqual(['waiting: render process gone']);
    expect(controller.state).toBe('disposed');
  });
});

describe('soft reload schedule', () => {
  it('is later today when the hour is still ahead, else tomorrow', () => {
    const noon = new Date(2026, 10, 23, 12, 0).getTime();
    expect(nextSoftReloadAt(noon, '13:30')).toBe(new Date(2026, 10, 23, 13, 30).getTime());
    expect(nextSoftReloadAt(noon, '04:00')).toBe(new Date(2026, 10, 24, 4, 0).getTime());
    expect(nextSoftReloadAt(noon, '12:00')).toBe(new Date(2026, 10, 24, 12, 0).getTime());
    expect(nextSoftReloadAt(noon, null)).toBeNull();
  });

  it('fires every day at the hour', async () => {
    const fired: number[] = [];
    const schedule = scheduleDaily(
      '04:00',
      () => fired.push(Date.now()),
      timers,
      () => Date.now(),
    );
    await vi.advanceTimersByTimeAsync(3 * 24 * 3600_000);
    expect(fired.map((t) => new Date(t).getHours())).toEqual([4, 4, 4]);
    expect(fired.map((t) => new Date(t).getDate())).toEqual([24, 25, 26]);
    schedule.cancel();
    await vi.advanceTimersByTimeAsync(24 * 3600_000);
    expect(fired).toHaveLength(3);
  });

  it('keeps a server path prefix in the health URL', () => {
    expect(healthUrl('https://h.example/gridwall')).toBe('https://h.example/gridwall/health');
  });
});
