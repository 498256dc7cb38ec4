import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import { WebSocket } from 'ws';
import type { Case, ClientToServerEvents, CommandAck, ServerToClientEvents } from '../../protocol';

/**
 * Fan-out: a case server in its own process, 20 stream clients and one command sender on
 * loopback. Measures events per second delivered to each client and the delay from a command's
 * ack to its event reaching every client.
 */
export interface FanoutResult {
  clients: number;
  offeredPerSecond: number;
  seconds: number;
  commandsApplied: number;
  /** The slowest client's delivered events per second. */
  deliveredPerClientPerSecond: number;
  delayP50Ms: number;
  delayP99Ms: number;
  resyncs: number;
}

type Client = Socket<ServerToClientEvents, ClientToServerEvents>;

async function startServerProcess(dataDir: string): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', '--cpu-prof-dir=/tmp/prof'] : []),
      '--import',
      'tsx',
      'server/main.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      '--preset',
      'small',
      '--no-sim',
    ],
    {
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) resolve(m[1]);
    });
    child.on('exit', (code) => reject(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : 0;

export async function benchFanout(options: {
  clients?: number;
  offeredPerSecond: number;
  seconds?: number;
  cases?: number;
}): Promise<FanoutResult> {
  const nClients = options.clients ?? 20;
  const seconds = options.seconds ?? 8;
  const nCases = options.cases ?? 400;
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-bench-'));
  const { child, url } = await startServerProcess(dataDir);
  try {
    const login = await fetch(`${url}/api/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: 'supervisor', password: 'supervisor' }),
    });
    const { token } = (await login.json()) as { token: string };
    const health = (await (await fetch(`${url}/health`)).json()) as { seq: number };
    void health;

    // Cases to comment on: the events of the benchmark are their upserts.
    const center = await (async () => {
      const s = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
      const snap = await new Promise<{ areas: Array<{ level: string; center: [number, number] }> }>((r) =>
        s.once('snapshot', r),
      );
      s.disconnect();
      const grid = snap.areas.find((a) => a.level === 'grid');
      if (!grid) throw new Error('no grid');
      return grid.center;
    })();
    const versions = new Map<string, number>();
    for (let i = 0; i < nCases; i += 50) {
      const made = await Promise.all(
        Array.from({ length: Math.min(50, nCases - i) }, async () => {
          const res = await fetch(`${url}/api/reports`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
            body: JSON.stringify({
              category: 'dirty_road',
              source: 'hotline',
              description: '基准测试',
              location: { lng: center[0], lat: center[1], address: '' },
            }),
          });
          return (await res.json()) as Case;
        }),
      );
      for (const c of made) versions.set(c.id, c.version);
    }

    // The clients speak the socket.io wire protocol over a raw WebSocket and note, per frame, only
    // its arrival time and its last seq (events end with "seq":N,"at":T): a socket.io-client
    // decoding every event 20 times over would measure this process, not the server.
    const frames: Array<Array<[seq: number, at: number]>> = [];
    const lastSeq = new Array<number>(nClients).fill(0);
    const delivered = new Array<number>(nClients).fill(0);
    let resyncs = 0;
    let measuring = false;
    const clients: WebSocket[] = [];
    const wsUrl = `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
    for (let i = 0; i < nClients; i++) {
      const ws = new WebSocket(wsUrl);
      const mine: Array<[number, number]> = [];
      frames.push(mine);
      await new Promise<void>((ready, fail) => {
        ws.on('error', fail);
        ws.on('message', (data: Buffer) => {
          const text = data.toString();
          if (text === '2') {
            ws.send('3');
          } else if (text.startsWith('0')) {
            ws.send(`40${JSON.stringify({ token })}`);
          } else if (text.startsWith('42["snapshot"')) {
            lastSeq[i] = Number(/"seq":(\d+)/.exec(text)?.[1] ?? 0);
            ready();
          } else if (text.startsWith('42["resync"')) {
            resyncs += 1;
            ws.send('42["resync"]');
          } else if (text.startsWith('42["events"')) {
            const k = text.lastIndexOf('"seq":');
            const seq = Number.parseInt(text.slice(k + 6, k + 20), 10);
            if (measuring) {
              delivered[i] = (delivered[i] ?? 0) + (seq - (lastSeq[i] ?? 0));
              mine.push([seq, performance.now()]);
            }
            lastSeq[i] = seq;
          }
        });
      });
      clients.push(ws);
    }

    // The sender: one outstanding command per case, paced to the offered rate.
    const sender: Client = io(url, { auth: { token }, transports: ['websocket'], forceNew: true });
    const seqOf = new Map<string, number>();
    sender.on('events', (batch) => {
      for (const e of batch) if (e.type === 'case.upserted') seqOf.set(`${e.payload.id}:${e.payload.version}`, e.seq);
    });
    await new Promise<void>((r) => sender.once('snapshot', () => r()));
    const ackAt = new Map<string, number>();
    let applied = 0;
    let sent = 0;
    let n = 0;
    const idle = [...versions.keys()];
    measuring = true;
    const t0 = performance.now();
    const end = t0 + seconds * 1000;
    await new Promise<void>((done) => {
      const pump = () => {
        const now = performance.now();
        if (now >= end) {
          done();
          return;
        }
        const due = Math.floor(((now - t0) / 1000) * options.offeredPerSecond);
        while (sent < due && idle.length > 0) {
          const caseId = idle.pop() as string;
          const version = versions.get(caseId) ?? 1;
          sent += 1;
          const key = `${caseId}:${version + 1}`;
          sender.emit(
            'command',
            {
              commandId: `bench-${process.pid}-${++n}`,
              caseId,
              expectedVersion: version,
              type: 'comment',
              note: `基准 ${n}`,
            },
            (ack: CommandAck) => {
              ackAt.set(key, performance.now());
              if (ack.ok) {
                applied += 1;
                versions.set(caseId, ack.case.version);
              }
              idle.push(caseId);
            },
          );
        }
        setImmediate(pump);
      };
      pump();
    });
    const elapsed = (performance.now() - t0) / 1000;
    // Let the tail arrive before reading the delays.
    await new Promise((r) => setTimeout(r, 1000));
    measuring = false;

    // The delay of an event at a client is the arrival of the first frame that reaches its seq.
    const arrivalAt = (i: number, seq: number): number | null => {
      const list = frames[i] ?? [];
      let lo = 0;
      let hi = list.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((list[mid]?.[0] ?? 0) < seq) lo = mid + 1;
        else hi = mid;
      }
      return list[lo]?.[1] ?? null;
    };
    const delays: number[] = [];
    for (const [key, ack] of ackAt) {
      const seq = seqOf.get(key);
      if (seq === undefined) continue;
      let last = 0;
      for (let i = 0; i < nClients; i++) last = Math.max(last, arrivalAt(i, seq) ?? Number.POSITIVE_INFINITY);
      if (Number.isFinite(last)) delays.push(Math.max(0, last - ack));
    }
    delays.sort((a, b) => a - b);
    for (const c of clients) c.close();
    sender.disconnect();
    return {
      clients: nClients,
      offeredPerSecond: options.offeredPerSecond,
      seconds: Math.round(elapsed * 10) / 10,
      commandsApplied: applied,
      deliveredPerClientPerSecond: Math.round(Math.min(...delivered) / elapsed),
      delayP50Ms: Math.round(percentile(delays, 50) * 10) / 10,
      delayP99Ms: Math.round(percentile(delays, 99) * 10) / 10,
      resyncs,
    };
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
