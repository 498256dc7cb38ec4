import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type * as ElectronMock from '../../test/electron/mocks/electron';

/**
 * The main process as a whole, on a mocked Electron: what opens at start, how IPC, permissions,
 * requests and navigation are policed, hot-plug, a second launch, and a settings change.
 */

vi.mock('electron', () => import('../../test/electron/mocks/electron'));

const SERVER = 'http://127.0.0.1:18080';
const WALL_URL = `${SERVER}/wall?display=0&layout=single&lang=zh-CN`;
const PAGES = pathToFileURL(resolve(import.meta.dirname, '../pages')).href;

let electron: typeof ElectronMock;
let dir: string;

const display = (id: number, x: number, y: number): ElectronMock.DisplayLike => ({
  id,
  label: `D${id}`,
  bounds: { x, y, width: 1920, height: 1080 },
  workArea: { x, y, width: 1920, height: 1040 },
  scaleFactor: 1,
  rotation: 0,
});

const windowLoading = (fragment: string) =>
  electron.BrowserWindow.created.find((w) => !w.destroyed && w.webContents.loaded.some((u) => u.includes(fragment)));

const ipcEvent = (contents: ElectronMock.WebContentsMock, url: string) => ({
  sender: { id: contents.id },
  senderFrame: { url, parent: null },
});

const start = async () => {
  const { runApp } = await import('./app');
  runApp();
  electron.app.becomeReady();
  await vi.advanceTimersByTimeAsync(0);
};

beforeEach(async () => {
  vi.resetModules();
  vi.useFakeTimers({ now: new Date(2026, 10, 23, 12, 0) });
  vi.stubEnv('GRIDWALL_SERVER_URL', SERVER);
  electron = (await import('electron')) as unknown as typeof ElectronMock;
  electron.resetElectronMock();
  dir = mkdtempSync(join(tmpdir(), 'gridwall-app-'));
  electron.app.setPath('userData', dir);
  electron.app.appPath = resolve(import.meta.dirname, '../..');
  // A wall monitor, and the workstation monitor below it (the primary one).
  electron.screen.displays = [display(1, 0, 0), display(2, 0, 1080)];
  electron.screen.primaryId = 2;
});

afterEach(() => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  rmSync(dir, { recursive: true, force: true });
});

describe('the main process on a mocked Electron', () => {
  it('opens the wall on its display and the console on the workstation, keeps the display awake, logs', async () => {
    await start();
    const wall = windowLoading('/wall?')!;
    const console = windowLoading('/console')!;
    expect(wall.webContents.loaded).toEqual([WALL_URL]);
    expect(console.webContents.loaded).toEqual([`${SERVER}/console?lang=zh-CN`]);
    expect(wall.options).toMatchObject({ x: 0, y: 0, frame: false });
    expect(console.options).toMatchObject({ x: 0, y: 1080, height: 1040, frame: true });
    expect(electron.powerSaveBlocker.active.size).toBe(1);
    const log = readFileSync(join(dir, 'logs', 'main.log'), 'utf8');
    expect(log).toContain('plan applied');
  });

  it('answers IPC from its windows and refuses strangers', async () => {
    await start();
    const wall = windowLoading('/wall?')!;
    const windowInfo = electron.ipcMain.handlers.get('gridwall:window-info')!;
    await expect(windowInfo(ipcEvent(wall.webContents, WALL_URL))).resolves.toMatchObject({
      role: 'wall',
      screen: 0,
      serverUrl: SERVER,
    });
    const stranger = new electron.WebContentsMock();
    await expect(windowInfo(ipcEvent(stranger, WALL_URL))).rejects.toThrow('refused');
    await expect(windowInfo(ipcEvent(wall.webContents, 'https://evil.example/'))).rejects.toThrow('refused');
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8')).toContain('ipc refused');
  });

  it('denies permissions, requests, navigation and new windows outside the policy', async () => {
    await start();
    const wall = windowLoading('/wall?')!;
    const ses = electron.session.defaultSession;
    const permission = ses.handlers.permissionRequest as unknown as (
      c: unknown,
      p: string,
      cb: (ok: boolean) => void,
      d: { requestingUrl: string },
    ) => void;
    const answers: boolean[] = [];
    permission(wall.webContents, 'media', (ok) => answers.push(ok), { requestingUrl: WALL_URL });
    permission(wall.webContents, 'fullscreen', (ok) => answers.push(ok), { requestingUrl: WALL_URL });
    expect(answers).toEqual([false, true]);

    const beforeRequest = ses.webRequest.handlers.beforeRequest as unknown as (
      d: { url: string },
      cb: (r: { cancel: boolean }) => void,
    ) => void;
    const cancelled: boolean[] = [];
    beforeRequest({ url: 'https://cdn.example/lib.js' }, (r) => cancelled.push(r.cancel));
    beforeRequest({ url: `${SERVER}/assets/index.js` }, (r) => cancelled.push(r.cancel));
    expect(cancelled).toEqual([true, false]);

    const headers = ses.webRequest.handlers.headersReceived as unknown as (
      d: { url: string; resourceType: string; responseHeaders: Record<string, string[]> },
      cb: (r: { responseHeaders: Record<string, string[]> }) => void,
    ) => void;
    let csp: string[] = [];
    headers({ url: WALL_URL, resourceType: 'mainFrame', responseHeaders: {} }, (r) => {
      csp = r.responseHeaders['Content-Security-Policy'] ?? [];
    });
    expect(csp[0]).toContain("script-src 'self'");

    const navigation = { preventDefault: vi.fn() };
    wall.webContents.emit('will-navigate', navigation, 'https://evil.example/');
    expect(navigation.preventDefault).toHaveBeenCalled();
    const inside = { preventDefault: vi.fn() };
    wall.webContents.emit('will-navigate', inside, `${SERVER}/login`);
    expect(inside.preventDefault).not.toHaveBeenCalled();
    expect(wall.webContents.windowOpenHandler!({ url: `${SERVER}/x` })).toEqual({ action: 'deny' });
  });

  it('re-plans when a display is unplugged and plugged back, without restarting', async () => {
    await start();
    const consoleWindow = windowLoading('/console')!;
    const [wallDisplay, workstation] = electron.screen.displays;
    electron.screen.displays = [workstation!];
    electron.screen.emit('display-removed');
    await vi.advanceTimersByTimeAsync(750);
    expect(windowLoading('/wall?')).toBeUndefined();
    // The console shares the one display left; it was not reopened.
    expect(windowLoading('/console')).toBe(consoleWindow);
    expect(readFileSync(join(dir, 'logs', 'main.log'), 'utf8')).toContain('display-missing');

    electron.screen.displays = [wallDisplay!, workstation!];
    electron.screen.emit('display-added');
    await vi.advanceTimersByTimeAsync(750);
    expect(windowLoading('/wall?')!.webContents.loaded).toEqual([WALL_URL]);
  });

  it('focuses the running app on a second launch, and a second instance quits at once', async () => {
    await start();
    electron.app.emit('second-instance');
    expect(windowLoading('/console')!.calls).toContain('focus');

    vi.resetModules();
    electron.resetElectronMock();
    electron.app.singleInstance = false;
    electron.app.setPath('userData', dir);
    const { runApp } = await import('./app');
    runApp();
    electron.app.becomeReady();
    await vi.advanceTimersByTimeAsync(0);
    expect(electron.app.quitCalls).toBe(1);
    expect(electron.BrowserWindow.created).toHaveLength(0);
  });

  it('opens settings with Ctrl+Alt+S and applies a saved layout to the wall', async () => {
    await start();
    const wall = windowLoading('/wall?')!;
    wall.webContents.emit(
      'before-input-event',
      { preventDefault: vi.fn() },
      {
        type: 'keyDown',
        key: 's',
        control: true,
        alt: true,
        meta: false,
      },
    );
    const settings = electron.BrowserWindow.created.find((w) => w.calls.some((c) => c.includes('settings.html')))!;
    expect(settings).toBeDefined();

    const save = electron.ipcMain.handlers.get('gridwall:settings-save')!;
    // The wall may not change settings; the settings page may.
    await expect(save(ipcEvent(wall.webContents, WALL_URL), { layout: 'wall-3x2' })).rejects.toThrow('refused');
    const result = await save(ipcEvent(settings.webContents, `${PAGES}/settings.html?lang=zh-CN`), {
      layout: 'wall-3x2',
      deviceToken: 'device-secret',
    });
    expect(result).toMatchObject({ ok: true, settings: { layout: 'wall-3x2', hasDeviceToken: true } });
    expect(existsSync(join(dir, 'settings.json'))).toBe(true);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).not.toContain('device-secret');
    expect(wall.webContents.loaded.at(-1)).toBe(`${SERVER}/wall?display=0&layout=wall-3x2&lang=zh-CN`);
    // Two displays for six screens: the wall takes both (screen 4 goes below, on the workstation
    // monitor, which the console now shares), and says which screens are missing.
    await vi.advanceTimersByTimeAsync(0);
    expect(wall.webContents.css.join('\n')).toContain('显示屏 #2, #3, #5, #6 未连接');
    expect(windowLoading('display=3&layout=wall-3x2')).toBeDefined();

    // The credential reaches the wall as an HttpOnly cookie for the server, never over the bridge.
    expect(electron.ipcMain.handlers.has('gridwall:device-token')).toBe(false);
    await vi.waitFor(() =>
      expect(electron.session.defaultSession.cookies.jar).toContainEqual(
        expect.objectContaining({ url: SERVER, value: 'device-secret', httpOnly: true, sameSite: 'strict' }),
      ),
    );
  });
});
