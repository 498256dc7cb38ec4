import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Health } from '../../protocol/http';
import type { DisplayInfo } from './display-grid';
import type { PlannedWindow } from './planner';
import { type PlanOptions, planWindows, type WallPlanInput } from './planner';
import type { HealthProbe, Logger, Timers } from './recovery';
import type { ManagerContext, ShellWindow, ShellWindowEvents, WindowFactory } from './windows';
import { WindowManager } from './windows';

const SERVER = 'http://127.0.0.1:8080';
const context: ManagerContext = {
  serverUrl: SERVER,
  language: 'zh-CN',
  policy: { serverOrigin: SERVER, localPagesUrl: 'file:///app/out/pages/' },
};
const options: PlanOptions = {
  serverUrl: SERVER,
  language: 'zh-CN',
  consoleDisplay: 'auto',
  wall: { kiosk: true, alwaysOnTop: true, hideCursorAfterSeconds: 5 },
};

const displays = (ids: number[]): DisplayInfo[] =>
  ids.map((id) => ({
    id,
    label: `D${id}`,
    bounds:
      id === 9 ? { x: 0, y: 1080, width: 1920, height: 1080 } : { x: (id - 1) * 1920, y: 0, width: 1920, height: 1080 },
    scaleFactor: 1,
    rotation: 0,
    primary: id === 9,
  }));

const layout: WallPlanInput = {
  layout: 'wall-3x1',
  screens: [0, 1, 2].map((i) => ({ index: i, col: i, row: 0, cols: 1, rows: 1 })),
};

/** A BrowserWindow stand-in that records what was done to it. */
class FakeWindow implements ShellWindow {
  static nextId = 100;
  readonly webContentsId = FakeWindow.nextId++;
  readonly calls: string[] = [];
  readonly css = new Map<string, string>();
  private cssCounter = 0;
  constructor(
    readonly spec: PlannedWindow,
    readonly events: ShellWindowEvents,
  ) {}
  loadUrl(url: string) {
    this.calls.push(`load ${url}`);
  }
  loadLocal(page: string, query: Record<string, string>) {
    this.calls.push(`local ${page} ${query.reason}`);
  }
  setBounds(b: PlannedWindow['bounds']) {
    this.calls.push(`bounds ${b.x},${b.y}`);
  }
  setKiosk(on: boolean) {
    this.calls.push(`kiosk ${on}`);
  }
  setAlwaysOnTop(on: boolean) {
    this.calls.push(`top ${on}`);
  }
  insertCss(css: string) {
    const key = `k${this.cssCounter++}`;
    this.css.set(key, css);
    return Promise.resolve(key);
  }
  removeCss(key: string) {
    this.css.delete(key);
  }
  send(channel: string, payload: unknown) {
    this.calls.push(`send ${channel} ${JSON.stringify(payload)}`);
  }
  crashRenderer() {
    this.calls.push('kill');
  }
  reload() {
    this.calls.push('reload');
  }
  focus() {
    this.calls.push('focus');
  }
  close() {
    this.calls.push('close');
  }
  cssText(): string {
    return [...this.css.values()].join('\n');
  }
}

const healthy: Health = { ok: true, version: '1', seq: 1, uptimeSeconds: 1, simulator: null };
const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
};
const log: Logger = { info: () => {}, warn: () => {}, error: () => {} };

const setup = () => {
  const created = new Map<string, FakeWindow>();
  const factory: WindowFactory = {
    create: (spec, _title, events) => {
      const w = new FakeWindow(spec, events);
      created.set(spec.key, w);
      return w;
    },
  };
  let serverUp = true;
  const probe: HealthProbe = async () => {
    if (!serverUp) throw new Error('down');
    return healthy;
  };
  const manager = new WindowManager({ factory, probe, timers, now: () => Date.now(), log, appVersion: '0.1.0' });
  return { manager, created, setServer: (up: boolean) => (serverUp = up) };
};

beforeEach(() => {
  vi.useFakeTimers({ now: new Date(2026, 10, 23, 12, 0) });
});
afterEach(() => vi.useRealTimers());

describe('WindowManager', () => {
  it('opens the planned wall and console windows, each loading its server page', () => {
    const { manager, created } = setup();
    const result = manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    expect(result.opened).toEqual(['wall:0', 'wall:1', 'wall:2', 'console']);
    expect(created.get('wall:1')!.calls[0]).toBe(`load ${SERVER}/wall?display=1&layout=wall-3x1&lang=zh-CN`);
    expect(created.get('console')!.calls[0]).toBe(`load ${SERVER}/console?lang=zh-CN`);
  });

  it('tells IPC which window and role a sender is, and what page it may show', () => {
    const { manager, created } = setup();
    manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    const wall = manager.lookup(created.get('wall:2')!.webContentsId)!;
    expect(wall).toMatchObject({ key: 'wall:2', role: 'wall' });
    expect(wall.urlAllowed(`${SERVER}/wall?display=2`)).toBe(true);
    expect(wall.urlAllowed('https://elsewhere.example/')).toBe(false);
    expect(manager.lookup(123456)).toBeUndefined();
  });

  it('re-plans on unplug without touching the other windows, and shows the banner on them', async () => {
    const { manager, created } = setup();
    const full = planWindows(displays([1, 2, 3, 9]), layout, options);
    manager.apply(full, context);
    const keep = created.get('wall:0')!;
    const callsBefore = keep.calls.length;

    const result = manager.apply(planWindows(displays([1, 3, 9]), layout, options, full.memory), context);
    expect(result).toEqual({ opened: [], closed: ['wall:1'], updated: [] });
    expect(created.get('wall:1')!.calls.at(-1)).toBe('close');
    await Promise.resolve();
    expect(keep.cssText()).toContain('显示屏 #2 未连接');
    // No reload of the others: only the banner CSS went in (status waits for the page to be ready).
    expect(keep.calls.slice(callsBefore)).toEqual([]);
    manager.markReady('wall:0');
    expect(keep.calls.at(-1)).toContain('"missingScreens":[1]');
    expect(manager.windowInfo('wall:0')!.status.missingScreens).toEqual([1]);
  });

  it('reloads a crashed wall window once the server answers, showing the connecting page meanwhile', async () => {
    const { manager, created, setServer } = setup();
    manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    const w = created.get('wall:1')!;
    setServer(false);
    w.events.crashed('crashed', 11);
    expect(w.calls.at(-1)).toBe('local connecting render process gone');
    // While it shows the local page, IPC sees a connecting page, not a wall.
    expect(manager.lookup(w.webContentsId)).toMatchObject({ role: 'connecting' });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(w.calls.filter((c) => c.startsWith('load'))).toHaveLength(1);
    setServer(true);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(w.calls.at(-1)).toBe(`load ${SERVER}/wall?display=1&layout=wall-3x1&lang=zh-CN`);
    expect(manager.lookup(w.webContentsId)).toMatchObject({ role: 'wall' });
  });

  it('treats a failed first load (server not up yet) like a crash, but not an aborted one', async () => {
    const { manager, created } = setup();
    manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    const w = created.get('wall:0')!;
    w.events.loadFailed(-3, 'ERR_ABORTED', `${SERVER}/wall`, true);
    expect(w.calls).toHaveLength(1);
    w.events.loadFailed(-102, 'ERR_CONNECTION_REFUSED', `${SERVER}/wall`, true);
    expect(w.calls.at(-1)).toBe('local connecting page failed to load');
    await vi.advanceTimersByTimeAsync(1000);
    expect(w.calls.at(-1)).toContain('load http');
  });

  it('hides the cursor over wall windows only, and shows it again', async () => {
    const { manager, created } = setup();
    manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    expect(manager.cursorIdleMs()).toBe(5000);
    manager.setCursorHidden(true);
    await Promise.resolve();
    expect(created.get('wall:0')!.cssText()).toContain('cursor: none');
    expect(created.get('console')!.cssText()).toBe('');
    manager.setCursorHidden(false);
    await Promise.resolve();
    await Promise.resolve();
    expect(created.get('wall:0')!.cssText()).not.toContain('cursor: none');
  });

  it('moves a window in place when its display moves, and loads the new URL when the layout language changes', () => {
    const { manager, created } = setup();
    manager.apply(planWindows(displays([1, 2, 3, 9]), layout, options), context);
    const w = created.get('wall:0')!;
    const moved = displays([1, 2, 3, 9]).map((d) => ({ ...d, bounds: { ...d.bounds, x: d.bounds.x + 10 } }));
    manager.apply(planWindows(moved, layout, options), context);
    expect(w.calls).toContain('bounds 10,0');
    manager.apply(planWindows(moved, layout, { ...options, language: 'en' }), { ...context, language: 'en' });
    expect(w.calls.at(-1)).toBe(`load ${SERVER}/wall?display=0&layout=wall-3x1&lang=en`);
  });

  it('reopens every window when the server changes', () => {
    const { manager } = setup();
    manager.apply(planWindows(displays([1, 9]), layout, options), context);
    const other = 'http://10.9.9.9:8080';
    const result = manager.apply(planWindows(displays([1, 9]), layout, { ...options, serverUrl: other }), {
      ...context,
      serverUrl: other,
      policy: { ...context.policy, serverOrigin: other },
    });
    expect(result.closed).toEqual(['wall:0', 'console']);
    expect(result.opened).toEqual(['wall:0', 'console']);
  });
});
