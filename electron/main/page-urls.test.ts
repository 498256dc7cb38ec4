import { describe, expect, it } from 'vitest';
import { wallUrl } from './page-urls';

describe('page URLs', () => {
  it('keeps a path prefix of the server URL (behind a reverse proxy)', () => {
    expect(wallUrl('https://wall.example/gridwall', 2, 'wall-3x2', 'en')).toBe(
      'https://wall.example/gridwall/wall?display=2&layout=wall-3x2&lang=en',
    );
  });
});
