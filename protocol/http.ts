import { z } from 'zod';
import { WorkingCalendarConfig } from './calendar';
import { Case, CaseSource, CaseStatus } from './cases';
import { Id, Role, Timestamp } from './common';

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
});
export type LoginRequest = z.infer<typeof LoginRequest>;

export const LoginResponse = z.object({
  token: z.string(),
  role: Role,
  username: z.string(),
  expiresAt: Timestamp.nullable(),
});
export type LoginResponse = z.infer<typeof LoginResponse>;

/** A wall's device credential: revocable, and it never expires like a person's session. */
export const DeviceCredential = z.object({
  id: Id,
  name: z.string().min(1).max(64),
  role: z.enum(['wall', 'presenter']),
  createdAt: Timestamp,
  createdBy: z.string(),
  revokedAt: Timestamp.nullable(),
  lastUsedAt: Timestamp.nullable(),
});
export type DeviceCredential = z.infer<typeof DeviceCredential>;

export const CreateDeviceRequest = z.object({
  name: z.string().trim().min(1).max(64),
  role: z.enum(['wall', 'presenter']).default('wall'),
});
export const CreateDeviceResponse = z.object({ device: DeviceCredential, token: z.string() });

export const CaseQuery = z.object({
  status: z
    .string()
    .transform((s) => s.split(',').filter(Boolean))
    .pipe(z.array(CaseStatus))
    .optional(),
  source: CaseSource.optional(),
  gridId: Id.optional(),
  category: z.string().max(32).optional(),
  /** Search by code, address, description or (privileged roles only) phone. */
  q: z.string().trim().min(1).max(100).optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  /** Opaque cursor from the previous page's `next`. */
  cursor: z.string().max(200).optional(),
});
export type CaseQuery = z.infer<typeof CaseQuery>;

export const CasePage = z.object({ items: z.array(Case), next: z.string().nullable(), total: z.number().int() });
export type CasePage = z.infer<typeof CasePage>;

export const AuditEntry = z.object({
  id: z.number().int(),
  at: Timestamp,
  username: z.string(),
  role: z.string(),
  remoteAddress: z.string(),
  commandId: z.string(),
  commandType: z.string(),
  caseId: z.string(),
  result: z.string(),
  detail: z.string().nullable(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

export const Health = z.object({
  ok: z.boolean(),
  version: z.string(),
  seq: z.number().int(),
  uptimeSeconds: z.number(),
  simulator: z.object({ preset: z.string(), speed: z.number(), simTime: Timestamp }).nullable(),
});
export type Health = z.infer<typeof Health>;

/** GET /api/calendar: the working calendar deadlines count in (the console counts down in it). */
export const CalendarAnswer = WorkingCalendarConfig;
export type CalendarAnswer = WorkingCalendarConfig;
