import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { CredentialProtection } from '../../protocol/ipc';
import {
  applyOverrides,
  DEFAULT_SETTINGS,
  readOverrides,
  type SecretBox,
  SettingsStore,
  safeStorageBox,
} from './settings';

/** Reversible and visibly not plain text, like the OS keychain from the outside. */
const fakeBox = (protection: CredentialProtection = 'os'): SecretBox => ({
  protection: () => protection,
  encrypt: (plain) => Buffer.from(`enc:${[...plain].reverse().join('')}`),
  decrypt: (data) => {
    const text = data.toString();
    if (!text.startsWith('enc:')) throw new Error('not ours');
    return [...text.slice(4)].reverse().join('');
  },
});

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gridwall-settings-'));
  file = join(dir, 'settings.json');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('SettingsStore', () => {
  it('gives the defaults when there is no file yet', () => {
    const store = new SettingsStore(file, fakeBox());
    expect(store.load()).toEqual({ settings: DEFAULT_SETTINGS, problems: [] });
    expect(store.view()).toMatchObject({ hasDeviceToken: false, credentialProtection: 'os' });
  });

  it('saves settings and reads them back from the file', () => {
    const store = new SettingsStore(file, fakeBox());
    const result = store.save({ serverUrl: 'http://10.1.2.3:9000', layout: 'wall-3x2', consoleDisplay: 7 });
    expect(result).toMatchObject({ ok: true, settings: { serverUrl: 'http://10.1.2.3:9000', layout: 'wall-3x2' } });
    const again = new SettingsStore(file, fakeBox());
    expect(again.load().settings).toMatchObject({ layout: 'wall-3x2', consoleDisplay: 7, language: 'zh-CN' });
  });

  it('stores the device credential encrypted, never in clear, and never in the view', () => {
    const store = new SettingsStore(file, fakeBox());
    store.save({ deviceToken: 'device-secret-123' });
    expect(readFileSync(file, 'utf8')).not.toContain('device-secret-123');
    const again = new SettingsStore(file, fakeBox());
    again.load();
    expect(again.deviceToken()).toBe('device-secret-123');
    expect(JSON.stringify(again.view())).not.toContain('device-secret-123');
    expect(again.view().hasDeviceToken).toBe(true);
    again.save({ deviceToken: null });
    expect(again.deviceToken()).toBeNull();
  });

  it('keeps a credential for this run only when the OS cannot encrypt', () => {
    const store = new SettingsStore(file, fakeBox('unavailable'));
    expect(store.save({ deviceToken: 'tok' })).toMatchObject({
      ok: true,
      settings: { hasDeviceToken: true, credentialProtection: 'unavailable' },
    });
    expect(store.deviceToken()).toBe('tok');
    expect(readFileSync(file, 'utf8')).not.toContain('tok');
    const again = new SettingsStore(file, fakeBox('unavailable'));
    again.load();
    expect(again.deviceToken()).toBeNull();
  });

  it('refuses bad changes and unknown fields without touching the file', () => {
    const store = new SettingsStore(file, fakeBox());
    store.save({ layout: 'wall-3x2' });
    const before = readFileSync(file, 'utf8');
    expect(store.save({ serverUrl: 'file:///etc/passwd' }).ok).toBe(false);
    expect(store.save({ serverUrl: 'javascript:alert(1)' }).ok).toBe(false);
    expect(store.save({ layout: '../../secrets' }).ok).toBe(false);
    expect(store.save({ softReloadAt: '25:00' }).ok).toBe(false);
    expect(store.save({ nodeIntegration: true }).ok).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe(before);
    expect(store.current().layout).toBe('wall-3x2');
  });

  it('keeps the good fields of a file with a bad one, and says what it dropped', () => {
    writeFileSync(file, JSON.stringify({ layout: 'wall-4x3', language: 'fr', serverUrl: 'http://a:1' }));
    const { settings, problems } = new SettingsStore(file, fakeBox()).load();
    expect(settings).toMatchObject({ layout: 'wall-4x3', language: 'zh-CN', serverUrl: 'http://a:1' });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/language/);
  });

  it('starts from the defaults when the file is not JSON', () => {
    writeFileSync(file, '{ broken');
    const { settings, problems } = new SettingsStore(file, fakeBox()).load();
    expect(settings).toEqual(DEFAULT_SETTINGS);
    expect(problems[0]).toMatch(/unreadable/);
  });
});

describe('readOverrides', () => {
  it('reads the environment, and the command line wins', () => {
    const { overrides, problems } = readOverrides(['--layout=wall-3x2', '--no-kiosk'], {
      GRIDWALL_SERVER_URL: 'http://127.0.0.1:5173',
      GRIDWALL_LAYOUT: 'single',
      GRIDWALL_CONSOLE_DISPLAY: '3',
    });
    expect(overrides).toEqual({
      serverUrl: 'http://127.0.0.1:5173',
      layout: 'wall-3x2',
      consoleDisplay: 3,
      kiosk: false,
    });
    expect(problems).toEqual([]);
  });

  it('ignores bad values and says so', () => {
    const { overrides, problems } = readOverrides(['--server-url=ftp://x', '--console-display=left'], {});
    expect(overrides).toEqual({});
    expect(problems).toHaveLength(2);
  });

  it('turns always-on-top off with kiosk', () => {
    const merged = applyOverrides(DEFAULT_SETTINGS, { kiosk: false, layout: 'wall-2x1' });
    expect(merged.wall).toMatchObject({ kiosk: false, alwaysOnTop: false });
    expect(merged.layout).toBe('wall-2x1');
    expect(DEFAULT_SETTINGS.wall.kiosk).toBe(true);
  });
});

describe('safeStorageBox', () => {
  const storage = (available: boolean, backend: string) => ({
    isEncryptionAvailable: () => available,
    encryptString: (s: string) => Buffer.from(s),
    decryptString: (b: Buffer) => b.toString(),
    getSelectedStorageBackend: () => backend,
  });

  it('calls the Linux fallback key weak and a missing keychain unavailable', () => {
    expect(safeStorageBox(storage(true, 'basic_text'), 'linux').protection()).toBe('weak');
    expect(safeStorageBox(storage(true, 'gnome_libsecret'), 'linux').protection()).toBe('os');
    expect(safeStorageBox(storage(true, 'unknown'), 'win32').protection()).toBe('os');
    expect(safeStorageBox(storage(false, 'unknown'), 'win32').protection()).toBe('unavailable');
  });
});
