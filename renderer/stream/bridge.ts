import type { Presentation } from '../../protocol';
import type { ConnectionInfo, FromWorker, StartOptions, StreamBatch, ToWorker } from './types';

/** Where the bridge hands what the stream brings: the page wires it to its store. */
export interface StreamSink {
  /** One coalesced batch (at most one a frame); `now` is the local epoch time in ms (sub-ms). */
  batch(batch: StreamBatch, now: number): void;
  connection(info: ConnectionInfo): void;
  /** The presentation changed: handed over at once, never coalesced or held by a pause. */
  presentation?(presentation: Presentation | null): void;
}

export interface BridgeMetrics {
  /** Delay from a message's arrival in the worker to the store, in ms (bounded ring). */
  delays: Float64Array;
  delayCount: number;
  batches: number;
  events: number;
  /** Main-thread time spent applying batches, in ms (bounded ring). */
  applyMs: Float64Array;
  applyCount: number;
}

const RING = 1 << 14;
/**
 * When no animation frame comes within this long (software GL, an occluded window, a frame stuck
 * on a big snapshot), pull from a timer instead: the state stays current for what does not wait
 * for frames (alerts taking the focus, the stale check, the next frame when it comes).
 */
const FALLBACK_PULL_MS = 40;

/** Epoch ms with sub-ms precision, comparable with the worker's. */
export const preciseNow = (): number => performance.timeOrigin + performance.now();

/**
 * The main thread's end of the stream worker. It pulls at most one batch per animation frame (or
 * per {@link FALLBACK_PULL_MS} when frames stall), with one pull at a time: the worker coalesces
 * meanwhile, so a stalled page costs a bounded amount of memory, never a growing queue of messages.
 * A pull that finds nothing pending stays open in the worker until data comes.
 */
export class StreamBridge {
  private pullScheduled = false;
  private inFlight = false;
  private stopped = false;
  /** While paused (a presenter's pause) the page pulls nothing: what is shown freezes, the worker coalesces. */
  private paused = false;
  /**
   * The answer to a pull that was open when the pause came (the worker answers an open pull
   * whenever data arrives): held, not applied, until the pause ends.
   */
  private held: StreamBatch | null = null;
  readonly metrics: BridgeMetrics = {
    delays: new Float64Array(RING),
    delayCount: 0,
    batches: 0,
    events: 0,
    applyMs: new Float64Array(RING),
    applyCount: 0,
  };

  constructor(
    private readonly worker: Worker,
    private readonly sink: StreamSink,
    private readonly refreshToken: () => Promise<string>,
  ) {
    worker.onmessage = (ev: MessageEvent<FromWorker>) => this.onMessage(ev.data);
  }

  start(options: StartOptions): void {
    this.send({ type: 'start', options });
  }

  setFocus(caseId: string | null): void {
    this.send({ type: 'focus', caseId });
  }

  setPaused(paused: boolean): void {
    if (this.paused === paused) return;
    this.paused = paused;
    if (paused) return;
    const held = this.held;
    this.held = null;
    if (held) this.apply(held);
    if (!this.inFlight) this.schedulePull();
  }

  stop(): void {
    this.stopped = true;
    this.send({ type: 'stop' });
    this.worker.terminate();
  }

  private send(msg: ToWorker): void {
    if (!this.stopped || msg.type === 'stop') this.worker.postMessage(msg);
  }

  private schedulePull(): void {
    if (this.pullScheduled || this.stopped || this.paused) return;
    this.pullScheduled = true;
    let done = false;
    const pull = () => {
      if (done) return;
      done = true;
      cancelAnimationFrame(frame);
      clearTimeout(timer);
      this.pullScheduled = false;
      if (this.inFlight || this.paused) return;
      this.inFlight = true;
      this.send({ type: 'pull' });
    };
    const frame = requestAnimationFrame(pull);
    const timer = setTimeout(pull, FALLBACK_PULL_MS);
  }

  private apply(batch: StreamBatch): void {
    const t0 = performance.now();
    const now = preciseNow();
    this.sink.batch(batch, now);
    const m = this.metrics;
    m.applyMs[m.applyCount++ % RING] = performance.now() - t0;
    for (const at of batch.receivedAt) m.delays[m.delayCount++ % RING] = now - at;
    m.batches++;
    m.events += batch.events;
  }

  private onMessage(msg: FromWorker): void {
    switch (msg.type) {
      case 'ready':
        if (!this.inFlight) this.schedulePull();
        return;
      case 'batch': {
        this.inFlight = false;
        const batch = msg.batch;
        if (batch && this.paused) {
          // One pull at a time, so at most one batch is ever held.
          this.held = batch;
          return;
        }
        if (batch) this.apply(batch);
        // The next pull goes out on the next frame whether or not data is pending: the worker keeps
        // it open and answers the moment data comes (see Handover), one message instead of three.
        this.schedulePull();
        return;
      }
      case 'connection':
        this.sink.connection(msg.info);
        return;
      case 'presentation':
        this.sink.presentation?.(msg.presentation);
        return;
      case 'need-token':
        void this.refreshToken().then(
          (token) => this.send({ type: 'token', token }),
          () => undefined,
        );
        return;
    }
  }
}
