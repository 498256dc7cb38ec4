import { lazy, Suspense, useEffect, useMemo } from 'react';
import { createRoot } from 'react-dom/client';
import { I18nextProvider } from 'react-i18next';
import '../resources/fonts/fonts.css';
import './ui/base.css';
import './wall/wall.css';
import { pageOf } from '../protocol';
import { createI18n, isLanguage, type Language } from './i18n';
import { loadLayout } from './layout/layouts';
import { Message } from './ui/Message';
import { WallApp } from './wall/WallApp';

/** The dispatch console, loaded only on /console. */
const ConsoleApp = lazy(() => import('./console/ui/ConsoleApp').then((m) => ({ default: m.ConsoleApp })));
/** The presenter's page, loaded only on /presenter. */
const PresenterApp = lazy(() => import('./presenter/PresenterApp').then((m) => ({ default: m.PresenterApp })));

/**
 * The router: `/wall?display=N&layout=NAME&lang=…` and `/preview?layout=NAME` (the wall), `/console`,
 * `/presenter` (routes from protocol/routes.ts). The layout (or `?lang=`) picks the language.
 */
function App() {
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
  else body = <WallApp layout={loaded.layout} params={params} preview={which === 'preview'} />;
  return <I18nextProvider i18n={i18n}>{body}</I18nextProvider>;
}

// The entry's modules are evaluated: the cold start's first stage (test/bench/coldstart.ts).
performance.mark('gw:script');
const root = document.getElementById('root');
if (root) createRoot(root).render(<App />);
