import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import type { Socket as NetSocket } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';

/**
 * Fan-out: a case server in its own process and 20 stream clients on loopback, some of which also
 * send commands (pipelined, paced to the offered rate). Measures events per second delivered to
 * each client and the delay from a command's ack (at its sender) to its event reaching every client.
 *
 * The clients speak the socket.io wire protocol over raw WebSockets and read each frame as bytes:
 * only its arrival time and its last `"seq":N`. A client that decoded every event 20 times over
 * would measure this process, not the server (both share the machine's cores).
 */
export interface FanoutResult {
  server: string;
  clients: number;
  senders: number;
  /** Clients in the wall role: the masked room (reporter data removed on the server per event). */
  walls: number;
  cases: number;
  offeredPerSecond: number;
  seconds: number;
  commandsApplied: number;
  /** The slowest client's delivered events per second. */
  deliveredPerClientPerSecond: number;
  /** Bytes per second to the slowest client, and the average event's size. */
  mbPerClientPerSecond: number;
  avgEventBytes: number;
  delayP50Ms: number;
  delayP99Ms: number;
  delayMaxMs: number;
  resyncs: number;
  /** CPU the server process used over the measured window (1.0 = one core). */
  serverCpu: number;
  /** Server CPU time per applied command, in µs: steadier than rates when other work shares the cores. */
  serverCpuUsPerCommand: number;
  /** CPU this process (the clients) used over the window. */
  clientsCpu: number;
}

export interface FanoutOptions {
  clients?: number;
  /** Clients that also send commands. */
  senders?: number;
  /** Of the clients, how many log in as the demo `wall` user (the last ones; never senders). */
  walls?: number;
  offeredPerSecond: number;
  seconds?: number;
  /** Seconds of load before the measured window (JIT warm-up, first checkpoints). */
  warmupSeconds?: number;
  /** Cases to comment on; by default about 10 comments each at the offered rate (400 to 4,000). */
  cases?: number;
  /** The checkout whose server runs (default: $BENCH_SERVER_ROOT, else this one): compare two builds in one run. */
  serverRoot?: string;
}

const TICKS_PER_SECOND = 100; // /proc/<pid>/stat counts in USER_HZ

function cpuTicks(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // utime and stime are fields 14 and 15 of the whole line: 12 and 13 after "pid (comm) ".
  return Number(fields[11]) + Number(fields[12]);
}

export async function startServerProcess(
  root: string,
  dataDir: string,
  extraArgs: readonly string[] = ['--preset', 'small', '--no-sim'],
): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(
    process.execPath,
    [
      ...(process.env.BENCH_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_PROF}`] : []),
      '--import',
      'tsx',
      'server/main.ts',
      '--port',
      '0',
      '--data',
      dataDir,
      ...extraArgs,
    ],
    { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((ok, fail) => {
    let out = '';
    child.stdout?.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (http:\/\/\S+)/.exec(out);
      if (m?.[1]) ok(m[1]);
    });
    child.on('exit', (code) => fail(new Error(`server exited ${code}`)));
  });
  return { child, url };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length ? (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0) : 0;

const EVENTS = Buffer.from('42["events",');
const SNAPSHOT = Buffer.from('42["snapshot",');
const RESYNC = Buffer.from('42["resync"');
const SEQ = Buffer.from('"seq":');
const CASE_EVENT = Buffer.from('{"type":"case.');
const UPSERTED = Buffer.from('upserted","payload":{"id":"');
const PATCHED = Buffer.from('patched","payload":{"id":"');
const VERSION = Buffer.from('"version":');
const PATCH_VERSION = Buffer.from('","v":');
const OK_TRUE = Buffer.from('[{"ok":true');

const startsWith = (buf: Buffer, prefix: Buffer, at = 0): boolean =>
  buf.length >= at + prefix.length && buf.compare(prefix, 0, prefix.length, at, at + prefix.length) === 0;

/** The decimal number at `at` (digits only). */
function intAt(buf: Buffer, at: number): number {
  let n = 0;
  for (let i = at; i < buf.length; i++) {
    const d = (buf[i] ?? 0) - 48;
    if (d < 0 || d > 9) break;
    n = n * 10 + d;
  }
  return n;
}

/**
 * Every case event in an events frame as [caseId, version, seq] (the server writes keys in this
 * order): whole cases (`case.upserted`, the only kind before patches) and patches (`case.patched`).
 */
function* upserts(buf: Buffer): Generator<[string, number, number]> {
  let at = buf.indexOf(CASE_EVENT);
  while (at >= 0) {
    const kind = at + CASE_EVENT.length;
    const patched = startsWith(buf, PATCHED, kind);
    if (!patched && !startsWith(buf, UPSERTED, kind)) {
      at = buf.indexOf(CASE_EVENT, kind);
      continue;
    }
    const idStart = kind + (patched ? PATCHED.length : UPSERTED.length);
    const idEnd = buf.indexOf(0x22, idStart);
    if (idEnd < 0) return;
    let version: number;
    let after: number;
    if (patched) {
      if (!startsWith(buf, PATCH_VERSION, idEnd)) return;
      version = intAt(buf, idEnd + PATCH_VERSION.length);
      after = idEnd;
    } else {
      const v = buf.indexOf(VERSION, idEnd);
      if (v < 0) return;
      version = intAt(buf, v + VERSION.length);
      after = v;
    }
    const s = buf.indexOf(SEQ, after);
    if (s < 0) return;
    yield [buf.toString('latin1', idStart, idEnd), version, intAt(buf, s + SEQ.length)];
    at = buf.indexOf(CASE_EVENT, s);
  }
}

export async function benchFanout(options: FanoutOptions): Promise<FanoutResult> {
  const nClients = options.clients ?? 20;
  const nSenders = Math.min(options.senders ?? 4, nClients);
  const nWalls = Math.min(options.walls ?? 0, nClients - nSenders);
  const seconds = options.seconds ?? 8;
  const warmup = options.warmupSeconds ?? 1;
  const nCases =
    options.cases ?? Math.min(4_000, Math.max(400, Math.round((options.offeredPerSecond * (seconds + warmup)) / 10)));
  const root = resolve(options.serverRoot ?? process.env.BENCH_SERVER_ROOT ?? process.cwd());
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-bench-'));
  const { child, url } = await startServerProcess(root, dataDir);
  const sockets: WebSocket[] = [];
  try {
    const login = async (user: string): Promise<string> => {
      const res = await fetch(`${url}/api/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username: user, password: user }),
      });
      return ((await res.json()) as { token: string }).token;
    };
    const token = await login('supervisor');
    const wallToken = nWalls > 0 ? await login('wall') : token;

    const wsUrl = `${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`;
    const center = await new Promise<[number, number]>((ok, fail) => {
      const ws = new WebSocket(wsUrl);
      ws.on('error', fail);
      ws.on('message', (data: Buffer) => {
        const text = data.toString();
        if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
        else if (text.startsWith('42["snapshot"')) {
          const snap = (
            JSON.parse(text.slice(2)) as [string, { areas: Array<{ level: string; center: [number, number] }> }]
          )[1];
          ws.close();
          const grid = snap.areas.find((a) => a.level === 'grid');
          if (grid) ok(grid.center);
          else fail(new Error('no grid'));
        }
      });
    });
    const versions = new Map<string, number>();
    const frames: Array<Array<[seq: number, at: number]>> = [];
    const lastSeq = new Array<number>(nClients).fill(0);
    const delivered = new Array<number>(nClients).fill(0);
    const bytes = new Array<number>(nClients).fill(0);
    const seqOf = new Map<string, number>();
    const ackAt = new Map<string, number>();
    const pendingAcks = new Map<number, { caseId: string; version: number }>();
    // First in, first out: every case gets its turn, so timelines (and events) grow evenly.
    const idle: string[] = [];
    let idleHead = 0;
    let resyncs = 0;
    let measuring = false;
    let applied = 0;

    const onAck = (buf: Buffer): void => {
      let i = 2;
      const id = intAt(buf, i);
      while ((buf[i] ?? 0) >= 48 && (buf[i] ?? 0) <= 57) i++;
      const sent = pendingAcks.get(id);
      if (!sent) return;
      pendingAcks.delete(id);
      if (startsWith(buf, OK_TRUE, i)) {
        // A comment moves the case one version on.
        versions.set(sent.caseId, sent.version + 1);
        if (measuring) {
          applied += 1;
          ackAt.set(`${sent.caseId}:${sent.version + 1}`, performance.now());
        }
      }
      idle.push(sent.caseId);
    };

    for (let i = 0; i < nClients; i++) {
      const auth = JSON.stringify({ token: i >= nClients - nWalls ? wallToken : token });
      const ws = new WebSocket(wsUrl);
      const mine: Array<[number, number]> = [];
      frames.push(mine);
      await new Promise<void>((ready, fail) => {
        ws.on('error', fail);
        ws.on('message', (buf: Buffer) => {
          if (startsWith(buf, EVENTS)) {
            const k = buf.lastIndexOf(SEQ);
            const seq = intAt(buf, k + SEQ.length);
            if (measuring) {
              delivered[i] = (delivered[i] ?? 0) + (seq - (lastSeq[i] ?? 0));
              bytes[i] = (bytes[i] ?? 0) + buf.length;
              mine.push([seq, performance.now()]);
            }
            lastSeq[i] = seq;
            if (i === 0) for (const [id, version, s] of upserts(buf)) seqOf.set(`${id}:${version}`, s);
          } else if (buf[0] === 0x34 && buf[1] === 0x33) {
            onAck(buf);
          } else if (buf.length === 1 && buf[0] === 0x32) {
            ws.send('3');
          } else if (buf[0] === 0x30) {
            ws.send(`40${auth}`);
          } else if (startsWith(buf, SNAPSHOT)) {
            // A resnapshot brings the client up to its seq: it has those events' effects from then.
            const k = buf.indexOf(SEQ);
            const seq = intAt(buf, k + SEQ.length);
            if (measuring && seq > (lastSeq[i] ?? 0)) mine.push([seq, performance.now()]);
            lastSeq[i] = Math.max(lastSeq[i] ?? 0, seq);
            ready();
          } else if (startsWith(buf, RESYNC)) {
            resyncs += 1;
            ws.send('42["resync"]');
          }
        });
      });
      sockets.push(ws);
    }

    // Cases to comment on, made after the clients connected (their snapshots stay small).
    let next = 0;
    await Promise.all(
      Array.from({ length: 32 }, async () => {
        while (next < nCases) {
          next += 1;
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
          const c = (await res.json()) as { id: string; version: number };
          versions.set(c.id, c.version);
          idle.push(c.id);
        }
      }),
    );

    // The senders: one outstanding command per case, paced to the offered rate, a burst per timer
    // tick written to each socket at once (corked) as a busy console would pipeline them.
    const senders = sockets.slice(0, nSenders);
    let ackId = 0;
    let sent = 0;
    const send = (due: number) => {
      const raw = senders.map((ws) => (ws as unknown as { _socket: NetSocket })._socket);
      for (const s of raw) s.cork();
      while (sent < due && idleHead < idle.length) {
        const caseId = idle[idleHead++] as string;
        if (idleHead > 65_536) {
          idle.splice(0, idleHead);
          idleHead = 0;
        }
        const version = versions.get(caseId) ?? 1;
        const id = ++ackId;
        sent += 1;
        pendingAcks.set(id, { caseId, version });
        const command = `{"commandId":"bench-${process.pid}-${id}","caseId":"${caseId}","expectedVersion":${version},"type":"comment","note":"基准 ${id}"}`;
        senders[id % senders.length]?.send(`42${id}["command",${command}]`);
      }
      for (const s of raw) s.uncork();
    };
    const run = (ms: number) =>
      new Promise<void>((done) => {
        const start = performance.now();
        const offset = sent;
        const timer = setInterval(() => {
          const now = performance.now();
          send(offset + Math.floor(((now - start) / 1000) * options.offeredPerSecond));
          if (now - start >= ms) {
            clearInterval(timer);
            done();
          }
        }, 2);
      });

    await run(warmup * 1000);
    measuring = true;
    const cpu0 = cpuTicks(child.pid ?? 0);
    const self0 = process.cpuUsage();
    const t0 = performance.now();
    await run(seconds * 1000);
    const elapsed = (performance.now() - t0) / 1000;
    const serverCpu = (cpuTicks(child.pid ?? 0) - cpu0) / TICKS_PER_SECOND / elapsed;
    const self = process.cpuUsage(self0);
    const clientsCpu = (self.user + self.system) / 1e6 / elapsed;
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
    const slowest = delivered.indexOf(Math.min(...delivered));
    const round1 = (v: number) => Math.round(v * 10) / 10;
    return {
      server: root,
      clients: nClients,
      senders: nSenders,
      walls: nWalls,
      cases: nCases,
      offeredPerSecond: options.offeredPerSecond,
      seconds: round1(elapsed),
      commandsApplied: applied,
      deliveredPerClientPerSecond: Math.round((delivered[slowest] ?? 0) / elapsed),
      mbPerClientPerSecond: round1((bytes[slowest] ?? 0) / elapsed / 1e6),
      avgEventBytes: Math.round((bytes[slowest] ?? 0) / Math.max(1, delivered[slowest] ?? 0)),
      delayP50Ms: round1(percentile(delays, 50)),
      delayP99Ms: round1(percentile(delays, 99)),
      delayMaxMs: round1(delays.at(-1) ?? 0),
      resyncs,
      serverCpu: Math.round(serverCpu * 100) / 100,
      serverCpuUsPerCommand: Math.round((serverCpu * elapsed * 1e6) / Math.max(1, applied)),
      clientsCpu: Math.round(clientsCpu * 100) / 100,
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
