import { describe, expect, it } from 'vitest';
import type { Alert } from '../../protocol';
import type { FocusSlice } from '../state/store';
import { focusFromAlerts } from './policy';

const alert = (over: Partial<Alert>): Alert => ({
  id: 'a-1',
  kind: 'urgent',
  severity: 'critical',
  caseId: 'c-9',
  caseCode: 'JF-9',
  category: 'fire_hazard',
  gridId: 'g-1',
  targetLevel: 'community',
  stage: 'handle',
  sensorId: null,
  raisedAt: 1000,
  clearedAt: null,
  ...over,
});
const policy = { urgentAlertTakesFocus: true, holdSeconds: 60 };
const noFocus: FocusSlice = { caseId: null, origin: 'local', at: 0 };

describe('focusFromAlerts', () => {
  it('moves the focus to the case of a new urgent alert', () => {
    expect(focusFromAlerts([alert({})], noFocus, policy, 10_000)).toBe('c-9');
  });
  it('leaves routine warnings alone', () => {
    expect(focusFromAlerts([alert({ kind: 'warning', severity: 'warning' })], noFocus, policy, 10_000)).toBeNull();
  });
  it('holds a person’s choice for holdSeconds, then lets the alert take over', () => {
    const chosen: FocusSlice = { caseId: 'c-1', origin: 'remote', at: 0 };
    expect(focusFromAlerts([alert({})], chosen, policy, 59_000)).toBeNull();
    expect(focusFromAlerts([alert({})], chosen, policy, 61_000)).toBe('c-9');
  });
  it('does nothing when the layout turns it off', () => {
    expect(focusFromAlerts([alert({})], noFocus, { ...policy, urgentAlertTakesFocus: false }, 10_000)).toBeNull();
  });
});
