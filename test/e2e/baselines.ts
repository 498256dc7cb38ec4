import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import pixelmatch from 'pixelmatch';
import { PNG } from 'pngjs';
import { ROOT } from './harness';

/**
 * Screenshot baselines, the way MapLibre's render tests keep theirs: a committed PNG per view under
 * test/e2e/baselines/, compared pixel by pixel (pixelmatch: a per-pixel colour threshold, anti-aliased
 * pixels ignored) and accepted while fewer than `maxDiffRatio` of the pixels differ.
 * `GRIDWALL_UPDATE_BASELINES=1` (re)writes the baselines instead of comparing; review the PNGs before
 * committing them. A failure names the baseline, says how many pixels changed, and writes the
 * actual picture and a diff image under artifacts/screenshots/diff/.
 */
export const BASELINES = join(ROOT, 'test/e2e/baselines');
const DIFFS = join(ROOT, 'artifacts/screenshots/diff');
export const UPDATE_BASELINES = process.env.GRIDWALL_UPDATE_BASELINES === '1';

/** pixelmatch's per-pixel colour distance (0..1): above it a pixel counts as changed. */
const PIXEL_THRESHOLD = 0.1;

export interface BaselineResult {
  name: string;
  /** Changed pixels (anti-aliasing excluded). */
  changed: number;
  total: number;
  ratio: number;
  /** Whether the baseline was written rather than compared. */
  written: boolean;
}

export function decodePng(png: Buffer): PNG {
  return PNG.sync.read(png);
}

/** Changed pixels between two PNGs of one size (and the diff image's PNG). */
export function diffPngs(a: Buffer, b: Buffer): { changed: number; total: number; diff: Buffer } | { size: string } {
  const x = decodePng(a);
  const y = decodePng(b);
  if (x.width !== y.width || x.height !== y.height) return { size: `${x.width}×${x.height} vs ${y.width}×${y.height}` };
  const diff = new PNG({ width: x.width, height: x.height });
  const changed = pixelmatch(x.data, y.data, diff.data, x.width, x.height, { threshold: PIXEL_THRESHOLD });
  return { changed, total: x.width * x.height, diff: PNG.sync.write(diff) };
}

/**
 * Compares `png` with the baseline `name`.png (or writes it, with GRIDWALL_UPDATE_BASELINES=1).
 * Throws, naming the baseline and the changed pixels, when more than `maxDiffRatio` changed.
 */
export function matchBaseline(name: string, png: Buffer, maxDiffRatio: number): BaselineResult {
  const file = join(BASELINES, `${name}.png`);
  const shown = relative(ROOT, file);
  if (UPDATE_BASELINES) {
    mkdirSync(BASELINES, { recursive: true });
    writeFileSync(file, png);
    const { width, height } = decodePng(png);
    return { name, changed: 0, total: width * height, ratio: 0, written: true };
  }
  if (!existsSync(file)) {
    throw new Error(
      `no baseline ${shown}: run with GRIDWALL_UPDATE_BASELINES=1 to write it, then review and commit it`,
    );
  }
  const result = diffPngs(readFileSync(file), png);
  mkdirSync(DIFFS, { recursive: true });
  if ('size' in result) {
    writeFileSync(join(DIFFS, `${name}-actual.png`), png);
    throw new Error(`baseline ${shown} changed size: ${result.size}`);
  }
  const ratio = result.changed / result.total;
  if (ratio > maxDiffRatio) {
    writeFileSync(join(DIFFS, `${name}-actual.png`), png);
    writeFileSync(join(DIFFS, `${name}-diff.png`), result.diff);
    throw new Error(
      `baseline ${shown} changed: ${result.changed} of ${result.total} pixels (${(ratio * 100).toFixed(3)} %, allowed ${(
        maxDiffRatio * 100
      ).toFixed(3)} %); actual and diff images in ${relative(ROOT, DIFFS)}/${name}-{actual,diff}.png`,
    );
  }
  return { name, changed: result.changed, total: result.total, ratio, written: false };
}
