import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  type BrowserWindow,
  type Display,
  ipcMain,
  Menu,
  powerSaveBlocker,
  safeStorage,
  screen,
  session,
  type WebContents,
} from 'electron';
import type { DisplaySummary, ShellSettings, WindowInfo } from '../../protocol/ipc';
import { CursorIdle } from './cursor';
import { createBrowserWindow, electronWindowFactory, loadLocalPage, type ShortcutAction } from './electron-window';
import { IpcRouter, type KnownWindow } from './ipc';
import { loadWallPlanInput } from './layout-input';
import { RotatingLog } from './log';
import { messages } from './messages';
import { type DisplayInfo, type PlanMemory, planWindows, type Rotation } from './planner';
import { type HealthProbe, scheduleDaily, type Timers } from './recovery';
import {
  buildCsp,
  httpOrigin,
  isLocalPage,
  navigationAllowed,
  type OriginPolicy,
  permissionAllowed,
  requestAllowed,
  withCsp,
} from './security';
import { applyOverrides, readOverrides, SettingsStore, safeStorageBox } from './settings';
import { WindowManager } from './windows';

/**
 * Wires the pure parts to Electron. Kept thin on purpose: what can be decided without Electron is
 * decided (and tested) in planner, ipc, recovery, security, settings and windows.
 */

const here = import.meta.dirname;
const PRELOAD = join(here, '../preload/index.cjs');
const PAGES_DIR = join(here, '../pages');

const timers: Timers = {
  setTimeout: (fn, ms) => setTimeout(fn, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

const fetchJson: HealthProbe = async (url, signal) => {
  // Node's fetch in the main process keeps no HTTP cache: every probe reaches the server.
  const response = await fetch(url, { signal: AbortSignal.any([signal, AbortSignal.timeout(3000)]) });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  return response.json();
};

const toDisplayInfo = (d: Display, primaryId: number): DisplayInfo => ({
  id: d.id,
  label: d.label,
  bounds: d.bounds,
  workArea: d.workArea,
  scaleFactor: d.scaleFactor,
  rotation: ([0, 90, 180, 270].includes(d.rotation) ? d.rotation : 0) as Rotation,
  primary: d.id === primaryId,
});

const toSummary = (d: DisplayInfo): DisplaySummary => ({
  id: d.id,
  label: d.label,
  bounds: d.bounds,
  scaleFactor: d.scaleFactor,
  rotation: d.rotation,
  primary: d.primary,
});

export const runApp = (): void => {
  // A separate profile (tests, a second wall on one machine): settings, logs and the single-instance
  // lock all live under userData.
  if (process.env.GRIDWALL_USER_DATA) app.setPath('userData', process.env.GRIDWALL_USER_DATA);
  // A second launch hands over to the running one and leaves.
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  const log = new RotatingLog({
    file: join(app.getPath('userData'), 'logs', 'main.log'),
    echo: app.isPackaged ? undefined : (line) => process.stdout.write(`${line}\n`),
  });
  process.on('uncaughtException', (error) => log.error('uncaught exception', { error: error.stack ?? error.message }));
  process.on('unhandledRejection', (reason) => log.error('unhandled rejection', { reason: String(reason) }));
  log.info('GridWall shell starting', { version: app.getVersion(), electron: process.versions.electron });

  // No menu: no devtools or reload accelerators on a wall; our shortcuts are in electron-window.ts.
  Menu.setApplicationMenu(null);

  const store = new SettingsStore(
    join(app.getPath('userData'), 'settings.json'),
    safeStorageBox(safeStorage, process.platform),
  );
  const { overrides, problems: overrideProblems } = readOverrides(process.argv, process.env);
  let settings: ShellSettings = store.current();
  let policy: OriginPolicy = { serverOrigin: '', localPagesUrl: `${pathToFileURL(PAGES_DIR).href}/` };
  let csp = '';
  let memory: PlanMemory | undefined;
  let settingsWindow: BrowserWindow | null = null;
  let powerBlock: number | null = null;
  let cursorIdle: CursorIdle | null = null;
  let softReload: { cancel(): void } | null = null;

  const refreshPolicy = () => {
    settings = applyOverrides(store.current(), overrides);
    policy = { ...policy, serverOrigin: httpOrigin(settings.serverUrl) ?? '' };
    csp = buildCsp(policy.serverOrigin, settings.extraOrigins);
  };

  const onShortcut = (action: ShortcutAction, window: BrowserWindow) => {
    log.info('shortcut', { action });
    if (action === 'settings') openSettings();
    else if (action === 'reload') window.webContents.reload();
    else app.quit();
  };

  const manager = new WindowManager({
    factory: electronWindowFactory({ preloadPath: PRELOAD, pagesDir: PAGES_DIR, onShortcut }),
    probe: fetchJson,
    timers,
    now: Date.now,
    log,
    appVersion: app.getVersion(),
  });

  const settingsKnown = (): KnownWindow => ({
    key: 'settings',
    role: 'settings',
    urlAllowed: (url) => isLocalPage(url, policy),
  });
  const lookup = (webContentsId: number): KnownWindow | undefined => {
    if (settingsWindow && !settingsWindow.isDestroyed() && settingsWindow.webContents.id === webContentsId) {
      return settingsKnown();
    }
    return manager.lookup(webContentsId);
  };

  const openSettings = () => {
    if (settingsWindow && !settingsWindow.isDestroyed()) {
      settingsWindow.focus();
      return;
    }
    const primary = screen.getPrimaryDisplay().workArea;
    const width = Math.min(720, primary.width);
    const height = Math.min(760, primary.height);
    const bounds = {
      x: Math.round(primary.x + (primary.width - width) / 2),
      y: Math.round(primary.y + (primary.height - height) / 2),
      width,
      height,
    };
    const window = createBrowserWindow(
      bounds,
      messages(settings.language).settingsTitle,
      { frameless: false, wall: false },
      {
        preloadPath: PRELOAD,
        pagesDir: PAGES_DIR,
        onShortcut,
      },
    );
    // Above the wall windows, which float.
    window.setAlwaysOnTop(true, 'screen-saver');
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      settingsWindow = null;
    });
    settingsWindow = window;
    loadLocalPage(window, PAGES_DIR, 'settings', { lang: settings.language });
  };

  const updatePowerBlock = () => {
    const need = manager.hasWallWindows();
    if (need && powerBlock === null) {
      powerBlock = powerSaveBlocker.start('prevent-display-sleep');
      log.info('display sleep blocked');
    } else if (!need && powerBlock !== null) {
      powerSaveBlocker.stop(powerBlock);
      powerBlock = null;
      log.info('display sleep allowed');
    }
  };

  const layoutDirs = () =>
    [
      app.isPackaged ? join(process.resourcesPath, 'resources', 'layouts') : null,
      join(app.getAppPath(), 'resources', 'layouts'),
    ].filter((d): d is string => d !== null);

  const readText = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);

  const replan = (why: string) => {
    refreshPolicy();
    const primaryId = screen.getPrimaryDisplay().id;
    const displays = screen.getAllDisplays().map((d) => toDisplayInfo(d, primaryId));
    const { input, problem } = loadWallPlanInput(settings.layout, layoutDirs(), { readText });
    if (problem) log.warn(problem);
    const plan = planWindows(
      displays,
      input,
      {
        serverUrl: settings.serverUrl,
        language: settings.language,
        consoleDisplay: settings.consoleDisplay,
        wall: settings.wall,
      },
      memory,
    );
    memory = plan.memory;
    const changes = manager.apply(plan, { serverUrl: settings.serverUrl, language: settings.language, policy });
    log.info('plan applied', { why, displays: displays.length, ...changes, missing: plan.status.missingScreens });
    for (const warning of plan.status.warnings) log.warn(`plan: ${warning.code}`, { ...warning });
    updatePowerBlock();
    const idleMs = manager.cursorIdleMs();
    cursorIdle = idleMs > 0 ? new CursorIdle(idleMs) : null;
    softReload?.cancel();
    softReload = scheduleDaily(settings.softReloadAt, () => void manager.softReloadWalls(), timers, Date.now);
  };

  const harden = (contents: WebContents) => {
    contents.setWindowOpenHandler(({ url }) => {
      log.warn('window.open refused', { url });
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    const guard = (event: { preventDefault(): void }, url: string) => {
      const role = lookup(contents.id)?.role;
      if (role && navigationAllowed(role, url, policy)) return;
      event.preventDefault();
      log.warn('navigation refused', { url, role: role ?? 'unknown' });
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
  };

  app.on('web-contents-created', (_event, contents) => harden(contents));
  app.on('second-instance', () => {
    log.info('second launch: focusing the running app');
    manager.focusMain();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', () => {
    softReload?.cancel();
    if (powerBlock !== null) powerSaveBlocker.stop(powerBlock);
    log.info('GridWall shell quitting');
  });

  const router = new IpcRouter(lookup, (channel, reason, detail) =>
    log.warn('ipc refused', { channel, reason, detail }),
  )
    .handle('gridwall:window-info', (_payload, window): WindowInfo => {
      const info = manager.windowInfo(window.key);
      if (info) return info;
      return {
        role: window.role,
        screen: null,
        layout: settings.layout,
        language: settings.language,
        serverUrl: settings.serverUrl,
        appVersion: app.getVersion(),
        status: { layout: settings.layout, missingScreens: [], warnings: [] },
      };
    })
    .handle('gridwall:device-token', () => ({ token: store.deviceToken() }))
    .handle('gridwall:settings-get', () => store.view())
    .handle('gridwall:settings-save', (patch) => {
      const result = store.save(patch);
      if (result.ok) {
        log.info('settings saved', { fields: Object.keys(patch) });
        replan('settings changed');
      }
      return result;
    })
    .handle('gridwall:displays', () => {
      const primaryId = screen.getPrimaryDisplay().id;
      return screen.getAllDisplays().map((d) => toSummary(toDisplayInfo(d, primaryId)));
    })
    .handle('gridwall:open-settings', () => {
      openSettings();
      return null;
    })
    .on('gridwall:log', (record, window) => log.write(record.level, `page ${window.key}: ${record.message}`))
    .on('gridwall:ready', (_payload, window) => manager.markReady(window.key));

  app
    .whenReady()
    .then(() => {
      const loaded = store.load();
      for (const problem of [...loaded.problems, ...overrideProblems]) log.warn(problem);
      if (store.view().credentialProtection !== 'os') {
        log.warn('device credential protection is not the OS keychain', {
          protection: store.view().credentialProtection,
        });
      }
      refreshPolicy();

      const ses = session.defaultSession;
      ses.setPermissionRequestHandler((contents, permission, callback, details) => {
        const allowed = permissionAllowed(lookup(contents.id)?.role, permission, details.requestingUrl, policy);
        if (!allowed) log.warn('permission refused', { permission, url: details.requestingUrl });
        callback(allowed);
      });
      ses.setPermissionCheckHandler((contents, permission, origin, details) =>
        contents
          ? permissionAllowed(lookup(contents.id)?.role, permission, details.requestingUrl ?? origin, policy)
          : false,
      );
      ses.setDevicePermissionHandler(() => false);
      ses.webRequest.onBeforeRequest((details, callback) => {
        const allowed = requestAllowed(details.url, policy, settings.extraOrigins);
        if (!allowed) log.warn('request blocked', { url: details.url.slice(0, 300) });
        callback({ cancel: !allowed });
      });
      ses.webRequest.onHeadersReceived((details, callback) => {
        callback({
          responseHeaders: withCsp(details.url, details.resourceType, details.responseHeaders ?? {}, csp, policy),
        });
      });

      router.attach(ipcMain);
      replan('start');

      // Hot-plug: several events arrive for one change; re-plan once they settle.
      let settle: ReturnType<typeof setTimeout> | null = null;
      const onDisplays = (what: string) => {
        if (settle) clearTimeout(settle);
        settle = setTimeout(() => replan(what), 750);
      };
      screen.on('display-added', () => onDisplays('display added'));
      screen.on('display-removed', () => onDisplays('display removed'));
      screen.on('display-metrics-changed', () => onDisplays('display changed'));

      setInterval(() => {
        const change = cursorIdle?.observe(Date.now(), screen.getCursorScreenPoint());
        if (change) manager.setCursorHidden(change === 'hide');
      }, 1000);
    })
    .catch((error: unknown) => {
      log.error('start failed', { error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
      app.exit(1);
    });
};
