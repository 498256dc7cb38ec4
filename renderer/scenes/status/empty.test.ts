import { describe, expect, it } from 'vitest';
import {
  alertsEmptyReason,
  centerHour,
  inspectionEmptyReason,
  overdueEmptyReason,
  videoLinkReason,
  workersEmptyReason,
} from './empty';

describe('empty states say why', () => {
  it('reads the hour in the center’s time zone, not the machine’s', () => {
    // 2026-12-07 15:30 UTC is 23:30 in UTC+8 and 10:30 in UTC−5.
    const t = Date.UTC(2026, 11, 7, 15, 30);
    expect(centerHour(t, 480)).toBe(23);
    expect(centerHour(t, -300)).toBe(10);
    expect(centerHour(Date.UTC(2026, 11, 7, 22, 0), 480)).toBe(6);
  });

  it('a map with no workers on duty: at night, by day, or no positions at all', () => {
    const night = centerHour(Date.UTC(2026, 11, 7, 15, 30), 480);
    const day = centerHour(Date.UTC(2026, 11, 7, 2, 0), 480);
    expect(workersEmptyReason({ ready: true, total: 600, onDuty: 0 }, night)).toBe('empty.nightNoWorkers');
    expect(workersEmptyReason({ ready: true, total: 600, onDuty: 0 }, day)).toBe('empty.dayNoWorkers');
    expect(workersEmptyReason({ ready: true, total: 0, onDuty: 0 }, day)).toBe('empty.noWorkers');
    expect(workersEmptyReason({ ready: true, total: 600, onDuty: 12 }, night)).toBeNull();
    expect(workersEmptyReason({ ready: false, total: 0, onDuty: 0 }, day)).toBe('empty.waiting');
  });

  it('alerts, overdue list and inspection points', () => {
    expect(alertsEmptyReason({ ready: true, rows: 0 })).toBe('empty.noAlerts');
    expect(alertsEmptyReason({ ready: false, rows: 0 })).toBe('empty.waiting');
    expect(alertsEmptyReason({ ready: true, rows: 3 })).toBeNull();
    expect(overdueEmptyReason({ ready: true, open: 40, overdue: 0 })).toBe('empty.noOverdue');
    expect(overdueEmptyReason({ ready: true, open: 0, overdue: 0 })).toBe('empty.noOpenCases');
    expect(overdueEmptyReason({ ready: false, open: 0, overdue: 0 })).toBe('empty.waiting');
    expect(overdueEmptyReason({ ready: true, open: 40, overdue: 2 })).toBeNull();
    expect(inspectionEmptyReason({ ready: true, total: 0 })).toBe('empty.noInspection');
    expect(inspectionEmptyReason({ ready: true, total: 3319 })).toBeNull();
  });

  it('the video wall: no cameras, linkage off, nothing to link to, nothing near the place', () => {
    const base = { ready: true, cameras: 1200, linkage: true, linked: true, found: 9 };
    expect(videoLinkReason(base)).toBeNull();
    expect(videoLinkReason({ ...base, cameras: 0 })).toBe('empty.noCameras');
    expect(videoLinkReason({ ...base, linkage: false })).toBe('empty.linkOff');
    expect(videoLinkReason({ ...base, linked: false, found: null })).toBe('empty.notLinked');
    expect(videoLinkReason({ ...base, found: 0 })).toBe('empty.noCamerasNear');
  });

  it('every reason has a text in both languages', async () => {
    const { zhCN } = await import('../../i18n/zh-CN');
    const { en } = await import('../../i18n/en');
    for (const key of Object.keys(zhCN.empty)) {
      expect(en.empty[key as keyof typeof en.empty]).toBeTruthy();
    }
  });
});
