import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { AlertsSceneOptions } from '../../../protocol';
import { centerStore } from '../../state/center';
import type { WallState } from '../../state/store';
import { useRuntime, useServerNow, useWall, useWallThrottled } from '../../ui/context';
import { deadlineView } from '../../ui/deadline';
import { age, placeOf } from '../../ui/format';
import { alertsEmptyReason } from '../status/empty';
import { supervisionRows } from './rows';
import './alerts.css';

const selectList = (s: WallState) => s.alerts.list;
const selectActive = (s: WallState) => s.alerts.active;

/**
 * Overdue warnings, escalations, sensor alarms as supervisors read them: one row per case with its
 * reasons merged, its place (street · community · grid), who is responsible and how late it is.
 */
export function AlertsTicker(props: { options: AlertsSceneOptions }) {
  const { t, i18n } = useTranslation();
  const runtime = useRuntime();
  const server = useServerNow(1000);
  const list = useWallThrottled(selectList, 1000);
  const active = useWallThrottled(selectActive, 1000);
  const categories = useWall((s) => s.categories);
  const areas = useWall((s) => s.areas.byId);
  const focused = useWall((s) => s.focus.caseId);
  const ready = useWall((s) => s.ready);
  const en = i18n.language === 'en';
  const calendar = useStore(centerStore, (s) => s.calendar);
  // The cases are read at each render (a tick a second): subscribing would re-render on every batch.
  const cases = runtime.store.getState().cases.byId;
  const rows = supervisionRows(list, props.options.max);
  const empty = alertsEmptyReason({ ready, rows: rows.length });
  return (
    <div className="gw-alerts" data-testid="alerts">
      <div className="gw-scene-title">
        {t('alerts.title')}
        <span className="gw-scene-title-count">{active}</span>
      </div>
      {empty ? (
        <div className="gw-empty" data-reason={empty}>
          {t(empty)}
        </div>
      ) : null}
      <ol className="gw-alert-list">
        {rows.map((r) => {
          const cat = r.category ? categories.get(r.category) : undefined;
          const c = r.caseId ? cases.get(r.caseId) : undefined;
          const late = c?.overdue ? deadlineView(t, calendar, server, c).text : null;
          const responsible = c ? (c.assignee ?? t('alerts.unassigned')) : null;
          return (
            <li key={r.key}>
              <button
                type="button"
                className={`gw-alert gw-alert-${r.kinds[0]} gw-alert-${r.severity}${r.cleared ? ' gw-alert-cleared' : ''}${r.caseId && r.caseId === focused ? ' gw-alert-focused' : ''}`}
                data-testid="alert-item"
                data-case-id={r.caseId ?? ''}
                data-kinds={r.kinds.join(' ')}
                onClick={() => r.caseId && runtime.focus(r.caseId, 'local')}
              >
                <span className="gw-alert-kind">{r.kinds.map((k) => t(`alertKind.${k}`)).join(' · ')}</span>
                <span className="gw-alert-age">
                  {r.cleared ? t('alerts.cleared') : (late ?? age(t, server - r.raisedAt))}
                </span>
                <span className="gw-alert-meta">
                  <span className="gw-alert-cat">
                    {cat ? (en ? cat.nameEn || cat.name : cat.name) : (r.category ?? '')}
                  </span>
                  {[
                    '',
                    r.code ?? r.sensorId,
                    placeOf(areas, r.gridId),
                    responsible ? t('alerts.responsible', { name: responsible }) : null,
                    r.targetLevel !== 'grid' ? t('alerts.to', { level: t(`level.${r.targetLevel}`) }) : null,
                  ]
                    .filter((part) => part !== null && part !== undefined)
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
