import { EventEmitter } from 'node:events';

/**
 * A stand-in for the parts of Electron that the shell's main process touches, for unit tests
 * (`vi.mock('electron', () => import('../../test/electron/mocks/electron'))`), after electron/fiddle's
 * tests/mocks. It records what was done so tests can assert on it, and lets tests play the OS
 * (displays, IPC senders). Vitest keeps one instance of a mocked module, so tests call
 * `resetElectronMock()` before each start of the app.
 */

let nextId = 1;

export interface RectLike {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface DisplayLike {
  id: number;
  label: string;
  bounds: RectLike;
  workArea: RectLike;
  scaleFactor: number;
  rotation: number;
}

export class WebContentsMock extends EventEmitter {
  readonly id = nextId++;
  readonly loaded: string[] = [];
  readonly sent: Array<[string, unknown]> = [];
  readonly css: string[] = [];
  destroyed = false;
  windowOpenHandler: ((details: { url: string }) => { action: string }) | null = null;
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  insertCSS(css: string): Promise<string> {
    this.css.push(css);
    return Promise.resolve(`css-${this.css.length}`);
  }
  removeInsertedCSS(): Promise<void> {
    return Promise.resolve();
  }
  forcefullyCrashRenderer(): void {}
  reload(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.windowOpenHandler = handler;
  }
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new WebContentsMock();
  readonly calls: string[] = [];
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(file: string, options?: { query?: Record<string, string> }): Promise<void> {
    this.calls.push(`loadFile ${file} ${JSON.stringify(options?.query ?? {})}`);
    return Promise.resolve();
  }
  setBounds(b: RectLike): void {
    this.calls.push(`setBounds ${b.x},${b.y},${b.width},${b.height}`);
  }
  setKiosk(on: boolean): void {
    this.calls.push(`setKiosk ${on}`);
  }
  setAlwaysOnTop(on: boolean, level?: string): void {
    this.calls.push(`setAlwaysOnTop ${on} ${level ?? ''}`.trim());
  }
  show(): void {
    this.calls.push('show');
  }
  showInactive(): void {
    this.calls.push('showInactive');
  }
  focus(): void {
    this.calls.push('focus');
  }
  isMinimized(): boolean {
    return false;
  }
  restore(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
    this.webContents.destroyed = true;
    this.emit('closed');
  }
  static fromWebContents(contents: WebContentsMock): BrowserWindow | null {
    return BrowserWindow.created.find((w) => w.webContents === contents) ?? null;
  }
}

class AppMock extends EventEmitter {
  readonly paths = new Map<string, string>();
  singleInstance = true;
  quitCalls = 0;
  private ready!: () => void;
  private readyPromise!: Promise<void>;
  isPackaged = false;
  appPath = process.cwd();
  constructor() {
    super();
    this.reset();
  }
  reset(): void {
    this.removeAllListeners();
    this.paths.clear();
    this.singleInstance = true;
    this.quitCalls = 0;
    this.readyPromise = new Promise<void>((resolve) => {
      this.ready = resolve;
    });
  }
  requestSingleInstanceLock(): boolean {
    return this.singleInstance;
  }
  getPath(name: string): string {
    const path = this.paths.get(name);
    if (!path) throw new Error(`no path ${name} in the electron mock`);
    return path;
  }
  setPath(name: string, path: string): void {
    this.paths.set(name, path);
  }
  getVersion(): string {
    return '0.1.0';
  }
  getAppPath(): string {
    return this.appPath;
  }
  whenReady(): Promise<void> {
    return this.readyPromise;
  }
  /** Tests: the app is ready. */
  becomeReady(): void {
    this.ready();
  }
  quit(): void {
    this.quitCalls += 1;
  }
  exit(): void {
    this.quitCalls += 1;
  }
}
export const app = new AppMock();

export const Menu = { setApplicationMenu: (_menu: unknown): void => {} };

class ScreenMock extends EventEmitter {
  displays: DisplayLike[] = [];
  primaryId = 0;
  cursor = { x: 0, y: 0 };
  getAllDisplays(): DisplayLike[] {
    return this.displays;
  }
  getPrimaryDisplay(): DisplayLike {
    return this.displays.find((d) => d.id === this.primaryId) ?? this.displays[0]!;
  }
  getCursorScreenPoint(): { x: number; y: number } {
    return this.cursor;
  }
}
export const screen = new ScreenMock();

type Handler = (...args: never[]) => unknown;

interface MockCookie {
  url: string;
  name: string;
  value?: string;
  httpOnly?: boolean;
  sameSite?: string;
}

export const session = {
  defaultSession: {
    handlers: {} as Record<string, Handler>,
    cookies: {
      jar: [] as MockCookie[],
      async set(cookie: MockCookie) {
        this.jar = [...this.jar.filter((c) => c.url !== cookie.url || c.name !== cookie.name), cookie];
      },
      async remove(url: string, name: string) {
        this.jar = this.jar.filter((c) => c.url !== url || c.name !== name);
      },
    },
    setPermissionRequestHandler(fn: Handler) {
      this.handlers.permissionRequest = fn;
    },
    setPermissionCheckHandler(fn: Handler) {
      this.handlers.permissionCheck = fn;
    },
    setDevicePermissionHandler(fn: Handler) {
      this.handlers.devicePermission = fn;
    },
    webRequest: {
      handlers: {} as Record<string, Handler>,
      onBeforeRequest(fn: Handler) {
        this.handlers.beforeRequest = fn;
      },
      onHeadersReceived(fn: Handler) {
        this.handlers.headersReceived = fn;
      },
    },
  },
};

type IpcListener = (event: unknown, ...args: unknown[]) => unknown;
export const ipcMain = {
  handlers: new Map<string, IpcListener>(),
  listeners: new Map<string, IpcListener>(),
  handle(channel: string, listener: IpcListener) {
    this.handlers.set(channel, listener);
  },
  on(channel: string, listener: IpcListener) {
    this.listeners.set(channel, listener);
  },
  removeHandler(channel: string) {
    this.handlers.delete(channel);
  },
  removeAllListeners(channel: string) {
    this.listeners.delete(channel);
  },
};

export const powerSaveBlocker = {
  active: new Set<number>(),
  next: 1,
  start(_type: string): number {
    const id = this.next++;
    this.active.add(id);
    return id;
  },
  stop(id: number): void {
    this.active.delete(id);
  },
};

export const safeStorage = {
  isEncryptionAvailable: () => true,
  encryptString: (plain: string) => Buffer.from(`enc:${plain}`),
  decryptString: (data: Buffer) => data.toString().replace(/^enc:/, ''),
  getSelectedStorageBackend: () => 'gnome_libsecret',
};

/** Back to a fresh Electron: no windows, listeners, handlers or paths. */
export const resetElectronMock = (): void => {
  BrowserWindow.created.length = 0;
  app.reset();
  screen.removeAllListeners();
  screen.displays = [];
  screen.primaryId = 0;
  screen.cursor = { x: 0, y: 0 };
  session.defaultSession.handlers = {};
  session.defaultSession.cookies.jar = [];
  session.defaultSession.webRequest.handlers = {};
  ipcMain.handlers.clear();
  ipcMain.listeners.clear();
  powerSaveBlocker.active.clear();
};
