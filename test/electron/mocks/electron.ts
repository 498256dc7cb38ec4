import { EventEmitter } from 'node:events';

/**
 * A stand-in for the parts of Electron that the shell's main process touches, for unit tests
 * (`vi.mock('electron', () => import('../../test/electron/mocks/electron'))`), after electron/fiddle's
 * tests/mocks. Records what was done so tests can assert on it.
 */

let nextId = 1;

export class WebContentsMock extends EventEmitter {
  readonly id = nextId++;
  readonly loaded: string[] = [];
  readonly sent: Array<[string, unknown]> = [];
  destroyed = false;
  loadURL(url: string): Promise<void> {
    this.loaded.push(url);
    return Promise.resolve();
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  insertCSS(): Promise<string> {
    return Promise.resolve('css-key');
  }
  removeInsertedCSS(): Promise<void> {
    return Promise.resolve();
  }
  forcefullyCrashRenderer(): void {}
  reload(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(): void {}
}

export class BrowserWindow extends EventEmitter {
  static readonly created: BrowserWindow[] = [];
  readonly webContents = new WebContentsMock();
  readonly calls: string[] = [];
  destroyed = false;
  constructor(readonly options: Record<string, unknown>) {
    super();
    BrowserWindow.created.push(this);
  }
  loadFile(file: string, options?: { query?: Record<string, string> }): Promise<void> {
    this.calls.push(`loadFile ${file} ${JSON.stringify(options?.query ?? {})}`);
    return Promise.resolve();
  }
  setBounds(b: { x: number; y: number; width: number; height: number }): void {
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
