import type { PositionTuple } from './people';

/**
 * Worker positions packed for the wire: per worker 11 bytes (u24 index << 1 | onDuty, then lng and
 * lat as i32 in 1e-7 degrees, about a centimetre), base64: ~14.7 bytes a position instead of ~50
 * as a JSON tuple with the worker's id. The index is the worker's place in the snapshot's list.
 */
export const BYTES_PER_POSITION = 11;
const SCALE = 1e7;
const MAX_INDEX = (1 << 23) - 1;

export interface IndexedPosition {
  index: number;
  lng: number;
  lat: number;
  onDuty: boolean;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const DECODE = new Int16Array(128).fill(-1);
for (let i = 0; i < ALPHABET.length; i++) DECODE[ALPHABET.charCodeAt(i)] = i;

/** Base64 of bytes (in the browser and in Node alike: no Buffer, no btoa of a binary string). */
export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8) | (bytes[i + 2] ?? 0);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}${ALPHABET[n & 63]}`;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] ?? 0) << 16;
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}==`;
  } else if (rest === 2) {
    const n = ((bytes[i] ?? 0) << 16) | ((bytes[i + 1] ?? 0) << 8);
    out += `${ALPHABET[n >> 18]}${ALPHABET[(n >> 12) & 63]}${ALPHABET[(n >> 6) & 63]}=`;
  }
  return out;
}

/** The bytes of a base64 string; null when it is not base64. */
export function fromBase64(text: string): Uint8Array | null {
  let end = text.length;
  while (end > 0 && text[end - 1] === '=') end--;
  if (text.length % 4 !== 0 || text.length - end > 2) return null;
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let o = 0;
  let acc = 0;
  let bits = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (DECODE[c] ?? -1) : -1;
    if (v < 0) return null;
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 0xff;
    }
  }
  return out;
}

/** Packs positions (indices must fit 23 bits; coordinates are rounded to 1e-7 degrees). */
export function packPositions(items: readonly IndexedPosition[]): string {
  const bytes = new Uint8Array(items.length * BYTES_PER_POSITION);
  const view = new DataView(bytes.buffer);
  let o = 0;
  for (const p of items) {
    if (!Number.isInteger(p.index) || p.index < 0 || p.index > MAX_INDEX) throw new RangeError(`index ${p.index}`);
    const head = (p.index << 1) | (p.onDuty ? 1 : 0);
    view.setUint8(o, head >>> 16);
    view.setUint16(o + 1, head & 0xffff);
    view.setInt32(o + 3, Math.round(p.lng * SCALE));
    view.setInt32(o + 7, Math.round(p.lat * SCALE));
    o += BYTES_PER_POSITION;
  }
  return toBase64(bytes);
}

/**
 * Unpacks positions into [id, lng, lat, onDuty] with `ids` (the snapshot's workers, in order);
 * null when the text is not a whole number of positions or an index is outside the list.
 */
export function unpackPositions(packed: string, ids: readonly string[]): PositionTuple[] | null {
  const bytes = fromBase64(packed);
  if (!bytes || bytes.length % BYTES_PER_POSITION !== 0) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: PositionTuple[] = [];
  for (let o = 0; o < bytes.length; o += BYTES_PER_POSITION) {
    const head = (view.getUint8(o) << 16) | view.getUint16(o + 1);
    const id = ids[head >>> 1];
    if (id === undefined) return null;
    out.push([id, view.getInt32(o + 3) / SCALE, view.getInt32(o + 7) / SCALE, (head & 1) as 0 | 1]);
  }
  return out;
}
