import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../protocol';
import { supervisionRows } from './rows';

const alert = (over: Partial<Alert>): Alert => ({
  id: 'a1',
  kind: 'warning',
  severity: 'warning',
  caseId: 'c1',
  caseCode: '20261207-000001',
  category: 'fire',
  gridId: 'g1',
  targetLevel: 'grid',
  stage: 'handle',
  sensorId: null,
  raisedAt: 1000,
  clearedAt: null,
  ...over,
});

describe('the supervision list', () => {
  it('shows a case once with its reasons merged, most pressing first', () => {
    const rows = supervisionRows(
      [
        alert({ id: 'a0', kind: 'warning', severity: 'warning', raisedAt: 500 }),
        alert({ id: 'a2', kind: 'sensor', severity: 'critical', raisedAt: 3000, sensorId: 's1' }),
        alert({ id: 'a1', kind: 'urgent', severity: 'critical', raisedAt: 2000 }),
        alert({ id: 'a3', kind: 'overdue', severity: 'warning', raisedAt: 1000, targetLevel: 'community' }),
      ],
      10,
    );
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      caseId: 'c1',
      kinds: ['overdue', 'urgent', 'sensor'],
      severity: 'critical',
      targetLevel: 'community',
      raisedAt: 3000,
      cleared: false,
    });
  });

  it('puts cases with an active alert first and keeps a case active while any of its alerts is', () => {
    const rows = supervisionRows(
      [
        alert({ id: 'x', caseId: 'c2', raisedAt: 5000, clearedAt: 6000 }),
        alert({ id: 'y', caseId: 'c1', raisedAt: 4000, clearedAt: 4500 }),
        alert({ id: 'z', caseId: 'c1', kind: 'overdue', raisedAt: 1000 }),
        alert({ id: 's', caseId: null, caseCode: null, sensorId: 's9', kind: 'sensor', raisedAt: 3000 }),
      ],
      10,
    );
    expect(rows.map((r) => [r.key, r.cleared])).toEqual([
      ['c1', false],
      ['sensor:s9', false],
      ['c2', true],
    ]);
  });

  it('keeps to the room it has', () => {
    const many = Array.from({ length: 30 }, (_, i) => alert({ id: `a${i}`, caseId: `c${i}`, raisedAt: i }));
    expect(supervisionRows(many, 8).map((r) => r.caseId)).toEqual(Array.from({ length: 8 }, (_, i) => `c${29 - i}`));
  });
});
