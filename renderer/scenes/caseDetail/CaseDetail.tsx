import { type ReactNode, useEffect, useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Case } from '../../../protocol';
import { type CaseLite, toCaseLite } from '../../../protocol/lite';
import { type AutoCandidate, autoTurn, clockRateStore, detailChoice } from '../../state/autoCase';
import { centerStore } from '../../state/center';
import { useRuntime, useServerNow, useWall } from '../../ui/context';
import { deadlineView } from '../../ui/deadline';
import { clockTime, placeOf, scrub, shortTime } from '../../ui/format';
import './caseDetail.css';

/** Recomputed at most once a second and only when the cases or the turn changed (100,000 cases: ~1 ms). */
function useAutoChoice(server: number) {
  const runtime = useRuntime();
  const rate = useStore(clockRateStore, (s) => s.rate);
  const focusId = useWall((s) => s.focus.caseId);
  const turn = autoTurn(server, rate);
  const rev = runtime.store.getState().cases.rev;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `rev` and `turn` mark what changes the choice
  return useMemo(
    () => (focusId === null ? detailChoice(runtime.store.getState(), server, rate) : null),
    [runtime, focusId, rev, turn, rate],
  );
}

/**
 * The focused case: status, place, assignee, deadline countdown, timeline. Personal data masked.
 * With no case chosen, the latest urgent and the longest overdue cases take turns (the same on
 * every display, see state/autoCase.ts), labelled as automatic; with nothing open, it says so.
 */
export function CaseDetail() {
  const { t, i18n } = useTranslation();
  const server = useServerNow(1000);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const focusId = useWall((s) => s.focus.caseId);
  const origin = useWall((s) => s.focus.origin);
  const ready = useWall((s) => s.ready);
  const auto = useAutoChoice(server);
  const autoPick = focusId === null && auto?.kind === 'auto' ? auto.pick : null;
  const queue = focusId === null && auto?.kind === 'auto' ? auto.queue : [];
  const caseId = focusId ?? autoPick?.id ?? null;
  // The automatic case's whole record (description, timeline) is fetched as the focused case's is:
  // once per turn, when the case changes, never per frame.
  const runtime = useRuntime();
  const autoId = autoPick?.id ?? null;
  useEffect(() => {
    if (focusId === null) runtime.showAuto?.(autoId);
  }, [runtime, focusId, autoId]);
  const lite = useWall((s) => (caseId ? s.cases.byId.get(caseId) : undefined));
  const full = useWall((s) => (s.focusedCase && s.focusedCase.id === caseId ? s.focusedCase : null));
  const categories = useWall((s) => s.categories);
  const areas = useWall((s) => s.areas.byId);
  const en = i18n.language === 'en';

  if (!caseId) {
    // Nothing chosen and nothing open: say why, in one line.
    const why = ready ? 'caseDetail.noneOpen' : 'caseDetail.waiting';
    return (
      <div className="gw-detail gw-detail-empty" data-testid="case-detail" data-case-id="" data-auto="">
        <div className="gw-scene-title">{t('caseDetail.title')}</div>
        <div className="gw-empty" data-testid="empty-reason" data-reason={why}>
          {t(why)}
        </div>
      </div>
    );
  }
  const c = merge(lite, full);
  if (!c) {
    return (
      <div className="gw-detail" data-testid="case-detail" data-case-id={caseId} data-auto="">
        <div className="gw-scene-title">{t('caseDetail.title')}</div>
        <div className="gw-empty" data-testid="empty-reason" data-reason="caseDetail.loading">
          {t('caseDetail.loading')}
        </div>
      </div>
    );
  }
  const cat = categories.get(c.category);
  const place = placeOf(areas, c.gridId);
  const due = deadlineView(t, calendar, server, c);
  const timeline = full ? [...full.timeline].reverse().slice(0, 8) : [];
  return (
    <div className="gw-detail" data-testid="case-detail" data-case-id={c.id} data-auto={autoPick?.reason ?? ''}>
      <div className="gw-scene-title">
        {t('caseDetail.title')}
        {focusId !== null && origin === 'alert' ? (
          <span className="gw-detail-by-alert">{t('caseDetail.focusByAlert')}</span>
        ) : null}
      </div>
      {autoPick ? (
        <div className="gw-detail-auto" data-testid="case-auto" data-reason={autoPick.reason}>
          <span>{t(`caseDetail.auto.${autoPick.reason}`)}</span>
          <span className="gw-detail-auto-turn">
            {autoPick.index + 1}/{autoPick.of}
          </span>
        </div>
      ) : null}
      <div className="gw-detail-head">
        <span className="gw-detail-code" data-testid="case-code">
          {c.code}
        </span>
        <span className={`gw-badge gw-badge-${c.status}`}>{t(`status.${c.status}`)}</span>
        {c.priority === 'urgent' ? <span className="gw-badge gw-badge-urgent">{t('priority.urgent')}</span> : null}
      </div>
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
      {/*
        The rest, most important first, as whole rows: a row that does not fit wraps out of sight
        (caseDetail.css) rather than being cut, so a short panel shows the place and a tall one (a
        4K screen) adds the timeline and the cases taking turns. The reporter is never on a wall.
      */}
      <ol className="gw-detail-rows">
        {/* An empty first row: where not even the first row fits, it too moves out of sight whole. */}
        <li className="gw-detail-rows-start" aria-hidden="true" />
        <Field label={t('caseDetail.grid')}>{place}</Field>
        <Field label={t('caseDetail.address')}>{scrub(c.address)}</Field>
        <Field label={t('caseDetail.category')}>{cat ? (en ? cat.nameEn || cat.name : cat.name) : c.category}</Field>
        <Field label={t('caseDetail.assignee')}>{c.assignee ?? t('caseDetail.unassigned')}</Field>
        <Field label={t('caseDetail.source')}>
          {t(`source.${c.source}`)} · {t(`caseDetail.atLevel.${c.level}`)}
        </Field>
        {full ? <li className="gw-detail-desc">{scrub(full.description)}</li> : null}
        {timeline.map((e, i) => (
          <li key={`${e.at}-${e.action}-${e.to}`} className="gw-timeline-row">
            {i === 0 ? <div className="gw-detail-subtitle">{t('caseDetail.timeline')}</div> : null}
            <div className="gw-timeline-item">
              <span className="gw-timeline-at">{clockTime(e.at)}</span>
              <span className="gw-timeline-what">
                {t(`status.${e.to}`)} · {e.actor.role === 'public' ? t('caseDetail.masked') : e.actor.name}
                {e.note ? <span className="gw-timeline-note"> · {scrub(e.note)}</span> : null}
              </span>
            </div>
          </li>
        ))}
        {autoPick && queue.length > 1 ? <AutoQueue queue={queue} current={autoPick.id} server={server} /> : null}
      </ol>
    </div>
  );
}

/** One labelled line of the detail (a row of its fold, caseDetail.css): place and address wrap, never cut. */
function Field(props: { label: string; children: ReactNode }) {
  return (
    <li className="gw-detail-field">
      <span className="gw-detail-label">{props.label}</span>
      <span className="gw-detail-value">{props.children}</span>
    </li>
  );
}

/**
 * The cases taking turns, the one on show marked: what the panel has to say besides the case
 * itself while no one has chosen one. A click chooses a case (a person's choice, for every display).
 * Rows of the detail's fold; the first carries the heading, so a heading never stands alone.
 */
function AutoQueue(props: { queue: readonly AutoCandidate[]; current: string; server: number }) {
  const { t, i18n } = useTranslation();
  const runtime = useRuntime();
  const calendar = useStore(centerStore, (s) => s.calendar);
  const categories = useWall((s) => s.categories);
  const en = i18n.language === 'en';
  const byId = runtime.store.getState().cases.byId;
  const rows = props.queue.flatMap((q) => {
    const c = byId.get(q.id);
    return c ? [{ q, c }] : [];
  });
  return rows.map(({ q, c }, i) => {
    const cat = categories.get(c.category);
    return (
      <li key={q.id} className="gw-queue-item">
        {i === 0 ? <div className="gw-detail-subtitle">{t('caseDetail.autoQueue')}</div> : null}
        <button
          type="button"
          className={`gw-queue-row${q.id === props.current ? ' gw-queue-current' : ''}`}
          data-case-id={q.id}
          onClick={() => runtime.focus(q.id, 'local')}
        >
          <span className={`gw-queue-reason gw-queue-${q.reason}`}>{t(`caseDetail.autoReason.${q.reason}`)}</span>
          <span className="gw-queue-what">{cat ? (en ? cat.nameEn || cat.name : cat.name) : c.category}</span>
          <span className="gw-queue-due">{deadlineView(t, calendar, props.server, c).text}</span>
        </button>
      </li>
    );
  });
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
  return full ? toCaseLite(full) : null;
}
