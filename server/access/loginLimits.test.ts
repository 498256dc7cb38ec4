import { describe, expect, it } from 'vitest';
import { FailureBook, LoginLimits } from './loginLimits';

describe('login limits', () => {
  it('keeps at most maxEntries keys, dropping the one that failed longest ago', () => {
    const book = new FailureBook({ free: 1, baseMs: 1_000, maxMs: 60_000, forgetMs: 3_600_000, maxEntries: 100 });
    for (let i = 0; i < 10_000; i++) book.fail(`10.0.${i >> 8}.${i & 255}`, i);
    expect(book.size).toBe(100);
    expect(book.waitMs('10.0.0.0', 10_000)).toBe(0);
    book.fail('10.0.39.15', 10_001);
    expect(book.waitMs('10.0.39.15', 10_001)).toBe(1_000);
  });

  it('forgets a key an hour after its last failure', () => {
    const book = new FailureBook({ free: 0, baseMs: 1_000, maxMs: 60_000, forgetMs: 3_600_000, maxEntries: 100 });
    book.fail('a', 0);
    book.fail('b', 3_000_000);
    book.fail('c', 3_600_001);
    expect(book.size).toBe(2);
    expect(book.waitMs('b', 3_600_001)).toBe(0);
  });

  it('an account under attack from many addresses is slowed, but not for an address its owner used', () => {
    const limits = new LoginLimits();
    limits.succeeded('supervisor', '10.0.0.1');
    for (let i = 0; i < 40; i++) limits.failed('supervisor', `10.9.0.${i}`, 1_000);
    expect(limits.check('supervisor', '10.0.0.1', 1_000)).toEqual({ ok: true });
    expect(limits.check('supervisor', '10.0.0.2', 1_000)).toMatchObject({
      ok: false,
      by: 'account',
      retryAfterMs: 60_000,
    });
    expect(limits.check('nobody', '10.0.0.2', 1_000)).toEqual({ ok: true });
    // An unknown name is slowed the same way: refusals do not tell which names exist.
    for (let i = 0; i < 40; i++) limits.failed('nobody', `10.8.0.${i}`, 1_000);
    expect(limits.check('nobody', '10.0.0.2', 1_000)).toMatchObject({ ok: false, by: 'account' });
  });
});
