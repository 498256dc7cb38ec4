import { afterEach, describe, expect, it, vi } from 'vitest';
import { BrowserWindow } from '../../test/electron/mocks/electron';
import { electronWindowFactory, shortcutFor } from './electron-window';
import type { PlannedWindow } from './planner';
import type { ShellWindowEvents } from './windows';

vi.mock('electron', () => import('../../test/electron/mocks/electron'));

const spec: PlannedWindow = {
  key: 'wall:1',
  role: 'wall',
  screen: 1,
  url: 'http://127.0.0.1:8080/wall?display=1&layout=wall-3x2&lang=zh-CN',
  bounds: { x: 1920, y: 0, width: 1920, height: 1080 },
  displayIds: [2],
  scaleFactor: 1,
  orientation: 'landscape',
  kiosk: true,
  frameless: true,
  alwaysOnTop: true,
  hideCursorAfterSeconds: 5,
};

const events = (): ShellWindowEvents & { seen: string[] } => {
  const seen: string[] = [];
  return {
    seen,
    crashed: (reason, code) => seen.push(`crashed ${reason} ${code}`),
    unresponsive: () => seen.push('unresponsive'),
    responsive: () => seen.push('responsive'),
    loadFailed: (code) => seen.push(`loadFailed ${code}`),
    navigating: (url) => seen.push(`navigating ${url}`),
    loaded: () => seen.push('loaded'),
    closed: () => seen.push('closed'),
  };
};

const factory = electronWindowFactory({
  preloadPath: '/app/out/preload/index.cjs',
  pagesDir: '/app/out/pages',
  onShortcut: () => {},
});

afterEach(() => {
  BrowserWindow.created.length = 0;
});

describe('electronWindowFactory', () => {
  it('makes every window sandboxed, context-isolated, without Node and with our preload only', () => {
    factory.create(spec, 'wall', events());
    const prefs = BrowserWindow.created[0]!.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });

  it('places a wall window on its display first, then makes it kiosk and floating, without taking focus', () => {
    factory.create(spec, 'wall', events());
    const window = BrowserWindow.created[0]!;
    expect(window.options).toMatchObject({ frame: false, skipTaskbar: true, show: false, x: 1920, y: 0 });
    window.emit('ready-to-show');
    expect(window.calls).toEqual([
      'setBounds 1920,0,1920,1080',
      'setKiosk true',
      'setAlwaysOnTop true floating',
      'showInactive',
    ]);
  });

  it('reports crashes, hangs and failed loads of its page', () => {
    const seen = events();
    factory.create(spec, 'wall', seen);
    const contents = BrowserWindow.created[0]!.webContents;
    contents.emit('render-process-gone', {}, { reason: 'oom', exitCode: 9 });
    contents.emit('unresponsive');
    contents.emit('responsive');
    contents.emit('did-fail-load', {}, -102, 'ERR_CONNECTION_REFUSED', spec.url, true);
    contents.emit('did-start-navigation', { url: spec.url, isMainFrame: true, isSameDocument: false });
    contents.emit('did-start-navigation', { url: `${spec.url}#x`, isMainFrame: true, isSameDocument: true });
    expect(seen.seen).toEqual([
      'crashed oom 9',
      'unresponsive',
      'responsive',
      'loadFailed -102',
      `navigating ${spec.url}`,
    ]);
  });

  it('does nothing to a window that is already gone', () => {
    const seen = events();
    const shell = factory.create(spec, 'wall', seen);
    shell.close();
    expect(seen.seen).toEqual(['closed']);
    shell.loadUrl(spec.url);
    shell.send('gridwall:wall-status', {});
    expect(BrowserWindow.created[0]!.webContents.loaded).toEqual([]);
  });
});

describe('shortcutFor', () => {
  const key = (k: string, mods: Partial<{ control: boolean; alt: boolean; meta: boolean }> = {}) => ({
    type: 'keyDown' as const,
    key: k,
    control: false,
    alt: false,
    meta: false,
    ...mods,
  });

  it('knows Ctrl+Alt+S, R and Q, and nothing else', () => {
    expect(shortcutFor(key('s', { control: true, alt: true }))).toBe('settings');
    expect(shortcutFor(key('R', { control: true, alt: true }))).toBe('reload');
    expect(shortcutFor(key('q', { meta: true, alt: true }))).toBe('quit');
    expect(shortcutFor(key('s', { control: true }))).toBeNull();
    expect(shortcutFor(key('x', { control: true, alt: true }))).toBeNull();
    expect(shortcutFor({ ...key('s', { control: true, alt: true }), type: 'keyUp' as const })).toBeNull();
  });
});
