import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { io, type Socket } from 'socket.io-client';
import { z } from 'zod';
import {
  fillTalkingPoints,
  KpiFigures,
  LoginResponse,
  type Presentation,
  PresentationAnswer,
  type PresentationControl,
  PresentationMessage,
  Tour,
  TourSummary,
} from '../../protocol';
import { useCatalogue } from '../i18n';
import { useNow } from '../ui/hooks';
import { presenterCatalogue } from './i18n';
import { controlForKey } from './keys';
import './presenter.css';

const TOKEN_KEY = 'gridwall.presenter.token';
const ApiErrorBody = z.object({ error: z.object({ code: z.string(), message: z.string() }) });
const TourList = z.object({ items: z.array(TourSummary) });

type Lang = 'zh-CN' | 'en';

class RequestError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function request<T>(schema: z.ZodType<T>, path: string, token: string | null, body?: unknown): Promise<T> {
  const res = await fetch(path, {
    method: body === undefined ? 'GET' : 'POST',
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const raw: unknown = await res.json().catch(() => null);
  if (!res.ok) {
    const err = ApiErrorBody.safeParse(raw);
    throw new RequestError(res.status, err.success ? err.data.error.message : `HTTP ${res.status}`);
  }
  const parsed = schema.safeParse(raw);
  if (!parsed.success) throw new RequestError(res.status, 'unexpected answer from the server');
  return parsed.data;
}

const pad = (n: number) => String(n).padStart(2, '0');
function elapsed(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  return `${pad(Math.floor(s / 60))}:${pad(s % 60)}`;
}

/**
 * `/presenter`: the presenter's laptop or tablet. Current and next step with the talking points and
 * a timer; the wall follows through the server. A clicker works: PageDown/→ next, PageUp/← back,
 * B blank, `.` pause.
 */
export function PresenterApp() {
  useCatalogue(presenterCatalogue);
  const { t, i18n } = useTranslation();
  const lang: Lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [token, setToken] = useState<string | null>(() => sessionStorage.getItem(TOKEN_KEY));
  const [tours, setTours] = useState<TourSummary[] | null>(null);
  const [presentation, setPresentation] = useState<Presentation | null>(null);
  const [tour, setTour] = useState<Tour | null>(null);
  const [online, setOnline] = useState(true);
  const [error, setError] = useState<string | null>(null);
  const latest = useRef<Presentation | null>(null);

  useEffect(() => {
    document.title = t('presenter.page.title');
  }, [t]);

  const logout = useCallback(() => {
    sessionStorage.removeItem(TOKEN_KEY);
    setToken(null);
  }, []);

  // A late answer must not undo a newer state (the socket and the POST answer race).
  const accept = useCallback((p: Presentation | null) => {
    const shown = latest.current;
    if (p && shown && p.id === shown.id && p.version <= shown.version) return;
    latest.current = p;
    setPresentation(p);
  }, []);

  useEffect(() => {
    if (!token) return;
    let socket: Socket | null = null;
    request(TourList, '/api/tours', token)
      .then((list) => setTours(list.items))
      .catch((err: unknown) => {
        if (err instanceof RequestError && (err.status === 401 || err.status === 403)) logout();
        else setError(String((err as Error).message));
      });
    request(PresentationAnswer, '/api/presentation', token)
      .then((a) => accept(a.presentation))
      .catch(() => undefined);
    socket = io(location.origin, { auth: { token, surface: 'presenter' }, transports: ['websocket'] });
    socket.on('connect', () => setOnline(true));
    socket.on('disconnect', () => setOnline(false));
    socket.on('connect_error', () => setOnline(false));
    socket.on('presentation', (raw: unknown) => {
      const parsed = PresentationMessage.safeParse(raw);
      if (parsed.success) accept(parsed.data.presentation);
    });
    return () => {
      socket?.disconnect();
    };
  }, [token, logout, accept]);

  // The tour with its talking points, for the presentation that runs.
  const tourName = presentation?.tour ?? null;
  useEffect(() => {
    if (!token || !tourName) return;
    if (tour?.name === tourName) return;
    request(Tour, `/api/tours/${encodeURIComponent(tourName)}`, token)
      .then(setTour)
      .catch((err: unknown) => setError(String((err as Error).message)));
  }, [token, tourName, tour?.name]);

  const control = useCallback(
    (c: PresentationControl) => {
      if (!token) return;
      setError(null);
      request(PresentationAnswer, '/api/presentation', token, c)
        .then((a) => accept(a.presentation))
        .catch((err: unknown) => setError(t('presenter.page.error', { reason: (err as Error).message })));
    },
    [token, accept, t],
  );

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const target = e.target as HTMLElement | null;
      if (target && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA')) return;
      const c = controlForKey(e.key, latest.current);
      if (!c) return;
      e.preventDefault();
      control(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [control]);

  if (!token) return <Login onToken={setToken} />;
  return (
    <div className="gp-page" data-testid="presenter">
      <header className="gp-header">
        <h1>{t('presenter.page.title')}</h1>
        {!online ? <span className="gp-offline">{t('presenter.page.offline')}</span> : null}
        <button type="button" className="gp-link" onClick={logout}>
          {t('presenter.page.logout')}
        </button>
      </header>
      {error ? (
        <div className="gp-error" role="alert">
          {error}
        </div>
      ) : null}
      {presentation && tour && tour.name === presentation.tour ? (
        <Console presentation={presentation} tour={tour} lang={lang} token={token} control={control} />
      ) : (
        <TourPicker tours={tours} lang={lang} onStart={(name) => control({ action: 'start', tour: name, step: 0 })} />
      )}
    </div>
  );
}

function Login(props: { onToken(token: string): void }) {
  const { t } = useTranslation();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    request(LoginResponse, '/api/login', null, { username, password })
      .then((r) => {
        sessionStorage.setItem(TOKEN_KEY, r.token);
        props.onToken(r.token);
      })
      .catch((err: unknown) => setError(t('presenter.page.loginFailed', { reason: (err as Error).message })));
  };
  return (
    <form className="gp-login" onSubmit={submit} data-testid="presenter-login">
      <h1>{t('presenter.page.loginTitle')}</h1>
      <label>
        {t('presenter.page.username')}
        <input name="username" value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" />
      </label>
      <label>
        {t('presenter.page.password')}
        <input
          name="password"
          type="password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          autoComplete="current-password"
        />
      </label>
      <button type="submit">{t('presenter.page.login')}</button>
      {error ? <div role="alert">{error}</div> : null}
    </form>
  );
}

function TourPicker(props: { tours: TourSummary[] | null; lang: Lang; onStart(name: string): void }) {
  const { t } = useTranslation();
  return (
    <section className="gp-tours">
      <h2>{t('presenter.page.tours')}</h2>
      {(props.tours ?? []).map((tour) => (
        <div key={tour.name} className="gp-tour" data-testid={`tour-${tour.name}`}>
          <div>
            <div className="gp-tour-title">{tour.title[props.lang]}</div>
            <div className="gp-muted">{t('presenter.page.steps', { count: tour.steps })}</div>
          </div>
          <button type="button" onClick={() => props.onStart(tour.name)}>
            {t('presenter.page.start')}
          </button>
        </div>
      ))}
    </section>
  );
}

/** How often the talking points' figures are read again while a step stays on screen (as the wall's board). */
const FIGURES_REFRESH_MS = 5000;

/**
 * The figures of the step's KPI period, read the way the wall reads them (GET /api/kpis), so a
 * talking point says what the wall's board shows; null until the first answer.
 */
function useStepFigures(token: string, period: string | null): KpiFigures | null {
  const [figures, setFigures] = useState<KpiFigures | null>(null);
  useEffect(() => {
    setFigures(null);
    if (!period) return;
    let live = true;
    const load = () =>
      request(KpiFigures, `/api/kpis?period=${encodeURIComponent(period)}`, token)
        .then((f) => live && setFigures(f))
        .catch(() => undefined);
    void load();
    const timer = setInterval(load, FIGURES_REFRESH_MS);
    return () => {
      live = false;
      clearInterval(timer);
    };
  }, [token, period]);
  return figures;
}

function Console(props: {
  presentation: Presentation;
  tour: Tour;
  lang: Lang;
  token: string;
  control(c: PresentationControl): void;
}) {
  const { t } = useTranslation();
  const { presentation: p, tour, lang, control } = props;
  const now = useNow(1000);
  const step = tour.steps[p.stepIndex];
  const figures = useStepFigures(props.token, step?.kpiPeriod ?? null);
  const next = tour.steps[p.stepIndex + 1];
  const stepMs = now - p.stepStartedAt;
  const over = step ? stepMs > step.seconds * 1000 : false;
  let wallState = t('presenter.page.wallLive');
  if (p.blank) wallState = t('presenter.page.wallBlank');
  else if (p.paused) wallState = t('presenter.page.wallPaused');
  return (
    <div className="gp-console" data-testid="presenter-console" data-step={p.stepIndex}>
      <section className="gp-status">
        <span className="gp-step-no" data-testid="presenter-step">
          {p.stepIndex + 1} / {p.stepCount}
        </span>
        <span className="gp-tour-title">{tour.title[lang]}</span>
        <span
          className={`gp-wall gp-wall-${p.blank ? 'blank' : p.paused ? 'paused' : 'live'}`}
          data-testid="wall-state"
        >
          {wallState}
        </span>
        <span className="gp-muted">{t('presenter.page.masked')}</span>
        <span className="gp-timer">
          {t('presenter.page.elapsed')} {elapsed(now - p.startedAt)}
        </span>
        <span className={over ? 'gp-timer gp-timer-over' : 'gp-timer'} data-testid="step-timer">
          {t('presenter.page.stepTime')} {elapsed(stepMs)}{' '}
          <span className="gp-muted">
            {t('presenter.page.planned', { time: elapsed((step?.seconds ?? 0) * 1000) })}
          </span>
        </span>
      </section>
      <section className="gp-current">
        <div className="gp-label">{t('presenter.page.current')}</div>
        <h2 data-testid="presenter-title">{step?.title[lang]}</h2>
        <div className="gp-label">{t('presenter.page.notes')}</div>
        <ul className="gp-notes" data-testid="presenter-notes">
          {(step?.notes[lang] ?? []).map((n) => (
            <li key={n}>{fillTalkingPoints(n, figures, lang)}</li>
          ))}
        </ul>
        {step?.spotlight ? (
          <div className="gp-spotlight" data-testid="presenter-spotlight">
            {p.spotlight
              ? t('presenter.page.spotlight', { code: p.spotlight.code, category: p.spotlight.category })
              : t('presenter.page.spotlightWaiting')}
          </div>
        ) : null}
      </section>
      <aside className="gp-side">
        <div className="gp-label">{t('presenter.page.next')}</div>
        <div className="gp-next" data-testid="presenter-next">
          {next ? next.title[lang] : t('presenter.page.last')}
        </div>
        <ol className="gp-steps">
          {tour.steps.map((s, i) => (
            <li key={s.id} className={i === p.stepIndex ? 'gp-steps-current' : undefined}>
              <button type="button" onClick={() => control({ action: 'goto', step: i })}>
                {s.title[lang]}
              </button>
            </li>
          ))}
        </ol>
      </aside>
      <footer className="gp-controls">
        <button type="button" onClick={() => control({ action: 'prev' })} disabled={p.stepIndex === 0}>
          ◀ {t('presenter.page.prev')}
        </button>
        <button type="button" className="gp-primary" onClick={() => control({ action: 'next' })} disabled={!next}>
          {t('presenter.page.nextButton')} ▶
        </button>
        <button type="button" onClick={() => control({ action: 'blank', on: !p.blank })}>
          {p.blank ? t('presenter.page.unblank') : t('presenter.page.blank')} (B)
        </button>
        <button type="button" onClick={() => control({ action: 'pause', on: !p.paused })}>
          {p.paused ? t('presenter.page.resume') : t('presenter.page.pause')} (.)
        </button>
        <button type="button" className="gp-danger" onClick={() => control({ action: 'stop' })}>
          {t('presenter.page.stop')}
        </button>
        <span className="gp-muted gp-keys">{t('presenter.page.keys')}</span>
      </footer>
    </div>
  );
}
