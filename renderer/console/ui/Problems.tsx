import { useTranslation } from 'react-i18next';
import { clockTime } from '../../ui/format';
import { actionAllowed } from '../actions';
import { useConsole, useData, useUi } from '../context';
import { actionOf } from '../dialogs';
import type { OutboxEntry } from '../outbox';
import './Problems.css';

/**
 * Commands the server refused. A conflict shows the case as it now is (from the refusal itself)
 * and offers to redo the action on that state; R redoes the newest, Delete dismisses it.
 */
export function Problems() {
  const { t } = useTranslation();
  const failed = useUi((s) => s.outbox.failed);
  if (failed.length === 0) return null;
  return (
    <section className="gc-problems" data-testid="problems">
      <div className="gc-section-title">
        {t('console.problems.title')} · {failed.length}
      </div>
      <div className="gc-problems-list">
        {[...failed].reverse().map((e) => (
          <Problem key={e.seq} entry={e} />
        ))}
      </div>
    </section>
  );
}

function Problem(props: { entry: OutboxEntry }) {
  const { t } = useTranslation();
  const runtime = useConsole();
  const { entry } = props;
  const action = actionOf(entry.command);
  const current = entry.error?.current;
  const last = current?.timeline.at(-1);
  // Whether a redo applies depends on the case now: follow it.
  useData((s) => s.cases.byId.get(entry.command.caseId));
  useUi((s) => s.outbox.queued);
  const lite = runtime.dialogs.caseLite(entry.command.caseId);
  const canRedo =
    action !== null &&
    lite !== undefined &&
    actionAllowed(action, {
      status: runtime.dialogs.predictedStatus(lite),
      level: lite.level,
      extensionRequested: lite.extensionRequested === true,
      hasAssignee: Boolean(lite.assigneeId),
    });
  return (
    <div
      className="gc-problem"
      data-testid="problem"
      data-code={entry.error?.code}
      data-case-id={entry.command.caseId}
      data-command-id={entry.command.commandId}
    >
      <div className="gc-problem-head">
        <span className="gc-problem-what">
          {action ? t(`console.action.${action}`) : entry.command.type} · {entry.caseCode}
        </span>
        <span className="gc-problem-why">{t(`console.problems.${entry.error?.code ?? 'invalid'}`)}</span>
      </div>
      {current ? (
        <div className="gc-problem-current" data-testid="problem-current" data-status={current.status}>
          {t('console.problems.current', {
            status: t(`status.${current.status}`),
            level: t(`level.${current.level}`),
            assignee: current.assignee?.name ?? '—',
            version: current.version,
          })}
          {last ? (
            <div className="gc-muted">
              {t('console.problems.lastChange', {
                who: last.actor.name,
                action: t(`console.timelineAction.${last.action}`, { defaultValue: last.action }),
                time: clockTime(last.at),
              })}
            </div>
          ) : null}
        </div>
      ) : null}
      <div className="gc-problem-buttons">
        <button
          type="button"
          className="gc-button gc-button-primary"
          data-testid="problem-redo"
          disabled={!canRedo}
          title={canRedo ? undefined : t('console.problems.redoNotAllowed')}
          onClick={() => {
            if (action) {
              runtime.lists.select(entry.command.caseId);
              runtime.dialogs.open(action, entry.command.caseId, entry);
            }
          }}
        >
          <kbd>R</kbd> {t('console.problems.redo')}
        </button>
        <button
          type="button"
          className="gc-button"
          data-testid="problem-dismiss"
          onClick={() => void runtime.outbox.dismiss(entry.seq)}
        >
          {t('console.problems.dismiss')}
        </button>
      </div>
    </div>
  );
}
