import { z } from 'zod';
import type { WallPlanInput, WallScreen } from './planner';

/**
 * Reads what the planner needs from a layout file (`resources/layouts/<name>.json`, schema in
 * `protocol/layout.ts`, owned by the renderer). Deliberately loose: the shell only needs each
 * display's index and where it sits on the wall, and must not refuse to start over a scene option.
 *
 * Where a display sits, first found wins:
 * 1. `display.wall: { col, row, colSpan?, rowSpan? }` (0-based, spans in displays);
 * 2. `layout.arrangement: { columns, rows }`: displays fill the wall row by row in the file's order;
 * 3. a `CxR` in the layout name (`wall-3x2`): index N at column N mod C, row N div C;
 * 4. otherwise one row, in index order.
 */

const WallPlacement = z.object({
  col: z.number().int().min(0).max(63),
  row: z.number().int().min(0).max(63),
  colSpan: z.number().int().min(1).max(64).default(1),
  rowSpan: z.number().int().min(1).max(64).default(1),
});

const LooseLayout = z.looseObject({
  name: z.string().optional(),
  arrangement: z
    .looseObject({ columns: z.number().int().min(1).max(64), rows: z.number().int().min(1).max(64) })
    .optional(),
  displays: z.array(z.looseObject({ index: z.number().int().min(0).max(63), wall: WallPlacement.optional() })).min(1),
});

const gridFromName = (name: string): { cols: number; rows: number } | null => {
  const m = /(\d{1,2})x(\d{1,2})/.exec(name);
  if (!m) return null;
  const cols = Number(m[1]);
  const rows = Number(m[2]);
  return cols > 0 && rows > 0 ? { cols, rows } : null;
};

/** A plan input from the layout's name alone, for when its file cannot be read. */
export const wallPlanInputFromName = (name: string): WallPlanInput => {
  const grid = gridFromName(name) ?? { cols: 1, rows: 1 };
  const screens: WallScreen[] = [];
  for (let i = 0; i < grid.cols * grid.rows; i++) {
    screens.push({ index: i, col: i % grid.cols, row: Math.floor(i / grid.cols), cols: 1, rows: 1 });
  }
  return { layout: name, screens };
};

export type LayoutReadResult = { ok: true; input: WallPlanInput } | { ok: false; error: string };

export const wallPlanInputFromLayout = (name: string, json: unknown): LayoutReadResult => {
  const parsed = LooseLayout.safeParse(json);
  if (!parsed.success) return { ok: false, error: `layout ${name}: ${z.prettifyError(parsed.error)}` };
  const arrangement = parsed.data.arrangement;
  const inFileOrder = parsed.data.displays.map((d, position) => ({ ...d, position }));
  const displays = [...inFileOrder].sort((a, b) => a.index - b.index);
  const named = gridFromName(name);
  const screens = displays.map((d, order): WallScreen => {
    if (d.wall) return { index: d.index, col: d.wall.col, row: d.wall.row, cols: d.wall.colSpan, rows: d.wall.rowSpan };
    if (arrangement) {
      const col = d.position % arrangement.columns;
      return { index: d.index, col, row: Math.floor(d.position / arrangement.columns), cols: 1, rows: 1 };
    }
    if (named)
      return { index: d.index, col: d.index % named.cols, row: Math.floor(d.index / named.cols), cols: 1, rows: 1 };
    return { index: d.index, col: order, row: 0, cols: 1, rows: 1 };
  });
  const taken = new Map<string, number>();
  for (const s of screens) {
    for (let r = 0; r < s.rows; r++) {
      for (let c = 0; c < s.cols; c++) {
        const key = `${s.col + c},${s.row + r}`;
        const other = taken.get(key);
        if (other !== undefined) {
          return { ok: false, error: `layout ${name}: displays ${other} and ${s.index} overlap on the wall` };
        }
        taken.set(key, s.index);
      }
    }
  }
  return { ok: true, input: { layout: name, screens } };
};

export interface LayoutSource {
  /** Returns the file's text, or null when there is no such file. */
  readText(path: string): string | null;
}

/**
 * The plan input for a layout from the first directory that has its file; falls back to the name
 * (so a wall still opens) and says why.
 */
export const loadWallPlanInput = (
  name: string,
  dirs: readonly string[],
  source: LayoutSource,
): { input: WallPlanInput; problem: string | null } => {
  for (const dir of dirs) {
    const text = source.readText(`${dir}/${name}.json`);
    if (text === null) continue;
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      return { input: wallPlanInputFromName(name), problem: `layout ${name}: ${(error as Error).message}` };
    }
    const read = wallPlanInputFromLayout(name, json);
    return read.ok ? { input: read.input, problem: null } : { input: wallPlanInputFromName(name), problem: read.error };
  }
  return { input: wallPlanInputFromName(name), problem: `layout ${name}: no file in ${dirs.join(', ')}` };
};
