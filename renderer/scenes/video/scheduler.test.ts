import { describe, expect, it } from 'vitest';
import { DecoderScheduler, rotatingSlots, type TileDemand } from './scheduler';

const tiles = (n: number, patch: (i: number) => Partial<TileDemand> = () => ({})): TileDemand[] =>
  Array.from({ length: n }, (_, i) => ({
    key: `t${i}`,
    order: i,
    playable: true,
    visible: true,
    enlarged: false,
    pinned: false,
    ...patch(i),
  }));

const sorted = (s: Set<string>) => [...s].sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)));

describe('DecoderScheduler', () => {
  it('lets every visible playable tile decode while they fit under the cap', () => {
    const s = new DecoderScheduler({ cap: 9, rotateMs: 10_000 });
    const live = s.plan(
      tiles(9, (i) => ({ playable: i !== 2, visible: i !== 5 })),
      0,
    );
    expect(sorted(live)).toEqual(['t0', 't1', 't3', 't4', 't6', 't7', 't8']);
  });

  it('never exceeds the cap, and keeps a quarter of it rotating', () => {
    expect(rotatingSlots(1)).toBe(0);
    expect(rotatingSlots(3)).toBe(1);
    expect(rotatingSlots(16)).toBe(4);
    const s = new DecoderScheduler({ cap: 8, rotateMs: 10_000 });
    const wall = tiles(36);
    const seen = new Set<string>();
    for (let t = 0; t <= 200_000; t += 1000) {
      const live = s.plan(wall, t);
      expect(live.size).toBe(8);
      // The six most important tiles never lose their decoder.
      for (let i = 0; i < 6; i++) expect(live.has(`t${i}`)).toBe(true);
      for (const k of live) seen.add(k);
    }
    // Two rotating slots, 10 s each, 30 waiting tiles: all had a turn within 200 s.
    expect(seen.size).toBe(36);
  });

  it('keeps a rotating tile for rotateMs, then hands the slot to the longest waiting', () => {
    const s = new DecoderScheduler({ cap: 2, rotateMs: 5000 });
    const wall = tiles(4);
    expect(sorted(s.plan(wall, 0))).toEqual(['t0', 't1']);
    expect(sorted(s.plan(wall, 4999))).toEqual(['t0', 't1']);
    expect(sorted(s.plan(wall, 5000))).toEqual(['t0', 't2']);
    expect(sorted(s.plan(wall, 10_000))).toEqual(['t0', 't3']);
    expect(sorted(s.plan(wall, 15_000))).toEqual(['t0', 't1']);
  });

  it('gives the enlarged tile and pinned tiles their decoders first', () => {
    const s = new DecoderScheduler({ cap: 1, rotateMs: 5000 });
    expect(
      sorted(
        s.plan(
          tiles(4, (i) => ({ pinned: i === 3 })),
          0,
        ),
      ),
    ).toEqual(['t3']);
    expect(
      sorted(
        s.plan(
          tiles(4, (i) => ({ pinned: i === 3, enlarged: i === 2 })),
          1000,
        ),
      ),
    ).toEqual(['t2']);
  });

  it('gives a tile whose camera changed a fresh turn, and forgets tiles that are gone', () => {
    const s = new DecoderScheduler({ cap: 2, rotateMs: 5000 });
    const wall = tiles(3);
    s.plan(wall, 0);
    s.plan(wall, 5000); // t2 took the rotating slot from t1
    const relinked = wall.map((t) => (t.key === 't1' ? { ...t, key: 't1b' } : t));
    // t2 holds its slot for its 5 s; then the new camera (never shown) goes before t2 again.
    expect(sorted(s.plan(relinked, 6000))).toEqual(['t0', 't2']);
    expect(sorted(s.plan(relinked, 10_000))).toEqual(['t0', 't1b']);
  });

  it('decodes nothing when the page is hidden', () => {
    const s = new DecoderScheduler({ cap: 4, rotateMs: 5000 });
    expect(
      s.plan(
        tiles(4, () => ({ visible: false })),
        0,
      ).size,
    ).toBe(0);
  });
});
