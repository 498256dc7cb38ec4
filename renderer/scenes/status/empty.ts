/**
 * Why a panel is empty, in one line: every empty state of the wall says why, decided from the data
 * (a wall that shows nothing and no word why reads as broken). Pure: each returns the i18n key of
 * the reason, or null when the panel has something to show.
 */

/** The center's local hour (0–23) at a server time, in the center's time zone. */
export function centerHour(serverTime: number, utcOffsetMinutes: number): number {
  const local = serverTime + utcOffsetMinutes * 60_000;
  return Math.floor((((local % 86_400_000) + 86_400_000) % 86_400_000) / 3_600_000);
}

/** Night at the center: patrols run by day (the seeds: two patrols a day), so no one on duty is normal. */
export function isNight(hour: number): boolean {
  return hour >= 20 || hour < 6;
}

/** Why a map that draws workers shows none. */
export function workersEmptyReason(
  w: { ready: boolean; total: number; onDuty: number },
  hour: number,
): 'empty.waiting' | 'empty.noWorkers' | 'empty.nightNoWorkers' | 'empty.dayNoWorkers' | null {
  if (!w.ready) return 'empty.waiting';
  if (w.onDuty > 0) return null;
  if (w.total === 0) return 'empty.noWorkers';
  return isNight(hour) ? 'empty.nightNoWorkers' : 'empty.dayNoWorkers';
}

/** Why the alert list is empty. */
export function alertsEmptyReason(a: { ready: boolean; rows: number }): 'empty.waiting' | 'empty.noAlerts' | null {
  if (a.rows > 0) return null;
  return a.ready ? 'empty.noAlerts' : 'empty.waiting';
}

/** Why the overdue list is empty. */
export function overdueEmptyReason(o: {
  ready: boolean;
  open: number;
  overdue: number;
}): 'empty.waiting' | 'empty.noOpenCases' | 'empty.noOverdue' | null {
  if (o.overdue > 0) return null;
  if (!o.ready) return 'empty.waiting';
  return o.open === 0 ? 'empty.noOpenCases' : 'empty.noOverdue';
}

/** Why the inspection scene has no points. */
export function inspectionEmptyReason(i: {
  ready: boolean;
  total: number;
}): 'empty.waiting' | 'empty.noInspection' | null {
  if (i.total > 0) return null;
  return i.ready ? 'empty.noInspection' : 'empty.waiting';
}

/** Why the video wall is not linked, or why a linkage found no picture. */
export function videoLinkReason(v: {
  ready: boolean;
  cameras: number;
  linkage: boolean;
  linked: boolean;
  found: number | null;
}): 'empty.waiting' | 'empty.noCameras' | 'empty.linkOff' | 'empty.notLinked' | 'empty.noCamerasNear' | null {
  if (!v.ready) return 'empty.waiting';
  if (v.cameras === 0) return 'empty.noCameras';
  if (!v.linkage) return 'empty.linkOff';
  if (!v.linked) return 'empty.notLinked';
  return v.found === 0 ? 'empty.noCamerasNear' : null;
}
