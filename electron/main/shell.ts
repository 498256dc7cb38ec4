import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  app,
  type BrowserWindow,
  type Display,
  powerSaveBlocker,
  safeStorage,
  screen,
  session,
  type WebContents,
} from 'electron';
import type { DisplaySummary, ShellSettings, WindowInfo } from '../../protocol/ipc';
import { sessionCookieName } from '../../protocol/sessionCookie';
import { CursorIdle } from './cursor';
import type { DisplayInfo, Rotation } from './display-grid';
import { createBrowserWindow, electronWindowFactory, loadLocalPage, type ShortcutAction } from './electron-window';
import { IpcRouter, type KnownWindow } from './ipc';
import { loadWallPlanInput } from './layout-input';
import type { RotatingLog } from './log';
import { messages } from './messages';
import { type PlanMemory, planWindows } from './planner';
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
 * The shell wired to Electron (app.ts runs it in steps). Kept thin on purpose: what can be decided
 * without Electron is decided (and tested) in planner, ipc, recovery, security, settings and windows.
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

/** The shell's state while it runs: settings, the origin policy, the windows, the power block. */
export class Shell {
  private readonly store: SettingsStore;
  private readonly overrides: ReturnType<typeof readOverrides>['overrides'];
  readonly overrideProblems: string[];
  private settings: ShellSettings;
  private policy: OriginPolicy = { serverOrigin: '', localPagesUrl: `${pathToFileURL(PAGES_DIR).href}/` };
  private csp = '';
  private memory: PlanMemory | undefined;
  private settingsWindow: BrowserWindow | null = null;
  private powerBlock: number | null = null;
  private cursorIdle: CursorIdle | null = null;
  private softReload: { cancel(): void } | null = null;
  private readonly manager: WindowManager;

  constructor(private readonly log: RotatingLog) {
    this.store = new SettingsStore(
      join(app.getPath('userData'), 'settings.json'),
      safeStorageBox(safeStorage, process.platform),
    );
    const { overrides, problems } = readOverrides(process.argv, process.env);
    this.overrides = overrides;
    this.overrideProblems = problems;
    this.settings = this.store.current();
    this.manager = new WindowManager({
      factory: electronWindowFactory({ preloadPath: PRELOAD, pagesDir: PAGES_DIR, onShortcut: this.onShortcut }),
      probe: fetchJson,
      timers,
      now: Date.now,
      log,
      appVersion: app.getVersion(),
    });
  }

  private refreshPolicy(): void {
    this.settings = applyOverrides(this.store.current(), this.overrides);
    this.policy = { ...this.policy, serverOrigin: httpOrigin(this.settings.serverUrl) ?? '' };
    this.csp = buildCsp(this.policy.serverOrigin, this.settings.extraOrigins);
  }

  private readonly onShortcut = (action: ShortcutAction, window: BrowserWindow) => {
    this.log.info('shortcut', { action });
    if (action === 'settings') this.openSettings();
    else if (action === 'reload') window.webContents.reload();
    else app.quit();
  };

  /** The window behind a sender: the settings window, or one of the manager's. */
  private readonly lookup = (webContentsId: number): KnownWindow | undefined => {
    const settingsWindow = this.settingsWindow;
    if (settingsWindow && !settingsWindow.isDestroyed() && settingsWindow.webContents.id === webContentsId) {
      return { key: 'settings', role: 'settings', urlAllowed: (url) => isLocalPage(url, this.policy) };
    }
    return this.manager.lookup(webContentsId);
  };

  private openSettings(): void {
    if (this.settingsWindow && !this.settingsWindow.isDestroyed()) {
      this.settingsWindow.focus();
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
      messages(this.settings.language).settingsTitle,
      { frameless: false, wall: false },
      {
        preloadPath: PRELOAD,
        pagesDir: PAGES_DIR,
        onShortcut: this.onShortcut,
      },
    );
    // Above the wall windows, which float.
    window.setAlwaysOnTop(true, 'screen-saver');
    window.once('ready-to-show', () => window.show());
    window.on('closed', () => {
      this.settingsWindow = null;
    });
    this.settingsWindow = window;
    loadLocalPage(window, PAGES_DIR, 'settings', { lang: this.settings.language });
  }

  private updatePowerBlock(): void {
    const need = this.manager.hasWallWindows();
    if (need && this.powerBlock === null) {
      this.powerBlock = powerSaveBlocker.start('prevent-display-sleep');
      this.log.info('display sleep blocked');
    } else if (!need && this.powerBlock !== null) {
      powerSaveBlocker.stop(this.powerBlock);
      this.powerBlock = null;
      this.log.info('display sleep allowed');
    }
  }

  /** Plans the windows for the displays and settings now, and applies the plan. */
  replan(why: string): void {
    this.refreshPolicy();
    const settings = this.settings;
    const primaryId = screen.getPrimaryDisplay().id;
    const displays = screen.getAllDisplays().map((d) => toDisplayInfo(d, primaryId));
    const { input, problem } = loadWallPlanInput(settings.layout, layoutDirs(), { readText });
    if (problem) this.log.warn(problem);
    const plan = planWindows(
      displays,
      input,
      {
        serverUrl: settings.serverUrl,
        language: settings.language,
        consoleDisplay: settings.consoleDisplay,
        wall: settings.wall,
      },
      this.memory,
    );
    this.memory = plan.memory;
    const changes = this.manager.apply(plan, {
      serverUrl: settings.serverUrl,
      language: settings.language,
      policy: this.policy,
    });
    this.log.info('plan applied', { why, displays: displays.length, ...changes, missing: plan.status.missingScreens });
    for (const warning of plan.status.warnings) this.log.warn(`plan: ${warning.code}`, { ...warning });
    this.updatePowerBlock();
    const idleMs = this.manager.cursorIdleMs();
    this.cursorIdle = idleMs > 0 ? new CursorIdle(idleMs) : null;
    this.softReload?.cancel();
    this.softReload = scheduleDaily(settings.softReloadAt, () => void this.manager.softReloadWalls(), timers, Date.now);
  }

  /** No pop-ups, no webviews, no navigation off a window's own pages. */
  private harden(contents: WebContents): void {
    contents.setWindowOpenHandler(({ url }) => {
      this.log.warn('window.open refused', { url });
      return { action: 'deny' };
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
    const guard = (event: { preventDefault(): void }, url: string) => {
      const role = this.lookup(contents.id)?.role;
      if (role && navigationAllowed(role, url, this.policy)) return;
      event.preventDefault();
      this.log.warn('navigation refused', { url, role: role ?? 'unknown' });
    };
    contents.on('will-navigate', guard);
    contents.on('will-redirect', guard);
  }

  /** Every new page hardened; a second launch focuses this one; quitting lets the displays sleep. */
  watchApp(): void {
    app.on('web-contents-created', (_event, contents) => this.harden(contents));
    app.on('second-instance', () => {
      this.log.info('second launch: focusing the running app');
      this.manager.focusMain();
    });
    app.on('window-all-closed', () => app.quit());
    app.on('before-quit', () => {
      this.softReload?.cancel();
      if (this.powerBlock !== null) powerSaveBlocker.stop(this.powerBlock);
      this.log.info('GridWall shell quitting');
    });
  }

  /** The pages' typed IPC, each message checked against its sender. */
  ipcRouter(): IpcRouter {
    const { log, manager, store } = this;
    return new IpcRouter(this.lookup, (channel, reason, detail) => log.warn('ipc refused', { channel, reason, detail }))
      .handle('gridwall:window-info', (_payload, window): WindowInfo => {
        const info = manager.windowInfo(window.key);
        if (info) return info;
        const settings = this.settings;
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
      .handle('gridwall:settings-get', () => store.view())
      .handle('gridwall:settings-save', (patch) => {
        const result = store.save(patch);
        if (result.ok) {
          log.info('settings saved', { fields: Object.keys(patch) });
          // The pages reload after the new credential is in the cookie, so they find it there.
          void this.syncCredentialCookie().then(() => this.replan('settings changed'));
        }
        return result;
      })
      .handle('gridwall:displays', () => {
        const primaryId = screen.getPrimaryDisplay().id;
        return screen.getAllDisplays().map((d) => toSummary(toDisplayInfo(d, primaryId)));
      })
      .handle('gridwall:open-settings', () => {
        this.openSettings();
        return null;
      })
      .on('gridwall:log', (record, window) => log.write(record.level, `page ${window.key}: ${record.message}`))
      .on('gridwall:ready', (_payload, window) => manager.markReady(window.key));
  }

  /** Settings from disk (and what is wrong with them), then the origin policy from them. */
  loadSettings(): void {
    const { log, store } = this;
    const loaded = store.load();
    for (const problem of [...loaded.problems, ...this.overrideProblems]) log.warn(problem);
    if (store.view().credentialProtection !== 'os') {
      log.warn('device credential protection is not the OS keychain', {
        protection: store.view().credentialProtection,
      });
    }
    this.refreshPolicy();
  }

  /**
   * The device credential goes to the pages as an HttpOnly cookie for the server (the name the
   * server reads for its host), never through the bridge: no script on a page can read it, and
   * HTTP and the stream send it by themselves. Without a credential the cookie is removed.
   */
  async syncCredentialCookie(): Promise<void> {
    this.refreshPolicy();
    const url = this.settings.serverUrl;
    let host: string;
    try {
      host = new URL(url).host;
    } catch {
      return;
    }
    const name = sessionCookieName(host);
    const token = this.store.deviceToken();
    const cookies = session.defaultSession.cookies;
    try {
      if (token) {
        await cookies.set({
          url,
          name,
          value: token,
          path: '/',
          httpOnly: true,
          secure: url.startsWith('https:'),
          sameSite: 'strict',
          expirationDate: Math.floor(Date.now() / 1000) + 400 * 86_400,
        });
      } else {
        await cookies.remove(url, name);
      }
    } catch (error) {
      this.log.warn('device credential cookie not set', {
        error: error instanceof Error ? error.message : String(error),
      });
    }
  }

  /** Permissions, devices, requests and the CSP, by the window's role and the origin policy. */
  police(): void {
    const { log, lookup } = this;
    const ses = session.defaultSession;
    ses.setPermissionRequestHandler((contents, permission, callback, details) => {
      const allowed = permissionAllowed(lookup(contents.id)?.role, permission, details.requestingUrl, this.policy);
      if (!allowed) log.warn('permission refused', { permission, url: details.requestingUrl });
      callback(allowed);
    });
    ses.setPermissionCheckHandler((contents, permission, origin, details) =>
      contents
        ? permissionAllowed(lookup(contents.id)?.role, permission, details.requestingUrl ?? origin, this.policy)
        : false,
    );
    ses.setDevicePermissionHandler(() => false);
    ses.webRequest.onBeforeRequest((details, callback) => {
      const allowed = requestAllowed(details.url, this.policy, this.settings.extraOrigins);
      if (!allowed) log.warn('request blocked', { url: details.url.slice(0, 300) });
      callback({ cancel: !allowed });
    });
    ses.webRequest.onHeadersReceived((details, callback) => {
      callback({
        responseHeaders: withCsp(
          details.url,
          details.resourceType,
          details.responseHeaders ?? {},
          this.csp,
          this.policy,
        ),
      });
    });
  }

  /** Hot-plug: several events arrive for one change; re-plan once they settle. */
  watchDisplays(): void {
    let settle: ReturnType<typeof setTimeout> | null = null;
    const onDisplays = (what: string) => {
      if (settle) clearTimeout(settle);
      settle = setTimeout(() => this.replan(what), 750);
    };
    screen.on('display-added', () => onDisplays('display added'));
    screen.on('display-removed', () => onDisplays('display removed'));
    screen.on('display-metrics-changed', () => onDisplays('display changed'));
  }

  /** The cursor hides over the walls after it rests. */
  watchCursor(): void {
    setInterval(() => {
      const change = this.cursorIdle?.observe(Date.now(), screen.getCursorScreenPoint());
      if (change) this.manager.setCursorHidden(change === 'hide');
    }, 1000);
  }
}

const layoutDirs = () =>
  [
    app.isPackaged ? join(process.resourcesPath, 'resources', 'layouts') : null,
    join(app.getAppPath(), 'resources', 'layouts'),
  ].filter((d): d is string => d !== null);

const readText = (path: string): string | null => (existsSync(path) ? readFileSync(path, 'utf8') : null);
