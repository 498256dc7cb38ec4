import { appendFileSync, existsSync, mkdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from './recovery';

/**
 * A log file that rotates by size: `main.log` is written, `main.log.1` … `main.log.N` are older.
 * Synchronous appends: the shell writes a few lines an hour, and a line written just before a crash
 * must be on disk.
 */

export interface RotatingLogOptions {
  file: string;
  /** Rotate when the file would grow past this. */
  maxBytes?: number;
  /** Older files kept. */
  keep?: number;
  now?: () => number;
  /** Echo each line (to stdout in development). */
  echo?: (line: string) => void;
}

export type LogLevel = 'info' | 'warn' | 'error';

export class RotatingLog implements Logger {
  private readonly maxBytes: number;
  private readonly keep: number;
  private readonly now: () => number;
  private size: number;

  constructor(private readonly options: RotatingLogOptions) {
    this.maxBytes = options.maxBytes ?? 5 * 1024 * 1024;
    this.keep = options.keep ?? 5;
    this.now = options.now ?? Date.now;
    mkdirSync(dirname(options.file), { recursive: true });
    this.size = existsSync(options.file) ? statSync(options.file).size : 0;
  }

  info(message: string, data?: Record<string, unknown>): void {
    this.write('info', message, data);
  }

  warn(message: string, data?: Record<string, unknown>): void {
    this.write('warn', message, data);
  }

  error(message: string, data?: Record<string, unknown>): void {
    this.write('error', message, data);
  }

  write(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    const line = formatLine(this.now(), level, message, data);
    const bytes = Buffer.byteLength(line);
    if (this.size > 0 && this.size + bytes > this.maxBytes) this.rotate();
    try {
      appendFileSync(this.options.file, line);
      this.size += bytes;
    } catch {
      // A full or read-only disk must not take the wall down; the echo still shows the line.
    }
    this.options.echo?.(line.trimEnd());
  }

  private rotate(): void {
    const { file } = this.options;
    try {
      rmSync(`${file}.${this.keep}`, { force: true });
      for (let i = this.keep - 1; i >= 1; i--) {
        if (existsSync(`${file}.${i}`)) renameSync(`${file}.${i}`, `${file}.${i + 1}`);
      }
      renameSync(file, `${file}.1`);
    } catch {
      // If rotation fails the file keeps growing; better than losing lines.
    }
    this.size = existsSync(file) ? statSync(file).size : 0;
  }
}

/** One line: ISO time, level, message, then the data as JSON; newlines in text are escaped. */
export const formatLine = (at: number, level: LogLevel, message: string, data?: Record<string, unknown>): string => {
  const text = message.replace(/[\r\n]+/g, ' ');
  const extra = data && Object.keys(data).length > 0 ? ` ${safeJson(data)}` : '';
  return `${new Date(at).toISOString()} ${level.toUpperCase().padEnd(5)} ${text}${extra}\n`;
};

const safeJson = (data: Record<string, unknown>): string => {
  try {
    return JSON.stringify(data, (_key, value: unknown) => (value instanceof Error ? value.message : value));
  } catch {
    return '"<unserialisable>"';
  }
};
