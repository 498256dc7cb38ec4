import { describe, expect, it } from 'vitest';
import { ActionQueue } from './queue';

describe('ActionQueue', () => {
  it('hands out what is due in time order, ties in insertion order, and keeps the rest', () => {
    const q = new ActionQueue<string>();
    q.push(30, 'c');
    q.push(10, 'a1');
    q.push(20, 'b');
    q.push(10, 'a2');
    q.push(50, 'late');
    expect(q.nextAt()).toBe(10);
    expect(q.takeDue(30).map((d) => d.item)).toEqual(['a1', 'a2', 'b', 'c']);
    expect(q.takeDue(49)).toEqual([]);
    expect(q.size).toBe(1);
    expect(q.takeDue(50)).toEqual([{ at: 50, item: 'late' }]);
    expect(q.nextAt()).toBeNull();
  });
});
