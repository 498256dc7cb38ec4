import { describe, expect, it } from 'vitest';
import type { CaseStatus, CommandType } from '../../protocol';
import { CaseStatus as CaseStatusSchema, COMMAND_TYPES } from '../../protocol';
import { commandOf, makeCase, makeEnv, supervisor, T0 } from '../../test/fixtures/server';
import { applyCommand, markDeadline } from './lifecycle';

/** The whole state machine: for each command, the statuses it may start from and where it leads. */
const LEGAL: Record<CommandType, Partial<Record<CaseStatus, CaseStatus>>> = {
  file: { reported: 'filed' },
  reject: { reported: 'rejected' },
  dispatch: { filed: 'dispatched', returned: 'dispatched', suspended: 'dispatched' },
  accept: { dispatched: 'accepted' },
  feedback: { dispatched: 'handled', accepted: 'handled' },
  escalate: { filed: 'filed', dispatched: 'filed', accepted: 'filed', returned: 'filed' },
  return: { dispatched: 'returned', accepted: 'returned' },
  extend: { dispatched: 'dispatched', accepted: 'accepted' },
  suspend: { filed: 'suspended', dispatched: 'suspended', accepted: 'suspended', returned: 'suspended' },
  void: { reported: 'voided', filed: 'voided', returned: 'voided', suspended: 'voided' },
  verify: { handled: 'verified' },
  reopen: { handled: 'dispatched', verified: 'dispatched' },
  close: { verified: 'closed' },
  comment: Object.fromEntries(CaseStatusSchema.options.map((s) => [s, s])),
};

describe('case lifecycle', () => {
  for (const type of COMMAND_TYPES) {
    for (const from of CaseStatusSchema.options) {
      const to = LEGAL[type][from];
      if (to) {
        it(`${type}: ${from} → ${to}`, () => {
          const result = applyCommand(makeCase(from), commandOf(type), makeEnv());
          expect(result.ok, JSON.stringify(result)).toBe(true);
          if (!result.ok) return;
          expect(result.case.status).toBe(to);
          expect(result.case.version).toBe(2);
          expect(result.case.updatedAt).toBe(T0);
          expect(result.case.timeline.at(-1)).toMatchObject({ from, to, actor: supervisor });
        });
      } else {
        it(`${type} is refused from ${from}`, () => {
          const result = applyCommand(makeCase(from), commandOf(type), makeEnv());
          expect(result).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
        });
      }
    }
  }

  it('refuses a stale version with a conflict that carries the current case', () => {
    const result = applyCommand(makeCase('reported', { version: 3 }), commandOf('file', 2), makeEnv());
    expect(result).toMatchObject({ ok: false, error: { code: 'conflict', current: { version: 3 } } });
  });

  it('filing starts the 30 working minute dispatch limit, 10 for urgent cases', () => {
    const normal = applyCommand(makeCase('reported'), commandOf('file'), makeEnv());
    const urgent = applyCommand(makeCase('reported', { priority: 'urgent' }), commandOf('file'), makeEnv());
    expect(normal.ok && normal.case.deadline).toMatchObject({
      stage: 'dispatch',
      dueAt: T0 + 30 * 60_000,
      warnAt: T0 + 24 * 60_000,
    });
    expect(urgent.ok && urgent.case.deadline).toMatchObject({ stage: 'dispatch', dueAt: T0 + 10 * 60_000 });
  });

  it('dispatch starts the handling limit of the category at the grid (道路不洁: 5 working hours)', () => {
    const result = applyCommand(makeCase('filed'), commandOf('dispatch'), makeEnv());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.case.deadline).toMatchObject({
      stage: 'handle',
      limitMinutes: 300,
      dueAt: Date.parse('2026-11-23T15:30:00+08:00'),
    });
    expect(result.case.assignee).toEqual({ kind: 'worker', id: 'w-1', name: '王小明' });
    expect(result.case.milestones.dispatchedAt).toBe(T0);
    expect(result.case.milestones.closeDueAt).toBe(result.case.deadline?.dueAt);
  });

  it('dispatch to an unknown worker is not_found and changes nothing', () => {
    const c = makeCase('filed');
    const result = applyCommand(
      c,
      { ...commandOf('dispatch'), assignee: { kind: 'worker', id: 'nobody' } } as never,
      makeEnv(),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(c.status).toBe('filed');
  });

  it('escalation climbs one level, clears the assignee and raises an escalation alert to the new level', () => {
    const result = applyCommand(makeCase('dispatched'), commandOf('escalate'), makeEnv());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.case).toMatchObject({ level: 'community', status: 'filed', assignee: null });
    expect(result.effects).toContainEqual(
      expect.objectContaining({ type: 'raise', kind: 'escalation', targetLevel: 'community' }),
    );
  });

  it('a case dispatched at the community level gets 3 working days (金凤 self-governance)', () => {
    const result = applyCommand(makeCase('filed', { level: 'community' }), commandOf('dispatch'), makeEnv());
    expect(result.ok && result.case.deadline?.limitMinutes).toBe(3 * 480);
  });

  it('cannot escalate above the district', () => {
    const result = applyCommand(makeCase('filed', { level: 'district' }), commandOf('escalate'), makeEnv());
    expect(result).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
  });

  it('an extension is requested, then approved: the deadline moves by the working minutes asked', () => {
    const dispatched = applyCommand(makeCase('filed'), commandOf('dispatch'), makeEnv());
    if (!dispatched.ok) throw new Error('dispatch failed');
    const requested = applyCommand(dispatched.case, commandOf('extend', 2), makeEnv());
    if (!requested.ok) throw new Error('request failed');
    expect(requested.case.extension).toMatchObject({ minutes: 480 });
    const again = applyCommand(requested.case, commandOf('extend', 3), makeEnv());
    expect(again).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
    const approved = applyCommand(
      requested.case,
      { commandId: 'cmd-approve-1', caseId: 'c-1', expectedVersion: 3, type: 'extend', action: 'approve' },
      makeEnv(),
    );
    if (!approved.ok) throw new Error('approve failed');
    expect(approved.case.extension).toBeNull();
    expect(approved.case.extensionCount).toBe(1);
    expect(approved.case.deadline?.dueAt).toBe(Date.parse('2026-11-24T15:30:00+08:00'));
    expect(approved.case.milestones.closeDueAt).toBe(approved.case.deadline?.dueAt);
  });

  it('approving without a request is refused', () => {
    const c = makeCase('dispatched', { deadline: makeEnv().deadlines.start('handle', makeCase(), T0) });
    const result = applyCommand(
      c,
      { commandId: 'cmd-approve-2', caseId: 'c-1', expectedVersion: 1, type: 'extend', action: 'approve' },
      makeEnv(),
    );
    expect(result).toMatchObject({ ok: false, error: { code: 'illegal_transition' } });
  });

  it('reopen counts a rework and keeps the assignee', () => {
    const result = applyCommand(makeCase('handled'), commandOf('reopen'), makeEnv());
    expect(result.ok && result.case).toMatchObject({ status: 'dispatched', reworkCount: 1, assignee: { id: 'w-1' } });
  });

  it('close records satisfaction and the closing time, and clears every alert of the case', () => {
    const result = applyCommand(makeCase('verified'), commandOf('close'), makeEnv());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.case).toMatchObject({ satisfaction: 'satisfied', deadline: null, milestones: { closedAt: T0 } });
    expect(result.effects).toContainEqual({
      type: 'clear',
      kinds: ['warning', 'overdue', 'escalation', 'urgent', 'sensor'],
    });
  });

  it('voiding a case as a duplicate of itself is invalid', () => {
    const result = applyCommand(makeCase('filed'), { ...commandOf('void'), duplicateOf: 'c-1' } as never, makeEnv());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });

  it('a command naming another case is invalid', () => {
    const result = applyCommand(makeCase('reported'), { ...commandOf('file'), caseId: 'c-2' }, makeEnv());
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid' } });
  });
});

describe('deadline marks', () => {
  const dispatched = (() => {
    const r = applyCommand(makeCase('filed'), commandOf('dispatch'), makeEnv());
    if (!r.ok) throw new Error('dispatch failed');
    return r.case;
  })();
  const d = dispatched.deadline;
  if (!d) throw new Error('no deadline');

  it('does not warn before 80 % of the limit', () => {
    expect(markDeadline(dispatched, 'warning', d.warnAt - 1, supervisor)).toBeNull();
  });

  it('warns once at 80 %, then marks overdue at 100 %', () => {
    const warned = markDeadline(dispatched, 'warning', d.warnAt, supervisor);
    expect(warned?.deadline).toMatchObject({ warned: true, overdue: false });
    expect(warned && markDeadline(warned, 'warning', d.warnAt + 1, supervisor)).toBeNull();
    const overdue = warned && markDeadline(warned, 'overdue', d.dueAt, supervisor);
    expect(overdue).toMatchObject({ everOverdue: true, deadline: { overdue: true }, version: 4 });
  });
});
