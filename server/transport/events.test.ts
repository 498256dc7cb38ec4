import { describe, expect, it } from 'vitest';
import { type Case, CasePatch, type Command, type StreamEvent, type Worker, WorkerPositions } from '../../protocol';
import { applyCasePatch, diffCase } from '../../protocol/casePatch';
import { unpackPositions } from '../../protocol/positions';
import { commandOf, makeCase, makeEnv, T0 } from '../../test/fixtures/server';
import { maskCase } from '../access/masking';
import { applyCommand } from '../cases/lifecycle';
import { maskEvent, maskPatch, WorkerIndex } from './events';

const step = (c: Case, cmd: Parameters<typeof applyCommand>[1], at = T0 + 60_000): Case => {
  const r = applyCommand(c, cmd, makeEnv(at));
  if (!r.ok) throw new Error(r.error.message);
  return r.case;
};

describe('masked patches', () => {
  // The reporter 张伟 (13812345678): name and numbers written into notes, an extension's reason and the address.
  const reported = makeCase('reported', {
    description: '井盖丢失，张伟 13812345678 报告',
    location: { lng: 106.2, lat: 38.5, address: '张伟家门口 110101199003077777' },
  });
  const filed = step(reported, { ...commandOf('file'), note: '已回电张伟，电话13812345678' } as Command);
  const dispatched = step(filed, { ...commandOf('dispatch', 2), note: '张伟在家' } as Command);
  const extended = step(dispatched, {
    ...commandOf('extend', 3),
    action: 'request',
    minutes: 60,
    reason: '等张伟在家 0951-5551234',
  } as Command);
  const moved = {
    ...extended,
    version: 5,
    description: '张伟又来电 13812345678',
    location: { ...extended.location, address: '张伟 新址 13900001111' },
  };
  const pairs: Array<[Case, Case]> = [
    [reported, filed],
    [filed, dispatched],
    [dispatched, extended],
    [extended, moved],
  ];
  const personal = /张伟|13812345678|110101199003077777|0951-5551234|13900001111/;

  it('a masked patch carries no personal data, in any changed field or free text', () => {
    for (const [prev, next] of pairs) {
      const p = diffCase(prev, next);
      expect(JSON.stringify(p)).toMatch(personal);
      const masked = maskPatch(p, next);
      expect(JSON.stringify(masked)).not.toMatch(personal);
      expect(CasePatch.safeParse(masked).success).toBe(true);
    }
  });

  it('a masked patch on the masked case gives the masked next case (any version of the case as context)', () => {
    for (const [prev, next] of pairs) {
      const p = diffCase(prev, next);
      for (const context of [prev, next, reported]) {
        expect(applyCasePatch(maskCase(prev), maskPatch(p, context))).toEqual(maskCase(next));
      }
    }
  });

  it('an event without its case at hand is not sent masked', () => {
    const e: StreamEvent = { seq: 2, at: T0, type: 'case.patched', payload: diffCase(reported, filed) };
    expect(maskEvent(e, () => undefined)).toBeNull();
    const m = maskEvent(e, () => filed);
    expect(JSON.stringify(m)).not.toMatch(personal);
    const whole: StreamEvent = { seq: 1, at: T0, type: 'case.upserted', payload: reported };
    expect(JSON.stringify(maskEvent(whole, () => undefined))).not.toMatch(personal);
  });
});

describe('packed worker positions', () => {
  const workers = new Map<string, Worker>(
    Array.from({ length: 700 }, (_, i) => [
      `w-${i}`,
      {
        id: `w-${i}`,
        name: `网格员${i}`,
        kind: 'grid_worker',
        gridId: 'g-1',
        onDuty: i % 3 !== 0,
        position: i === 5 ? null : { lng: 106.123456789 + i * 1e-4, lat: 38.4987654321 - i * 1e-4 },
        lastSeen: T0,
      } satisfies Worker,
    ]),
  );

  it('round trips: every worker with a position, to about a centimetre, in ≤ 16 bytes a position', () => {
    const msg = new WorkerIndex(workers).pack(T0);
    expect(WorkerPositions.safeParse(msg).success).toBe(true);
    const ids = [...workers.keys()];
    const back = unpackPositions(msg.packed, ids);
    expect(back).toHaveLength(699);
    for (const [id, lng, lat, duty] of back ?? []) {
      const w = workers.get(id);
      expect(Math.abs(lng - (w?.position?.lng ?? 0))).toBeLessThan(1e-7);
      expect(Math.abs(lat - (w?.position?.lat ?? 0))).toBeLessThan(1e-7);
      expect(duty).toBe(w?.onDuty ? 1 : 0);
    }
    expect(JSON.stringify(msg).length / 699).toBeLessThanOrEqual(16);
    // The old message: one tuple with the worker's id each.
    const old = [...workers.values()].flatMap((w) => (w.position ? [[w.id, w.position.lng, w.position.lat, 1]] : []));
    expect(JSON.stringify({ at: T0, positions: old }).length / 699).toBeGreaterThan(40);
  });

  it('packs only the workers asked for, and refuses indices outside the list', () => {
    const msg = new WorkerIndex(workers).pack(T0, ['w-9', 'w-600', 'w-5']);
    expect(unpackPositions(msg.packed, [...workers.keys()])?.map((p) => p[0])).toEqual(['w-9', 'w-600']);
    expect(unpackPositions(msg.packed, ['w-0'])).toBeNull();
    expect(unpackPositions('abc', ['w-0'])).toBeNull();
  });
});
