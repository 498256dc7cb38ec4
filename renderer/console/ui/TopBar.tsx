import { useTranslation } from 'react-i18next';
import { useConsole, useData, useUi } from '../context';

export function TopBar() {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const session = useUi((s) => s.session);
  const outbox = useUi((s) => s.outbox);
  const durable = useUi((s) => s.durable);
  const connection = useData((s) => s.connection.state);
  const otherLanguage = i18n.language === 'en' ? 'zh-CN' : 'en';
  const switchLanguage = () => {
    const url = new URL(location.href);
    url.searchParams.set('lang', otherLanguage);
    location.assign(url.toString());
  };

  let outboxText: string;
  let outboxTone: 'ok' | 'busy' | 'bad';
  if (outbox.needsLogin) {
    outboxText = t('console.top.needsLogin', { n: outbox.waiting });
    outboxTone = 'bad';
  } else if (outbox.offline || (connection !== 'live' && outbox.waiting > 0)) {
    outboxText = outbox.waiting > 0 ? t('console.top.offline', { n: outbox.waiting }) : t('console.top.offlineNone');
    outboxTone = 'bad';
  } else if (outbox.waiting > 0) {
    outboxText = t('console.top.sending', { n: outbox.waiting });
    outboxTone = 'busy';
  } else {
    outboxText = t('console.top.allSent');
    outboxTone = 'ok';
  }

  return (
    <header className="gc-top">
      <div className="gc-top-title">
        <span className="gc-top-name">{t('console.title')}</span>
        <span className="gc-top-sub">{t('console.subtitle')}</span>
      </div>
      <div className={`gc-chip gc-chip-${connection}`} data-testid="console-connection" data-state={connection}>
        <span className="gc-dot" />
        {t(`console.top.${connection}`)}
      </div>
      <div
        className={`gc-chip gc-chip-outbox-${outboxTone}`}
        data-testid="outbox-status"
        data-waiting={outbox.waiting}
        data-offline={outbox.offline ? '1' : '0'}
      >
        {outboxText}
      </div>
      {durable ? null : <div className="gc-chip gc-chip-outbox-bad">{t('console.top.notDurable')}</div>}
      <div className="gc-top-spacer" />
      {session ? (
        <div className="gc-top-user" data-testid="console-user">
          {t('console.top.user', { name: session.username, role: t(`console.role.${session.role}`) })}
        </div>
      ) : null}
      <button type="button" className="gc-button" onClick={() => runtime.dialogs.setHelp(true)}>
        ? {t('console.top.help')}
      </button>
      <button type="button" className="gc-button" onClick={switchLanguage}>
        {t('console.top.language')}
      </button>
      <button type="button" className="gc-button" onClick={() => void runtime.session.logout()}>
        {t('console.top.logout')}
      </button>
    </header>
  );
}
