import { sameRect } from './display-grid';
import type { PlannedWindow } from './planner';

/**
 * What changed between two plans of the window planner, so `windows.ts` moves, opens and closes
 * windows without restarting. Pure.
 */

export interface PlanDiff {
  open: PlannedWindow[];
  close: string[];
  /** Same window, new bounds, URL or flags that can change in place. */
  update: Array<{ key: string; before: PlannedWindow; after: PlannedWindow }>;
}

/** Frame and role are fixed when a window is made; changing them means a new window. */
const needsNewWindow = (a: PlannedWindow, b: PlannedWindow): boolean =>
  a.frameless !== b.frameless || a.role !== b.role;

const samePlacement = (a: PlannedWindow, b: PlannedWindow): boolean =>
  sameRect(a.bounds, b.bounds) &&
  a.url === b.url &&
  a.kiosk === b.kiosk &&
  a.alwaysOnTop === b.alwaysOnTop &&
  a.hideCursorAfterSeconds === b.hideCursorAfterSeconds;

/** What to do to go from the windows of one plan to those of the next, without restarting. */
export const diffPlans = (before: readonly PlannedWindow[], after: readonly PlannedWindow[]): PlanDiff => {
  const old = new Map(before.map((w) => [w.key, w]));
  const diff: PlanDiff = { open: [], close: [], update: [] };
  for (const w of after) {
    const prev = old.get(w.key);
    old.delete(w.key);
    if (!prev) diff.open.push(w);
    else if (needsNewWindow(prev, w)) {
      diff.close.push(w.key);
      diff.open.push(w);
    } else if (!samePlacement(prev, w)) diff.update.push({ key: w.key, before: prev, after: w });
  }
  diff.close.push(...old.keys());
  return diff;
};
