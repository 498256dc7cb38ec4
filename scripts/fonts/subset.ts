/**
 * Builds the wall's bundled font: `npx tsx scripts/fonts/subset.ts [--source DIR]`.
 *
 * Takes Noto Sans CJK SC Regular and Bold (SIL OFL 1.1) out of the collections of Debian's
 * fonts-noto-cjk (or `--source`, a folder holding NotoSansCJK-{Regular,Bold}.ttc), keeps the
 * characters of {@link subsetChars} and writes resources/fonts/GridWallSans-{Regular,Bold}.woff2,
 * charset.txt (what they hold) and subset.json (where they came from, sizes). Same inputs, same
 * bytes out.
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import subsetFont from 'subset-font';
import { subsetChars } from './charset';

const ROOT = resolve(import.meta.dirname, '../..');
const OUT = join(ROOT, 'resources/fonts');
const FAMILY = 'Noto Sans CJK SC';

/** Reads the family name (name ID 1, Windows Unicode) of the sfnt at `base` in `buf`. */
function familyName(buf: Buffer, base: number): string | null {
  const numTables = buf.readUInt16BE(base + 4);
  for (let i = 0; i < numTables; i++) {
    const rec = base + 12 + i * 16;
    if (buf.toString('latin1', rec, rec + 4) !== 'name') continue;
    const table = buf.readUInt32BE(rec + 8);
    const count = buf.readUInt16BE(table + 2);
    const strings = table + buf.readUInt16BE(table + 4);
    for (let j = 0; j < count; j++) {
      const r = table + 6 + j * 12;
      const [platform, encoding, , nameId, length, offset] = [0, 2, 4, 6, 8, 10].map((o) => buf.readUInt16BE(r + o));
      if (platform !== 3 || encoding !== 1 || nameId !== 1 || length === undefined || offset === undefined) continue;
      const bytes = Buffer.from(buf.subarray(strings + offset, strings + offset + length));
      return bytes.swap16().toString('utf16le');
    }
  }
  return null;
}

/** Copies one font of a TrueType/OpenType collection into a standalone sfnt (tables 4-byte aligned). */
export function extractFromCollection(ttc: Buffer, family: string): Buffer {
  if (ttc.toString('latin1', 0, 4) !== 'ttcf') throw new Error('not a font collection');
  const numFonts = ttc.readUInt32BE(8);
  for (let f = 0; f < numFonts; f++) {
    const base = ttc.readUInt32BE(12 + f * 4);
    if (familyName(ttc, base) !== family) continue;
    const numTables = ttc.readUInt16BE(base + 4);
    const headerSize = 12 + numTables * 16;
    const tables: { rec: Buffer; data: Buffer }[] = [];
    for (let i = 0; i < numTables; i++) {
      const rec = base + 12 + i * 16;
      const offset = ttc.readUInt32BE(rec + 8);
      const length = ttc.readUInt32BE(rec + 12);
      tables.push({ rec: Buffer.from(ttc.subarray(rec, rec + 16)), data: ttc.subarray(offset, offset + length) });
    }
    const parts: Buffer[] = [Buffer.from(ttc.subarray(base, base + 12))];
    let at = headerSize;
    for (const t of tables) {
      t.rec.writeUInt32BE(at, 8);
      parts.push(t.rec);
      at += (t.data.length + 3) & ~3;
    }
    for (const t of tables) {
      parts.push(t.data, Buffer.alloc(((t.data.length + 3) & ~3) - t.data.length));
    }
    return Buffer.concat(parts);
  }
  throw new Error(`no font named ${family} in the collection`);
}

const sha256 = (b: Buffer): string => createHash('sha256').update(b).digest('hex');

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { source: { type: 'string', default: '/usr/share/fonts/opentype/noto' } },
    strict: true,
  });
  const chars = subsetChars(ROOT);
  const text = chars.join('');
  const files: Record<string, { source: string; sourceSha256: string; bytes: number; sha256: string }> = {};
  for (const weight of ['Regular', 'Bold'] as const) {
    const source = join(values.source, `NotoSansCJK-${weight}.ttc`);
    const ttc = readFileSync(source);
    const sfnt = extractFromCollection(ttc, FAMILY);
    // Hinting is of no use to a 5 m wall and costs bytes; layout features (vertical forms,
    // proportional punctuation) are kept.
    const woff2 = await subsetFont(sfnt, text, { targetFormat: 'woff2', noHinting: true });
    const name = `GridWallSans-${weight}.woff2`;
    writeFileSync(join(OUT, name), woff2);
    files[name] = { source, sourceSha256: sha256(ttc), bytes: woff2.length, sha256: sha256(woff2) };
    console.log(`${name}: ${(woff2.length / 1024).toFixed(0)} KiB`);
  }
  writeFileSync(join(OUT, 'charset.txt'), `${text}\n`);
  writeFileSync(
    join(OUT, 'subset.json'),
    `${JSON.stringify({ family: FAMILY, license: 'OFL-1.1', characters: chars.length, files }, null, 2)}\n`,
  );
  console.log(`${chars.length} characters`);
}

if (import.meta.url === `file://${process.argv[1]}`) await main();
