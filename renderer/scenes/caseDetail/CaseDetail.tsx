import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Case } from '../../../protocol';
import type { CaseLite } from '../../../protocol/lite';
import { centerStore } from '../../state/center';
import { useServerNow, useWall } from '../../ui/context';
import { deadlineView } from '../../ui/deadline';
import { clockTime, placeOf, scrub, shortTime } from '../../ui/format';
import './caseDetail.css';

/** The focused case: status, place, assignee, deadline countdown, timeline. Personal data masked. */
export function CaseDetail() {
  const { t, i18n } = useTranslation();
  const server = useServerNow(1000);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const caseId = useWall((s) => s.focus.caseId);
  const origin = useWall((s) => s.focus.origin);
  const lite = useWall((s) => (s.focus.caseId ? s.cases.byId.get(s.focus.caseId) : undefined));
  const full = useWall((s) => (s.focusedCase && s.focusedCase.id === s.focus.caseId ? s.focusedCase : null));
  const categories = useWall((s) => s.categories);
  const areas = useWall((s) => s.areas.byId);
  const en = i18n.language === 'en';

  if (!caseId) {
    return (
      <div className="gw-detail gw-detail-empty" data-testid="case-detail" data-case-id="">
        <div className="gw-scene-title">{t('caseDetail.title')}</div>
        <div className="gw-empty">
          <div>{t('caseDetail.none')}</div>
          <div className="gw-empty-hint">{t('caseDetail.noneHint')}</div>
        </div>
      </div>
    );
  }
  const c = merge(lite, full);
  if (!c) {
    return (
      <div className="gw-detail" data-testid="case-detail" data-case-id={caseId}>
        <div className="gw-scene-title">{t('caseDetail.title')}</div>
        <div className="gw-empty">{t('caseDetail.loading')}</div>
      </div>
    );
  }
  const cat = categories.get(c.category);
  const place = placeOf(areas, c.gridId);
  const due = deadlineView(t, calendar, server, c);
  const timeline = full ? [...full.timeline].reverse().slice(0, 8) : [];
  return (
    <div className="gw-detail" data-testid="case-detail" data-case-id={c.id}>
      <div className="gw-scene-title">
        {t('caseDetail.title')}
        {origin === 'alert' ? <span className="gw-detail-by-alert">{t('caseDetail.focusByAlert')}</span> : null}
      </div>
      <div className="gw-detail-head">
        <span className="gw-detail-code" data-testid="case-code">
          {c.code}
        </span>
        <span className={`gw-badge gw-badge-${c.status}`}>{t(`status.${c.status}`)}</span>
        {c.priority === 'urgent' ? <span className="gw-badge gw-badge-urgent">{t('priority.urgent')}</span> : null}
      </div>
      <div className="gw-detail-desc">{full ? scrub(full.description) : ''}</div>
      <dl className="gw-detail-fields">
        <dt>{t('caseDetail.category')}</dt>
        <dd>{cat ? (en ? cat.nameEn || cat.name : cat.name) : c.category}</dd>
        <dt>{t('caseDetail.source')}</dt>
        <dd>{t(`source.${c.source}`)}</dd>
        <dt>{t('caseDetail.level')}</dt>
        <dd>{t(`level.${c.level}`)}</dd>
        <dt>{t('caseDetail.grid')}</dt>
        <dd>{place}</dd>
        <dt>{t('caseDetail.address')}</dt>
        <dd>{scrub(c.address)}</dd>
        <dt>{t('caseDetail.assignee')}</dt>
        <dd>{c.assignee ?? t('caseDetail.unassigned')}</dd>
        <dt>{t('caseDetail.reporter')}</dt>
        <dd className="gw-masked">{t('caseDetail.masked')}</dd>
      </dl>
      <div
        className={`gw-countdown${due.tone === 'over' ? ' gw-countdown-over' : due.tone === 'warn' ? ' gw-countdown-warn' : ''}`}
        data-testid="countdown"
      >
        {c.stage && due.minutes !== null ? (
          <>
            <span className="gw-countdown-label">{t('caseDetail.deadline', { stage: t(`stage.${c.stage}`) })}</span>
            <span className="gw-countdown-value" data-testid="countdown-value">
              {due.text}
            </span>
            <span className="gw-countdown-due">
              {due.clockLabel} · {c.dueAt !== null ? shortTime(c.dueAt) : ''}
            </span>
          </>
        ) : (
          <span className="gw-countdown-label">{t('caseDetail.noDeadline')}</span>
        )}
      </div>
      {timeline.length > 0 ? (
        <>
          <div className="gw-detail-subtitle">{t('caseDetail.timeline')}</div>
          <ol className="gw-timeline">
            {timeline.map((e) => (
              <li key={`${e.at}-${e.action}-${e.to}`}>
                <span className="gw-timeline-at">{clockTime(e.at)}</span>
                <span className="gw-timeline-what">
                  {t(`status.${e.to}`)} · {e.actor.role === 'public' ? t('caseDetail.masked') : e.actor.name}
                </span>
                {e.note ? <span className="gw-timeline-note">{scrub(e.note)}</span> : null}
              </li>
            ))}
          </ol>
        </>
      ) : null}
    </div>
  );
}

type Shown = Pick<
  CaseLite,
  | 'id'
  | 'code'
  | 'category'
  | 'source'
  | 'priority'
  | 'status'
  | 'level'
  | 'gridId'
  | 'address'
  | 'stage'
  | 'dueAt'
  | 'clock'
  | 'warned'
  | 'overdue'
  | 'assignee'
>;

/** The slim record is the freshest (it follows every event); the full case adds the timeline. */
function merge(lite: CaseLite | undefined, full: Case | null): Shown | null {
  if (lite && (!full || lite.version >= full.version)) return lite;
  if (!full) return null;
  return {
    id: full.id,
    code: full.code,
    category: full.category,
    source: full.source,
    priority: full.priority,
    status: full.status,
    level: full.level,
    gridId: full.gridId,
    address: full.location.address,
    stage: full.deadline?.stage ?? null,
    dueAt: full.deadline?.dueAt ?? null,
    ...(full.deadline?.clock ? { clock: full.deadline.clock } : {}),
    warned: full.deadline?.warned ?? false,
    overdue: full.deadline?.overdue ?? false,
    assignee: full.assignee?.name ?? null,
  };
}
