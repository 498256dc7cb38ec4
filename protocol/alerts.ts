import { z } from 'zod';
import { CaseLevel, Stage } from './cases';
import { Id, Timestamp } from './common';

export const AlertKind = z.enum(['warning', 'overdue', 'escalation', 'sensor', 'urgent']);
export type AlertKind = z.infer<typeof AlertKind>;

export const Alert = z.object({
  id: Id,
  kind: AlertKind,
  severity: z.enum(['info', 'warning', 'critical']),
  caseId: Id.nullable(),
  caseCode: z.string().max(32).nullable(),
  category: z.string().max(32).nullable(),
  gridId: Id.nullable(),
  /** The level the alert goes to: an overdue case's alert goes to the level above (襄阳). */
  targetLevel: CaseLevel,
  stage: Stage.nullable(),
  sensorId: Id.nullable(),
  raisedAt: Timestamp,
  clearedAt: Timestamp.nullable(),
});
export type Alert = z.infer<typeof Alert>;
