import type { Presentation, PresentationControl } from '../../protocol';

/**
 * What a key (a presentation clicker sends keys) does to the running presentation: PageDown/→ next,
 * PageUp/← back, B blank on/off, `.` pause on/off. Nothing without a presentation.
 */
export function controlForKey(key: string, p: Presentation | null): PresentationControl | null {
  if (!p) return null;
  switch (key) {
    case 'PageDown':
    case 'ArrowRight':
      return { action: 'next' };
    case 'PageUp':
    case 'ArrowLeft':
      return { action: 'prev' };
    case 'b':
    case 'B':
      return { action: 'blank', on: !p.blank };
    case '.':
      return { action: 'pause', on: !p.paused };
    default:
      return null;
  }
}
