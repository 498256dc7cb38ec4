import { describe, expect, it } from 'vitest';
import { lagText } from './lag';

describe('lagText', () => {
  it('shows the lag only while live', () => {
    expect(lagText('live', 2.4)).toBe('2 ms');
    expect(lagText('live', null)).toBe('—');
    for (const state of ['idle', 'connecting', 'reconnecting', 'unauthorized'] as const) {
      expect(lagText(state, 2)).toBe('—');
    }
  });
});
