import type { GridwallBridge, ShellSettingsView } from '../../protocol/ipc';
import { pageLanguage, words } from './i18n';
import { type FormValues, formFromSettings, requestFromForm } from './settings-form';

/** The settings screen (local page, opened with Ctrl+Alt+S or from the console). */
const bridge = (window as unknown as { gridwall?: GridwallBridge }).gridwall;
const language = pageLanguage();
const text = words(language);
document.documentElement.lang = language;

for (const el of document.querySelectorAll<HTMLElement>('[data-t]')) {
  const value = text[el.dataset.t as keyof typeof text];
  if (typeof value === 'string') el.textContent = value;
}

const byId = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`settings page: #${id} missing`);
  return el as T;
};
const input = (id: string) => byId<HTMLInputElement>(id);
const status = byId<HTMLSpanElement>('status');

const showStored = (s: ShellSettingsView) => {
  byId('tokenState').textContent = s.hasDeviceToken ? text.deviceTokenSet : text.deviceTokenNone;
  const protection = byId('protection');
  protection.textContent =
    s.credentialProtection === 'os'
      ? text.protectionOs
      : s.credentialProtection === 'weak'
        ? text.protectionWeak
        : text.protectionUnavailable;
  protection.className = s.credentialProtection === 'os' ? 'hint' : 'hint warn';
};

const fill = (values: FormValues) => {
  input('serverUrl').value = values.serverUrl;
  input('layout').value = values.layout;
  byId<HTMLSelectElement>('language').value = values.language;
  byId<HTMLSelectElement>('consoleDisplay').value = values.consoleDisplay;
  input('kiosk').checked = values.kiosk;
  input('alwaysOnTop').checked = values.alwaysOnTop;
  input('hideCursor').value = values.hideCursor;
  input('softReloadAt').value = values.softReloadAt;
  input('softReloadNone').checked = values.softReloadNone;
  byId<HTMLTextAreaElement>('extraOrigins').value = values.extraOrigins;
  input('deviceToken').value = '';
  input('clearToken').checked = false;
};

const read = (): FormValues => ({
  serverUrl: input('serverUrl').value,
  layout: input('layout').value,
  language: byId<HTMLSelectElement>('language').value,
  consoleDisplay: byId<HTMLSelectElement>('consoleDisplay').value,
  kiosk: input('kiosk').checked,
  alwaysOnTop: input('alwaysOnTop').checked,
  hideCursor: input('hideCursor').value,
  softReloadAt: input('softReloadAt').value,
  softReloadNone: input('softReloadNone').checked,
  extraOrigins: byId<HTMLTextAreaElement>('extraOrigins').value,
  deviceToken: input('deviceToken').value,
  clearToken: input('clearToken').checked,
});

const start = async () => {
  if (!bridge) return;
  const [settings, displays] = await Promise.all([bridge.getSettings(), bridge.displays()]);
  const select = byId<HTMLSelectElement>('consoleDisplay');
  const options: Array<[string, string]> = [
    ['auto', text.consoleAuto],
    ['off', text.consoleOff],
    ...displays.map((d, i): [string, string] => [
      String(d.id),
      text.display(i + 1, d.bounds.width, d.bounds.height, d.primary),
    ]),
  ];
  select.replaceChildren(
    ...options.map(([value, label]) => {
      const option = document.createElement('option');
      option.value = value;
      option.textContent = label;
      return option;
    }),
  );
  fill(formFromSettings(settings));
  showStored(settings);

  byId<HTMLFormElement>('form').addEventListener('submit', (event) => {
    event.preventDefault();
    status.textContent = '';
    void bridge.saveSettings(requestFromForm(read())).then((result) => {
      if (result.ok) {
        status.className = '';
        status.textContent = text.saved;
        fill(formFromSettings(result.settings));
        showStored(result.settings);
      } else {
        status.className = 'error';
        status.textContent = `${text.failed}${result.error}`;
      }
    });
  });
};

void start();
