import { lazy, Suspense, useEffect, useMemo, useState } from 'react';
import { I18nextProvider, useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { type Layout, pageOf } from '../../protocol';
import { createI18n, isLanguage, type Language } from '../i18n';
import { DisplayView } from '../layout/DisplayView';
import { loadLayout } from '../layout/layouts';
import { PreviewView } from '../layout/PreviewView';
import { ScaledCanvas } from '../layout/ScaledCanvas';
import { ShowBlank, ShowMarks } from '../presenter/ShowOverlay';
import { LayoutContext, RuntimeContext } from './context';
import { WallRuntime } from './runtime';
import { shellBridge } from './session';

/** [console hook] The dispatch console, loaded only on /console. */
const ConsoleApp = lazy(() => import('../console/ui/ConsoleApp').then((m) => ({ default: m.ConsoleApp })));
/** [presenter hook] The presenter's page, loaded only on /presenter. */
const PresenterApp = lazy(() => import('../presenter/PresenterApp').then((m) => ({ default: m.PresenterApp })));

/** The page: `/wall?display=N&layout=NAME&lang=…`, `/preview?layout=NAME`. */
export function App() {
  const params = useMemo(() => new URLSearchParams(location.search), []);
  const which = pageOf(location.pathname) ?? 'other';
  const layoutName = params.get('layout') ?? 'single';
  const loaded = useMemo(() => loadLayout(layoutName), [layoutName]);
  const langParam = params.get('lang');
  const language: Language = isLanguage(langParam) ? langParam : loaded.ok ? loaded.layout.language : 'zh-CN';
  const i18n = useMemo(() => createI18n(language), [language]);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);

  let body: React.ReactNode;
  if (which === 'console')
    body = (
      <Suspense fallback={null}>
        <ConsoleApp />
      </Suspense>
    );
  else if (which === 'presenter')
    body = (
      <Suspense fallback={null}>
        <PresenterApp />
      </Suspense>
    );
  else if (which === 'other') body = <Message text={i18n.t('app.notHere')} />;
  else if (!loaded.ok)
    body = (
      <Message
        text={i18n.t(loaded.error === 'unknown' ? 'app.layoutUnknown' : 'app.layoutInvalid', { name: layoutName })}
        detail={loaded.issues}
      />
    );
  else body = <WallPage layout={loaded.layout} params={params} preview={which === 'preview'} />;
  return <I18nextProvider i18n={i18n}>{body}</I18nextProvider>;
}

function WallPage(props: { layout: Layout; params: URLSearchParams; preview: boolean }) {
  const { layout, params, preview } = props;
  const [runtime] = useState(
    () =>
      new WallRuntime({
        origin: location.origin,
        params,
        wallName: layout.name,
        focusPolicy: layout.focus,
      }),
  );
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    runtime.start().catch((err: unknown) => setError(err instanceof Error ? err.message : String(err)));
  }, [runtime]);
  useEffect(() => () => runtime.dispose(), [runtime]);
  // In the Electron shell: screens of the layout that have no display now are named on the others.
  const [missing, setMissing] = useState<number[]>([]);
  useEffect(() => shellBridge()?.onWallStatus((s) => setMissing(s.missingScreens)), []);

  const displayIndex = Number(params.get('display') ?? layout.displays[0]?.index ?? 0);
  // A presentation's step may switch every page of the wall to another layout and preset.
  const step = useStore(runtime.show, (s) => s.presentation?.step ?? null);
  const stepLayout = useMemo(() => (step?.layout ? loadLayout(step.layout) : null), [step?.layout]);
  const shown = stepLayout?.ok ? stepLayout.layout : layout;
  const display = shown.displays.find((d) => d.index === displayIndex);
  let content: React.ReactNode;
  if (preview) content = <PreviewView layout={layout} />;
  else if (!display && shown !== layout)
    // This screen has no part in the step's layout: it shows the logo until the tour moves on.
    content = (
      <ScaledCanvas width={shown.canvas.width} height={shown.canvas.height}>
        <div className="gw-display" style={{ width: shown.canvas.width, height: shown.canvas.height }}>
          <ShowBlank force />
        </div>
      </ScaledCanvas>
    );
  else if (!display)
    content = <Message textKey="app.displayUnknown" values={{ layout: layout.name, display: displayIndex }} />;
  else
    content = (
      <ScaledCanvas width={shown.canvas.width} height={shown.canvas.height}>
        <DisplayView layout={shown} display={display} presetId={step?.preset}>
          {display.header ? null : <ShowMarks floating />}
          <ShowBlank />
        </DisplayView>
      </ScaledCanvas>
    );
  return (
    <RuntimeContext.Provider value={runtime}>
      <LayoutContext.Provider value={shown}>
        {error ? <LoginError reason={error} /> : null}
        {content}
        {missing.length > 0 ? (
          <Message
            textKey="connection.missingScreens"
            values={{ screens: missing.map((n) => n + 1).join(', ') }}
            overlay
          />
        ) : null}
      </LayoutContext.Provider>
    </RuntimeContext.Provider>
  );
}

function LoginError(props: { reason: string }) {
  return <Message textKey="app.loginFailed" values={{ reason: props.reason }} overlay />;
}

function Message(props: {
  text?: string;
  textKey?: string;
  values?: Record<string, string | number>;
  detail?: string[];
  overlay?: boolean;
}) {
  const { t } = useTranslation();
  return (
    <div className={props.overlay ? 'gw-message gw-message-overlay' : 'gw-message'} role="alert">
      <div>{props.text ?? (props.textKey ? t(props.textKey, props.values) : '')}</div>
      {props.detail?.length ? (
        <ul>
          {props.detail.map((d) => (
            <li key={d}>{d}</li>
          ))}
        </ul>
      ) : null}
    </div>
  );
}
