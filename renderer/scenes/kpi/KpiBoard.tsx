import { useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { KpiPanel, KpiSceneOptions } from '../../../protocol';
import { formatChange, formatRateOf } from '../../../protocol/kpiFormat';
import { useShow } from '../../presenter/ShowOverlay';
import { centerStore } from '../../state/center';
import type { WallState } from '../../state/store';
import { useRuntime, useServerNow, useWall, useWallThrottled } from '../../ui/context';
import { deadlineView } from '../../ui/deadline';
import { count, placeOf } from '../../ui/format';
import { overdueEmptyReason } from '../status/empty';
import { Chart, type ChartSpec } from './Chart';
import {
  categoriesSpec,
  type Figures,
  type RateFigures,
  rateSpec,
  type SelectFigures,
  sourcesSpec,
  trendSpec,
} from './specs';
import './kpi.css';

const selectOpen = (s: WallState) => s.cases.counts.open;
const selectOverdue = (s: WallState) => s.cases.counts.overdue;
const selectOverdueTop = (s: WallState) => s.cases.overdueTop;

/** Today's figures, the rates, the trend, the sources, the categories, the streets, the overdue list. */
export function KpiBoard(props: { options: KpiSceneOptions }) {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const runtime = useRuntime();
  const specs = useMemo(() => {
    // A presentation step may show another period's figures (the show store), else the live ones:
    // today's for counts, trend and breakdowns; the rolling 30 days' for rates (today's are partial).
    const select: SelectFigures = (s) => runtime.show.getState().kpis ?? s.kpis.figures;
    const selectRates = (s: WallState) => runtime.show.getState().kpis ?? s.kpis.rolling;
    return {
      rates: rateSpec(t, lang, selectRates),
      trend: trendSpec(t, select),
      sources: sourcesSpec(t, select),
      categories: categoriesSpec(lang, select),
    };
  }, [t, lang, runtime]);
  const { panels, columns } = props.options;
  const rest = panels.filter((p) => p !== 'summary');
  return (
    <div className="gw-kpi" data-testid="kpi-board">
      {panels.includes('summary') ? <Summary /> : null}
      <div
        className="gw-kpi-grid"
        style={{ gridTemplateColumns: `repeat(${Math.min(columns, rest.length) || 1}, minmax(0, 1fr))` }}
      >
        {rest.map((p) => (
          <Panel key={p} panel={p} specs={specs} />
        ))}
      </div>
    </div>
  );
}

function Panel(props: {
  panel: Exclude<KpiPanel, 'summary'>;
  specs: { rates: ChartSpec<RateFigures> } & Record<'trend' | 'sources' | 'categories', ChartSpec<Figures>>;
}) {
  const { t } = useTranslation();
  const { panel, specs } = props;
  const rolling = panel === 'rates' || panel === 'ranking';
  const hasKpis = useFigures(rolling) !== null;
  // Every panel names the span its figures cover: a presentation step's period, or the live window.
  const period = usePeriodLabel() ?? t(`kpi.window.${PANEL_WINDOW[panel]}`);
  const title = `${t(`kpi.${panel}`)} · ${period}`;
  let body: React.ReactNode;
  if (panel === 'overdue') body = <OverdueList />;
  else if (!hasKpis)
    body = (
      <div className="gw-empty" data-reason="kpi.noData">
        {t('kpi.noData')}
      </div>
    );
  else if (panel === 'ranking') body = <Ranking />;
  else if (panel === 'rates') body = <Chart spec={specs.rates} testId="kpi-chart-rates" />;
  else body = <Chart spec={specs[panel]} testId={`kpi-chart-${panel}`} />;
  return (
    <div className={`gw-panel gw-panel-${panel}`} data-testid={`kpi-panel-${panel}`}>
      <div className="gw-panel-title">{title}</div>
      <div className="gw-panel-body">{body}</div>
    </div>
  );
}

/** The live window each panel's figures cover (rates and rankings over a partial day would mislead). */
const PANEL_WINDOW: Record<Exclude<KpiPanel, 'summary'>, 'today' | 'rolling30' | 'last24h' | 'now'> = {
  rates: 'rolling30',
  ranking: 'rolling30',
  trend: 'last24h',
  sources: 'today',
  categories: 'today',
  overdue: 'now',
};

/** The figures on show: a presentation step's period, or the live ones (rolling 30 days for rates). */
function useFigures(rolling = false): RateFigures {
  const override = useShow((s) => s.kpis);
  const live = useWall((s) => (rolling ? s.kpis.rolling : s.kpis.figures));
  return override ?? live;
}

/** "本月" while a presentation step shows a period other than today. */
function usePeriodLabel(): string | null {
  const { t } = useTranslation();
  const period = usePeriodKey();
  return period ? t(`presenter.period.${period}`) : null;
}

function usePeriodKey(): string | null {
  return useShow((s) => (s.kpis ? (s.presentation?.step.kpiPeriod ?? null) : null));
}

function Summary() {
  const { t } = useTranslation();
  const k = useFigures();
  const period = usePeriodLabel();
  const periodKey = usePeriodKey();
  const open = useWallThrottled(selectOpen, 500);
  const overdue = useWallThrottled(selectOverdue, 500);
  const change = k?.change.receivedPeriodOnPeriod ?? null;
  return (
    <div className="gw-kpi-summary" data-testid="kpi-summary" data-period={period ?? ''}>
      {period ? <div className="gw-kpi-period">{period}</div> : null}
      <div className="gw-kpi-summary-grid">
        <Figure
          id="received"
          label={periodKey ? t(`presenter.received.${periodKey}`) : t('kpi.received')}
          value={k?.received ?? null}
          note={change === null ? undefined : `${t('kpi.periodOnPeriod')} ${formatChange(change)}`}
        />
        <Figure id="filed" label={periodKey ? t('kpi.filed') : t('kpi.filedToday')} value={k?.filed ?? null} />
        <Figure id="closed" label={periodKey ? t('kpi.closed') : t('kpi.closedToday')} value={k?.closed ?? null} />
        <Figure id="pending" label={t('kpi.pending')} value={open} />
        <Figure id="overduePending" label={t('kpi.overduePending')} value={overdue} tone="danger" />
      </div>
    </div>
  );
}

function Figure(props: { id: string; label: string; value: number | null; note?: string; tone?: 'danger' }) {
  const { t } = useTranslation();
  return (
    <div
      className={`gw-figure${props.tone ? ` gw-figure-${props.tone}` : ''}`}
      data-testid={`kpi-${props.id}`}
      data-value={props.value ?? ''}
    >
      <div className="gw-figure-label">{props.label}</div>
      <div className="gw-figure-value">
        {count(props.value)}
        <span className="gw-figure-unit">{t('kpi.unit')}</span>
      </div>
      {props.note ? <div className="gw-figure-note">{props.note}</div> : null}
    </div>
  );
}

function Ranking() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const ranking = useFigures(true)?.ranking ?? null;
  const rows = (ranking ?? []).filter((r) => r.level === 'street').slice(0, 8);
  return (
    <table
      className="gw-ranking"
      data-testid="kpi-ranking"
      data-values={JSON.stringify(rows.map((r) => [r.areaId, r.received, r.closureRate]))}
    >
      <thead>
        <tr>
          <th>#</th>
          <th>{t('kpi.rankingName')}</th>
          <th>{t('kpi.rankingReceived')}</th>
          <th>{t('kpi.rankingClosure')}</th>
          <th>{t('kpi.rankingOnTime')}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={r.areaId}>
            <td className="gw-rank">{i + 1}</td>
            <td className="gw-ranking-name">{r.name}</td>
            <td>{count(r.received)}</td>
            <td>{formatRateOf(r.closureRate, r.dueToClose, lang)}</td>
            <td>{formatRateOf(r.onTimeClosureRate, r.dueToClose, lang)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const OVERDUE_ROW_PX = 104;

/** How many rows of `rowPx` fit in the element (lists fill their region, never cut a row in half). */
function useRowsThatFit(rowPx: number): [React.RefObject<HTMLDivElement | null>, number] {
  const ref = useRef<HTMLDivElement>(null);
  const [rows, setRows] = useState(8);
  useEffect(() => {
    const el = ref.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setRows(Math.max(1, Math.floor(el.clientHeight / rowPx))));
    ro.observe(el);
    return () => ro.disconnect();
  }, [rowPx]);
  return [ref, rows];
}

/** Open overdue cases, most overdue first (the store's incremental top list), with place and who is responsible. */
function OverdueList() {
  const { t, i18n } = useTranslation();
  const runtime = useRuntime();
  const server = useServerNow(1000);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const focused = useWall((s) => s.focus.caseId);
  const categories = useWall((s) => s.categories);
  const areas = useWall((s) => s.areas.byId);
  const en = i18n.language === 'en';
  const [box, fits] = useRowsThatFit(OVERDUE_ROW_PX);
  // The store keeps the most overdue in order; the list shows what fits, re-read once a second.
  const top = useWallThrottled(selectOverdueTop, 1000);
  const rows = top.slice(0, fits);
  const ready = useWall((s) => s.ready);
  const open = useWallThrottled(selectOpen, 1000);
  const empty = rows.length > 0 ? null : overdueEmptyReason({ ready, open, overdue: rows.length });
  return (
    <div ref={box} className="gw-fill">
      {empty ? (
        <div className="gw-empty" data-reason={empty}>
          {t(empty)}
        </div>
      ) : null}
      <ol className="gw-overdue" data-testid="overdue-list">
        {rows.map((c) => {
          const cat = categories.get(c.category);
          return (
            <li key={c.id}>
              <button
                type="button"
                className={`gw-overdue-row${c.id === focused ? ' gw-overdue-focused' : ''}`}
                data-testid="overdue-item"
                data-case-id={c.id}
                onClick={() => runtime.focus(c.id, 'local')}
              >
                <span className="gw-overdue-code">{c.code}</span>
                <span className="gw-overdue-by" data-testid="overdue-by">
                  {deadlineView(t, calendar, server, c).text}
                </span>
                <span className="gw-overdue-meta" data-testid="overdue-meta">
                  <span className="gw-overdue-cat">{cat ? (en ? cat.nameEn || cat.name : cat.name) : c.category}</span>
                  {[
                    '',
                    placeOf(areas, c.gridId),
                    t('alerts.responsible', { name: c.assignee ?? t('alerts.unassigned') }),
                  ].join(' · ')}
                </span>
              </button>
            </li>
          );
        })}
      </ol>
    </div>
  );
}
