import type { Alert, AlertKind, CaseLevel } from '../../../protocol';
import { CASE_LEVELS } from '../../../protocol';

/** One row of the supervision list: a case (or a sensor without a case) with all its alerts merged. */
export interface SupervisionRow {
  key: string;
  caseId: string | null;
  code: string | null;
  sensorId: string | null;
  /** Its alerts' kinds, most pressing first: 超时 · 紧急 rather than two rows of one case. */
  kinds: AlertKind[];
  severity: Alert['severity'];
  category: string | null;
  gridId: string | null;
  /** The highest level any of its alerts went to. */
  targetLevel: CaseLevel;
  /** The newest of its alerts. */
  raisedAt: number;
  /** Every one of its alerts is cleared. */
  cleared: boolean;
}

const KIND_ORDER: readonly AlertKind[] = ['overdue', 'urgent', 'sensor', 'escalation', 'warning'];
const SEVERITY_ORDER: readonly Alert['severity'][] = ['critical', 'warning', 'info'];

/**
 * The alerts as supervisors read them: one row per case, its reasons merged, rows with an active
 * alert first (newest first), then the cleared ones while room is left.
 */
export function supervisionRows(alerts: readonly Alert[], max: number): SupervisionRow[] {
  const rows = new Map<string, SupervisionRow>();
  for (const a of alerts) {
    const key = a.caseId ?? (a.sensorId ? `sensor:${a.sensorId}` : a.id);
    const row = rows.get(key);
    if (!row) {
      rows.set(key, {
        key,
        caseId: a.caseId,
        code: a.caseCode,
        sensorId: a.sensorId,
        kinds: [a.kind],
        severity: a.severity,
        category: a.category,
        gridId: a.gridId,
        targetLevel: a.targetLevel,
        raisedAt: a.raisedAt,
        cleared: a.clearedAt !== null,
      });
      continue;
    }
    if (!row.kinds.includes(a.kind)) row.kinds.push(a.kind);
    if (SEVERITY_ORDER.indexOf(a.severity) < SEVERITY_ORDER.indexOf(row.severity)) row.severity = a.severity;
    if (CASE_LEVELS.indexOf(a.targetLevel) > CASE_LEVELS.indexOf(row.targetLevel)) row.targetLevel = a.targetLevel;
    row.raisedAt = Math.max(row.raisedAt, a.raisedAt);
    row.cleared &&= a.clearedAt !== null;
    row.category ??= a.category;
    row.gridId ??= a.gridId;
    row.code ??= a.caseCode;
  }
  for (const row of rows.values()) {
    // Overdue says all that its warning said.
    if (row.kinds.includes('overdue')) row.kinds = row.kinds.filter((k) => k !== 'warning');
    row.kinds.sort((x, y) => KIND_ORDER.indexOf(x) - KIND_ORDER.indexOf(y));
  }
  const all = [...rows.values()];
  const byNewest = (x: SupervisionRow, y: SupervisionRow) => y.raisedAt - x.raisedAt;
  return [...all.filter((r) => !r.cleared).sort(byNewest), ...all.filter((r) => r.cleared).sort(byNewest)].slice(
    0,
    max,
  );
}
