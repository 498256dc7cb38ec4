import type { Alert, FocusPolicy } from '../../protocol';
import type { FocusSlice } from '../state/store';

/** Alerts that may pull the wall's focus: urgent cases and critical alarms, not routine warnings. */
export function isUrgentAlert(a: Alert): boolean {
  return a.clearedAt === null && a.caseId !== null && (a.kind === 'urgent' || a.severity === 'critical');
}

/**
 * The case a batch of new alerts moves the focus to, or null. A focus a person chose (on this
 * screen or another) is held for `holdSeconds` first: an alert storm must not yank the map away
 * from the case an operator is explaining.
 */
export function focusFromAlerts(
  justRaised: readonly Alert[],
  focus: FocusSlice,
  policy: FocusPolicy,
  now: number,
): string | null {
  if (!policy.urgentAlertTakesFocus) return null;
  const urgent = justRaised.find(isUrgentAlert);
  if (!urgent?.caseId || urgent.caseId === focus.caseId) return null;
  const humanChoice = focus.origin !== 'alert' && focus.caseId !== null;
  if (humanChoice && now - focus.at < policy.holdSeconds * 1000) return null;
  return urgent.caseId;
}
