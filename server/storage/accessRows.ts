import type { Kysely } from 'kysely';
import type { AuditEntry, DeviceCredential } from '../../protocol';
import type { CredentialStore, LoginAudit } from '../access/auth';
import type { Database, SessionTable } from './schema';

/** Sessions, device credentials and the audit log's reads (the audit is written with each write group). */
export class AccessRows implements CredentialStore {
  constructor(private readonly db: Kysely<Database>) {}

  async insertSession(s: SessionTable): Promise<void> {
    await this.db.insertInto('sessions').values(s).execute();
  }

  async findSession(tokenHash: string): Promise<SessionTable | null> {
    const row = await this.db.selectFrom('sessions').selectAll().where('token_hash', '=', tokenHash).executeTakeFirst();
    return row
      ? {
          ...row,
          created_at: Number(row.created_at),
          expires_at: row.expires_at === null ? null : Number(row.expires_at),
        }
      : null;
  }

  async updateSessionExpiry(tokenHash: string, expiresAt: number): Promise<void> {
    await this.db.updateTable('sessions').set({ expires_at: expiresAt }).where('token_hash', '=', tokenHash).execute();
  }

  async revokeSessions(where: { tokenHash?: string; deviceId?: string }, at: number): Promise<void> {
    let q = this.db.updateTable('sessions').set({ revoked_at: at });
    if (where.tokenHash) q = q.where('token_hash', '=', where.tokenHash);
    if (where.deviceId) q = q.where('device_id', '=', where.deviceId);
    await q.execute();
  }

  async insertDevice(d: DeviceCredential): Promise<void> {
    await this.db
      .insertInto('devices')
      .values({
        id: d.id,
        name: d.name,
        role: d.role,
        created_at: d.createdAt,
        created_by: d.createdBy,
        revoked_at: d.revokedAt,
        last_used_at: d.lastUsedAt,
      })
      .execute();
  }

  async listDevices(): Promise<DeviceCredential[]> {
    const rows = await this.db.selectFrom('devices').selectAll().orderBy('created_at').execute();
    return rows.map((r) => ({
      id: r.id,
      name: r.name,
      role: r.role as DeviceCredential['role'],
      createdAt: Number(r.created_at),
      createdBy: r.created_by,
      revokedAt: r.revoked_at === null ? null : Number(r.revoked_at),
      lastUsedAt: r.last_used_at === null ? null : Number(r.last_used_at),
    }));
  }

  async markDevice(id: string, set: { revoked_at?: number; last_used_at?: number }): Promise<number> {
    const result = await this.db.updateTable('devices').set(set).where('id', '=', id).executeTakeFirst();
    return Number(result.numUpdatedRows);
  }

  /** Logins are audited here, one row each (commands are audited with their write group). */
  async insertAudit(a: LoginAudit): Promise<void> {
    await this.db.insertInto('audit').values(a).execute();
  }

  async listAudit(limit: number, beforeId: number | null): Promise<AuditEntry[]> {
    let q = this.db.selectFrom('audit').selectAll();
    if (beforeId !== null) q = q.where('id', '<', beforeId);
    const rows = await q.orderBy('id', 'desc').limit(limit).execute();
    return rows.map((r) => ({
      id: Number(r.id),
      at: Number(r.at),
      username: r.username,
      role: r.role,
      remoteAddress: r.remote_address,
      commandId: r.command_id,
      commandType: r.command_type,
      caseId: r.case_id,
      result: r.result,
      detail: r.detail,
    }));
  }
}
