import { z } from 'zod';
import { LayoutLanguage, LayoutName } from './layout';

/**
 * The contract between Electron's main process and the pages in its windows (through the preload
 * bridge). Main validates every message against these schemas and checks which window sent it; the
 * preload and the pages derive their types from here, so there is no second hand-written copy.
 */

/** The shell's UI language: the same choice a layout or the wall URL makes. */
export const UiLanguage = LayoutLanguage;
export type UiLanguage = z.infer<typeof UiLanguage>;

/** What a window of the shell is for; decides which channels it may use. */
export const WindowRole = z.enum(['wall', 'console', 'settings', 'connecting']);
export type WindowRole = z.infer<typeof WindowRole>;

/**
 * Where the console window goes: `auto` picks a display the wall does not use (the primary first),
 * `off` opens none (a wall-only machine), a number is the id of the display reserved for it.
 */
export const ConsoleDisplay = z.union([z.literal('auto'), z.literal('off'), z.number().int()]);
export type ConsoleDisplay = z.infer<typeof ConsoleDisplay>;

export const WallWindowOptions = z.object({
  /** Kiosk windows cover their display and cannot be left with the keyboard's usual shortcuts. */
  kiosk: z.boolean(),
  alwaysOnTop: z.boolean(),
  /** Hide the mouse cursor over wall windows after this many idle seconds; 0 never hides it. */
  hideCursorAfterSeconds: z.number().int().min(0).max(3600),
});
export type WallWindowOptions = z.infer<typeof WallWindowOptions>;

const HttpUrl = z.url({ protocol: /^https?$/ }).max(2048);

/** The shell's settings as a settings page may see and edit them; the device credential is apart. */
export const ShellSettings = z.object({
  serverUrl: HttpUrl,
  /** A layout name, as in `resources/layouts/<name>.json`. */
  layout: LayoutName,
  language: UiLanguage,
  consoleDisplay: ConsoleDisplay,
  wall: WallWindowOptions,
  /** Local time "HH:MM" of a daily soft reload of the wall windows (a quiet hour), or null for none. */
  softReloadAt: z
    .string()
    .regex(/^([01]\d|2[0-3]):[0-5]\d$/)
    .nullable(),
  /** Origins besides the server that pages may fetch from (an operator's own tile server). */
  extraOrigins: z.array(HttpUrl).max(8),
});
export type ShellSettings = z.infer<typeof ShellSettings>;

/** How well the stored device credential is protected by the OS. */
export const CredentialProtection = z.enum(['os', 'weak', 'unavailable']);
export type CredentialProtection = z.infer<typeof CredentialProtection>;

export const ShellSettingsView = ShellSettings.extend({
  hasDeviceToken: z.boolean(),
  credentialProtection: CredentialProtection,
});
export type ShellSettingsView = z.infer<typeof ShellSettingsView>;

export const SettingsSaveRequest = ShellSettings.partial().extend({
  /** A new device credential; null removes the stored one; absent keeps it. */
  deviceToken: z.string().trim().min(1).max(4096).nullable().optional(),
});
export type SettingsSaveRequest = z.infer<typeof SettingsSaveRequest>;

export const SettingsSaveResult = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), settings: ShellSettingsView }),
  z.object({ ok: z.literal(false), error: z.string() }),
]);
export type SettingsSaveResult = z.infer<typeof SettingsSaveResult>;

export const ShellRect = z.object({ x: z.number(), y: z.number(), width: z.number(), height: z.number() });
export type ShellRect = z.infer<typeof ShellRect>;

export const DisplaySummary = z.object({
  id: z.number().int(),
  label: z.string(),
  bounds: ShellRect,
  scaleFactor: z.number().positive(),
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  primary: z.boolean(),
});
export type DisplaySummary = z.infer<typeof DisplaySummary>;

/** What goes wrong with a wall plan; the wall windows show these, the log records them. */
export const WallWarning = z.object({
  code: z.enum(['display-missing', 'console-display-missing', 'span-mixed-scale', 'span-incomplete', 'extra-displays']),
  /** Layout screen index concerned, when there is one. */
  screen: z.number().int().nullable(),
  detail: z.string(),
});
export type WallWarning = z.infer<typeof WallWarning>;

export const WallStatus = z.object({
  layout: z.string(),
  /** Screens of the layout that have no display now: shown on the screens that are still there. */
  missingScreens: z.array(z.number().int()),
  warnings: z.array(WallWarning),
});
export type WallStatus = z.infer<typeof WallStatus>;

export const WindowInfo = z.object({
  role: WindowRole,
  /** The layout screen index a wall window shows; null for other windows. */
  screen: z.number().int().nullable(),
  layout: z.string(),
  language: UiLanguage,
  serverUrl: HttpUrl,
  appVersion: z.string(),
  status: WallStatus,
});
export type WindowInfo = z.infer<typeof WindowInfo>;

export const LogRecord = z.object({
  level: z.enum(['info', 'warn', 'error']),
  message: z.string().max(2000),
});
export type LogRecord = z.infer<typeof LogRecord>;

const NoPayload = z.undefined();

/** Request/response channels (`ipcRenderer.invoke`), with the window roles allowed to use each. */
export const IPC_INVOKE_CHANNELS = [
  'gridwall:window-info',
  'gridwall:settings-get',
  'gridwall:settings-save',
  'gridwall:displays',
  'gridwall:open-settings',
] as const;
export type IpcInvokeChannel = (typeof IPC_INVOKE_CHANNELS)[number];

/** One-way messages from a page to main (`ipcRenderer.send`). */
export const IPC_SEND_CHANNELS = ['gridwall:log', 'gridwall:ready'] as const;
export type IpcSendChannel = (typeof IPC_SEND_CHANNELS)[number];

/** Messages from main to a page (`webContents.send`). */
export const IPC_EVENT_CHANNELS = ['gridwall:wall-status'] as const;
export type IpcEventChannel = (typeof IPC_EVENT_CHANNELS)[number];

const ALL_ROLES: readonly WindowRole[] = WindowRole.options;

export const IpcInvokeContract = {
  'gridwall:window-info': { request: NoPayload, response: WindowInfo, roles: ALL_ROLES },
  'gridwall:settings-get': { request: NoPayload, response: ShellSettingsView, roles: ['settings', 'console'] },
  'gridwall:settings-save': { request: SettingsSaveRequest, response: SettingsSaveResult, roles: ['settings'] },
  'gridwall:displays': { request: NoPayload, response: z.array(DisplaySummary), roles: ['settings', 'console'] },
  'gridwall:open-settings': { request: NoPayload, response: z.null(), roles: ['console', 'connecting'] },
} as const satisfies Record<
  IpcInvokeChannel,
  { request: z.ZodType; response: z.ZodType; roles: readonly WindowRole[] }
>;

export const IpcSendContract = {
  'gridwall:log': { payload: LogRecord, roles: ALL_ROLES },
  /** The page is listening: main holds its events for a window until then. */
  'gridwall:ready': { payload: NoPayload, roles: ALL_ROLES },
} as const satisfies Record<IpcSendChannel, { payload: z.ZodType; roles: readonly WindowRole[] }>;

export const IpcEventContract = {
  'gridwall:wall-status': { payload: WallStatus },
} as const satisfies Record<IpcEventChannel, { payload: z.ZodType }>;

export type IpcInvokeRequest<C extends IpcInvokeChannel> = z.input<(typeof IpcInvokeContract)[C]['request']>;
export type IpcInvokeResponse<C extends IpcInvokeChannel> = z.infer<(typeof IpcInvokeContract)[C]['response']>;
export type IpcSendPayload<C extends IpcSendChannel> = z.input<(typeof IpcSendContract)[C]['payload']>;
export type IpcEventPayload<C extends IpcEventChannel> = z.infer<(typeof IpcEventContract)[C]['payload']>;

export const isIpcInvokeChannel = (name: string): name is IpcInvokeChannel =>
  (IPC_INVOKE_CHANNELS as readonly string[]).includes(name);
export const isIpcSendChannel = (name: string): name is IpcSendChannel =>
  (IPC_SEND_CHANNELS as readonly string[]).includes(name);

/** The bridge a page finds at `window.gridwall` inside the Electron shell (absent in browser mode). */
export interface GridwallBridge {
  readonly isElectron: true;
  windowInfo(): Promise<WindowInfo>;
  getSettings(): Promise<ShellSettingsView>;
  saveSettings(patch: SettingsSaveRequest): Promise<SettingsSaveResult>;
  displays(): Promise<DisplaySummary[]>;
  openSettings(): Promise<void>;
  log(level: LogRecord['level'], message: string): void;
  /** Subscribe to wall status (missing displays…); returns the unsubscribe function. */
  onWallStatus(listener: (status: WallStatus) => void): () => void;
}
