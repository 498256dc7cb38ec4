import { describe, expect, it } from 'vitest';
import type { Case, Command, CommandAck } from '../../protocol';
import { MemoryOutboxStorage, Outbox, type OutboxTimers, type SendResult } from './outbox';

/** Timers that run only when the test says so. */
class ManualTimers implements OutboxTimers {
  t = 1_000_000;
  private queue: Array<{ at: number; fn: () => void; id: number }> = [];
  private ids = 0;
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): unknown {
    const id = ++this.ids;
    this.queue.push({ at: this.t + ms, fn, id });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.queue = this.queue.filter((q) => q.id !== handle);
  }
  get pending(): number[] {
    return this.queue.map((q) => q.at - this.t);
  }
  advance(ms: number): void {
    this.t += ms;
    const due = this.queue.filter((q) => q.at <= this.t);
    this.queue = this.queue.filter((q) => q.at > this.t);
    for (const q of due) q.fn();
  }
}

/** A server that keeps versions, refuses stale ones and answers a known commandId with its first answer. */
class FakeServer {
  up = true;
  /** Apply, then drop the answer on the floor (the link died after the commit). */
  loseNextAnswer = false;
  versions = new Map<string, number>();
  answers = new Map<string, CommandAck>();
  applied: string[] = [];
  received: Command[] = [];
  unauthorized = false;

  send = async (cmd: Command): Promise<SendResult> => {
    await Promise.resolve();
    this.received.push(cmd);
    if (!this.up) return { kind: 'offline', reason: 'connection refused' };
    if (this.unauthorized) return { kind: 'unauthorized' };
    const known = this.answers.get(cmd.commandId);
    if (known) return { kind: 'ack', ack: known };
    const v = this.versions.get(cmd.caseId) ?? 1;
    let ack: CommandAck;
    if (cmd.expectedVersion !== v) {
      ack = { ok: false, error: { code: 'conflict', message: `at ${v}`, current: fakeCase(cmd.caseId, v) } };
      return { kind: 'ack', ack };
    }
    this.versions.set(cmd.caseId, v + 1);
    this.applied.push(cmd.commandId);
    ack = { ok: true, case: fakeCase(cmd.caseId, v + 1) };
    this.answers.set(cmd.commandId, ack);
    if (this.loseNextAnswer) {
      this.loseNextAnswer = false;
      return { kind: 'offline', reason: 'socket hang up' };
    }
    return { kind: 'ack', ack };
  };
}

function fakeCase(id: string, version: number): Case {
  return {
    id,
    code: `C-${id}`,
    category: 'cat',
    source: 'hotline',
    priority: 'normal',
    description: '',
    location: { lng: 106, lat: 38, address: '' },
    gridId: 'g1',
    status: 'filed',
    level: 'grid',
    assignee: null,
    deadline: null,
    reporter: null,
    media: [],
    timeline: [],
    satisfaction: null,
    extension: null,
    milestones: { filedAt: null, dispatchedAt: null, handledAt: null, closedAt: null, closeDueAt: null },
    reworkCount: 0,
    extensionCount: 0,
    everOverdue: false,
    selfHandled: false,
    duplicateOf: null,
    version,
    createdAt: 0,
    updatedAt: 0,
  };
}

let ids = 0;
const cmd = (caseId: string, expectedVersion: number, type: 'file' | 'comment' = 'comment'): Command =>
  type === 'file'
    ? { commandId: `cmd-${String(++ids).padStart(4, '0')}`, type, caseId, expectedVersion }
    : { commandId: `cmd-${String(++ids).padStart(4, '0')}`, type, caseId, expectedVersion, note: 'n' };

const meta = { caseCode: 'C', username: 'supervisor' };

/** Lets every pending promise chain run (the fake server and storage answer in microtasks). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise((r) => setTimeout(r, 0));
}

async function setup(storage = new MemoryOutboxStorage(), server = new FakeServer(), timers = new ManualTimers()) {
  const outbox = new Outbox(storage, server.send, timers, { retryBaseMs: 1000, retryMaxMs: 8000 });
  await outbox.init();
  return { outbox, storage, server, timers };
}

describe('Outbox', () => {
  it('writes a command to storage before sending it, sends one at a time in order, and forgets it once applied', async () => {
    const log: string[] = [];
    const storage = new (class extends MemoryOutboxStorage {
      override async put(e: Parameters<MemoryOutboxStorage['put']>[0]) {
        log.push(`put ${e.command.commandId}`);
        await super.put(e);
      }
      override async delete(seq: number) {
        log.push(`delete ${this.rows.get(seq)?.command.commandId}`);
        await super.delete(seq);
      }
    })();
    const { outbox, server } = await setup(storage);
    let inFlight = 0;
    let maxInFlight = 0;
    const send = server.send;
    outbox.setSender(async (c) => {
      log.push(`send ${c.commandId}`);
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      try {
        return await send(c);
      } finally {
        inFlight--;
      }
    });
    const sent = [cmd('k1', 1), cmd('k2', 1), cmd('k3', 1)];
    await Promise.all(sent.map((c) => outbox.enqueue(c, meta)));
    await settle();
    expect(server.applied).toEqual(sent.map((c) => c.commandId));
    expect(maxInFlight).toBe(1);
    for (const c of sent) {
      const put = log.indexOf(`put ${c.commandId}`);
      expect(put).toBeGreaterThanOrEqual(0);
      expect(put).toBeLessThan(log.indexOf(`send ${c.commandId}`));
      expect(log.indexOf(`send ${c.commandId}`)).toBeLessThan(log.indexOf(`delete ${c.commandId}`));
    }
    expect(storage.rows.size).toBe(0);
    expect(outbox.getStatus().waiting).toBe(0);
  });

  it('goes offline when the server is away, retries with growing delays, and replays in order when kicked', async () => {
    const { outbox, server, timers } = await setup();
    server.up = false;
    const sent = [cmd('k1', 1), cmd('k2', 1), cmd('k3', 1)];
    for (const c of sent) await outbox.enqueue(c, meta);
    await settle();
    expect(outbox.getStatus()).toMatchObject({ waiting: 3, offline: true });
    expect(timers.pending).toEqual([1000]);
    timers.advance(1000);
    await settle();
    expect(timers.pending).toEqual([2000]);
    timers.advance(2000);
    await settle();
    expect(timers.pending).toEqual([4000]);
    // Only the head is ever tried while offline: nothing overtakes it.
    expect(new Set(server.received.map((c) => c.commandId))).toEqual(new Set([sent[0]?.commandId]));

    server.up = true;
    outbox.kick();
    await settle();
    expect(server.applied).toEqual(sent.map((c) => c.commandId));
    expect(outbox.getStatus()).toMatchObject({ waiting: 0, offline: false });
    expect(timers.pending).toEqual([]);
  });

  it('survives a reload: a new outbox on the same storage sends what was left, each applied once', async () => {
    const storage = new MemoryOutboxStorage();
    const server = new FakeServer();
    const first = await setup(storage, server);
    server.up = false;
    const sent = [cmd('k1', 1), cmd('k2', 1), cmd('k3', 1)];
    for (const c of sent) await first.outbox.enqueue(c, meta);
    await settle();
    expect(storage.rows.size).toBe(3);

    // The page reloads while the server is still away; then the server comes back.
    const second = await setup(storage, server);
    expect(second.outbox.getStatus().waiting).toBe(3);
    server.up = true;
    second.outbox.kick();
    await settle();
    expect(server.applied).toEqual(sent.map((c) => c.commandId));
    expect(storage.rows.size).toBe(0);
  });

  it('resends a command whose answer was lost with the same id, and the server applies it once', async () => {
    const { outbox, server, timers } = await setup();
    server.loseNextAnswer = true;
    const a = cmd('k1', 1);
    await outbox.enqueue(a, meta);
    await settle();
    expect(server.applied).toEqual([a.commandId]);
    expect(outbox.getStatus()).toMatchObject({ waiting: 1, offline: true });
    timers.advance(1000);
    await settle();
    expect(server.received.map((c) => c.commandId)).toEqual([a.commandId, a.commandId]);
    expect(server.applied).toEqual([a.commandId]);
    expect(outbox.getStatus().waiting).toBe(0);
  });

  it('chains commands on one case made while offline: the second expects the version the first produced', async () => {
    const { outbox, server } = await setup();
    server.up = false;
    server.versions.set('k1', 4);
    const file = cmd('k1', 4, 'file');
    const note = cmd('k1', 4);
    await outbox.enqueue(file, meta);
    const chained = await outbox.enqueue(note, meta);
    expect(chained.after).toBe(file.commandId);
    await settle();
    server.up = true;
    outbox.kick();
    await settle();
    expect(server.applied).toEqual([file.commandId, note.commandId]);
    expect(server.received.at(-1)?.expectedVersion).toBe(5);
    expect(outbox.ackedVersions.get('k1')).toBe(6);
  });

  it('keeps a refused command with the server’s current case, fails what was built on it, and goes on with the rest', async () => {
    const { outbox, server, storage } = await setup();
    server.up = false;
    server.versions.set('k1', 7);
    const stale = cmd('k1', 6);
    const onTop = cmd('k1', 6);
    const other = cmd('k2', 1);
    await outbox.enqueue(stale, meta);
    await outbox.enqueue(onTop, meta);
    await outbox.enqueue(other, meta);
    server.up = true;
    outbox.kick();
    await settle();
    const status = outbox.getStatus();
    expect(status.waiting).toBe(0);
    expect(status.failed.map((e) => [e.command.commandId, e.error?.code])).toEqual([
      [stale.commandId, 'conflict'],
      [onTop.commandId, 'blocked'],
    ]);
    expect(status.failed[0]?.error?.current?.version).toBe(7);
    expect(server.applied).toEqual([other.commandId]);
    // Failed commands survive a reload until the operator dismisses them.
    expect(storage.rows.size).toBe(2);
    const seq = status.failed[0]?.seq ?? -1;
    await outbox.dismiss(seq);
    expect(storage.rows.size).toBe(1);
  });

  it('holds everything when the session is refused, and resumes after a new login', async () => {
    const { outbox, server, timers } = await setup();
    server.unauthorized = true;
    const a = cmd('k1', 1);
    await outbox.enqueue(a, meta);
    await settle();
    expect(outbox.getStatus()).toMatchObject({ waiting: 1, needsLogin: true });
    expect(timers.pending).toEqual([]);
    server.unauthorized = false;
    outbox.kick();
    await settle();
    expect(server.applied).toEqual([a.commandId]);
    expect(outbox.getStatus().needsLogin).toBe(false);
  });

  it('treats a server that answers "unavailable" as away, not as a refusal', async () => {
    const storage = new MemoryOutboxStorage();
    const timers = new ManualTimers();
    let busy = true;
    const server = new FakeServer();
    const outbox = new Outbox(
      storage,
      async (c) =>
        busy ? { kind: 'ack', ack: { ok: false, error: { code: 'unavailable', message: 'closing' } } } : server.send(c),
      timers,
    );
    await outbox.init();
    const a = cmd('k1', 1);
    await outbox.enqueue(a, meta);
    await settle();
    expect(outbox.getStatus()).toMatchObject({ waiting: 1, offline: true, failed: [] });
    busy = false;
    timers.advance(1000);
    await settle();
    expect(server.applied).toEqual([a.commandId]);
  });
});
