import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import {
  type CredentialProtection,
  type SettingsSaveRequest,
  type SettingsSaveResult,
  ShellSettings,
  type ShellSettingsView,
} from '../../protocol/ipc';

/**
 * The shell's settings: a JSON file under the user data folder (`settings.json`). The device
 * credential is kept encrypted by the OS (Electron's `safeStorage`, behind `SecretBox` so it can be
 * tested) and is never sent to a settings page, only whether there is one.
 */

/** Encryption by the OS keychain; `safeStorage` in the app, a fake in tests. */
export interface SecretBox {
  /** `os`: a real keychain; `weak`: stored but obfuscated only (Linux without a keyring); `unavailable`: not stored. */
  protection(): CredentialProtection;
  encrypt(plain: string): Buffer;
  decrypt(data: Buffer): string;
}

export const DEFAULT_SETTINGS: ShellSettings = {
  serverUrl: 'http://127.0.0.1:8080',
  layout: 'single',
  language: 'zh-CN',
  consoleDisplay: 'auto',
  wall: { kiosk: true, alwaysOnTop: true, hideCursorAfterSeconds: 5 },
  softReloadAt: '04:00',
  extraOrigins: [],
};

const StoredCredential = z.object({ scheme: z.literal('safeStorage'), data: z.base64() });

/** What is in the file: every field optional, so one bad field does not lose the others. */
const StoredFile = z.looseObject({
  version: z.literal(1).optional(),
  deviceToken: z.unknown().optional(),
});

export interface SettingsLoad {
  settings: ShellSettings;
  problems: string[];
}

const parseFields = (raw: Record<string, unknown>): SettingsLoad => {
  const settings: ShellSettings = structuredClone(DEFAULT_SETTINGS);
  const problems: string[] = [];
  const shape = ShellSettings.shape;
  for (const key of Object.keys(shape) as Array<keyof typeof shape>) {
    if (!(key in raw)) continue;
    const parsed = shape[key].safeParse(raw[key]);
    if (parsed.success) Object.assign(settings, { [key]: parsed.data });
    else problems.push(`setting ${key} ignored: ${z.prettifyError(parsed.error)}`);
  }
  return { settings, problems };
};

export class SettingsStore {
  private settings: ShellSettings = structuredClone(DEFAULT_SETTINGS);
  private encryptedToken: string | null = null;
  /** A token given while the OS cannot encrypt: kept for this run only, never written. */
  private sessionToken: string | null = null;

  constructor(
    readonly file: string,
    private readonly box: SecretBox,
  ) {}

  /** Reads the file; a missing or broken one gives the defaults, and the problems say what was dropped. */
  load(): SettingsLoad {
    let text: string;
    try {
      text = readFileSync(this.file, 'utf8');
    } catch {
      this.settings = structuredClone(DEFAULT_SETTINGS);
      return { settings: this.current(), problems: [] };
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      this.settings = structuredClone(DEFAULT_SETTINGS);
      return { settings: this.current(), problems: [`settings file unreadable: ${(error as Error).message}`] };
    }
    const file = StoredFile.safeParse(json);
    if (!file.success) {
      this.settings = structuredClone(DEFAULT_SETTINGS);
      return { settings: this.current(), problems: ['settings file is not an object'] };
    }
    const { settings, problems } = parseFields(file.data);
    this.settings = settings;
    this.encryptedToken = null;
    if (file.data.deviceToken !== undefined && file.data.deviceToken !== null) {
      const credential = StoredCredential.safeParse(file.data.deviceToken);
      if (credential.success) this.encryptedToken = credential.data.data;
      else problems.push('stored device credential ignored: unknown format');
    }
    return { settings: this.current(), problems };
  }

  current(): ShellSettings {
    return structuredClone(this.settings);
  }

  view(): ShellSettingsView {
    return {
      ...this.current(),
      hasDeviceToken: this.encryptedToken !== null || this.sessionToken !== null,
      credentialProtection: this.box.protection(),
    };
  }

  /** The device credential in clear, for the wall page's login; null when none or it cannot be decrypted. */
  deviceToken(): string | null {
    if (this.sessionToken !== null) return this.sessionToken;
    if (this.encryptedToken === null) return null;
    try {
      return this.box.decrypt(Buffer.from(this.encryptedToken, 'base64'));
    } catch {
      return null;
    }
  }

  /** Validates a change (from a settings page: untrusted), applies and writes it. */
  save(patch: unknown): SettingsSaveResult {
    const request = z
      .object({
        ...ShellSettings.partial().shape,
        deviceToken: z.string().trim().min(1).max(4096).nullable().optional(),
      })
      .strict()
      .safeParse(patch);
    if (!request.success) return { ok: false, error: z.prettifyError(request.error) };
    const { deviceToken, ...fields } = request.data satisfies SettingsSaveRequest;
    const next = ShellSettings.safeParse({ ...this.settings, ...fields });
    if (!next.success) return { ok: false, error: z.prettifyError(next.error) };

    let encrypted = this.encryptedToken;
    let session = this.sessionToken;
    if (deviceToken === null) {
      encrypted = null;
      session = null;
    } else if (deviceToken !== undefined) {
      if (this.box.protection() === 'unavailable') {
        encrypted = null;
        session = deviceToken;
      } else {
        encrypted = this.box.encrypt(deviceToken).toString('base64');
        session = null;
      }
    }
    try {
      this.write(next.data, encrypted);
    } catch (error) {
      return { ok: false, error: `cannot write ${this.file}: ${(error as Error).message}` };
    }
    this.settings = next.data;
    this.encryptedToken = encrypted;
    this.sessionToken = session;
    return { ok: true, settings: this.view() };
  }

  private write(settings: ShellSettings, encryptedToken: string | null): void {
    const body = {
      version: 1,
      ...settings,
      deviceToken: encryptedToken === null ? null : { scheme: 'safeStorage', data: encryptedToken },
    };
    mkdirSync(dirname(this.file), { recursive: true });
    // Write then rename: a crash mid-write never leaves half a settings file.
    const tmp = `${this.file}.tmp`;
    writeFileSync(tmp, `${JSON.stringify(body, null, 2)}\n`, { mode: 0o600 });
    renameSync(tmp, this.file);
  }
}

/** Settings given for one run (by `npm start`, a kiosk script), not written to the file. */
export const SettingsOverrides = ShellSettings.pick({
  serverUrl: true,
  layout: true,
  language: true,
  consoleDisplay: true,
})
  .extend({ kiosk: z.boolean() })
  .partial();
export type SettingsOverrides = z.infer<typeof SettingsOverrides>;

/**
 * Reads overrides from the environment (`GRIDWALL_SERVER_URL`, `GRIDWALL_LAYOUT`, `GRIDWALL_LANG`,
 * `GRIDWALL_CONSOLE_DISPLAY`, `GRIDWALL_KIOSK=0`) and the command line (`--server-url=`, `--layout=`,
 * `--lang=`, `--console-display=`, `--no-kiosk`); the command line wins. Bad values are reported, not used.
 */
export const readOverrides = (
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
): { overrides: SettingsOverrides; problems: string[] } => {
  const flag = (name: string): string | undefined => {
    const prefix = `--${name}=`;
    return argv.find((a) => a.startsWith(prefix))?.slice(prefix.length);
  };
  const consoleText = flag('console-display') ?? env.GRIDWALL_CONSOLE_DISPLAY;
  const kioskOff = argv.includes('--no-kiosk') || env.GRIDWALL_KIOSK === '0';
  const raw: Record<string, unknown> = {
    serverUrl: flag('server-url') ?? env.GRIDWALL_SERVER_URL,
    layout: flag('layout') ?? env.GRIDWALL_LAYOUT,
    language: flag('lang') ?? env.GRIDWALL_LANG,
    consoleDisplay:
      consoleText === undefined ? undefined : /^-?\d+$/.test(consoleText) ? Number(consoleText) : consoleText,
    kiosk: kioskOff ? false : undefined,
  };
  const overrides: SettingsOverrides = {};
  const problems: string[] = [];
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    const field = SettingsOverrides.shape[key as keyof typeof SettingsOverrides.shape];
    const parsed = field.safeParse(value);
    if (parsed.success) Object.assign(overrides, { [key]: parsed.data });
    else problems.push(`override ${key}=${String(value)} ignored`);
  }
  return { overrides, problems };
};

export const applyOverrides = (settings: ShellSettings, overrides: SettingsOverrides): ShellSettings => {
  const { kiosk, ...fields } = overrides;
  const merged: ShellSettings = { ...settings, ...fields, wall: { ...settings.wall } };
  if (kiosk !== undefined) {
    merged.wall.kiosk = kiosk;
    // Out of kiosk (development, a demo on a laptop) the wall should not cover everything else.
    if (!kiosk) merged.wall.alwaysOnTop = false;
  }
  return merged;
};

/** The part of Electron's `safeStorage` the shell uses. */
export interface SafeStorageLike {
  isEncryptionAvailable(): boolean;
  encryptString(plain: string): Buffer;
  decryptString(data: Buffer): string;
  getSelectedStorageBackend?(): string;
}

/** `safeStorage` as a `SecretBox`; on Linux without a keyring Chromium falls back to a fixed key: `weak`. */
export const safeStorageBox = (storage: SafeStorageLike, platform: NodeJS.Platform): SecretBox => ({
  protection: () => {
    if (!storage.isEncryptionAvailable()) return 'unavailable';
    if (platform === 'linux' && storage.getSelectedStorageBackend?.() === 'basic_text') return 'weak';
    return 'os';
  },
  encrypt: (plain) => storage.encryptString(plain),
  decrypt: (data) => storage.decryptString(data),
});
