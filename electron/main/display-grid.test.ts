import { describe, expect, it } from 'vitest';
import { clusterAxis } from './display-grid';

describe('clusterAxis', () => {
  it('counts a gap of about one display as an empty column', () => {
    const cols = clusterAxis([
      { id: 1, start: 0, size: 1920 },
      { id: 2, start: 3840, size: 1920 },
    ]);
    expect([cols.get(1), cols.get(2)]).toEqual([0, 2]);
  });

  it('ignores small bezel gaps', () => {
    const cols = clusterAxis([
      { id: 1, start: 0, size: 1920 },
      { id: 2, start: 1950, size: 1920 },
    ]);
    expect([cols.get(1), cols.get(2)]).toEqual([0, 1]);
  });
});
