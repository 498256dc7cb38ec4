import TinyQueue from 'tinyqueue';

interface Entry<T> {
  at: number;
  seq: number;
  item: T;
}

/**
 * Pending simulated actions ordered by simulated time (ties in insertion order, so that a run is
 * reproducible): one queue for the whole district, not a timer per case.
 */
export class ActionQueue<T> {
  private readonly heap = new TinyQueue<Entry<T>>([], (a, b) => a.at - b.at || a.seq - b.seq);
  private seq = 0;

  push(at: number, item: T): void {
    this.heap.push({ at, seq: this.seq++, item });
  }

  /** When the next action is due, or null. */
  nextAt(): number | null {
    return this.heap.peek()?.at ?? null;
  }

  /** Every action due at or before `now`, in order. */
  takeDue(now: number): Array<{ at: number; item: T }> {
    const due: Array<{ at: number; item: T }> = [];
    for (let head = this.heap.peek(); head && head.at <= now; head = this.heap.peek()) {
      this.heap.pop();
      due.push({ at: head.at, item: head.item });
    }
    return due;
  }

  get size(): number {
    return this.heap.length;
  }
}
