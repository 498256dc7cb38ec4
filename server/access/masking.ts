import type { Alert, Case, Role } from '../../protocol';
import { isPrivileged } from '../../protocol';

/**
 * Personal data that residents put in free text: mainland ID numbers (18 chars), mobile numbers
 * (11 digits, optionally 86 / +86 / 0086), landlines (0 + area code + number, 10–12 digits).
 *
 * People write them every way: `138 1234 5678`, `1381-2345-678`, `138.1234.5678`, full-width
 * `１３８１２３４５６７８`, `640106 19800101 123X`. So matching runs on a normalised form: the text is cut
 * into digit groups joined by separators, each chain of groups is read as plain ASCII digits, and a
 * chain whose digits form one of the numbers above is masked where it stands in the original text.
 */
const DIGITS = '0-9\\uFF10-\\uFF19\\u{1D7CE}-\\u{1D7FF}';
/** A group of digits (any width), an ID number's final X allowed. */
const GROUP = new RegExp(`[${DIGITS}]+(?:[XxＸｘ](?![A-Za-z]))?`, 'gu');
/** What may join two groups of one number: spaces (any width), dashes, dots, slashes, brackets, plus. */
const JOINER = /^[\s\-‐‑‒–—―－.．·・•/／()（）+＋_]{1,3}$/u;
const PHONE_OR_ID = [/^(?:0{0,2}86)?1[3-9]\d{9}$/, /^\d{17}[\dX]$/, /^0\d{9,11}$/];
/** The longest a chain may be and still be one number (0086 + 11 digits = 15; an ID is 18). */
const MAX_DIGITS = 18;

export const MASK = '***';

/** Digits of any width as ASCII (NFKC maps full-width and mathematical digits), X upper-case. */
export const normaliseDigits = (text: string): string =>
  text
    .normalize('NFKC')
    .toUpperCase()
    .replace(/[^0-9X]/g, '');

interface Group {
  start: number;
  end: number;
  digits: string;
}

/** Every stretch of `text` that is a phone or an ID number however it is written, as [start, end). */
export function findPersonalNumbers(text: string): Array<[number, number]> {
  const groups: Group[] = [];
  for (const m of text.matchAll(GROUP)) {
    groups.push({ start: m.index, end: m.index + m[0].length, digits: normaliseDigits(m[0]) });
  }
  const found: Array<[number, number]> = [];
  let i = 0;
  while (i < groups.length) {
    // The longest chain from group i, joined only by separators, whose digits are one number.
    let digits = '';
    let best = -1;
    for (let j = i; j < groups.length; j++) {
      const g = groups[j] as Group;
      if (j > i && !JOINER.test(text.slice((groups[j - 1] as Group).end, g.start))) break;
      if (digits.includes('X')) break;
      digits += g.digits;
      if (digits.length > MAX_DIGITS) break;
      if (PHONE_OR_ID.some((p) => p.test(digits))) best = j;
    }
    if (best < 0) {
      i++;
      continue;
    }
    let start = (groups[i] as Group).start;
    // `+86 …`: the plus goes with the number.
    if (start > 0 && /[+＋]/.test(text[start - 1] as string)) start--;
    found.push([start, (groups[best] as Group).end]);
    i = best + 1;
  }
  return found;
}

export function scrubText(text: string): string {
  const found = findPersonalNumbers(text);
  if (found.length === 0) return text;
  let out = '';
  let at = 0;
  for (const [start, end] of found) {
    out += text.slice(at, start) + MASK;
    at = end;
  }
  return out + text.slice(at);
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** One character of a name, matching its full-width form too (`Ｌｉ` for `Li`). */
const anyWidth = (c: string): string => {
  const code = c.codePointAt(0) ?? 0;
  return code > 0x20 && code < 0x7f ? `[${escapeRegExp(c)}${String.fromCodePoint(code + 0xfee0)}]` : escapeRegExp(c);
};

/**
 * A name as written in free text: any spacing or a middle dot between its characters (`李 秀英`,
 * `李·秀英`), any width, any case. Null for names too short to mask without masking ordinary words.
 */
export function namePattern(name: string): RegExp | null {
  const chars = [...name.normalize('NFKC').replace(/[\s·・.]/gu, '')];
  if (chars.length < 2) return null;
  return new RegExp(chars.map(anyWidth).join('[\\s·・.]{0,3}'), 'giu');
}

/** Free text with phone and ID numbers masked and, when given, the reporter's name. */
export function maskText(text: string, name: RegExp | null): string {
  const scrubbed = scrubText(text);
  return name ? scrubbed.replace(name, MASK) : scrubbed;
}

/**
 * A media URL a masked role may receive, or null: one that carries a phone, an ID number or the
 * reporter's name (in its path or query, percent-encoded or not) is dropped, since a masked link
 * would not load anyway.
 */
export function scrubMediaUrl(url: string, name: RegExp | null): string | null {
  let decoded = url;
  try {
    decoded = decodeURIComponent(url);
  } catch {
    // A malformed escape: judge the URL as written.
  }
  if (findPersonalNumbers(decoded).length > 0) return null;
  if (name && decoded.search(name) >= 0) return null;
  return url;
}

export const shouldMask = (role: Role): boolean => !isPrivileged(role);

/** The case as a `wall` or `presenter` connection may see it: no reporter, no numbers in free text. */
export function maskCase(c: Case): Case {
  // Operators write the reporter's name into notes ("已回电李秀英"): remove it wherever it stands.
  const name = c.reporter ? namePattern(c.reporter.name) : null;
  const mask = (t: string) => maskText(t, name);
  return {
    ...c,
    reporter: null,
    description: mask(c.description),
    location: { ...c.location, address: mask(c.location.address) },
    media: c.media.flatMap((u) => scrubMediaUrl(u, name) ?? []),
    timeline: c.timeline.map((e) => (e.note ? { ...e, note: mask(e.note) } : e)),
    extension: c.extension ? { ...c.extension, reason: mask(c.extension.reason) } : null,
  };
}

/** What a masked role's search may match in a case: its address and description as that role sees them. */
export const maskedSearchText = (c: Case): string => {
  const name = c.reporter ? namePattern(c.reporter.name) : null;
  return `${maskText(c.location.address, name)}\n${maskText(c.description, name)}`;
};

export const maskAlert = (a: Alert): Alert => a;
