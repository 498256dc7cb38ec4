import { describe, expect, it } from 'vitest';
import { KpiPusher } from './routes';

describe('KPI pusher', () => {
  it('after cases changed, refreshes and pushes at most once per interval, one push at a time', async () => {
    const calls: string[] = [];
    let listener: () => void = () => {};
    let release: () => void = () => {};
    const pusher = new KpiPusher(
      {
        pushKpis: async () => {
          calls.push('push');
        },
      },
      {
        pushPayload: () =>
          new Promise((resolve) => {
            calls.push('refresh');
            release = () => resolve({} as never);
          }),
      },
      (l) => {
        listener = l;
      },
      5000,
    );
    const t0 = Date.now();
    pusher.tick(t0 + 10_000);
    expect(calls).toEqual([]); // nothing changed
    listener();
    pusher.tick(t0 + 1000);
    expect(calls).toEqual([]); // too soon after start
    pusher.tick(t0 + 10_000);
    expect(calls).toEqual(['refresh']);
    listener();
    pusher.tick(t0 + 20_000);
    expect(calls).toEqual(['refresh']); // still pushing
    release();
    await new Promise((r) => setImmediate(r));
    expect(calls).toEqual(['refresh', 'push']);
    expect(pusher.pushes).toBe(1);
    pusher.tick(t0 + 12_000);
    expect(calls).toEqual(['refresh', 'push']); // within the interval of the last push
    pusher.tick(t0 + 15_000);
    expect(calls).toEqual(['refresh', 'push', 'refresh']);
  });
});
