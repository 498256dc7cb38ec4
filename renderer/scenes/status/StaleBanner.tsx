import { useTranslation } from 'react-i18next';
import { useRuntime } from '../../ui/context';
import { clockTime } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { staleness } from './stale';
import './status.css';

/** "Data stale since HH:MM:SS": an operator must never trust a frozen screen. */
export function StaleBanner() {
  const { t } = useTranslation();
  const runtime = useRuntime();
  // Read on the tick: the connection slice changes with every batch, the banner needs 2 looks a second.
  const now = useNow(500);
  const connection = runtime.store.getState().connection;
  const { stale, since } = staleness(connection, now);
  if (!stale) return null;
  return (
    <div className="gw-stale" role="alert" data-testid="stale-banner" data-since={since}>
      <div className="gw-stale-main">{t('connection.staleSince', { time: clockTime(since) })}</div>
      <div className="gw-stale-hint">{t('connection.staleHint')}</div>
    </div>
  );
}
