import { describe, expect, it } from 'vitest';
import type { ShellSettingsView } from '../../protocol/ipc';
import { formFromSettings, requestFromForm } from './settings-form';

const view: ShellSettingsView = {
  serverUrl: 'http://10.0.0.5:8080',
  layout: 'wall-3x2',
  language: 'zh-CN',
  consoleDisplay: 'auto',
  wall: { kiosk: true, alwaysOnTop: true, hideCursorAfterSeconds: 5 },
  softReloadAt: null,
  extraOrigins: ['https://tiles.local'],
  hasDeviceToken: true,
  credentialProtection: 'os',
};

describe('settings form', () => {
  it('round-trips the settings and leaves the stored credential alone', () => {
    const request = requestFromForm(formFromSettings(view));
    expect(request).toEqual({
      serverUrl: 'http://10.0.0.5:8080',
      layout: 'wall-3x2',
      language: 'zh-CN',
      consoleDisplay: 'auto',
      wall: { kiosk: true, alwaysOnTop: true, hideCursorAfterSeconds: 5 },
      softReloadAt: null,
      extraOrigins: ['https://tiles.local'],
    });
    expect('deviceToken' in request).toBe(false);
  });

  it('sends a display id as a number, a new credential, or its removal', () => {
    const form = { ...formFromSettings(view), consoleDisplay: '2779098405', deviceToken: ' abc ' };
    expect(requestFromForm(form)).toMatchObject({ consoleDisplay: 2779098405, deviceToken: 'abc' });
    expect(requestFromForm({ ...form, clearToken: true }).deviceToken).toBeNull();
  });
});
