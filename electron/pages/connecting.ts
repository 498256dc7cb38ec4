import { pageLanguage, words } from './i18n';

/**
 * Shown in a wall or console window while main waits for the server to answer `/health` (after a crash,
 * a hang or a failed load). Needs no IPC: what it shows comes in its query string. The clock ticks so
 * that nobody takes this screen for a frozen one.
 */
const params = new URLSearchParams(location.search);
const language = pageLanguage();
const text = words(language);
document.documentElement.lang = language;

const set = (id: string, value: string) => {
  const el = document.getElementById(id);
  if (el) el.textContent = value;
};

const started = new Date();
const time = (d: Date) => d.toLocaleTimeString(language, { hour12: false });
set('title', text.connectingTitle);
set('body', text.connectingBody);
set('server', params.get('server') ?? '');
set('reason', `${text.reason}: ${params.get('reason') ?? '—'} · ${text.since} ${time(started)}`);
set('shortcuts', text.shortcuts);
const tick = () => set('clock', time(new Date()));
tick();
setInterval(tick, 1000);
