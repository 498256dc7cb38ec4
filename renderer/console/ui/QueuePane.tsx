import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useCallback, useEffect, useMemo, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { CaseSource } from '../../../protocol';
import type { CaseLite } from '../../../protocol/lite';
import { centerStore } from '../../state/center';
import { serverNow } from '../../state/store';
import { type DeadlineView, deadlineView } from '../../ui/deadline';
import { useNow } from '../../ui/hooks';
import { useConsole, useData, useLists, useUi } from '../context';
import { categoryName } from '../format';
import { QUEUES } from '../queues';
import './QueuePane.css';

export const ROW_HEIGHT = 60;

export function QueuePane() {
  return (
    <section className="gc-queues">
      <QueueTabs />
      <FilterBar />
      <CaseList />
    </section>
  );
}

function QueueTabs() {
  const { t } = useTranslation();
  const runtime = useConsole();
  const queue = useUi((s) => s.queue);
  const counts = useLists((s) => s.result.counts);
  return (
    <div className="gc-tabs" role="tablist">
      {QUEUES.map((q, i) => (
        <button
          key={q}
          type="button"
          role="tab"
          aria-selected={q === queue}
          className={`gc-tab gc-tab-${q}${q === queue ? ' gc-tab-active' : ''}`}
          data-testid={`queue-${q}`}
          data-count={counts[q]}
          onClick={() => runtime.lists.setQueue(q)}
        >
          <span className="gc-tab-key">{i + 1}</span>
          <span className="gc-tab-name">{t(`console.queue.${q}`)}</span>
          <span className="gc-tab-count">{counts[q]}</span>
        </button>
      ))}
    </div>
  );
}

function FilterBar() {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const filters = useUi((s) => s.filters);
  const searching = useUi((s) => s.searching);
  const areas = useData((s) => s.areas.list);
  const categories = useData((s) => s.categories);
  const en = i18n.language === 'en';
  // Streets, and under each its communities: the grain a supervisor filters by.
  const areaOptions = useMemo(() => {
    const streets = areas.filter((a) => a.level === 'street');
    const out: Array<{ id: string; label: string }> = [];
    for (const s of streets) {
      out.push({ id: s.id, label: s.name });
      for (const c of areas.filter((a) => a.parentId === s.id && a.level === 'community')) {
        out.push({ id: c.id, label: `\u3000${c.name}` });
      }
    }
    return out;
  }, [areas]);
  const sources = CaseSource.options;
  const active = filters.areaId || filters.category || filters.source || filters.text;
  return (
    <div className="gc-filters">
      <input
        id="gc-search"
        className="gc-search"
        data-testid="search"
        type="search"
        placeholder={t('console.filter.search')}
        value={filters.text}
        onChange={(e) => runtime.lists.setFilters({ text: e.target.value })}
      />
      <select
        value={filters.areaId ?? ''}
        data-testid="filter-area"
        onChange={(e) => runtime.lists.setFilters({ areaId: e.target.value || null })}
      >
        <option value="">{t('console.filter.area')}</option>
        {areaOptions.map((o) => (
          <option key={o.id} value={o.id}>
            {o.label}
          </option>
        ))}
      </select>
      <select
        value={filters.category ?? ''}
        data-testid="filter-category"
        onChange={(e) => runtime.lists.setFilters({ category: e.target.value || null })}
      >
        <option value="">{t('console.filter.category')}</option>
        {[...categories.values()].map((c) => (
          <option key={c.code} value={c.code}>
            {en ? c.nameEn || c.name : c.name}
          </option>
        ))}
      </select>
      <select
        value={filters.source ?? ''}
        data-testid="filter-source"
        onChange={(e) => runtime.lists.setFilters({ source: (e.target.value || null) as typeof filters.source })}
      >
        <option value="">{t('console.filter.source')}</option>
        {sources.map((s) => (
          <option key={s} value={s}>
            {t(`source.${s}`)}
          </option>
        ))}
      </select>
      {active ? (
        <button
          type="button"
          className="gc-button"
          onClick={() => runtime.lists.setFilters({ areaId: null, category: null, source: null, text: '' })}
        >
          {t('console.filter.clear')}
        </button>
      ) : null}
      {searching ? <span className="gc-muted">{t('console.filter.searching')}</span> : null}
    </div>
  );
}

function CaseList() {
  const { t, i18n } = useTranslation();
  const runtime = useConsole();
  const queue = useUi((s) => s.queue);
  const list = useLists((s) => s.result.lists[queue]);
  const selectedId = useUi((s) => s.selectedId);
  const filtered = useUi((s) => Boolean(s.filters.areaId || s.filters.category || s.filters.source || s.filters.text));
  // What every row needs, read once here: a row is then a pure function of its props, and a
  // scroll that mounts new rows subscribes nothing and starts no timers.
  const categories = useData((s) => s.categories);
  const clock = useData((s) => s.clock);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const queued = useUi((s) => s.outbox.queued);
  const pending = useMemo(() => new Set(queued.map((e) => e.command.caseId)), [queued]);
  const now = serverNow({ clock }, useNow(5000));
  const en = i18n.language === 'en';
  const onSelect = useCallback((id: string, index: number) => runtime.lists.select(id, index), [runtime]);
  const scroller = useRef<HTMLDivElement>(null);
  const virtual = useVirtualizer({
    count: list.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 8,
    getItemKey: (i) => list[i]?.id ?? i,
  });

  // Keep the selected row in view as the keyboard moves it.
  const selectedIndex = useMemo(() => list.findIndex((c) => c.id === selectedId), [list, selectedId]);
  useEffect(() => {
    if (selectedIndex >= 0) virtual.scrollToIndex(selectedIndex, { align: 'auto' });
  }, [selectedIndex, virtual]);

  return (
    <div className="gc-list">
      <div className="gc-list-head">
        <span className="gc-col-code">{t('console.list.code')}</span>
        <span className="gc-col-category">{t('console.list.category')}</span>
        <span className="gc-col-address">{t('console.list.address')}</span>
        <span className="gc-col-status">{t('console.list.status')}</span>
        <span className="gc-col-deadline">{t('console.list.deadline')}</span>
      </div>
      <div className="gc-list-scroll" ref={scroller} data-testid="case-list" data-count={list.length}>
        {list.length === 0 ? (
          <div className="gc-empty">{t(filtered ? 'console.queue.emptyFiltered' : 'console.queue.empty')}</div>
        ) : (
          <div style={{ height: virtual.getTotalSize(), position: 'relative' }}>
            {virtual.getVirtualItems().map((row) => {
              const c = list[row.index];
              if (!c) return null;
              return (
                <Row
                  key={c.id}
                  c={c}
                  index={row.index}
                  top={row.start}
                  selected={c.id === selectedId}
                  pending={pending.has(c.id)}
                  category={categoryName(categories, c.category, en)}
                  deadline={deadlineView(t, calendar, now, c)}
                  onSelect={onSelect}
                />
              );
            })}
          </div>
        )}
      </div>
      <div className="gc-list-foot">{t('console.list.count', { n: list.length })}</div>
    </div>
  );
}

interface RowProps {
  c: CaseLite;
  index: number;
  top: number;
  selected: boolean;
  pending: boolean;
  category: string;
  deadline: DeadlineView;
  onSelect: (id: string, index: number) => void;
}

const Row = memo(function Row(props: RowProps) {
  const { t } = useTranslation();
  const { c, deadline: cd } = props;
  return (
    <div
      className={`gc-row${props.selected ? ' gc-row-selected' : ''}${c.overdue ? ' gc-row-overdue' : c.warned ? ' gc-row-warned' : ''}`}
      style={{ transform: `translateY(${props.top}px)`, height: ROW_HEIGHT }}
      data-testid="case-row"
      data-case-id={c.id}
      data-code={c.code}
      onMouseDown={() => props.onSelect(c.id, props.index)}
      role="option"
      aria-selected={props.selected}
      tabIndex={-1}
    >
      <span className={`gc-urgency${c.priority === 'urgent' ? ' gc-urgency-urgent' : ''}`} />
      <span className="gc-col-code">
        <span className="gc-code">{c.code}</span>
        {c.priority === 'urgent' ? <span className="gc-tag gc-tag-urgent">{t('priority.urgent')}</span> : null}
      </span>
      <span className="gc-col-category">{props.category}</span>
      <span className="gc-col-address" title={c.address}>
        {c.address}
      </span>
      <span className="gc-col-status">
        <span className={`gc-status gc-status-${c.status}`}>{t(`status.${c.status}`)}</span>
        {props.pending ? <span className="gc-tag gc-tag-pending">{t('console.list.pending')}</span> : null}
        {c.extensionRequested ? <span className="gc-tag gc-tag-ext">{t('console.list.extension')}</span> : null}
      </span>
      <span className={`gc-col-deadline gc-tone-${cd.tone}`}>{cd.text}</span>
    </div>
  );
}, sameRow);

/** Rows re-render only when what they show changed (the countdown object is new on every render). */
function sameRow(a: RowProps, b: RowProps): boolean {
  return (
    a.c === b.c &&
    a.index === b.index &&
    a.top === b.top &&
    a.selected === b.selected &&
    a.pending === b.pending &&
    a.category === b.category &&
    a.deadline.text === b.deadline.text &&
    a.deadline.tone === b.deadline.tone &&
    a.onSelect === b.onSelect
  );
}
