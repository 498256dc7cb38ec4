import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { StreamBridge } from './bridge';
import type { FromWorker, StreamBatch, ToWorker } from './types';

class FakeWorker {
  onmessage: ((ev: MessageEvent<FromWorker>) => void) | null = null;
  readonly sent: ToWorker[] = [];
  postMessage(msg: ToWorker): void {
    this.sent.push(msg);
  }
  terminate(): void {}
  reply(msg: FromWorker): void {
    this.onmessage?.({ data: msg } as MessageEvent<FromWorker>);
  }
  pulls(): number {
    return this.sent.filter((m) => m.type === 'pull').length;
  }
}

const emptyBatch = (): StreamBatch => ({
  snapshot: null,
  cases: [],
  focusedCase: null,
  workers: [],
  positions: [],
  cameras: [],
  sensors: [],
  alertsRaised: [],
  alertsCleared: [],
  inspectionPoints: [],
  kpis: null,
  kpisRolling: null,
  areasVersion: null,
  lastSeq: 1,
  serverAt: null,
  receivedAt: [],
  messages: 1,
  events: 0,
  sentAt: 0,
});

let frames: (() => void)[] = [];

beforeEach(() => {
  vi.useFakeTimers();
  frames = [];
  vi.stubGlobal('requestAnimationFrame', (fn: () => void) => frames.push(fn));
  vi.stubGlobal('cancelAnimationFrame', () => undefined);
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllGlobals();
});

function frame(): void {
  const due = frames;
  frames = [];
  for (const f of due) f();
}

function setup() {
  const worker = new FakeWorker();
  /** The lastSeq of each batch handed over, in order. */
  const applied: number[] = [];
  const sink = { batch: (b: StreamBatch) => applied.push(b.lastSeq), connection: () => undefined };
  const bridge = new StreamBridge(worker as unknown as Worker, sink, async () => 'token');
  return { worker, applied, bridge };
}

describe('StreamBridge', () => {
  it('pulls once on the next frame after the worker says it has data, and not again until it answers', () => {
    const { worker } = setup();
    worker.reply({ type: 'ready' });
    worker.reply({ type: 'ready' });
    expect(worker.pulls()).toBe(0);
    frame();
    expect(worker.pulls()).toBe(1);
    // More data while the pull is in flight: no second pull until the batch comes back.
    worker.reply({ type: 'ready' });
    frame();
    expect(worker.pulls()).toBe(1);
    worker.reply({ type: 'batch', batch: emptyBatch() });
    frame();
    expect(worker.pulls()).toBe(2);
  });

  it('after each batch leaves one pull open for the next frame, data pending or not', () => {
    const { worker, bridge } = setup();
    worker.reply({ type: 'ready' });
    frame();
    worker.reply({ type: 'batch', batch: emptyBatch() });
    expect(worker.pulls()).toBe(1);
    frame();
    expect(worker.pulls()).toBe(2);
    // The open pull is answered when data comes; until then no other pull goes out.
    frame();
    vi.advanceTimersByTime(1000);
    expect(worker.pulls()).toBe(2);
    // Paused, the page asks for nothing; resumed, it asks again.
    worker.reply({ type: 'batch', batch: emptyBatch() });
    bridge.setPaused(true);
    frame();
    expect(worker.pulls()).toBe(2);
    bridge.setPaused(false);
    frame();
    expect(worker.pulls()).toBe(3);
  });

  it('holds the answer to a pull left open when the pause came, and applies it on resume', () => {
    const { worker, applied, bridge } = setup();
    worker.reply({ type: 'ready' });
    frame();
    worker.reply({ type: 'batch', batch: { ...emptyBatch(), lastSeq: 3 } });
    frame();
    expect(worker.pulls()).toBe(2);
    bridge.setPaused(true);
    // Data comes: the worker answers the open pull. Nothing on screen may change.
    worker.reply({ type: 'batch', batch: { ...emptyBatch(), lastSeq: 9 } });
    frame();
    vi.advanceTimersByTime(1000);
    expect(applied).toEqual([3]);
    expect(worker.pulls()).toBe(2);
    bridge.setPaused(false);
    expect(applied).toEqual([3, 9]);
    frame();
    expect(worker.pulls()).toBe(3);
  });

  it('hands each batch to the sink once, as it comes', () => {
    const { worker, applied } = setup();
    worker.reply({ type: 'ready' });
    frame();
    worker.reply({ type: 'batch', batch: { ...emptyBatch(), lastSeq: 7 } });
    expect(applied).toEqual([7]);
  });

  it('pulls from a timer when no frame comes (software GL, an occluded window)', () => {
    const { worker } = setup();
    worker.reply({ type: 'ready' });
    vi.advanceTimersByTime(39);
    expect(worker.pulls()).toBe(0);
    vi.advanceTimersByTime(1);
    expect(worker.pulls()).toBe(1);
    // The late frame finds the pull done and does not pull twice.
    frame();
    expect(worker.pulls()).toBe(1);
  });

  it('asks for a new token when the worker says the old one was refused', async () => {
    const { worker } = setup();
    worker.reply({ type: 'need-token' });
    await vi.waitFor(() => expect(worker.sent).toContainEqual({ type: 'token', token: 'token' }));
  });
});
