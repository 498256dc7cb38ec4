import { useTranslation } from 'react-i18next';
import { ACTION_DEFS, ACTIONS } from '../actions';
import { useConsole, useUi } from '../context';

/** `?`: every key of the console. */
export function HelpOverlay() {
  const { t } = useTranslation();
  const runtime = useConsole();
  const open = useUi((s) => s.help);
  if (!open) return null;
  return (
    <div className="gc-overlay" data-testid="help">
      <div className="gc-dialog gc-help" role="dialog" aria-modal="true">
        <h2>{t('console.help.title')}</h2>
        <div className="gc-help-columns">
          <div>
            <div className="gc-section-title">{t('console.help.navigation')}</div>
            <ul>
              <li>{t('console.help.queues')}</li>
              <li>{t('console.help.move')}</li>
              <li>{t('console.help.pageMove')}</li>
              <li>{t('console.help.search')}</li>
              <li>{t('console.help.help')}</li>
              <li>
                <kbd>R</kbd> {t('console.problems.redo')} · <kbd>Delete</kbd> {t('console.problems.dismiss')}
              </li>
            </ul>
          </div>
          <div>
            <div className="gc-section-title">{t('console.help.actions')}</div>
            <ul className="gc-help-keys">
              {ACTIONS.map((a) => (
                <li key={a}>
                  <kbd>{ACTION_DEFS[a].key.toUpperCase()}</kbd> {t(`console.action.${a}`)}
                </li>
              ))}
            </ul>
          </div>
        </div>
        <div className="gc-dialog-buttons">
          <span className="gc-muted">{t('console.help.close')}</span>
          <button type="button" className="gc-button" onClick={() => runtime.dialogs.setHelp(false)}>
            {t('console.dialog.cancel')}
          </button>
        </div>
      </div>
    </div>
  );
}
