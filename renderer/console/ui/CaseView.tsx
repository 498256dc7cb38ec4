import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Case } from '../../../protocol';
import type { CaseLite } from '../../../protocol/lite';
import { centerStore } from '../../state/center';
import { serverNow } from '../../state/store';
import { deadlineView, workingDuration } from '../../ui/deadline';
import { clockTime, dayTime, placeOf } from '../../ui/format';
import { useNow } from '../../ui/hooks';
import { ACTION_DEFS, ACTIONS, actionAllowed } from '../actions';
import { useConsole, useData, useUi } from '../context';
import { categoryName } from '../format';
import { MiniMap } from './MiniMap';
import './CaseView.css';

/** The selected case: what a supervisor needs to decide, and the actions with their keys. */
export function CaseView() {
  const { t } = useTranslation();
  const runtime = useConsole();
  const selectedId = useUi((s) => s.selectedId);
  // Re-render when the case changes in the stream or by our own answer.
  useData((s) => (selectedId ? s.cases.byId.get(selectedId) : undefined));
  const acked = useUi((s) => (selectedId ? s.acked.get(selectedId) : undefined));
  const focused = useData((s) => (s.focusedCase && s.focusedCase.id === selectedId ? s.focusedCase : null));
  if (!selectedId) {
    return (
      <div className="gc-case gc-case-empty" data-testid="case-view" data-case-id="">
        <div className="gc-empty">
          <div>{t('console.detail.none')}</div>
          <div className="gc-muted">{t('console.detail.noneHint')}</div>
        </div>
      </div>
    );
  }
  const lite = runtime.dialogs.caseLite(selectedId);
  // The full case: the stream's focused copy or our last answer, whichever is newer.
  const full = newest(focused, acked ?? null);
  if (!lite) {
    return (
      <div className="gc-case" data-testid="case-view" data-case-id={selectedId}>
        <div className="gc-empty">{t('console.detail.loading')}</div>
      </div>
    );
  }
  return <CaseBody lite={lite} full={full && full.version >= lite.version ? full : null} />;
}

function newest(a: Case | null, b: Case | null): Case | null {
  if (!a) return b;
  if (!b) return a;
  return a.version >= b.version ? a : b;
}

function CaseBody(props: { lite: CaseLite; full: Case | null }) {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const { lite: c, full } = props;
  const en = i18n.language === 'en';
  const categories = useData((s) => s.categories);
  const areas = useData((s) => s.areas.byId);
  const clock = useData((s) => s.clock);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const outbox = useUi((s) => s.outbox);
  const queued = outbox.queued.filter((e) => e.command.caseId === c.id);
  const now = useNow(1000);
  const server = serverNow({ clock }, now);
  const cd = deadlineView(t, calendar, server, c);
  const status = runtime.dialogs.predictedStatus(c);
  const target = {
    status,
    level: c.level,
    extensionRequested: c.extensionRequested === true,
    hasAssignee: Boolean(c.assigneeId),
  };
  const deadline = full?.deadline ?? null;
  const timeline = full ? [...full.timeline].reverse() : [];
  const duplicate = full?.duplicateOf ? runtime.store.getState().cases.byId.get(full.duplicateOf) : undefined;

  return (
    <div
      className="gc-case"
      data-testid="case-view"
      data-case-id={c.id}
      data-status={c.status}
      data-version={c.version}
    >
      <div className="gc-case-head">
        <span className="gc-case-code" data-testid="case-view-code">
          {c.code}
        </span>
        <span className={`gc-status gc-status-${c.status}`} data-testid="case-view-status">
          {t(`status.${c.status}`)}
        </span>
        {c.priority === 'urgent' ? <span className="gc-tag gc-tag-urgent">{t('priority.urgent')}</span> : null}
        <span className="gc-tag">{t(`level.${c.level}`)}</span>
        {queued.length > 0 ? (
          <span className="gc-tag gc-tag-pending" data-testid="case-view-pending">
            {t('console.detail.pendingCommands', { n: queued.length })}
          </span>
        ) : null}
        <span className="gc-top-spacer" />
        <span className="gc-muted">{t('console.detail.version', { v: c.version })}</span>
      </div>

      <div className={`gc-deadline gc-tone-${cd.tone}`} data-testid="case-view-deadline">
        <div className="gc-deadline-main">
          {cd.text}
          {cd.clockLabel ? <span className="gc-deadline-unit">（{cd.clockLabel}）</span> : null}
        </div>
        {c.dueAt !== null ? (
          <div className="gc-deadline-sub">
            {deadline
              ? t('console.deadline.stage', {
                  stage: t(`stage.${deadline.stage}`),
                  limit: workingDuration(t, deadline.limitMinutes),
                })
              : c.stage
                ? t(`stage.${c.stage}`)
                : ''}
            {' · '}
            {t('console.deadline.due', { time: dayTime(c.dueAt) })}
          </div>
        ) : null}
      </div>

      <div className="gc-case-grid">
        <div className="gc-case-fields">
          <dl>
            <dt>{t('console.detail.category')}</dt>
            <dd>{categoryName(categories, c.category, en)}</dd>
            <dt>{t('console.detail.source')}</dt>
            <dd>{t(`source.${c.source}`)}</dd>
            <dt>{t('console.detail.place')}</dt>
            <dd>{placeOf(areas, c.gridId)}</dd>
            <dt>{t('console.detail.address')}</dt>
            <dd>{c.address}</dd>
            <dt>{t('console.detail.assignee')}</dt>
            <dd>{c.assignee ?? t('console.detail.unassigned')}</dd>
            <dt>{t('console.detail.reporter')}</dt>
            <dd data-testid="case-view-reporter">
              {full?.reporter ? (
                <>
                  {full.reporter.name}
                  {' · '}
                  <span className="gc-phone">{full.reporter.phone}</span>
                </>
              ) : full ? (
                <span className="gc-muted">{t('console.detail.reporterNone')}</span>
              ) : (
                '…'
              )}
            </dd>
          </dl>
          {full?.extension ? (
            <div className="gc-note gc-note-ext">
              {t('console.detail.extension', { minutes: full.extension.minutes, reason: full.extension.reason })}
            </div>
          ) : null}
          {full?.duplicateOf ? (
            <div className="gc-note">
              {t('console.detail.duplicateOf', { code: duplicate?.code ?? full.duplicateOf })}
            </div>
          ) : null}
          <div className="gc-section-title">{t('console.detail.description')}</div>
          <div className="gc-description">{full?.description ?? '…'}</div>
          <div className="gc-section-title">{t('console.detail.media')}</div>
          <div className="gc-media">
            {full && full.media.length > 0 ? (
              full.media.map((m, i) => (
                <a key={m} href={m} target="_blank" rel="noreferrer noopener">
                  {t('console.detail.mediaItem', { n: i + 1 })}
                </a>
              ))
            ) : (
              <span className="gc-muted">{t('console.detail.mediaNone')}</span>
            )}
          </div>
        </div>
        <MiniMap c={c} />
      </div>

      <div className="gc-actions" data-testid="case-actions">
        {ACTIONS.map((a) => {
          const allowed = actionAllowed(a, target);
          return (
            <button
              key={a}
              type="button"
              className="gc-action"
              disabled={!allowed}
              data-action={a}
              onClick={() => runtime.dialogs.open(a, c.id)}
            >
              <kbd>{ACTION_DEFS[a].key.toUpperCase()}</kbd>
              {t(`console.action.${a}`)}
            </button>
          );
        })}
      </div>

      <div className="gc-section-title">{t('console.detail.timeline')}</div>
      <ol className="gc-timeline" data-testid="case-timeline">
        {timeline.map((e) => (
          <li key={`${e.at}:${e.action}:${e.actor.id}:${e.to}:${e.note ?? ''}`}>
            <span className="gc-timeline-time">{`${dayTime(e.at).slice(0, 5)} ${clockTime(e.at)}`}</span>
            <span className="gc-timeline-action">
              {t(`console.timelineAction.${e.action}`, { defaultValue: e.action })}
            </span>
            <span className="gc-timeline-who">{e.actor.name}</span>
            {e.note ? <span className="gc-timeline-note">{e.note}</span> : null}
          </li>
        ))}
      </ol>
    </div>
  );
}
