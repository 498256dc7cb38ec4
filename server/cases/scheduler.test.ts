import { describe, expect, it } from 'vitest';
import { makeCase, T0, testPolicy } from '../../test/fixtures/server';
import { DeadlineScheduler } from './scheduler';

const MIN = 60_000;
const policy = testPolicy();
const deadlineAt = (start: number) => policy.start('dispatch', makeCase(), start);

describe('DeadlineScheduler (fake clock)', () => {
  it('hands out the warning at 80 % and the overdue mark at 100 %, each once, in due order', () => {
    const s = new DeadlineScheduler();
    s.track('a', deadlineAt(T0));
    s.track('b', deadlineAt(T0 - 10 * MIN));
    expect(s.takeDue(T0 + 19 * MIN)).toEqual([{ caseId: 'b', which: 'warning', at: T0 + 14 * MIN }]);
    expect(s.takeDue(T0 + 24 * MIN).map((m) => `${m.caseId}:${m.which}`)).toEqual(['b:overdue', 'a:warning']);
    expect(s.takeDue(T0 + 24 * MIN)).toEqual([]);
    expect(s.takeDue(T0 + 60 * MIN)).toEqual([{ caseId: 'a', which: 'overdue', at: T0 + 30 * MIN }]);
    expect(s.nextAt()).toBeNull();
  });

  it('fires marks that passed while nothing was running (a deadline missed during a restart)', () => {
    const s = new DeadlineScheduler();
    s.track('a', deadlineAt(T0 - 120 * MIN));
    expect(s.takeDue(T0).map((m) => m.which)).toEqual(['warning', 'overdue']);
  });

  it('skips marks of a deadline that was replaced', () => {
    const s = new DeadlineScheduler();
    s.track('a', deadlineAt(T0));
    s.track('a', policy.start('handle', makeCase(), T0 + 5 * MIN));
    const due = s.takeDue(T0 + 40 * MIN);
    expect(due).toEqual([]);
    expect(s.takeDue(T0 + 10 * 60 * MIN).map((m) => m.which)).toEqual(['warning', 'overdue']);
  });

  it('forgets a case whose deadline stopped (closed, suspended)', () => {
    const s = new DeadlineScheduler();
    s.track('a', deadlineAt(T0));
    s.track('a', null);
    expect(s.takeDue(T0 + 600 * MIN)).toEqual([]);
  });

  it('does not warn twice for a deadline already warned', () => {
    const s = new DeadlineScheduler();
    const d = deadlineAt(T0);
    s.track('a', d);
    expect(s.takeDue(d.warnAt)).toHaveLength(1);
    s.track('a', { ...d, warned: true });
    expect(s.takeDue(d.warnAt + MIN)).toEqual([]);
    expect(s.takeDue(d.dueAt)).toEqual([{ caseId: 'a', which: 'overdue', at: d.dueAt }]);
  });

  it('re-tracking a warned deadline after a restart schedules only the overdue mark', () => {
    const s = new DeadlineScheduler();
    const d = { ...deadlineAt(T0), warned: true };
    s.track('a', d);
    expect(s.takeDue(d.dueAt).map((m) => m.which)).toEqual(['overdue']);
  });
});
