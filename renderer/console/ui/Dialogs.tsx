import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { CASE_LEVELS, type CaseLevel, type Priority, type Satisfaction } from '../../../protocol';
import type { CaseLite } from '../../../protocol/lite';
import { ACTION_DEFS, actionAllowed, nextLevel } from '../actions';
import { useConsole, useData, useDepartments, useUi } from '../context';
import { categoryName } from '../format';
import type { AuthState, DialogState } from '../state';
import { assigneeLoads, keepOrder, rankDepartments, rankWorkers, type Suggestion } from '../suggestions';

/** A key is the open dialog's unless another handler took it or the login screen lies over the dialog. */
function keyForDialog(ev: KeyboardEvent, auth: AuthState): boolean {
  return !ev.defaultPrevented && auth === 'ready';
}

/** The open action's dialog: Enter sends, Esc cancels; nothing in it needs the mouse. */
export function ActionDialog() {
  const dialog = useUi((s) => s.dialog);
  if (!dialog) return null;
  return <DialogFor key={dialog.id} dialog={dialog} />;
}

const SATISFACTIONS: Array<Satisfaction | ''> = ['', 'satisfied', 'basic', 'unsatisfied'];

function DialogFor(props: { dialog: DialogState }) {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const { dialog } = props;
  const def = ACTION_DEFS[dialog.action];
  const en = i18n.language === 'en';
  // Re-render as the case changes under the open dialog (to warn that the command will conflict).
  useData((s) => s.cases.byId.get(dialog.caseId));
  const c = runtime.dialogs.caseLite(dialog.caseId);
  const categories = useData((s) => s.categories);
  const full = useData((s) => (s.focusedCase?.id === dialog.caseId ? s.focusedCase : null));
  const root = useRef<HTMLDivElement>(null);
  const firstField = useRef<HTMLInputElement>(null);
  const [reason, setReason] = useState(dialog.prefill?.reason ?? dialog.prefill?.note ?? '');
  const [priority, setPriority] = useState<Priority | ''>('');
  const [category, setCategory] = useState('');
  const [toLevel, setToLevel] = useState<CaseLevel | ''>(c ? (nextLevel(c.level) ?? '') : '');
  const [duplicateCode, setDuplicateCode] = useState('');
  const [satisfaction, setSatisfaction] = useState<Satisfaction | ''>(
    (dialog.prefill?.satisfaction as Satisfaction | undefined) ?? '',
  );
  const [pick, setPick] = useState<Suggestion | null>(null);
  const [error, setError] = useState<string | null>(null);

  // The dialog is modal, so it takes the page's keys wherever the focus is (a click on the backdrop,
  // a row re-rendered under it). Set before the first paint: a key pressed as soon as the dialog
  // shows is the dialog's.
  const onKey = useRef<((ev: KeyboardEvent) => void) | null>(null);
  useLayoutEffect(() => {
    (firstField.current ?? root.current)?.focus();
    const listener = (ev: KeyboardEvent) => onKey.current?.(ev);
    addEventListener('keydown', listener);
    return () => removeEventListener('keydown', listener);
  }, []);

  if (!c) return null;
  // While the operator's own command under the dialog is on its way, a newer version is that
  // command's doing (the dialog takes it when the command is applied), not someone else's.
  const ownPending =
    dialog.builtOn !== null &&
    runtime.outbox.queuedFor(dialog.caseId).some((e) => e.command.commandId === dialog.builtOn);
  const stale = !ownPending && c.version > dialog.version;
  const status = runtime.dialogs.predictedStatus(c);
  // A case that changed under the dialog is still sent as decided, on the version seen: the
  // server answers with a conflict and the current state, and the supervisor chooses to redo.
  const allowed =
    stale ||
    actionAllowed(dialog.action, {
      status,
      level: c.level,
      extensionRequested: c.extensionRequested === true,
      hasAssignee: Boolean(c.assigneeId),
    });

  const submit = async () => {
    setError(null);
    const args: Record<string, unknown> = {};
    const text = reason.trim();
    switch (def.dialog) {
      case 'file':
        if (priority) args.priority = priority;
        if (category) args.category = category;
        if (text) args.note = text;
        break;
      case 'reason':
      case 'escalate':
      case 'void':
        if (!text) return setError(t('console.dialog.reasonRequired'));
        args.reason = text;
        if (def.dialog === 'escalate' && toLevel) args.toLevel = toLevel;
        if (def.dialog === 'void' && duplicateCode.trim()) {
          const id = await findCaseId(runtime, duplicateCode.trim());
          if (!id) return setError(t('console.dialog.duplicateUnknown', { code: duplicateCode.trim() }));
          args.duplicateOf = id;
        }
        break;
      case 'note':
        if (def.reasonRequired && !text) return setError(t('console.dialog.noteRequired'));
        if (text) args.note = text;
        break;
      case 'close':
        if (satisfaction) args.satisfaction = satisfaction;
        if (text) args.note = text;
        break;
      case 'dispatch':
        if (!pick) return;
        args.assignee = { kind: pick.kind, id: pick.id };
        if (text) args.note = text;
        break;
    }
    const issue = await runtime.dialogs.submit(args);
    if (issue) setError(issue);
  };

  onKey.current = (ev: KeyboardEvent) => {
    if (!keyForDialog(ev, runtime.ui.getState().auth)) return;
    if (ev.key === 'Escape') {
      ev.preventDefault();
      runtime.dialogs.close();
      return;
    }
    if (ev.key === 'Enter' && !ev.isComposing) {
      const inTextArea = ev.target instanceof HTMLTextAreaElement;
      if (!inTextArea || ev.ctrlKey || ev.metaKey) {
        ev.preventDefault();
        if (allowed) void submit();
      }
      return;
    }
    if (def.dialog === 'close' && !(ev.target instanceof HTMLInputElement) && /^[1-4]$/.test(ev.key)) {
      setSatisfaction(SATISFACTIONS[Number(ev.key) - 1] ?? '');
    }
  };

  const reasonLabel =
    def.dialog === 'note' || def.dialog === 'file' || def.dialog === 'close'
      ? def.reasonRequired
        ? t('console.dialog.noteRequired')
        : t('console.dialog.note')
      : t('console.dialog.reason');

  return (
    <div className="gc-overlay" data-testid="dialog-backdrop">
      <div
        className={`gc-dialog gc-dialog-${def.dialog}`}
        role="dialog"
        aria-modal="true"
        data-testid="action-dialog"
        data-action={dialog.action}
        ref={root}
        tabIndex={-1}
      >
        <h2>
          <kbd>{def.key.toUpperCase()}</kbd> {t(`console.action.${dialog.action}`)}
        </h2>
        <div className="gc-dialog-case">
          {t('console.dialog.caseLine', {
            code: c.code,
            category: categoryName(categories, c.category, en),
            address: c.address,
          })}
        </div>
        {(dialog.action === 'approveExtension' || dialog.action === 'refuseExtension') && full?.extension ? (
          <div className="gc-note gc-note-ext" data-testid="dialog-extension">
            {t('console.detail.extension', { minutes: full.extension.minutes, reason: full.extension.reason })}
          </div>
        ) : null}
        {stale ? (
          <div className="gc-note gc-note-warn" data-testid="dialog-stale">
            {t('console.dialog.staleWarning', { from: dialog.version, to: c.version })}
          </div>
        ) : null}
        {!allowed ? (
          <div className="gc-note gc-note-warn">
            {t('console.dialog.notAllowed', { status: t(`status.${status}`) })}
          </div>
        ) : null}

        {def.dialog === 'file' ? (
          <div className="gc-form-row">
            <label>
              <span>{t('console.dialog.priority')}</span>
              <select value={priority} onChange={(e) => setPriority(e.target.value as Priority | '')}>
                <option value="">{t(`priority.${c.priority}`)}</option>
                <option value="urgent">{t('priority.urgent')}</option>
                <option value="normal">{t('priority.normal')}</option>
              </select>
            </label>
            <label>
              <span>{t('console.dialog.category')}</span>
              <select value={category} onChange={(e) => setCategory(e.target.value)}>
                <option value="">
                  {t('console.dialog.keepCategory')}（{categoryName(categories, c.category, en)}）
                </option>
                {[...categories.values()].map((k) => (
                  <option key={k.code} value={k.code}>
                    {en ? k.nameEn || k.name : k.name}
                  </option>
                ))}
              </select>
            </label>
          </div>
        ) : null}

        {def.dialog === 'escalate' ? (
          <label className="gc-form-field">
            <span>{t('console.dialog.toLevel')}</span>
            <select value={toLevel} onChange={(e) => setToLevel(e.target.value as CaseLevel)}>
              {CASE_LEVELS.filter((l) => CASE_LEVELS.indexOf(l) > CASE_LEVELS.indexOf(c.level)).map((l) => (
                <option key={l} value={l}>
                  {t(`level.${l}`)}
                </option>
              ))}
            </select>
          </label>
        ) : null}

        {def.dialog === 'dispatch' ? (
          <DispatchPicker c={c} pick={pick} onPick={setPick} prefillId={dialog.prefill?.assigneeId ?? null} />
        ) : null}

        {def.dialog === 'close' ? (
          <div className="gc-form-field">
            <span>{t('console.dialog.satisfaction')}</span>
            <div className="gc-choices">
              {SATISFACTIONS.map((v, i) => (
                <button
                  key={v || 'none'}
                  type="button"
                  aria-pressed={satisfaction === v}
                  className={`gc-choice${satisfaction === v ? ' gc-choice-on' : ''}`}
                  onClick={() => setSatisfaction(v)}
                >
                  <kbd>{i + 1}</kbd>
                  {t(`console.satisfaction.${v || 'none'}`)}
                </button>
              ))}
            </div>
          </div>
        ) : null}

        {def.dialog === 'void' ? (
          <label className="gc-form-field">
            <span>{t('console.dialog.duplicateOf')}</span>
            <input value={duplicateCode} onChange={(e) => setDuplicateCode(e.target.value)} />
          </label>
        ) : null}

        <label className="gc-form-field">
          <span>{def.dialog === 'dispatch' ? t('console.dispatch.note') : reasonLabel}</span>
          <input
            ref={def.dialog === 'dispatch' ? undefined : firstField}
            data-testid="dialog-text"
            value={reason}
            maxLength={500}
            onChange={(e) => setReason(e.target.value)}
          />
        </label>

        {error ? (
          <div className="gc-login-error" role="alert" data-testid="dialog-error">
            {error}
          </div>
        ) : null}
        <div className="gc-dialog-buttons">
          <span className="gc-muted">{t('console.dialog.enterHint')}</span>
          <button type="button" className="gc-button" onClick={() => runtime.dialogs.close()}>
            {t('console.dialog.cancel')}
          </button>
          <button
            type="button"
            className="gc-button gc-button-primary"
            data-testid="dialog-confirm"
            disabled={!allowed || (def.dialog === 'dispatch' && !pick)}
            onClick={() => void submit()}
          >
            {t('console.dialog.confirm')}
          </button>
        </div>
      </div>
    </div>
  );
}

/** A case's code to its id: the cases held here first, then the server's search. */
async function findCaseId(runtime: ReturnType<typeof useConsole>, code: string): Promise<string | null> {
  for (const c of runtime.store.getState().cases.byId.values()) if (c.code === code) return c.id;
  const token = runtime.ui.getState().session?.token;
  if (!token) return null;
  try {
    const res = await fetch(`/api/cases?q=${encodeURIComponent(code)}&limit=5`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const body = (await res.json()) as { items?: Array<{ id?: unknown; code?: unknown }> };
    const hit = body.items?.find((i) => i.code === code);
    return typeof hit?.id === 'string' ? hit.id : null;
  } catch {
    return null;
  }
}

function DispatchPicker(props: {
  c: CaseLite;
  pick: Suggestion | null;
  onPick: (s: Suggestion) => void;
  prefillId: string | null;
}) {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const { c, pick, onPick } = props;
  const workersRev = useData((s) => s.workers.rev);
  const departments = useDepartments();
  const categories = useData((s) => s.categories);
  const areas = useData((s) => s.areas.byId);
  const en = i18n.language === 'en';

  // Ranked again as workers move and loads change (distances, on duty), in the order first shown.
  const order = useRef({ caseId: c.id, keys: new Map<string, number>() });
  if (order.current.caseId !== c.id) order.current = { caseId: c.id, keys: new Map() };
  // biome-ignore lint/correctness/useExhaustiveDependencies: workersRev stands for the workers map changing in place.
  const { workers, depts } = useMemo(() => {
    const s = runtime.store.getState();
    const loads = assigneeLoads(s.cases.byId.values());
    const grid = areas.get(c.gridId);
    const neighbours = new Set<string>();
    if (grid?.parentId) {
      for (const a of s.areas.list) if (a.parentId === grid.parentId && a.id !== grid.id) neighbours.add(a.id);
    }
    const keys = order.current.keys;
    return {
      workers: keepOrder(
        rankWorkers({ target: c, workers: s.workers.byId.values(), loads, neighbourGrids: neighbours }),
        keys,
      ),
      depts: keepOrder(rankDepartments(categories.get(c.category), c.category, departments.values(), loads), keys),
    };
  }, [runtime, c.id, c.gridId, c.category, workersRev, departments, categories, areas]);
  const all: Suggestion[] = useMemo(() => [...workers, ...depts], [workers, depts]);

  // The best suggestion is chosen at once, before the list is painted: D then Enter dispatches to it,
  // and an arrow key pressed as soon as the list shows moves on from it.
  useLayoutEffect(() => {
    if (pick && all.some((s) => s.id === pick.id && s.kind === pick.kind)) return;
    const first = (props.prefillId ? all.find((s) => s.id === props.prefillId) : undefined) ?? all[0];
    if (first) onPick(first);
  }, [all, pick, onPick, props.prefillId]);

  const list = useRef<HTMLDivElement>(null);
  // The page's keys, as the dialog's (modal); a layout effect too, so the keys never act on a choice
  // older than the one on screen.
  useLayoutEffect(() => {
    const onKey = (ev: KeyboardEvent) => {
      if (!keyForDialog(ev, runtime.ui.getState().auth)) return;
      if (ev.target instanceof HTMLInputElement && !/^(ArrowUp|ArrowDown)$/.test(ev.key)) return;
      const i = pick ? all.findIndex((s) => s.id === pick.id && s.kind === pick.kind) : -1;
      let next: number | null = null;
      if (ev.key === 'ArrowDown') next = Math.min(all.length - 1, i + 1);
      else if (ev.key === 'ArrowUp') next = Math.max(0, i - 1);
      else if (/^[1-9]$/.test(ev.key)) next = Number(ev.key) - 1;
      if (next === null || !all[next]) return;
      ev.preventDefault();
      onPick(all[next] as Suggestion);
      list.current?.querySelector(`[data-index="${next}"]`)?.scrollIntoView({ block: 'nearest' });
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  }, [runtime, all, pick, onPick]);

  const distance = (m: number | null) =>
    m === null
      ? t('console.dispatch.noPosition')
      : m >= 1000
        ? t('console.dispatch.distanceKm', { km: (m / 1000).toFixed(1) })
        : t('console.dispatch.distance', { m });

  let index = 0;
  const item = (s: Suggestion, label: React.ReactNode, detail: React.ReactNode) => {
    const i = index++;
    const on = pick?.id === s.id && pick.kind === s.kind;
    return (
      <button
        key={`${s.kind}:${s.id}`}
        type="button"
        className={`gc-suggestion${on ? ' gc-suggestion-on' : ''}`}
        data-index={i}
        data-testid="suggestion"
        data-kind={s.kind}
        data-id={s.id}
        aria-pressed={on}
        onClick={() => onPick(s)}
      >
        <kbd>{i < 9 ? i + 1 : ''}</kbd>
        <span className="gc-suggestion-name">{label}</span>
        <span className="gc-suggestion-detail">{detail}</span>
      </button>
    );
  };

  return (
    <div className="gc-dispatch" ref={list}>
      <div className="gc-muted">{t('console.dispatch.pickHint')}</div>
      <div className="gc-section-title">{t('console.dispatch.workers')}</div>
      {workers.some((w) => w.sameGrid) ? null : <div className="gc-muted">{t('console.dispatch.none')}</div>}
      {workers.map((w) =>
        item(
          w,
          <>
            {w.name}
            {w.sameGrid ? null : (
              <span className="gc-tag">
                {t('console.dispatch.neighbours')} {areas.get(w.gridId)?.name ?? ''}
              </span>
            )}
          </>,
          <>
            {distance(w.distanceM)} · {t('console.dispatch.load', { n: w.load })}
          </>,
        ),
      )}
      <div className="gc-section-title">{t('console.dispatch.departments')}</div>
      {depts.length === 0 ? <div className="gc-muted">{t('console.dispatch.noDepartments')}</div> : null}
      {depts.map((d) =>
        item(
          d,
          <>
            {en ? d.nameEn || d.name : d.name}
            {d.primary ? <span className="gc-tag gc-tag-ext">{t('console.dispatch.primary')}</span> : null}
          </>,
          t('console.dispatch.load', { n: d.load }),
        ),
      )}
    </div>
  );
}
