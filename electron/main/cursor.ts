import type { WallStatus } from '../../protocol/ipc';
import type { Messages } from './messages';

/**
 * Cursor hiding and the missing-display banner, both done with CSS that main inserts into wall pages
 * (`webContents.insertCSS`), so they work whatever the page does and need no script from main.
 */

export interface Point {
  x: number;
  y: number;
}

/**
 * Watches the cursor position (main polls `screen.getCursorScreenPoint()`): after `hideAfterMs`
 * without movement the cursor is hidden over the wall; the first movement shows it again.
 */
export class CursorIdle {
  private last: Point | null = null;
  private movedAt = 0;
  private hidden = false;

  constructor(private readonly hideAfterMs: number) {}

  /** Returns what to change, or null when nothing changes. */
  observe(now: number, point: Point): 'hide' | 'show' | null {
    if (this.hideAfterMs <= 0) return null;
    const moved = this.last === null || this.last.x !== point.x || this.last.y !== point.y;
    this.last = point;
    if (moved) {
      this.movedAt = now;
      if (this.hidden) {
        this.hidden = false;
        return 'show';
      }
      return null;
    }
    if (!this.hidden && now - this.movedAt >= this.hideAfterMs) {
      this.hidden = true;
      return 'hide';
    }
    return null;
  }
}

export const HIDE_CURSOR_CSS = '*, *::before, *::after { cursor: none !important; }';

const cssString = (text: string): string => `"${text.replace(/["\\]/g, (c) => `\\${c}`).replace(/[\r\n]/g, ' ')}"`;

/**
 * A banner across the bottom of each wall window naming the layout screens that have no display, so
 * an operator sees at once that the wall is incomplete. Screens are numbered from 1 for people
 * (`display=0` is screen 1). Null when nothing is missing.
 */
export const missingDisplaysCss = (status: WallStatus, text: Messages): string | null => {
  if (status.missingScreens.length === 0) return null;
  const names = status.missingScreens.map((i) => `#${i + 1}`).join(', ');
  return [
    'html::after {',
    `  content: ${cssString(`⚠ ${text.displaysMissing(names)}`)};`,
    '  position: fixed; left: 0; right: 0; bottom: 0; z-index: 2147483647;',
    '  padding: 0.4em 1em; font: 600 28px/1.4 "Noto Sans CJK SC", "Microsoft YaHei", sans-serif;',
    '  color: #fff; background: rgba(190, 30, 30, 0.9); text-align: center; pointer-events: none;',
    '}',
  ].join('\n');
};
