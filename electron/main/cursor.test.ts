import { describe, expect, it } from 'vitest';
import { CursorIdle, missingDisplaysCss } from './cursor';
import { messages } from './messages';

describe('CursorIdle', () => {
  it('hides the cursor after it has not moved for the idle time, and shows it on the next move', () => {
    const idle = new CursorIdle(5000);
    const at = { x: 10, y: 10 };
    expect(idle.observe(0, at)).toBeNull();
    expect(idle.observe(4999, at)).toBeNull();
    expect(idle.observe(5000, at)).toBe('hide');
    expect(idle.observe(9000, at)).toBeNull();
    expect(idle.observe(9500, { x: 11, y: 10 })).toBe('show');
    expect(idle.observe(9600, { x: 11, y: 10 })).toBeNull();
    expect(idle.observe(14_500, { x: 11, y: 10 })).toBe('hide');
  });

  it('never hides when the idle time is 0', () => {
    const idle = new CursorIdle(0);
    expect(idle.observe(0, { x: 0, y: 0 })).toBeNull();
    expect(idle.observe(1e9, { x: 0, y: 0 })).toBeNull();
  });
});

describe('missingDisplaysCss', () => {
  it('names missing screens from 1, in the wall language', () => {
    const status = { layout: 'wall-3x2', missingScreens: [0, 4], warnings: [] };
    expect(missingDisplaysCss(status, messages('zh-CN'))).toContain('content: "⚠ 显示屏 #1, #5 未连接";');
    expect(missingDisplaysCss(status, messages('en'))).toContain('Display #1, #5 not connected');
  });

  it('shows nothing when every display is there', () => {
    expect(missingDisplaysCss({ layout: 'x', missingScreens: [], warnings: [] }, messages('en'))).toBeNull();
  });
});
