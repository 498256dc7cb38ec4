import type { Alert, Case, Role } from '../../protocol';
import { isPrivileged } from '../../protocol';

/**
 * Personal data that residents put in free text: mainland ID numbers (18 chars), mobile numbers
 * (11 digits, optionally +86, optionally grouped 3-4-4), landlines (0xx(x)-xxxxxxx(x)).
 */
const PERSONAL_DATA = /(?<!\d)(?:\d{17}[\dXx]|(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}|0\d{2,3}-?\d{7,8})(?!\d)/g;

export const MASK = '***';

export const scrubText = (text: string): string => text.replace(PERSONAL_DATA, MASK);

export const shouldMask = (role: Role): boolean => !isPrivileged(role);

/** The case as a `wall` or `presenter` connection may see it: no reporter, no numbers in free text. */
export function maskCase(c: Case): Case {
  // Operators write the reporter's name into notes ("已回电李秀英"): remove it wherever it stands.
  const name = c.reporter?.name.trim();
  const scrub = name && name.length >= 2 ? (t: string) => scrubText(t).replaceAll(name, MASK) : scrubText;
  return {
    ...c,
    reporter: null,
    description: scrub(c.description),
    location: { ...c.location, address: scrub(c.location.address) },
    timeline: c.timeline.map((e) => (e.note ? { ...e, note: scrub(e.note) } : e)),
    extension: c.extension ? { ...c.extension, reason: scrub(c.extension.reason) } : null,
  };
}

export const maskAlert = (a: Alert): Alert => a;
