import { describe, expect, it } from 'vitest';
import { Tour } from '../../protocol';
import { controlForKey } from './keys';
import { isNewer, resolveTarget, unattendedPresentation, windowStart } from './show';

const CN = 480;
/** 2026-11-23 is a Monday; local (UTC+8) times. */
const at = (hhmm: string, day = '2026-11-23') => Date.parse(`${day}T${hhmm}:00+08:00`);

const tour = Tour.parse({
  name: 'lobby',
  title: { 'zh-CN': '大厅', en: 'Lobby' },
  district: { 'zh-CN': '金凤区', en: 'Jinfeng' },
  schedule: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '17:30' }],
  steps: [
    { id: 'a', title: { 'zh-CN': '一', en: 'One' }, seconds: 60, notes: { 'zh-CN': ['x'], en: ['x'] } },
    { id: 'b', title: { 'zh-CN': '二', en: 'Two' }, seconds: 30, notes: { 'zh-CN': ['y'], en: ['y'] } },
  ],
});

describe('unattended tours', () => {
  it('run inside their windows only, on local weekdays', () => {
    expect(windowStart(tour.schedule, at('08:59'), CN)).toBeNull();
    expect(windowStart(tour.schedule, at('09:00'), CN)).toBe(at('09:00'));
    expect(windowStart(tour.schedule, at('17:29'), CN)).toBe(at('09:00'));
    expect(windowStart(tour.schedule, at('17:30'), CN)).toBeNull();
    // Saturday 2026-11-28.
    expect(windowStart(tour.schedule, at('10:00', '2026-11-28'), CN)).toBeNull();
  });

  it('step through by their seconds from the window start, looping, the same on every screen', () => {
    const p0 = unattendedPresentation(tour, at('09:00') + 59_000, CN);
    expect(p0).toMatchObject({ stepIndex: 0, stepStartedAt: at('09:00'), driver: 'unattended' });
    const p1 = unattendedPresentation(tour, at('09:00') + 61_000, CN);
    expect(p1).toMatchObject({ stepIndex: 1, stepStartedAt: at('09:00') + 60_000 });
    const lap = unattendedPresentation(tour, at('09:00') + 95_000, CN);
    expect(lap).toMatchObject({ stepIndex: 0, stepStartedAt: at('09:00') + 90_000 });
    expect(lap?.version).toBeGreaterThan(p1?.version ?? 0);
    expect(lap?.step).not.toHaveProperty('notes');
    expect(unattendedPresentation(tour, at('20:00'), CN)).toBeNull();
  });
});

describe('map targets', () => {
  const area = {
    id: 'st-1',
    code: '640106001',
    name: '满城北街街道',
    level: 'street' as const,
    parentId: null,
    polygon: [
      [
        [106.2, 38.5],
        [106.3, 38.5],
        [106.3, 38.6],
        [106.2, 38.5],
      ],
    ],
    center: [106.25, 38.55] as [number, number],
  };
  const state = {
    areas: {
      list: [area],
      byId: new Map([[area.id, area]]),
      version: 1,
      bounds: [106, 38, 107, 39] as [number, number, number, number],
    },
    cases: { byId: new Map([['c1', { lng: 106.21, lat: 38.51 }]]) },
    cameras: { byId: new Map() },
  } as unknown as Parameters<typeof resolveTarget>[1];

  it('resolve an area by name or code to its bounds, a case to its position, the overview to the district', () => {
    expect(resolveTarget({ area: '满城北街街道' }, state, 1)).toEqual({
      kind: 'fit',
      bounds: [106.2, 38.5, 106.3, 38.6],
      seq: 1,
    });
    expect(resolveTarget({ area: '640106001', zoom: 14 }, state, 2)).toMatchObject({ kind: 'fly', zoom: 14 });
    expect(resolveTarget({ caseId: 'c1' }, state, 3)).toEqual({
      kind: 'fly',
      center: [106.21, 38.51],
      zoom: 16,
      seq: 3,
    });
    expect(resolveTarget({ overview: true }, state, 4)).toEqual({ kind: 'fit', bounds: [106, 38, 107, 39], seq: 4 });
  });

  it('are unresolved (null) while the wall does not hold what they name', () => {
    expect(resolveTarget({ caseId: 'later' }, state, 1)).toBeNull();
    expect(resolveTarget({ area: '不存在街道' }, state, 1)).toBeNull();
    expect(resolveTarget({ cameraId: 'cam-x' }, state, 1)).toBeNull();
  });
});

describe('presentation order and keys', () => {
  const p = unattendedPresentation(tour, at('09:00'), CN);
  if (!p) throw new Error('no presentation');

  it('ignores an older state of the same presentation', () => {
    expect(isNewer({ ...p, version: p.version + 1 }, p)).toBe(true);
    expect(isNewer({ ...p, version: p.version }, p)).toBe(false);
    expect(isNewer({ ...p, id: 'other', version: 0 }, p)).toBe(true);
    expect(isNewer(null, p)).toBe(true);
  });

  it('maps clicker keys to controls, toggling blank and pause', () => {
    expect(controlForKey('PageDown', p)).toEqual({ action: 'next' });
    expect(controlForKey('ArrowLeft', p)).toEqual({ action: 'prev' });
    expect(controlForKey('b', p)).toEqual({ action: 'blank', on: true });
    expect(controlForKey('b', { ...p, blank: true })).toEqual({ action: 'blank', on: false });
    expect(controlForKey('.', { ...p, paused: true })).toEqual({ action: 'pause', on: false });
    expect(controlForKey('x', p)).toBeNull();
    expect(controlForKey('PageDown', null)).toBeNull();
  });
});
