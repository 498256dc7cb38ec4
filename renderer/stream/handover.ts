import type { FromWorker, StreamBatch } from './types';

/**
 * The worker's end of the hand-over to the main thread. The main thread asks for data (`pull`) at
 * most once per frame; a pull that finds nothing pending stays open and is answered the moment
 * data comes, so new data reaches the store in one message instead of three (ready, pull, batch),
 * each of which waits for a main thread busy with a frame. One batch at most is ever in flight:
 * the main thread's pace still sets the rate, and the worker coalesces meanwhile.
 */
export class Handover {
  private open = false;

  constructor(
    private readonly take: () => StreamBatch | null,
    private readonly post: (message: FromWorker) => void,
  ) {}

  /** The main thread asks for data. */
  pull(): void {
    const batch = this.take();
    if (batch) this.post({ type: 'batch', batch });
    else this.open = true;
  }

  /** Data became pending: answer an open pull with it, or say that there is some. */
  ready(): void {
    if (!this.open) {
      this.post({ type: 'ready' });
      return;
    }
    const batch = this.take();
    if (!batch) return;
    this.open = false;
    this.post({ type: 'batch', batch });
  }
}
