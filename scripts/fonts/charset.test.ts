import { readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { gb2312Rows, productChars } from './charset';

const ROOT = resolve(import.meta.dirname, '../..');
const FONTS = join(ROOT, 'resources/fonts');
const bundled = new Set(readFileSync(join(FONTS, 'charset.txt'), 'utf8').trim());

describe('bundled font subset', () => {
  it('holds every character of the product text (run scripts/fonts/subset.ts when this fails)', () => {
    const missing = [...productChars(ROOT)].filter((ch) => !bundled.has(ch));
    expect(missing.join('')).toBe('');
  });

  it('holds the 3,755 level-1 hanzi of GB2312', () => {
    const level1 = gb2312Rows(16, 55);
    expect(level1).toHaveLength(3755);
    expect(level1[0]).toBe('啊');
    expect(level1.at(-1)).toBe('座');
    expect(level1.filter((ch) => !bundled.has(ch))).toEqual([]);
  });

  it('stays a few MB', () => {
    for (const weight of ['Regular', 'Bold']) {
      const bytes = statSync(join(FONTS, `GridWallSans-${weight}.woff2`)).size;
      expect(bytes).toBeGreaterThan(500_000);
      expect(bytes).toBeLessThan(2_000_000);
    }
  });
});
