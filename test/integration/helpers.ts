import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import type {
  Case,
  ClientToServerEvents,
  Command,
  CommandAck,
  EventBatch,
  ServerToClientEvents,
  Snapshot,
  StreamEvent,
} from '../../protocol';
import { applyCasePatch } from '../../protocol/casePatch';
import { type RunningServer, type ServerOptions, startServer } from '../../server/app/start';

export const tempDir = (): string => mkdtempSync(join(tmpdir(), 'gridwall-it-'));
export const removeDir = (dir: string): void => rmSync(dir, { recursive: true, force: true });

export async function startTestServer(dataDir: string, options: ServerOptions = {}): Promise<RunningServer> {
  return startServer({ host: '127.0.0.1', port: 0, dataDir, preset: 'small', seed: 7, tickMs: 10, ...options });
}

export async function login(url: string, username: string, password = username): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!res.ok) throw new Error(`login ${username}: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function api<T>(
  url: string,
  token: string,
  path: string,
  init: RequestInit = {},
): Promise<{ status: number; body: T }> {
  const res = await fetch(`${url}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${token}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
}

export async function waitFor<T>(
  check: () => T | undefined | null | false,
  what: string,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const v = check();
    if (v) return v;
    if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** A stream client that records every message it receives, raw, as the wire carried it. */
export class StreamClient {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  snapshots: Snapshot[] = [];
  events: StreamEvent[] = [];
  /** Every message as JSON text, for "never contains X" checks. */
  raw: string[] = [];
  lastSeq = 0;
  resyncs = 0;
  /** Set once the server has brought this client up to date (a snapshot, or a resume then positions). */
  synced = false;

  /** `held`: the cases a resuming client holds (those of the client it takes over from). */
  constructor(
    url: string,
    token: string,
    since?: number,
    surface?: 'wall' | 'console' | 'presenter',
    held?: ReadonlyMap<string, Case>,
  ) {
    if (held) this.cases = new Map(held);
    this.socket = io(url, {
      auth: { token, ...(since === undefined ? {} : { since }), ...(surface ? { surface } : {}) },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    this.socket.onAny((event: string, ...args: unknown[]) => this.raw.push(`${event} ${JSON.stringify(args)}`));
    this.socket.on('snapshot', (s) => {
      this.synced = true;
      this.snapshots.push(s);
      this.lastSeq = s.seq;
      this.cases = new Map(s.cases.map((c) => [c.id, c]));
    });
    this.socket.on('events', (batch: EventBatch) => {
      for (const e of batch) {
        this.events.push(e);
        this.lastSeq = Math.max(this.lastSeq, e.seq);
        this.hold(e);
      }
    });
    // The server sends positions right after the missed events of a resume; a snapshot carries them.
    this.socket.on('positions', () => {
      this.synced = true;
    });
    this.socket.on('resync', () => {
      this.resyncs += 1;
    });
  }

  connected(): Promise<void> {
    return new Promise((resolve, reject) => {
      if (this.socket.connected) resolve();
      this.socket.once('connect', () => resolve());
      this.socket.once('connect_error', (err) => reject(err));
    });
  }

  /** Connected and up to date: from here on it receives every event. */
  async ready(): Promise<void> {
    await this.connected();
    await waitFor(() => this.synced, 'snapshot or resume', 60_000);
  }

  command(cmd: Command): Promise<CommandAck> {
    return this.socket.timeout(20_000).emitWithAck('command', cmd);
  }

  /**
   * The case as each of its events left it (a whole case, or a patch applied to the one before).
   * A patch that does not apply on what this client holds is a test failure: it is recorded in
   * `unapplied`.
   */
  caseEvents(caseId: string): Case[] {
    return this.versions.get(caseId) ?? [];
  }

  /** Every case this client holds: the snapshot's, with every event since applied. */
  cases = new Map<string, Case>();
  readonly unapplied: StreamEvent[] = [];
  private readonly versions = new Map<string, Case[]>();

  private hold(e: StreamEvent): void {
    let c: Case | null = null;
    if (e.type === 'case.upserted') c = e.payload;
    else if (e.type === 'case.patched') {
      const base = this.cases.get(e.payload.id);
      c = base ? applyCasePatch(base, e.payload) : null;
      if (!c) this.unapplied.push(e);
    }
    if (!c) return;
    this.cases.set(c.id, c);
    this.versions.set(c.id, [...(this.versions.get(c.id) ?? []), c]);
  }

  close(): void {
    this.socket.disconnect();
  }
}

let n = 0;
export const commandId = (): string => `it-${process.pid}-${Date.now()}-${++n}`;

/** A hotline report with a resident's name and phone, entered by the supervisor. */
export async function reportCase(
  url: string,
  supervisorToken: string,
  over: Record<string, unknown> = {},
): Promise<Case> {
  const res = await api<Case>(url, supervisorToken, '/api/reports', {
    method: 'POST',
    body: JSON.stringify({
      category: over.category ?? 'dirty_road',
      source: 'hotline',
      description: '小区门口垃圾堆积，请尽快处理，电话13987654321',
      location: { lng: over.lng, lat: over.lat, address: '测试路 1 号' },
      reporter: { name: '李秀英', phone: '13987654321' },
      ...over,
    }),
  });
  if (res.status !== 201) throw new Error(`report failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body;
}
