import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import '../console.css';
import { useCatalogue } from '../../i18n';
import { ConsoleContext, useUi } from '../context';
import { consoleCatalogue } from '../i18n';
import { ConsoleRuntime } from '../runtime';
import { registerConsoleServiceWorker } from '../sw/register';
import { CaseView } from './CaseView';
import { ActionDialog } from './dialogs/ActionDialog';
import { HelpOverlay } from './Help';
import { useConsoleKeys } from './keyboard';
import { LoginView } from './LoginView';
import { Problems } from './Problems';
import { QueuePane } from './QueuePane';
import { Toasts } from './Toasts';
import { TopBar } from './TopBar';

/** `/console`: the shift supervisor's workstation. */
export function ConsoleApp() {
  useCatalogue(consoleCatalogue);
  const [runtime] = useState(() => new ConsoleRuntime(location.origin, new URLSearchParams(location.search)));
  useEffect(() => {
    void runtime.start();
    return () => runtime.dispose();
  }, [runtime]);
  useEffect(() => {
    registerConsoleServiceWorker();
  }, []);
  return (
    <ConsoleContext.Provider value={runtime}>
      <Shell />
    </ConsoleContext.Provider>
  );
}

function Shell() {
  const { t } = useTranslation();
  const auth = useUi((s) => s.auth);
  useEffect(() => {
    document.title = `${t('console.title')} · GridWall`;
  }, [t]);
  if (auth === 'checking') {
    return (
      <div className="gc-root gc-center" data-testid="console-checking">
        {t('console.login.checking')}
      </div>
    );
  }
  if (auth === 'login') {
    return (
      <div className="gc-root gc-center">
        <LoginView />
      </div>
    );
  }
  return (
    <div className="gc-root" data-testid="console">
      <Workspace />
      {auth === 'expired' ? (
        <div className="gc-overlay" data-testid="login-expired">
          <LoginView expired />
        </div>
      ) : null}
    </div>
  );
}

function Workspace() {
  useConsoleKeys();
  return (
    <>
      <TopBar />
      <div className="gc-main">
        <div className="gc-left">
          <QueuePane />
          <Problems />
        </div>
        <div className="gc-right">
          <CaseView />
        </div>
      </div>
      <ActionDialog />
      <HelpOverlay />
      <Toasts />
    </>
  );
}
