import type { Snapshot, StreamEvent } from '../../../protocol';

export interface BenchConfig {
  /** `coalesce`: the wall's pipeline. `per-event`: the naive baseline, one message per event. */
  mode: 'coalesce' | 'per-event';
  cases: number;
  workers: number;
  cameras: number;
  endedInWindow: number;
  /** Durable events per second. */
  rate: number;
  positionsPerSecond: number;
  /** Server seconds per real second (ended cases age out of the 24 h window at this pace). */
  speed: number;
}

export type BenchToWorker =
  | { type: 'bench-config'; config: BenchConfig }
  | { type: 'bench-rate'; rate: number; speed: number; positionsPerSecond: number }
  | { type: 'bench-generated' };

export type NaiveFromWorker =
  | { type: 'naive-snapshot'; snapshot: unknown; receivedAt: number }
  | { type: 'naive-event'; event: StreamEvent; receivedAt: number }
  | { type: 'naive-positions'; positions: unknown; receivedAt: number }
  | { type: 'bench-generated'; generated: number };

/** What the benchmark script reads from the page (`window.__bench`). */
export interface BenchHandle {
  mode: 'optimized' | 'naive';
  ready(): boolean;
  /** Events applied to the state so far. */
  applied(): number;
  /** Delays (ms) from generation to the state, from index `from` on; and the next index. */
  delays(from: number): { values: number[]; next: number };
  /** Main-thread ms spent applying each batch to the store, from index `from` on (optimized only). */
  applyMs?(from: number): { values: number[]; next: number };
  /** rAF timestamps (ms) from index `from` on. */
  frames(from: number): { values: number[]; next: number };
  setRate(rate: number, speed: number, positionsPerSecond: number): void;
}

export type { Snapshot };
