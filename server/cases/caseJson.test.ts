import { describe, expect, it } from 'vitest';
import { type Actor, type Case, COMMAND_TYPES } from '../../protocol';
import { allowedFrom } from '../../protocol/lifecycle';
import { mulberry32 } from '../../protocol/random';
import { commandOf, makeCase, makeEnv, supervisor, T0 } from '../../test/fixtures/server';
import { caseJson } from './caseJson';
import { applyCommand } from './lifecycle';

const worker: Actor = { id: 'w-1', name: '王小明 "小王"', role: 'worker' };

describe('caseJson', () => {
  it('is JSON.stringify of the case, version after version (each timeline from the one before)', () => {
    const rnd = mulberry32(7);
    for (let w = 0; w < 40; w++) {
      let c: Case = makeCase('reported');
      expect(caseJson(c)).toBe(JSON.stringify(c));
      for (let s = 0; s < 25; s++) {
        const legal = COMMAND_TYPES.filter((t) => allowedFrom(t, c.status));
        const type = legal[Math.floor(rnd() * legal.length)] ?? 'comment';
        const r = applyCommand(
          c,
          commandOf(type, c.version),
          makeEnv(T0 + s * 60_000, rnd() < 0.5 ? supervisor : worker),
        );
        if (!r.ok) continue;
        const before = c;
        c = r.case;
        expect(caseJson(c, before)).toBe(JSON.stringify(c));
        // Again (the timeline's JSON kept), and from an unrelated version.
        expect(caseJson(c, before)).toBe(JSON.stringify(c));
        expect(caseJson({ ...c, timeline: [...c.timeline] }, makeCase('reported'))).toBe(JSON.stringify(c));
      }
    }
  });

  it('leaves free text that looks like its mark alone', () => {
    const c = makeCase('reported');
    const odd = { ...c, description: '"timeline":-5e-301', timeline: [] } as Case;
    expect(caseJson(odd)).toBe(JSON.stringify(odd));
  });

  it('leaves a frozen timeline as it is', () => {
    const c = makeCase('reported');
    const frozen = { ...c, timeline: Object.freeze([...c.timeline]) } as Case;
    expect(caseJson(frozen, c)).toBe(JSON.stringify(frozen));
    expect(frozen).toEqual(c);
  });
});
