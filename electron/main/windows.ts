import type { IpcEventChannel, UiLanguage, WallStatus, WindowInfo, WindowRole } from '../../protocol/ipc';
import { HIDE_CURSOR_CSS, missingDisplaysCss } from './cursor';
import { EventOutbox, type KnownWindow } from './ipc';
import { messages } from './messages';
import { diffPlans } from './plan-diff';
import type { PlannedWindow, WallPlan } from './planner';
import { type HealthProbe, type Logger, RecoveryController, type Timers } from './recovery';
import { type OriginPolicy, urlAllowedFor } from './security';

/**
 * Keeps the app's windows in step with the current plan: opens, moves and closes them, gives each a
 * recovery controller and an event outbox, shows the missing-display banner and hides the cursor.
 * Electron is behind `ShellWindow`/`WindowFactory` (`electron-window.ts`), so this is tested with fakes.
 */

export type LocalPage = 'connecting' | 'settings';

/** What the manager needs of a BrowserWindow. */
export interface ShellWindow {
  readonly webContentsId: number;
  loadUrl(url: string): void;
  loadLocal(page: LocalPage, query: Record<string, string>): void;
  setBounds(bounds: PlannedWindow['bounds']): void;
  setKiosk(on: boolean): void;
  setAlwaysOnTop(on: boolean): void;
  insertCss(css: string): Promise<string>;
  removeCss(key: string): void;
  send(channel: IpcEventChannel, payload: unknown): void;
  /** Kill a hung renderer. */
  crashRenderer(): void;
  reload(): void;
  focus(): void;
  close(): void;
}

/** Events a window reports to the manager. */
export interface ShellWindowEvents {
  crashed(reason: string, exitCode: number): void;
  unresponsive(): void;
  responsive(): void;
  loadFailed(errorCode: number, description: string, url: string, isMainFrame: boolean): void;
  /** The main frame started loading another document: its events wait for `gridwall:ready` again. */
  navigating(url: string): void;
  /** A document finished loading (`did-finish-load`). */
  loaded(): void;
  /** The user or the OS closed it. */
  closed(): void;
}

export interface WindowFactory {
  create(spec: PlannedWindow, title: string, events: ShellWindowEvents): ShellWindow;
}

export interface WindowManagerOptions {
  factory: WindowFactory;
  probe: HealthProbe;
  timers: Timers;
  now: () => number;
  log: Logger;
  appVersion: string;
}

export interface ManagerContext {
  serverUrl: string;
  language: UiLanguage;
  policy: OriginPolicy;
}

interface Managed {
  spec: PlannedWindow;
  window: ShellWindow;
  recovery: RecoveryController;
  outbox: EventOutbox;
  /** Showing our local connecting page instead of the server's. */
  local: boolean;
  currentUrl: string;
  bannerKey: Promise<string> | null;
  cursorKey: Promise<string> | null;
}

export class WindowManager {
  private readonly windows = new Map<string, Managed>();
  private status: WallStatus = { layout: '', missingScreens: [], warnings: [] };
  private context: ManagerContext | null = null;
  private cursorHidden = false;

  constructor(private readonly options: WindowManagerOptions) {}

  /** Brings the windows in line with `plan`; returns what changed, for the log. */
  apply(plan: WallPlan, context: ManagerContext): { opened: string[]; closed: string[]; updated: string[] } {
    const serverChanged = this.context !== null && this.context.serverUrl !== context.serverUrl;
    this.context = context;
    const current = [...this.windows.values()].map((m) => m.spec);
    const diff = diffPlans(current, plan.windows);
    // A new server means new recovery targets (health URL); reopening is the simple, sure way.
    if (serverChanged) {
      diff.close = current.map((w) => w.key);
      diff.open = plan.windows;
      diff.update = [];
    }
    for (const key of diff.close) this.closeWindow(key);
    for (const { key, after } of diff.update) this.updateWindow(key, after);
    for (const spec of diff.open) this.openWindow(spec);
    this.setStatus(plan.status);
    return { opened: diff.open.map((w) => w.key), closed: diff.close, updated: diff.update.map((u) => u.key) };
  }

  /** The window behind an IPC sender, as IPC and the permission checks see it. */
  lookup(webContentsId: number): KnownWindow | undefined {
    const policy = this.context?.policy;
    if (!policy) return undefined;
    for (const m of this.windows.values()) {
      if (m.window.webContentsId !== webContentsId) continue;
      const role = this.roleOf(m);
      return { key: m.spec.key, role, urlAllowed: (url) => urlAllowedFor(role, url, policy) };
    }
    return undefined;
  }

  windowInfo(key: string): WindowInfo | null {
    const m = this.windows.get(key);
    if (!m || !this.context) return null;
    return {
      role: this.roleOf(m),
      screen: m.spec.screen,
      layout: this.status.layout,
      language: this.context.language,
      serverUrl: this.context.serverUrl,
      appVersion: this.options.appVersion,
      status: this.status,
    };
  }

  /** The page in window `key` said it listens. */
  markReady(key: string): void {
    this.windows.get(key)?.outbox.markReady();
  }

  keys(): string[] {
    return [...this.windows.keys()];
  }

  hasWallWindows(): boolean {
    return [...this.windows.values()].some((m) => m.spec.role === 'wall');
  }

  /** Focus the console, else the first wall window (a second launch of the app). */
  focusMain(): void {
    const target = this.windows.get('console') ?? [...this.windows.values()][0];
    target?.window.focus();
  }

  /** The cursor went idle or moved: hide or show it over every wall window that hides it. */
  setCursorHidden(hidden: boolean): void {
    if (hidden === this.cursorHidden) return;
    this.cursorHidden = hidden;
    for (const m of this.windows.values()) this.applyCursor(m);
  }

  /** The shortest idle time of the wall windows (0 when none hides the cursor). */
  cursorIdleMs(): number {
    const values = [...this.windows.values()].map((m) => m.spec.hideCursorAfterSeconds).filter((s) => s > 0);
    return values.length === 0 ? 0 : Math.min(...values) * 1000;
  }

  async softReloadWalls(): Promise<void> {
    await Promise.all(
      [...this.windows.values()].filter((m) => m.spec.role === 'wall').map((m) => m.recovery.softReload()),
    );
  }

  closeAll(): void {
    for (const key of [...this.windows.keys()]) this.closeWindow(key);
  }

  private roleOf(m: Managed): WindowRole {
    return m.local ? 'connecting' : m.spec.role;
  }

  private title(spec: PlannedWindow): string {
    const text = messages(this.context?.language ?? 'zh-CN');
    return spec.role === 'console' ? text.consoleTitle : text.wallTitle((spec.screen ?? 0) + 1);
  }

  private openWindow(spec: PlannedWindow): void {
    const { log } = this.options;
    // Filled in below; the events only fire once the window exists.
    let managed: Managed | undefined;
    const window = this.options.factory.create(spec, this.title(spec), {
      crashed: (reason, exitCode) => managed?.recovery.crashed(reason, exitCode),
      unresponsive: () => managed?.recovery.unresponsive(),
      responsive: () => managed?.recovery.responsive(),
      loadFailed: (code, description, url, isMainFrame) => {
        // -3 is ERR_ABORTED: a load replaced by another one, not a failure.
        if (!managed || !isMainFrame || code === -3) return;
        if (managed.local) {
          log.error('local page failed to load', { window: spec.key, code, description });
          return;
        }
        managed.recovery.loadFailed(code, description, url);
      },
      navigating: () => {
        if (!managed) return;
        managed.outbox.markNotReady();
        // Inserted CSS belongs to the old document.
        managed.bannerKey = null;
        managed.cursorKey = null;
      },
      loaded: () => this.pageLoaded(spec.key),
      closed: () => {
        if (!managed || this.windows.get(spec.key) !== managed) return;
        log.warn('window closed', { window: spec.key });
        managed.recovery.dispose();
        this.windows.delete(spec.key);
      },
    });
    const recovery = new RecoveryController(
      {
        key: spec.key,
        load: () => this.loadServerPage(spec.key),
        showWaiting: (reason) => this.showConnecting(spec.key, reason),
        kill: () => window.crashRenderer(),
      },
      {
        serverUrl: this.context!.serverUrl,
        probe: this.options.probe,
        timers: this.options.timers,
        now: this.options.now,
        log,
      },
    );
    managed = {
      spec,
      window,
      recovery,
      outbox: new EventOutbox((channel, payload) => window.send(channel, payload)),
      local: false,
      currentUrl: spec.url,
      bannerKey: null,
      cursorKey: null,
    };
    this.windows.set(spec.key, managed);
    log.info('window opened', { window: spec.key, bounds: spec.bounds, displays: spec.displayIds });
    this.loadServerPage(spec.key);
  }

  private loadServerPage(key: string): void {
    const m = this.windows.get(key);
    if (!m) return;
    m.local = false;
    m.currentUrl = m.spec.url;
    m.outbox.markNotReady();
    m.window.loadUrl(m.spec.url);
  }

  private showConnecting(key: string, reason: string): void {
    const m = this.windows.get(key);
    if (!m || !this.context) return;
    m.local = true;
    m.outbox.markNotReady();
    m.window.loadLocal('connecting', { server: this.context.serverUrl, reason, lang: this.context.language });
  }

  private updateWindow(key: string, spec: PlannedWindow): void {
    const m = this.windows.get(key);
    if (!m) return;
    const before = m.spec;
    m.spec = spec;
    if (before.kiosk && !spec.kiosk) m.window.setKiosk(false);
    m.window.setBounds(spec.bounds);
    if (!before.kiosk && spec.kiosk) m.window.setKiosk(true);
    if (before.alwaysOnTop !== spec.alwaysOnTop) m.window.setAlwaysOnTop(spec.alwaysOnTop);
    // A new URL (layout or language changed) is loaded unless the window is waiting for the server.
    if (before.url !== spec.url && !m.local && m.recovery.state === 'running') this.loadServerPage(key);
    this.applyCursor(m);
  }

  private closeWindow(key: string): void {
    const m = this.windows.get(key);
    if (!m) return;
    this.windows.delete(key);
    m.recovery.dispose();
    m.window.close();
    this.options.log.info('window closed by plan', { window: key });
  }

  private setStatus(status: WallStatus): void {
    this.status = status;
    for (const m of this.windows.values()) {
      if (m.spec.role !== 'wall') continue;
      m.outbox.send('gridwall:wall-status', status);
      this.applyBanner(m);
    }
  }

  /** A page has loaded: inserted CSS is per document, so the banner and cursor go in again. */
  private pageLoaded(key: string): void {
    const m = this.windows.get(key);
    if (!m || m.local || m.spec.role !== 'wall') return;
    this.applyBanner(m);
    this.applyCursor(m);
  }

  private applyBanner(m: Managed): void {
    const css = missingDisplaysCss(this.status, messages(this.context?.language ?? 'zh-CN'));
    const previous = m.bannerKey;
    m.bannerKey = null;
    if (previous) void previous.then((k) => m.window.removeCss(k)).catch(() => {});
    if (css && !m.local) m.bannerKey = m.window.insertCss(css);
  }

  private applyCursor(m: Managed): void {
    const hide = this.cursorHidden && m.spec.role === 'wall' && m.spec.hideCursorAfterSeconds > 0 && !m.local;
    if (hide && !m.cursorKey) m.cursorKey = m.window.insertCss(HIDE_CURSOR_CSS);
    else if (!hide && m.cursorKey) {
      const key = m.cursorKey;
      m.cursorKey = null;
      void key.then((k) => m.window.removeCss(k)).catch(() => {});
    }
  }
}
