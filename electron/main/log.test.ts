import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { formatLine, RotatingLog } from './log';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridwall-log-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const at = Date.UTC(2026, 10, 23, 8, 30, 0);

describe('RotatingLog', () => {
  it('writes one line per entry with time, level, message and data', () => {
    const file = join(dir, 'logs', 'main.log');
    const log = new RotatingLog({ file, now: () => at });
    log.error('render process gone', { window: 'wall:2', attempt: 1 });
    expect(readFileSync(file, 'utf8')).toBe(
      '2026-11-23T08:30:00.000Z ERROR render process gone {"window":"wall:2","attempt":1}\n',
    );
  });

  it('rotates by size and keeps only the configured number of old files', () => {
    const file = join(dir, 'main.log');
    const log = new RotatingLog({ file, maxBytes: 200, keep: 2, now: () => at });
    for (let i = 0; i < 20; i++) log.info(`line ${String(i).padStart(2, '0')} ${'x'.repeat(40)}`);
    expect(existsSync(`${file}.1`)).toBe(true);
    expect(existsSync(`${file}.2`)).toBe(true);
    expect(existsSync(`${file}.3`)).toBe(false);
    for (const f of [file, `${file}.1`, `${file}.2`]) expect(readFileSync(f).length).toBeLessThanOrEqual(200);
    // The newest line is in the current file, older ones in .1.
    expect(readFileSync(file, 'utf8')).toContain('line 19');
    expect(readFileSync(`${file}.1`, 'utf8')).not.toContain('line 19');
  });

  it('continues an existing file after a restart, counting its size', () => {
    const file = join(dir, 'main.log');
    new RotatingLog({ file, maxBytes: 150, now: () => at }).info('a'.repeat(80));
    new RotatingLog({ file, maxBytes: 150, now: () => at }).info('b'.repeat(80));
    expect(readFileSync(`${file}.1`, 'utf8')).toContain('aaaa');
    expect(readFileSync(file, 'utf8')).toContain('bbbb');
  });
});

describe('formatLine', () => {
  it('keeps one entry on one line, whatever a page sends', () => {
    expect(formatLine(at, 'warn', 'a\nFAKE ERROR injected\r\nb')).toBe(
      '2026-11-23T08:30:00.000Z WARN  a FAKE ERROR injected b\n',
    );
  });
});
