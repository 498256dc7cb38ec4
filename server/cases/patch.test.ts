import { describe, expect, it } from 'vitest';
import { type Actor, type Case, CasePatch, COMMAND_TYPES, type Command } from '../../protocol';
import { applyCasePatch, diffCase } from '../../protocol/casePatch';
import { allowedFrom } from '../../protocol/lifecycle';
import { patchCaseLite, toCaseLite } from '../../protocol/lite';
import { mulberry32 } from '../../protocol/random';
import { commandOf, makeCase, makeEnv, supervisor, T0 } from '../../test/fixtures/server';
import { applyCommand, markDeadline } from './lifecycle';

const ACTORS: Actor[] = [
  supervisor,
  { id: 'w-1', name: '王小明', role: 'worker' },
  { id: 'system', name: '系统', role: 'system' },
];

/** Random walks through the lifecycle (and deadline marks) by different actors: every step as the server makes it. */
function* walks(seed: number, walks: number, steps: number): Generator<[Case, Case]> {
  const rnd = mulberry32(seed);
  for (let w = 0; w < walks; w++) {
    let c = makeCase('reported');
    let now = T0;
    for (let s = 0; s < steps; s++) {
      now += Math.floor(rnd() * 3 * 3_600_000);
      const actor = ACTORS[Math.floor(rnd() * ACTORS.length)] ?? supervisor;
      let next: Case | null = null;
      if (rnd() < 0.15) {
        next = markDeadline(c, rnd() < 0.5 ? 'warning' : 'overdue', now, actor);
      } else {
        // Terminal and reject/void rarely: walks should go the long way round.
        const legal = COMMAND_TYPES.filter(
          (t) => allowedFrom(t, c.status) && (rnd() < 0.2 || !['reject', 'void', 'close'].includes(t)),
        );
        const type = legal[Math.floor(rnd() * legal.length)] ?? 'comment';
        const r = applyCommand(c, commandOf(type, c.version), makeEnv(now, actor));
        if (r.ok) next = r.case;
      }
      if (!next) continue;
      yield [c, next];
      c = next;
    }
  }
}

describe('case patches', () => {
  it('a patch on the version before gives exactly the next case, through JSON and the schema', () => {
    let n = 0;
    for (const [prev, next] of walks(18, 60, 40)) {
      const p = CasePatch.parse(JSON.parse(JSON.stringify(diffCase(prev, next))));
      expect(applyCasePatch(prev, p)).toEqual(next);
      n++;
    }
    expect(n).toBeGreaterThan(500);
  });

  it('the slim record a patch makes equals the slim record of the next case', () => {
    for (const [prev, next] of walks(7, 60, 40)) {
      const p = diffCase(prev, next);
      const r = patchCaseLite(toCaseLite(prev), prev.milestones.closedAt, p);
      expect(r?.lite).toEqual(toCaseLite(next));
      expect(r?.closedAt).toBe(next.milestones.closedAt);
    }
  });

  it('applies only on top of the version before it', () => {
    const [[a, b], [, c]] = [...walks(3, 1, 10)] as [[Case, Case], [Case, Case]];
    const p2 = diffCase(b, c);
    expect(applyCasePatch(a, p2)).toBeNull();
    expect(applyCasePatch(c, p2)).toBeNull();
    expect(patchCaseLite(toCaseLite(a), null, p2)).toBeNull();
    expect(applyCasePatch(b, p2)).toEqual(c);
  });

  it('carries only what changed: a comment is its timeline entry and its time', () => {
    const c = makeCase('dispatched', { deadline: null, timeline: [] });
    const r = applyCommand(c, { ...commandOf('comment'), note: '已联系' } as Command, makeEnv(T0 + 60_000));
    if (!r.ok) throw new Error('comment refused');
    const p = diffCase(c, r.case);
    expect(Object.keys(p).sort()).toEqual(['add', 'id', 'set', 'v']);
    expect(p.set).toEqual({ updatedAt: T0 + 60_000 });
    expect(p.add).toHaveLength(1);
    expect(JSON.stringify(p).length).toBeLessThan(JSON.stringify(r.case).length / 3);
  });

  it('merges the parts of a deadline that changed, and says the base when it is not the version before', () => {
    const c = makeCase('dispatched', { version: 4 });
    const filed = applyCommand(makeCase('reported'), commandOf('file'), makeEnv());
    if (!filed.ok || !filed.case.deadline) throw new Error('file refused');
    const base = { ...c, deadline: filed.case.deadline };
    const next = { ...base, deadline: { ...filed.case.deadline, warned: true }, version: 7 };
    const p = diffCase(base, next);
    expect(p.merge).toEqual({ deadline: { warned: true } });
    expect(p.from).toBe(4);
    expect(applyCasePatch(base, p)).toEqual(next);
    // A merge into a deadline that is not there does not apply: the caller asks for the case.
    expect(applyCasePatch({ ...base, deadline: null }, p)).toBeNull();
  });
});
