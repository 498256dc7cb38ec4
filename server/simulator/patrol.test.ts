import { booleanPointInPolygon, polygon } from '@turf/turf';
import { describe, expect, it } from 'vitest';
import type { Area } from '../../protocol';
import { generatePreset, isOnDutyAt, type Shift } from '../presets';
import { InspectionBoard, PATROL_WINDOWS, Patrols } from './patrol';

const preset = generatePreset('district', 3);
const grids = new Map(
  preset.areas.filter((a) => a.level === 'grid').map((g: Area) => [g.id, polygon(g.polygon)] as const),
);
const MINUTE = 60_000;
/** Monday 2026-03-02 00:00 in Beijing. */
const MONDAY = Date.parse('2026-03-02T00:00:00+08:00');
const at = (day: number, hh: number, mm = 0) => MONDAY + day * 86_400_000 + (hh * 60 + mm) * MINUTE;

describe('patrols', () => {
  const patrols = new Patrols(preset, 3);
  const gridWorkers = preset.workers.filter((w) => w.kind === 'grid_worker');

  it('routes stay inside the grid (legs that would leave it go by the centre)', () => {
    // A leg leaving its grid is allowed for odd shapes, but they are rare.
    expect(patrols.segmentsOutside).toBeLessThanOrEqual(gridWorkers.length * 0.005);
  });

  it('walks each grid worker through their own grid during patrols, and keeps them in it', () => {
    let moving = 0;
    let outside = 0;
    let samples = 0;
    for (const w of gridWorkers) {
      const poly = grids.get(w.gridId);
      if (!poly) throw new Error(`no grid ${w.gridId}`);
      const seen = new Set<string>();
      for (let m = 0; m < 180; m += 7) {
        const s = patrols.stateAt(w.id, at(1, 8, 30 + m));
        if (!s?.onDuty) continue;
        samples += 1;
        seen.add(`${s.lng},${s.lat}`);
        if (!booleanPointInPolygon([s.lng, s.lat], poly)) outside += 1;
      }
      if (seen.size > 5) moving += 1;
    }
    expect(samples).toBeGreaterThan(gridWorkers.length * 10);
    expect(outside / samples).toBeLessThan(0.005);
    // Everyone on duty that Tuesday morning is out walking.
    expect(moving).toBeGreaterThan(gridWorkers.length * 0.6);
  });

  it("tells duty exactly as the preset's shifts do", () => {
    for (let h = 0; h < 14 * 24; h += 5) {
      const t = at(0, 0) + h * 3_600_000 + 17 * MINUTE;
      for (const w of preset.workers.slice(0, 200)) {
        expect(patrols.onDuty(w.id, t)).toBe(isOnDutyAt(preset.shifts[w.id] as Shift, t));
      }
    }
  });

  it('follows shifts: on duty in the day on working days, off at night', () => {
    const w = gridWorkers[0]?.id as string;
    expect(patrols.stateAt(w, at(0, 3))?.onDuty).toBe(false);
    const week = Array.from({ length: 7 }, (_, d) => patrols.stateAt(w, at(d, 10))?.onDuty);
    // Two days off a week.
    expect(week.filter(Boolean)).toHaveLength(5);
    // At night everyone is at their station and off duty.
    const night = gridWorkers.map((x) => patrols.stateAt(x.id, at(2, 23)));
    expect(night.every((s) => s?.onDuty === false)).toBe(true);
  });

  it('checks every point of a working grid worker twice a day, once per patrol', () => {
    const board = new InspectionBoard(preset.inspectionPoints, 0);
    const p2 = new Patrols(preset, 3);
    const checks = new Map<number, number[]>();
    const before = preset.inspectionPoints.map((_, i) => i);
    // Rounds every 30 s from 07:00 to 19:00 on the Wednesday.
    p2.round(at(2, 7), board);
    let lastVersion = board.version;
    for (let t = at(2, 7); t <= at(2, 19); t += 30_000) {
      p2.round(t, board);
      if (board.version !== lastVersion) {
        lastVersion = board.version;
        board.list(t).forEach((p, i) => {
          if (p.lastCheckedAt === t) checks.set(i, [...(checks.get(i) ?? []), t]);
        });
      }
    }
    const working = new Set(gridWorkers.filter((w) => p2.onDuty(w.id, at(2, 12))).map((w) => w.gridId));
    const due = before.filter((i) => {
      const g = preset.inspectionPoints[i]?.gridId ?? '';
      // A grid with one worker: that worker's day decides (the district has one per grid).
      return working.has(g);
    });
    expect(due.length).toBeGreaterThan(1000);
    const twice = due.filter((i) => checks.get(i)?.length === 2).length;
    expect(twice / due.length).toBeGreaterThan(0.97);
    // One in the morning patrol, one in the afternoon.
    const [a, b] = PATROL_WINDOWS as [readonly [number, number], readonly [number, number]];
    for (const i of due.slice(0, 200)) {
      const [m, n] = checks.get(i) ?? [];
      if (m === undefined || n === undefined) continue;
      expect(m).toBeGreaterThan(at(2, 0, a[0]));
      expect(m).toBeLessThanOrEqual(at(2, 0, a[1]));
      expect(n).toBeGreaterThan(at(2, 0, b[0]));
      expect(n).toBeLessThanOrEqual(at(2, 0, b[1]));
    }
  });

  it('reports only the workers that moved or changed duty', () => {
    const p3 = new Patrols(preset, 3);
    expect(p3.round(at(1, 3), null)).toHaveLength(preset.workers.length);
    // Nobody moves at night.
    expect(p3.round(at(1, 3, 1), null)).toHaveLength(0);
    const morning = p3.round(at(1, 9), null);
    expect(morning.length).toBeGreaterThan(gridWorkers.length * 0.5);
  });
});

describe('inspection board', () => {
  it('shows points not seen for a day as unchecked', () => {
    const points = preset.inspectionPoints.slice(0, 3);
    const board = new InspectionBoard(points, 0);
    board.check(0, 1_000_000, true);
    board.check(1, 1_000_000, false);
    const now = 1_000_000 + 3_600_000;
    const [a, b] = board.list(now);
    expect(a).toMatchObject({ state: 'issue', lastCheckedAt: 1_000_000 });
    expect(b).toMatchObject({ state: 'normal' });
    expect(board.list(1_000_000 + 25 * 3_600_000)[0]?.state).toBe('unchecked');
  });
});
