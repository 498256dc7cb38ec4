import { describe, expect, it } from 'vitest';
import { type Actor, type Case, COMMAND_TYPES } from '../../protocol';
import { allowedFrom } from '../../protocol/lifecycle';
import { mulberry32 } from '../../protocol/random';
import { commandOf, makeCase, makeEnv, supervisor, T0 } from '../../test/fixtures/server';
import { caseJson } from './caseJson';
import { applyCommand } from './lifecycle';

const worker: Actor = { id: 'w-1', name: '王小明 "小王"', role: 'worker' };

describe('caseJson', () => {
  it('is JSON.stringify of the case, version after version (entries reused across versions)', () => {
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
        c = r.case;
        expect(caseJson(c)).toBe(JSON.stringify(c));
      }
    }
  });

  it('leaves free text that looks like its mark alone', () => {
    const c = makeCase('reported');
    const odd = { ...c, description: '"timeline":-5e-301', timeline: [] } as Case;
    expect(caseJson(odd)).toBe(JSON.stringify(odd));
  });
});
