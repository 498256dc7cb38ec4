import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

/**
 * The characters the bundled font must draw: every character of the product's own text (message
 * catalogues, layouts, config, the presets' area, category and street names), the 3,755 hanzi of
 * GB2312 level 1 (so live case text, typed by people, renders too), its punctuation rows, and
 * Latin. Whatever falls outside is drawn by the system fonts after "GridWall Sans" in the stack.
 */

/** Folders and files scanned for the product's own text, relative to the repository root. */
export const TEXT_SOURCES = [
  'renderer',
  'protocol',
  'resources/layouts',
  'resources/config',
  'server/presets',
  'server/kpis',
] as const;

const TEXT_FILE = /\.(ts|tsx|json|css|html)$/;

function walk(dir: string, out: string[]): void {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) walk(path, out);
    else if (TEXT_FILE.test(name) && !name.endsWith('.test.ts') && !name.endsWith('.test.tsx')) out.push(path);
  }
}

/** Source files whose characters go into the subset, sorted (the output must not depend on readdir order). */
export function textFiles(root: string): string[] {
  const files: string[] = [];
  for (const source of TEXT_SOURCES) {
    const path = join(root, source);
    if (statSync(path, { throwIfNoEntry: false })?.isDirectory()) walk(path, files);
    else if (statSync(path, { throwIfNoEntry: false })) files.push(path);
  }
  return files.map((f) => relative(root, f)).sort();
}

/** Non-ASCII characters of the product's text (ASCII is added whole anyway). */
export function productChars(root: string): Set<string> {
  const chars = new Set<string>();
  for (const file of textFiles(root)) {
    for (const ch of readFileSync(join(root, file), 'utf8')) {
      const cp = ch.codePointAt(0) ?? 0;
      // Control characters and emoji have no place in a CJK text font.
      if (cp >= 0xa0 && cp < 0x1f000) chars.add(ch);
    }
  }
  return chars;
}

/** GB2312 rows `from`..`to` (1-based), decoded from their EUC-CN bytes. */
export function gb2312Rows(from: number, to: number): string[] {
  const decoder = new TextDecoder('gb18030', { fatal: false });
  const out: string[] = [];
  for (let row = from; row <= to; row++) {
    for (let cell = 1; cell <= 94; cell++) {
      const ch = decoder.decode(new Uint8Array([0xa0 + row, 0xa0 + cell]));
      const cp = ch.codePointAt(0) ?? 0;
      // GB18030 maps GB2312's unassigned cells to the private use area.
      if (ch.length > 0 && ch !== '\uFFFD' && (cp < 0xe000 || cp > 0xf8ff)) out.push(ch);
    }
  }
  return out;
}

function range(from: number, to: number): string[] {
  const out: string[] = [];
  for (let cp = from; cp <= to; cp++) out.push(String.fromCodePoint(cp));
  return out;
}

/** The whole subset, sorted by code point. */
export function subsetChars(root: string): string[] {
  const all = new Set<string>([
    ...range(0x20, 0x7e), // ASCII
    ...range(0xa0, 0xff), // Latin-1: ° × · ±
    ...range(0x2010, 0x2027), // dashes, quotes, …
    ...range(0x2030, 0x203b), // ‰ ′ ″ ※
    ...range(0x2190, 0x2199), // arrows
    ...range(0x2460, 0x2473), // ① … ⑳
    ...range(0x25a0, 0x25ff), // ■ ▲ ▼ ● ◆
    ...range(0x3000, 0x3011), // CJK punctuation 、。〈〉《》「」【】
    ...range(0xff01, 0xff5e), // full-width forms
    '\u2103', // ℃
    '\u2116', // №
    '\u2212', // −
    '\u2264', // ≤
    '\u2265', // ≥
    ...gb2312Rows(1, 3), // symbols, numerals, full-width ASCII
    ...gb2312Rows(16, 55), // level-1 hanzi (3,755)
    ...productChars(root),
  ]);
  return [...all].sort((a, b) => (a.codePointAt(0) ?? 0) - (b.codePointAt(0) ?? 0));
}
