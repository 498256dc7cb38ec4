import { describe, expect, it } from 'vitest';
import type { Alert, Camera } from '../../../protocol';
import { mulberry32 } from '../../../protocol/random';
import type { FocusSlice } from '../../state/store';
import {
  assignTiles,
  CameraIndex,
  initialTiles,
  linkable,
  linkTarget,
  placeOfAlert,
  placeOfCase,
  targetKey,
} from './linkage';

const R = 6_371_008.8;
/** Haversine metres: the brute-force reference the index must agree with. */
function metres(a: { lng: number; lat: number }, b: { lng: number; lat: number }): number {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLng = (b.lng - a.lng) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * R * Math.asin(Math.sqrt(h));
}

function cameras(n: number, seed: number): Camera[] {
  const rand = mulberry32(seed);
  return Array.from({ length: n }, (_, i) => ({
    id: `cam-${String(i).padStart(5, '0')}`,
    name: `探头${i}`,
    kind: (['street', 'traffic', 'kitchen', 'drone'] as const)[i % 4] as Camera['kind'],
    position: { lng: 106.2 + rand() * 0.2, lat: 38.45 + rand() * 0.15 },
    gridId: null,
    streamUrl: `/media/clips/clip-${(i % 4) + 1}.mp4`,
    streamKind: 'mp4',
    status: rand() < 0.9 ? 'online' : 'offline',
    statusSince: 0,
  }));
}

describe('CameraIndex', () => {
  const cams = cameras(1200, 7);
  const byId = new Map(cams.map((c) => [c.id, c]));
  const index = new CameraIndex(cams);
  const rand = mulberry32(99);

  it('finds the same nearest online cameras as a brute-force distance sort', () => {
    for (let q = 0; q < 50; q++) {
      const at = { lng: 106.2 + rand() * 0.2, lat: 38.45 + rand() * 0.15 };
      const k = 1 + Math.floor(rand() * 36);
      const got = index.nearest(at.lng, at.lat, k, 1e9, (id) => linkable(byId.get(id), []));
      const want = cams
        .filter((c) => linkable(c, []))
        .map((c) => ({ id: c.id, d: metres(at, c.position) }))
        .sort((a, b) => a.d - b.d)
        .slice(0, k);
      // Equal as sets, and the index's order is by distance (ties may fall either way).
      expect(new Set(got)).toEqual(new Set(want.map((w) => w.id)));
      const d = got.map((id) => metres(at, (byId.get(id) as Camera).position));
      for (let i = 1; i < d.length; i++) expect(d[i]).toBeGreaterThanOrEqual((d[i - 1] as number) - 1e-6);
    }
  });

  it('stops at the radius and takes only the kinds asked for', () => {
    const at = { lng: 106.3, lat: 38.52 };
    const got = index.nearest(at.lng, at.lat, 36, 800, (id) => linkable(byId.get(id), ['kitchen']));
    const want = cams.filter((c) => linkable(c, ['kitchen']) && metres(at, c.position) <= 800);
    expect(new Set(got)).toEqual(new Set(want.map((c) => c.id)));
    for (const id of got) expect(byId.get(id)?.kind).toBe('kitchen');
  });

  it('answers nothing on an empty wall', () => {
    expect(new CameraIndex([]).nearest(106, 38, 9, 1e9, () => true)).toEqual([]);
  });
});

describe('assignTiles', () => {
  it('fills unpinned tiles nearest first in reading order, leaving pinned ones alone', () => {
    const next = assignTiles(['a', 'b', 'c', 'd'], [false, true, false, false], ['x', 'b', 'y', 'z', 'w']);
    expect(next).toEqual(['x', 'b', 'y', 'z']);
  });

  it('keeps what a tile showed when too few cameras are near, without showing one twice', () => {
    expect(assignTiles(['a', 'b', 'c'], [false, false, false], ['b'])).toEqual(['b', null, 'c']);
    expect(assignTiles([null, null], [false, false], [])).toEqual([null, null]);
  });
  it('fills the tiles no near camera takes from the scene’s defaults, whatever they showed before', () => {
    // Two windows that showed different cameras before end up with the same tiles.
    const defaults = ['d1', 'd2', 'd3'];
    expect(assignTiles(['a', 'b', 'c'], [false, false, false], ['x'], defaults)).toEqual(['x', 'd1', 'd2']);
    expect(assignTiles(['q', 'r', 's'], [false, false, false], ['x'], defaults)).toEqual(['x', 'd1', 'd2']);
    expect(assignTiles(['a', 'b', 'c'], [false, true, false], ['d1'], defaults)).toEqual(['d1', 'b', 'd2']);
  });
});

describe('initialTiles', () => {
  it('takes the named cameras first, then linkable ones by id', () => {
    const cams = cameras(20, 3);
    const byId = new Map(cams.map((c) => [c.id, c]));
    const tiles = initialTiles(4, ['cam-00010', 'nope', 'cam-00010'], byId, []);
    expect(tiles[0]).toBe('cam-00010');
    const rest = cams
      .filter((c) => c.id !== 'cam-00010' && c.status === 'online')
      .map((c) => c.id)
      .slice(0, 3);
    expect(tiles.slice(1)).toEqual(rest);
    expect(initialTiles(3, [], new Map(), [])).toEqual([null, null, null]);
  });
});

describe('linkTarget', () => {
  const policy = { holdSeconds: 60 };
  const alert = (patch: Partial<Alert>): Alert => ({
    id: 'al-1',
    kind: 'sensor',
    severity: 'warning',
    caseId: null,
    caseCode: null,
    category: null,
    gridId: null,
    targetLevel: 'grid',
    stage: null,
    sensorId: 's-1',
    raisedAt: 0,
    clearedAt: null,
    ...patch,
  });
  const free: FocusSlice = { caseId: null, origin: 'local', at: 0 };
  const state = (focus: FocusSlice, list: Alert[]) => ({
    focus,
    alerts: { list, active: list.length, rev: 1, justRaised: [] },
  });
  const key = (s: ReturnType<typeof state>, rate = 1) => targetKey(linkTarget(s, policy, rate));

  it('links to the newest open sensor alarm or urgent case, not to a routine warning or a cleared alarm', () => {
    expect(key(state(free, [alert({})]))).toBe('alert:al-1');
    expect(key(state(free, [alert({ id: 'u', kind: 'urgent', sensorId: null, caseId: 'c1' })]))).toBe('alert:u');
    expect(key(state(free, [alert({ kind: 'warning', sensorId: null, caseId: 'c1' })]))).toBe('');
    expect(key(state(free, [alert({ clearedAt: 5 })]))).toBe('');
    const two = [alert({ id: 'old', raisedAt: 1 }), alert({ id: 'new', raisedAt: 9 })];
    expect(key(state(free, two))).toBe('alert:new');
    // When the newest clears, the next one has the pictures.
    expect(key(state(free, [two[0] as Alert, { ...(two[1] as Alert), clearedAt: 10 }]))).toBe('alert:old');
  });

  it('is the same whatever order a window holds the alerts in (a window opened later)', () => {
    const list = [alert({ id: 'a', raisedAt: 5 }), alert({ id: 'b', raisedAt: 5 }), alert({ id: 'c', raisedAt: 2 })];
    expect(key(state(free, list))).toBe(key(state(free, [...list].reverse())));
  });

  it('links to the focus unless an alarm came after it; a person’s choice holds for holdSeconds', () => {
    const chosen: FocusSlice = { caseId: 'c9', origin: 'local', at: 123, serverAt: 10_000 };
    expect(key(state(chosen, [alert({ raisedAt: 9_000 })]))).toBe('case:c9');
    expect(key(state(chosen, [alert({ raisedAt: 69_999 })]))).toBe('case:c9');
    expect(key(state(chosen, [alert({ raisedAt: 70_001 })]))).toBe('alert:al-1');
    // The hold is in real seconds: a simulator at 60× holds for an hour of its time.
    expect(key(state(chosen, [alert({ raisedAt: 70_001 })]), 60)).toBe('case:c9');
    // A focus an alert set is not held.
    expect(key(state({ ...chosen, origin: 'alert' }, [alert({ raisedAt: 10_001 })]))).toBe('alert:al-1');
    // The alert that took the focus links through the focus.
    const byAlert: FocusSlice = { caseId: 'c1', origin: 'alert', at: 1, serverAt: 4 };
    const urgent = alert({ kind: 'urgent', sensorId: null, caseId: 'c1', raisedAt: 5 });
    expect(linkTarget(state(byAlert, [urgent]), policy)).toEqual({ kind: 'focus', caseId: 'c1', reason: 'urgent' });
  });

  it('a cleared focus links to alarms raised after it only', () => {
    const cleared: FocusSlice = { caseId: null, origin: 'local', at: 50, serverAt: 100 };
    expect(key(state(cleared, [alert({ raisedAt: 90 })]))).toBe('');
    expect(key(state(cleared, [alert({ raisedAt: 110 })]))).toBe('alert:al-1');
  });
});

describe('placeOfCase and placeOfAlert', () => {
  const lite = { id: 'c1', code: '20260101-000001', lng: 106.25, lat: 38.5 };
  const state = {
    cases: { byId: new Map([[lite.id, lite]]) },
    focusedCase: null,
    sensors: {
      byId: new Map([['s-1', { id: 's-1', name: '油烟监测仪1', position: { lng: 106.3, lat: 38.48 } }]]),
    },
  } as unknown as Parameters<typeof placeOfAlert>[0];
  const base: Alert = {
    id: 'a',
    kind: 'sensor',
    severity: 'warning',
    caseId: 'c1',
    caseCode: null,
    category: null,
    gridId: null,
    targetLevel: 'grid',
    stage: null,
    sensorId: 's-1',
    raisedAt: 0,
    clearedAt: null,
  };

  it('places a case from the slim record, and says null while it is unknown', () => {
    expect(placeOfCase(state, 'c1', 'focus')).toEqual({ lng: 106.25, lat: 38.5, reason: 'focus', ref: lite.code });
    expect(placeOfCase(state, 'nope', 'focus')).toBeNull();
  });

  it('places a sensor alarm at its sensor, an urgent alert at its case', () => {
    expect(placeOfAlert(state, base)).toEqual({ lng: 106.3, lat: 38.48, reason: 'sensor', ref: '油烟监测仪1' });
    expect(placeOfAlert(state, { ...base, kind: 'urgent', sensorId: null })).toMatchObject({
      reason: 'urgent',
      ref: lite.code,
    });
  });
});
