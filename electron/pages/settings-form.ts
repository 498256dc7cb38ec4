import type { SettingsSaveRequest, ShellSettingsView } from '../../protocol/ipc';

/**
 * The settings form's values, from and to what main stores. Pure, so it is tested without a DOM;
 * main validates again whatever comes out of here.
 */
export interface FormValues {
  serverUrl: string;
  layout: string;
  language: string;
  consoleDisplay: string;
  kiosk: boolean;
  alwaysOnTop: boolean;
  hideCursor: string;
  softReloadAt: string;
  softReloadNone: boolean;
  extraOrigins: string;
  deviceToken: string;
  clearToken: boolean;
}

export const formFromSettings = (s: ShellSettingsView): FormValues => ({
  serverUrl: s.serverUrl,
  layout: s.layout,
  language: s.language,
  consoleDisplay: String(s.consoleDisplay),
  kiosk: s.wall.kiosk,
  alwaysOnTop: s.wall.alwaysOnTop,
  hideCursor: String(s.wall.hideCursorAfterSeconds),
  softReloadAt: s.softReloadAt ?? '04:00',
  softReloadNone: s.softReloadAt === null,
  extraOrigins: s.extraOrigins.join('\n'),
  deviceToken: '',
  clearToken: false,
});

export const requestFromForm = (f: FormValues): SettingsSaveRequest => {
  const request: SettingsSaveRequest = {
    serverUrl: f.serverUrl.trim(),
    layout: f.layout.trim(),
    language: f.language === 'en' ? 'en' : 'zh-CN',
    consoleDisplay: /^-?\d+$/.test(f.consoleDisplay)
      ? Number(f.consoleDisplay)
      : f.consoleDisplay === 'off'
        ? 'off'
        : 'auto',
    wall: { kiosk: f.kiosk, alwaysOnTop: f.alwaysOnTop, hideCursorAfterSeconds: Number(f.hideCursor) },
    softReloadAt: f.softReloadNone ? null : f.softReloadAt,
    extraOrigins: f.extraOrigins
      .split(/\s+/)
      .map((o) => o.trim())
      .filter(Boolean),
  };
  if (f.clearToken) request.deviceToken = null;
  else if (f.deviceToken.trim()) request.deviceToken = f.deviceToken.trim();
  return request;
};
