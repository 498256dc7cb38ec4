import { describe, expect, it } from 'vitest';
import { Handover } from './handover';
import type { FromWorker, StreamBatch } from './types';

const batch = (lastSeq: number) => ({ lastSeq }) as StreamBatch;

function setup() {
  const pending: StreamBatch[] = [];
  const posted: FromWorker[] = [];
  const h = new Handover(
    () => pending.shift() ?? null,
    (m) => posted.push(m),
  );
  return { pending, posted, h };
}

describe('Handover', () => {
  it('answers a pull with what is pending', () => {
    const { pending, posted, h } = setup();
    pending.push(batch(3));
    h.pull();
    expect(posted).toEqual([{ type: 'batch', batch: batch(3) }]);
  });

  it('keeps a pull that finds nothing open and answers it as soon as data comes, once', () => {
    const { pending, posted, h } = setup();
    h.pull();
    expect(posted).toEqual([]);
    pending.push(batch(4));
    h.ready();
    expect(posted).toEqual([{ type: 'batch', batch: batch(4) }]);
    // The pull was answered: more data only says it is there, the main thread pulls when it can.
    pending.push(batch(5));
    h.ready();
    expect(posted.at(-1)).toEqual({ type: 'ready' });
  });

  it('says there is data when no pull is open', () => {
    const { posted, h } = setup();
    h.ready();
    expect(posted).toEqual([{ type: 'ready' }]);
  });
});
