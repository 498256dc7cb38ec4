import { useLayoutEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import type { CaseLite } from '../../../../protocol/lite';
import { useConsole, useData, useDepartments } from '../../context';
import { assigneeLoads, keepOrder, rankDepartments, rankWorkers, type Suggestion } from '../../suggestions';
import { keyForDialog } from './Frame';

/**
 * Who to dispatch to: the grid's workers (nearest and least loaded first, then the neighbouring
 * grids') and the departments that take the category. Arrows and digits choose, before the first
 * paint the best one is chosen.
 */
export function DispatchPicker(props: {
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
