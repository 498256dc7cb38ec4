import { useTranslation } from 'react-i18next';
import type { AlertsSceneOptions } from '../../../protocol';
import type { WallState } from '../../state/store';
import { useRuntime, useServerNow, useWall, useWallThrottled } from '../../ui/context';
import { age } from '../../ui/format';
import './alerts.css';

const selectList = (s: WallState) => s.alerts.list;
const selectActive = (s: WallState) => s.alerts.active;

/** Overdue warnings, escalations, sensor alarms: newest first, with their age. */
export function AlertsTicker(props: { options: AlertsSceneOptions }) {
  const { t, i18n } = useTranslation();
  const runtime = useRuntime();
  const server = useServerNow(1000);
  const list = useWallThrottled(selectList, 1000);
  const active = useWallThrottled(selectActive, 1000);
  const categories = useWall((s) => s.categories);
  const areas = useWall((s) => s.areas.byId);
  const focused = useWall((s) => s.focus.caseId);
  const en = i18n.language === 'en';
  // Active alerts first (newest first), then the cleared ones, dimmed, while room is left.
  const shown = [...list.filter((a) => a.clearedAt === null), ...list.filter((a) => a.clearedAt !== null)].slice(
    0,
    props.options.max,
  );
  return (
    <div className="gw-alerts" data-testid="alerts">
      <div className="gw-scene-title">
        {t('alerts.title')}
        <span className="gw-scene-title-count">{active}</span>
      </div>
      {shown.length === 0 ? <div className="gw-empty">{t('alerts.empty')}</div> : null}
      <ol className="gw-alert-list">
        {shown.map((a) => {
          const cat = a.category ? categories.get(a.category) : undefined;
          const grid = a.gridId ? areas.get(a.gridId) : undefined;
          return (
            <li key={a.id}>
              <button
                type="button"
                className={`gw-alert gw-alert-${a.kind} gw-alert-${a.severity}${a.clearedAt !== null ? ' gw-alert-cleared' : ''}${a.caseId && a.caseId === focused ? ' gw-alert-focused' : ''}`}
                data-testid="alert-item"
                data-case-id={a.caseId ?? ''}
                onClick={() => a.caseId && runtime.focus(a.caseId, 'local')}
              >
                <span className="gw-alert-kind">{t(`alertKind.${a.kind}`)}</span>
                <span className="gw-alert-cat">
                  {cat ? (en ? cat.nameEn || cat.name : cat.name) : (a.category ?? '')}
                </span>
                <span className="gw-alert-age">
                  {a.clearedAt !== null ? t('alerts.cleared') : age(t, server - a.raisedAt)}
                </span>
                <span className="gw-alert-meta">
                  {[a.caseCode ?? a.sensorId, grid?.name, t('alerts.to', { level: t(`level.${a.targetLevel}`) })]
                    .filter(Boolean)
                    .join(' · ')}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
