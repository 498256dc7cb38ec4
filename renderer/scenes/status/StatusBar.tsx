import { useContext, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { ShowMarks } from '../../presenter/ShowOverlay';
import { serverNow, type WallState } from '../../state/store';
import { TypeContext, useLayout, useRuntime, useWall, useWallThrottled } from '../../ui/context';
import { clockDate, clockTime, count, shortTime } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { useFitText } from './fitText';
import { lagText } from './lag';
import './status.css';

const selectLag = (s: WallState) => s.connection.lagMs;
const selectCounts = (s: WallState) => s.cases.counts;
const selectOnDuty = (s: WallState) => s.workers.onDuty;
const selectOnline = (s: WallState) => s.cameras.counts.online;

/** Clock, connection, lag and the wall's headline counts. Re-renders at most once a second. */
export function StatusBar(props: { title?: string; subtitle?: string; preset?: string }) {
  const { t, i18n } = useTranslation();
  const layout = useLayout();
  const runtime = useRuntime();
  const now = useNow(1000);
  const conn = useWall((s) => s.connection.state);
  const retryAt = useWall((s) => s.connection.retryAt);
  const lag = useWallThrottled(selectLag, 1000);
  const counts = useWallThrottled(selectCounts, 1000);
  const onDuty = useWallThrottled(selectOnDuty, 1000);
  const online = useWallThrottled(selectOnline, 1000);
  const server = serverNow(runtime.store.getState(), now);
  const serverSeen = runtime.store.getState().clock.serverAt !== null;
  // A simulator runs its own clock; show it when it is not the wall's.
  const simulated = serverSeen && Math.abs(server - now) > 120_000;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const title = props.title ?? layout.title[lang];
  // The title fits its box in either language: smaller type before any "…".
  const titleRef = useRef<HTMLDivElement>(null);
  const subtitleRef = useRef<HTMLDivElement>(null);
  // On a 4K canvas small text grows (TypeContext): the floors stay 22 px and 28 px on screen at 1080p.
  const type = useContext(TypeContext);
  useFitText(titleRef, Math.max(36, 28 * type), 28 * type, title);
  useFitText(subtitleRef, Math.max(24, 22 * type), 22 * type, props.subtitle);
  return (
    <div className="gw-statusbar" data-testid="status-bar">
      <div className="gw-statusbar-titles">
        {props.subtitle ? (
          <div ref={subtitleRef} className="gw-statusbar-subtitle">
            {props.subtitle}
          </div>
        ) : null}
        <div ref={titleRef} className="gw-statusbar-title">
          {title}
        </div>
      </div>
      {props.preset ? (
        <span className="gw-preset-chip" data-testid="preset-name">
          {props.preset}
        </span>
      ) : null}
      <ShowMarks />
      <div className="gw-statusbar-counts">
        <Count label={t('counts.open')} value={counts.open} />
        <Count label={t('counts.overdue')} value={counts.overdue} tone="danger" />
        <Count label={t('counts.urgent')} value={counts.urgent} tone="warn" />
        <Count label={t('counts.workersOnDuty')} value={onDuty} />
        <Count label={t('counts.camerasOnline')} value={online} />
      </div>
      <div className="gw-statusbar-right">
        <span className={`gw-conn gw-conn-${conn}`} data-testid="connection-state" data-state={conn}>
          <span className="gw-conn-dot" />
          {t(`connection.${conn}`)}
          {conn === 'reconnecting' && retryAt !== null && retryAt > now ? (
            <span className="gw-conn-retry">
              {t('connection.retryIn', { seconds: Math.ceil((retryAt - now) / 1000) })}
            </span>
          ) : null}
        </span>
        <span className="gw-lag" data-testid="lag">
          {t('connection.lag')} {lagText(conn, lag)}
        </span>
        {simulated ? (
          <span className="gw-simtime">
            {t('app.simTime')} {shortTime(server)}
          </span>
        ) : null}
        <span className="gw-clock">
          <span className="gw-clock-date">{clockDate(now)}</span>
          <span className="gw-clock-time">{clockTime(now)}</span>
        </span>
      </div>
    </div>
  );
}

function Count(props: { label: string; value: number; tone?: 'danger' | 'warn' }) {
  return (
    <span className={`gw-count ${props.tone ? `gw-count-${props.tone}` : ''}`}>
      <span className="gw-count-label">{props.label}</span>
      <span className="gw-count-value">{count(props.value)}</span>
    </span>
  );
}
