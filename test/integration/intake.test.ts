import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CaseSource } from '../../protocol';
import type { RunningServer } from '../../server/app/start';
import type { CommandOrigin } from '../../server/cases/core';
import { ManualClock } from '../../server/clock';
import { removeDir, startTestServer, tempDir } from './helpers';

const T0 = Date.parse('2026-11-23T09:00:00+08:00');
const sensorActor = { id: 'sensor-1', name: '油烟监测仪', role: 'system' as const };
const origin: CommandOrigin = {
  actor: { id: 'supervisor', name: '值班长', role: 'supervisor' },
  username: 'supervisor',
  role: 'supervisor',
  remoteAddress: '127.0.0.1',
};

let dir: string;
let server: RunningServer;
let clock: ManualClock;
beforeEach(async () => {
  dir = tempDir();
  clock = new ManualClock(T0);
  server = await startTestServer(dir, { clock });
});
afterEach(async () => {
  await server.close();
  removeDir(dir);
});

const at = () => ({ lng: server.preset.center[0], lat: server.preset.center[1], address: '' });
/** A report at the district's centre; `reporter` null unless given. */
const report = (
  r: {
    category: string;
    source: CaseSource;
    description: string;
    priority?: 'urgent' | 'normal';
    reporter?: { name: string; phone: string };
  },
  sensorId: string | null = null,
) =>
  server.core.report(
    { priority: 'normal', reporter: null, media: [], selfHandled: false, location: at(), ...r },
    sensorId ? sensorActor : origin.actor,
    sensorId,
  );

describe('intake and alerts', () => {
  it('an oil-fume monitor alarm is filed and dispatched to the environment bureau with no one in the loop', async () => {
    const c = await report(
      { category: 'oil_fume', source: 'sensor', description: '油烟浓度超标 3.2 mg/m³' },
      'sensor-x',
    );
    expect(c).toMatchObject({
      status: 'dispatched',
      assignee: { kind: 'department', id: 'dept-env' },
      deadline: { stage: 'handle' },
    });
    expect(c.timeline.map((e) => e.action)).toEqual(['reported', 'file', 'dispatch']);
    expect([...server.core.alerts.values()]).toContainEqual(
      expect.objectContaining({ kind: 'sensor', caseId: c.id, sensorId: 'sensor-x' }),
    );
  });

  it('a resident’s report of the same category waits for the center to file it', async () => {
    const c = await report({
      category: 'oil_fume',
      source: 'hotline',
      description: '楼下饭店油烟大',
      reporter: { name: '王芳', phone: '13700001111' },
    });
    expect(c.status).toBe('reported');
  });

  it('an urgent report raises an urgent alert that clears once the case is dispatched', async () => {
    const c = await report({
      category: 'gas_leak',
      source: 'hotline',
      description: '闻到燃气味',
      priority: 'urgent',
      reporter: { name: '赵磊', phone: '13600002222' },
    });
    const urgent = () => [...server.core.alerts.values()].filter((a) => a.caseId === c.id && a.kind === 'urgent');
    expect(urgent()).toHaveLength(1);
    expect(c.deadline).toMatchObject({ stage: 'file', dueAt: T0 + 10 * 60_000 });
    await server.core.command({ commandId: 'urgent-file-1', caseId: c.id, expectedVersion: 1, type: 'file' }, origin);
    await server.core.command(
      {
        commandId: 'urgent-dispatch-1',
        caseId: c.id,
        expectedVersion: 2,
        type: 'dispatch',
        assignee: { kind: 'department', id: 'dept-gas' },
      },
      origin,
    );
    expect(urgent()).toHaveLength(0);
  });

  it('escalation raises an alert to the next level, cleared when that level dispatches', async () => {
    const c = await report({ category: 'illegal_construction', source: 'grid_worker', description: '楼顶违建' });
    await server.core.command({ commandId: 'esc-file-1', caseId: c.id, expectedVersion: 1, type: 'file' }, origin);
    const ack = await server.core.command(
      { commandId: 'esc-up-1', caseId: c.id, expectedVersion: 2, type: 'escalate', reason: '网格无法处置' },
      origin,
    );
    expect(ack).toMatchObject({ ok: true, case: { level: 'community', status: 'filed' } });
    const escalations = () =>
      [...server.core.alerts.values()].filter((a) => a.caseId === c.id && a.kind === 'escalation');
    expect(escalations()).toEqual([expect.objectContaining({ targetLevel: 'community' })]);
    await server.core.command(
      {
        commandId: 'esc-dispatch-1',
        caseId: c.id,
        expectedVersion: 3,
        type: 'dispatch',
        assignee: { kind: 'department', id: 'dept-enforce' },
      },
      origin,
    );
    expect(escalations()).toHaveLength(0);
    // At the community the handling limit is 3 working days (金凤).
    expect(server.core.cases.get(c.id)?.deadline).toMatchObject({
      stage: 'handle',
      level: 'community',
      limitMinutes: 1440,
    });
  });

  it('the warning comes at 80 % of the limit and the overdue alert at 100 %, driven by the clock', async () => {
    const c = await report({
      category: 'dirty_road',
      source: 'app',
      description: '路面脏',
      reporter: { name: '孙丽', phone: '13500003333' },
    });
    clock.advance(23 * 60_000);
    await server.tick();
    expect(server.core.cases.get(c.id)?.deadline?.warned).toBe(false);
    clock.advance(60_000);
    await server.tick();
    expect(server.core.cases.get(c.id)?.deadline).toMatchObject({ warned: true, overdue: false });
    clock.advance(6 * 60_000);
    await server.tick();
    expect(server.core.cases.get(c.id)).toMatchObject({ everOverdue: true, deadline: { overdue: true } });
    const kinds = [...server.core.alerts.values()].filter((a) => a.caseId === c.id).map((a) => a.kind);
    expect(kinds).toEqual(['overdue']);
  });
});
