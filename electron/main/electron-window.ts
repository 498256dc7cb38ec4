import { join } from 'node:path';
import { BrowserWindow, type Input } from 'electron';
import type { PlannedWindow } from './planner';
import type { LocalPage, ShellWindow, ShellWindowEvents, WindowFactory } from './windows';

/**
 * The only place that makes BrowserWindows. Every window gets the same locked-down web preferences,
 * written out here (not spread from a constant) so that a reader and the static check see them.
 */

export type ShortcutAction = 'settings' | 'reload' | 'quit';

/** Ctrl+Alt+S settings, Ctrl+Alt+R reload, Ctrl+Alt+Q quit: a kiosk wall has no other way out. */
export const shortcutFor = (input: Pick<Input, 'type' | 'control' | 'alt' | 'meta' | 'key'>): ShortcutAction | null => {
  if (input.type !== 'keyDown' || !(input.control || input.meta) || !input.alt) return null;
  switch (input.key.toLowerCase()) {
    case 's':
      return 'settings';
    case 'r':
      return 'reload';
    case 'q':
      return 'quit';
    default:
      return null;
  }
};

export interface ElectronWindowOptions {
  preloadPath: string;
  pagesDir: string;
  onShortcut(action: ShortcutAction, window: BrowserWindow): void;
}

export const createBrowserWindow = (
  bounds: PlannedWindow['bounds'],
  title: string,
  look: { frameless: boolean; wall: boolean },
  options: ElectronWindowOptions,
): BrowserWindow => {
  const window = new BrowserWindow({
    ...bounds,
    title,
    show: false,
    frame: !look.frameless,
    // Wall windows are not in the task bar and cannot be resized by accident.
    skipTaskbar: look.wall,
    resizable: !look.wall,
    autoHideMenuBar: true,
    backgroundColor: '#05080f',
    webPreferences: {
      preload: options.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      // Middle-click would open links in new windows, bypassing the window.open policy's intent.
      disableBlinkFeatures: 'Auxclick',
      // A wall is never focused, and must keep animating and receiving data all the same.
      backgroundThrottling: !look.wall,
      // Camera clips on the wall play muted without a click.
      autoplayPolicy: look.wall ? 'no-user-gesture-required' : 'user-gesture-required',
    },
  });
  window.webContents.on('before-input-event', (event, input) => {
    const action = shortcutFor(input);
    if (!action) return;
    event.preventDefault();
    options.onShortcut(action, window);
  });
  return window;
};

export const loadLocalPage = (
  window: BrowserWindow,
  pagesDir: string,
  page: LocalPage,
  query: Record<string, string>,
): void => {
  void window.loadFile(join(pagesDir, `${page}.html`), { query }).catch(() => {
    // Reported through did-fail-load.
  });
};

export const electronWindowFactory = (options: ElectronWindowOptions): WindowFactory => ({
  create(spec: PlannedWindow, title: string, events: ShellWindowEvents): ShellWindow {
    const wall = spec.role === 'wall';
    const window = createBrowserWindow(spec.bounds, title, { frameless: spec.frameless, wall }, options);
    const contents = window.webContents;

    window.once('ready-to-show', () => {
      // Kiosk after placing: made kiosk at creation, Linux puts the window on the primary display.
      window.setBounds(spec.bounds);
      if (spec.kiosk) window.setKiosk(true);
      if (spec.alwaysOnTop) window.setAlwaysOnTop(true, 'floating');
      if (wall) window.showInactive();
      else window.show();
    });
    contents.on('render-process-gone', (_e, details) => events.crashed(details.reason, details.exitCode));
    contents.on('unresponsive', () => events.unresponsive());
    contents.on('responsive', () => events.responsive());
    contents.on('did-fail-load', (_e, code, description, url, isMainFrame) =>
      events.loadFailed(code, description, url, isMainFrame),
    );
    contents.on('did-start-navigation', (details) => {
      if (details.isMainFrame && !details.isSameDocument) events.navigating(details.url);
    });
    contents.on('did-finish-load', () => events.loaded());
    window.on('closed', () => events.closed());

    const alive = (): boolean => !window.isDestroyed() && !contents.isDestroyed();
    return {
      webContentsId: contents.id,
      loadUrl: (url) => {
        if (alive()) void contents.loadURL(url).catch(() => {});
      },
      loadLocal: (page, query) => {
        if (alive()) loadLocalPage(window, options.pagesDir, page, query);
      },
      setBounds: (bounds) => {
        if (alive()) window.setBounds(bounds);
      },
      setKiosk: (on) => {
        if (alive()) window.setKiosk(on);
      },
      setAlwaysOnTop: (on) => {
        if (alive()) window.setAlwaysOnTop(on, 'floating');
      },
      insertCss: (css) =>
        alive() ? contents.insertCSS(css, { cssOrigin: 'user' }) : Promise.reject(new Error('gone')),
      removeCss: (key) => {
        if (alive()) void contents.removeInsertedCSS(key).catch(() => {});
      },
      send: (channel, payload) => {
        if (alive()) contents.send(channel, payload);
      },
      crashRenderer: () => {
        if (alive()) contents.forcefullyCrashRenderer();
      },
      reload: () => {
        if (alive()) contents.reload();
      },
      focus: () => {
        if (!alive()) return;
        if (window.isMinimized()) window.restore();
        window.focus();
      },
      close: () => {
        if (alive()) window.destroy();
      },
    };
  },
});
