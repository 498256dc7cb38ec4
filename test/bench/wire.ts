import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { benchFanout, type FanoutResult, startServerProcess } from './fanout';

/**
 * The wire, old build against new, in one run (`npm run bench -- wire --old DIR`, DIR a checkout
 * of the old build with node_modules): bytes per case event (a whole lifecycle per case), bytes
 * per worker position (the district simulator), and fan-out to 20 clients, alternating old and
 * new, `--pairs` times.
 */
export interface CaseBytes {
  /** Case events seen by the supervisor client: new cases and changes. */
  events: number;
  newCaseBytes: number;
  /** The mean size of a changed case's event, as sent to the supervisor room and to the wall room. */
  changeBytes: number;
  changeBytesMasked: number;
  /** The mean size of the whole case after each change (what an event held before patches). */
  wholeCaseBytes: number;
}

export interface PositionBytes {
  messages: number;
  positions: number;
  bytesPerPosition: number;
}

type Frame = { text: string; bytes: number };

async function login(url: string, user: string): Promise<string> {
  const res = await fetch(`${url}/api/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: user, password: user }),
  });
  return ((await res.json()) as { token: string }).token;
}

/** A raw socket.io client that keeps every frame after its snapshot; resolves with the snapshot. */
function listen(url: string, token: string, frames: Frame[]): Promise<{ ws: WebSocket; snapshot: unknown }> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((ok, fail) => {
    ws.on('error', fail);
    ws.on('message', (buf: Buffer) => {
      const text = buf.toString();
      if (text === '2') ws.send('3');
      else if (text.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
      else if (text.startsWith('42["snapshot"')) ok({ ws, snapshot: (JSON.parse(text.slice(2)) as unknown[])[1] });
      else if (text.startsWith('42[')) frames.push({ text, bytes: buf.length });
    });
  });
}

const quiet = async (frames: Frame[][], ms: number): Promise<void> => {
  let last = -1;
  for (;;) {
    const n = frames.reduce((a, f) => a + f.length, 0);
    if (n === last) return;
    last = n;
    await new Promise((r) => setTimeout(r, ms));
  }
};

const eventsOf = (frames: Frame[]): Array<{ type: string; payload: { id: string } }> =>
  frames.flatMap((f) =>
    f.text.startsWith('42["events"')
      ? (JSON.parse(f.text.slice(2)) as [string, Array<{ type: string; payload: { id: string } }>])[1]
      : [],
  );

/** Bytes of each case event on the wire over whole lifecycles (file, dispatch, accept, comment, feedback, verify, close). */
export async function benchCaseBytes(root: string, cases = 60): Promise<CaseBytes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-wire-'));
  const { child, url } = await startServerProcess(root, dataDir);
  const sockets: WebSocket[] = [];
  try {
    const token = await login(url, 'supervisor');
    const full: Frame[] = [];
    const masked: Frame[] = [];
    const a = await listen(url, token, full);
    const b = await listen(url, await login(url, 'wall'), masked);
    sockets.push(a.ws, b.ws);
    const snap = a.snapshot as {
      workers: Array<{ id: string }>;
      areas: Array<{ level: string; center: [number, number] }>;
    };
    const center = snap.areas.find((x) => x.level === 'grid')?.center ?? [0, 0];
    const worker = snap.workers[0]?.id ?? '';
    const post = async (
      path: string,
      body: unknown,
    ): Promise<{ id: string; version: number } & Record<string, unknown>> => {
      const res = await fetch(`${url}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify(body),
      });
      const json = (await res.json()) as { case?: { id: string; version: number } } & { id: string; version: number };
      return (json.case ?? json) as { id: string; version: number };
    };
    const steps: Array<Record<string, unknown>> = [
      { type: 'file', note: '已核实，立案' },
      { type: 'dispatch', assignee: { kind: 'worker', id: worker }, note: '请尽快到场' },
      { type: 'accept' },
      { type: 'comment', note: '已电话联系报告人，约定下午处理' },
      { type: 'feedback', note: '已清理完毕，现场恢复' },
      { type: 'verify', note: '核查通过' },
      { type: 'close', satisfaction: 'satisfied' },
    ];
    const wholeSizes: number[] = [];
    let n = 0;
    let next = 0;
    await Promise.all(
      Array.from({ length: 8 }, async () => {
        while (next < cases) {
          next += 1;
          let c = await post('/api/reports', {
            category: 'dirty_road',
            source: 'hotline',
            description: `小区门口垃圾堆积，请尽快处理，联系电话13987654321（第${next}件）`,
            location: { lng: center[0], lat: center[1], address: '测试路 1 号' },
            reporter: { name: '李秀英', phone: '13987654321' },
          });
          for (const step of steps) {
            c = await post('/api/commands', {
              commandId: `wire-${process.pid}-${++n}`,
              caseId: c.id,
              expectedVersion: c.version,
              ...step,
            });
            wholeSizes.push(Buffer.byteLength(JSON.stringify(c)));
          }
        }
      }),
    );
    await quiet([full, masked], 500);
    const measure = (frames: Frame[]) => {
      const seen = new Set<string>();
      let newBytes = 0;
      let newCount = 0;
      let changeBytes = 0;
      let changeCount = 0;
      for (const e of eventsOf(frames)) {
        if (!e.type.startsWith('case.')) continue;
        // Its JSON in the frame (re-made from the parsed event: same keys in the same order), and a comma.
        const bytes = Buffer.byteLength(JSON.stringify(e)) + 1;
        if (seen.has(e.payload.id)) {
          changeBytes += bytes;
          changeCount += 1;
        } else {
          seen.add(e.payload.id);
          newBytes += bytes;
          newCount += 1;
        }
      }
      return {
        events: newCount + changeCount,
        newCaseBytes: Math.round(newBytes / Math.max(1, newCount)),
        changeBytes: Math.round(changeBytes / Math.max(1, changeCount)),
      };
    };
    const f = measure(full);
    const m = measure(masked);
    return {
      events: f.events,
      newCaseBytes: f.newCaseBytes,
      changeBytes: f.changeBytes,
      changeBytesMasked: m.changeBytes,
      wholeCaseBytes: Math.round(wholeSizes.reduce((x, y) => x + y, 0) / Math.max(1, wholeSizes.length)),
    };
  } finally {
    for (const ws of sockets) ws.terminate();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/** How many positions a positions message holds: tuples (old) or packed 11-byte records (new). */
function positionsIn(text: string): number {
  const msg = (JSON.parse(text.slice(2)) as [string, { positions?: unknown[]; packed?: string }])[1];
  if (Array.isArray(msg.positions)) return msg.positions.length;
  const packed = msg.packed ?? '';
  const pad = packed.endsWith('==') ? 2 : packed.endsWith('=') ? 1 : 0;
  return ((packed.length / 4) * 3 - pad) / 11;
}

/**
 * Bytes per worker position on the wire: the district's simulator moving its workers live, fast
 * (×14,400: 8 s are a simulated day and more, so the patrols' hours are in it whatever the time).
 */
export async function benchPositionBytes(root: string, seconds = 8): Promise<PositionBytes> {
  const dataDir = mkdtempSync(join(tmpdir(), 'gridwall-wire-'));
  const { child, url } = await startServerProcess(root, dataDir, ['--preset', 'district', '--speed', '14400']);
  let ws: WebSocket | null = null;
  try {
    const frames: Frame[] = [];
    ws = (await listen(url, await login(url, 'supervisor'), frames)).ws;
    await new Promise((r) => setTimeout(r, seconds * 1000));
    let bytes = 0;
    let positions = 0;
    let messages = 0;
    for (const f of frames) {
      if (!f.text.startsWith('42["positions"')) continue;
      messages += 1;
      bytes += f.bytes;
      positions += positionsIn(f.text);
    }
    return { messages, positions, bytesPerPosition: Math.round((bytes / Math.max(1, positions)) * 10) / 10 };
  } finally {
    ws?.terminate();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)] ?? 0;
};

export async function runWireBench(args: readonly string[]): Promise<void> {
  const opt = (name: string, fallback: string): string => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? (args[i + 1] ?? fallback) : fallback;
  };
  const oldRoot = opt('old', process.env.BENCH_OLD_ROOT ?? '');
  if (!oldRoot) throw new Error('usage: npm run bench -- wire --old DIR [--pairs 3] [--offered 20000] [--seconds 8]');
  const builds = { old: resolve(oldRoot), new: resolve(process.cwd()) };
  const pairs = Number(opt('pairs', '3'));
  const offered = Number(opt('offered', '20000'));
  const seconds = Number(opt('seconds', '8'));
  const walls = Number(opt('walls', '0'));

  const caseBytes: Record<string, CaseBytes> = {};
  const positionBytes: Record<string, PositionBytes> = {};
  for (const [name, root] of Object.entries(builds)) {
    caseBytes[name] = await benchCaseBytes(root);
    positionBytes[name] = await benchPositionBytes(root);
  }
  console.log('\n## bytes per case event (a whole lifecycle per case; supervisor room, wall room)');
  console.table(caseBytes);
  console.log('\n## bytes per worker position (district simulator)');
  console.table(positionBytes);

  const runs: Record<string, FanoutResult[]> = { old: [], new: [] };
  for (let i = 0; i < pairs; i++) {
    // Alternating, the order flipped each pair: neither build always runs on a warmer machine.
    const order = i % 2 === 0 ? (['old', 'new'] as const) : (['new', 'old'] as const);
    for (const name of order) {
      const r = await benchFanout({ offeredPerSecond: offered, seconds, walls, serverRoot: builds[name] });
      runs[name]?.push(r);
      console.log(
        `pair ${i + 1} ${name}: ${r.deliveredPerClientPerSecond} events/s per client, ${r.avgEventBytes} B/event, ` +
          `${r.mbPerClientPerSecond} MB/s, p99 ${r.delayP99Ms} ms, server ${r.serverCpu} cores, ` +
          `${r.serverCpuUsPerCommand} µs/command, resyncs ${r.resyncs}`,
      );
    }
  }
  const summary = Object.fromEntries(
    Object.entries(runs).map(([name, rs]) => [
      name,
      {
        eventsPerClientPerSecond: median(rs.map((r) => r.deliveredPerClientPerSecond)),
        bytesPerEvent: median(rs.map((r) => r.avgEventBytes)),
        mbPerClientPerSecond: median(rs.map((r) => r.mbPerClientPerSecond)),
        delayP99Ms: median(rs.map((r) => r.delayP99Ms)),
        serverCpu: median(rs.map((r) => r.serverCpu)),
        serverCpuUsPerCommand: median(rs.map((r) => r.serverCpuUsPerCommand)),
      },
    ]),
  );
  console.log(`\n## fan-out to 20 clients (${walls} walls), ${offered} commands/s offered: medians of ${pairs} pairs`);
  console.table(summary);
}
