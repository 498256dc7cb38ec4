import { createStore, type StoreApi } from 'zustand/vanilla';
import type { CaseLite } from '../../protocol/lite';
import type { WallStore } from '../state/store';
import {
  computeQueues,
  type Filters,
  gridsUnder,
  looksLikePhone,
  NO_FILTERS,
  type QueueId,
  type QueueResult,
} from './queues';
import type { ConsoleUi } from './state';

export interface ListsView {
  result: QueueResult;
  at: number;
}

const LIST_EVERY_MS = 200;

/**
 * The queues on screen, filtered and sorted (recomputed at most a few times a second as cases
 * change), the search (the server's too), and the selection moving through them.
 */
export class ConsoleLists {
  readonly view: StoreApi<ListsView>;
  private listTimer: ReturnType<typeof setTimeout> | null = null;
  private listAt = 0;
  private grids: { areaId: string | null; set: Set<string> | null } = { areaId: null, set: null };
  /** Where the selection was in the current list, to move on from when it leaves the list. */
  private lastIndex = 0;
  private queueBeforeSearch: QueueId | null = null;
  private searchTimer: ReturnType<typeof setTimeout> | null = null;
  private searchSeq = 0;
  private readonly unsubscribe: Array<() => void>;

  constructor(
    private readonly origin: string,
    private readonly store: WallStore,
    private readonly ui: ConsoleUi,
    /** The selection changed (to show it on the walls and fetch the full case). */
    private readonly onSelect: (caseId: string | null) => void,
  ) {
    this.view = createStore(() => ({ result: computeQueues([], NO_FILTERS, null, null), at: 0 }));
    this.unsubscribe = [
      store.subscribe((s, prev) => {
        if (s.cases.rev !== prev.cases.rev || s.areas.version !== prev.areas.version) this.schedule();
      }),
      ui.subscribe((s, prev) => {
        if (s.filters !== prev.filters || s.serverMatches !== prev.serverMatches) this.recompute();
      }),
    ];
  }

  /** The list on screen now. */
  current(): CaseLite[] {
    return this.view.getState().result.lists[this.ui.getState().queue];
  }

  /** Moves the selection by `delta` rows (or to an end), from where it is or where it left the list. */
  move(delta: number | 'first' | 'last'): void {
    const list = this.current();
    if (list.length === 0) return;
    const selected = this.ui.getState().selectedId;
    const at = selected ? list.findIndex((c) => c.id === selected) : -1;
    let next: number;
    if (delta === 'first') next = 0;
    else if (delta === 'last') next = list.length - 1;
    else if (at >= 0) next = at + delta;
    // The selected case left the list (filed, dispatched…): the row that took its place is next.
    else if (selected) next = delta > 0 ? this.lastIndex + delta - 1 : this.lastIndex + delta;
    else next = delta > 0 ? 0 : list.length - 1;
    next = Math.max(0, Math.min(list.length - 1, next));
    const c = list[next];
    if (c) this.select(c.id, next);
  }

  select(caseId: string | null, index?: number): void {
    if (index !== undefined) this.lastIndex = index;
    else if (caseId) {
      const i = this.current().findIndex((c) => c.id === caseId);
      if (i >= 0) this.lastIndex = i;
    }
    if (this.ui.getState().selectedId === caseId) return;
    this.ui.setState({ selectedId: caseId });
    this.onSelect(caseId);
  }

  setQueue(queue: QueueId): void {
    if (this.ui.getState().queue === queue) return;
    this.ui.setState({ queue });
    this.lastIndex = 0;
  }

  setFilters(patch: Partial<Filters>): void {
    const before = this.ui.getState();
    const filters = { ...before.filters, ...patch };
    this.ui.setState({ filters });
    // A search looks across every queue; clearing it goes back to the queue it started from.
    if (patch.text !== undefined) {
      const searching = filters.text.trim() !== '';
      const was = before.filters.text.trim() !== '';
      if (searching && !was && before.queue !== 'all') {
        this.queueBeforeSearch = before.queue;
        this.setQueue('all');
      } else if (!searching && was && this.queueBeforeSearch) {
        this.setQueue(this.queueBeforeSearch);
        this.queueBeforeSearch = null;
      }
    }
    if (patch.text !== undefined) this.searchServer(filters.text);
  }

  dispose(): void {
    if (this.listTimer) clearTimeout(this.listTimer);
    for (const u of this.unsubscribe) u();
  }

  private schedule(): void {
    if (this.listTimer) return;
    const wait = Math.max(0, LIST_EVERY_MS - (Date.now() - this.listAt));
    this.listTimer = setTimeout(() => {
      this.listTimer = null;
      this.recompute();
    }, wait);
  }

  private recompute(): void {
    const s = this.store.getState();
    const ui = this.ui.getState();
    const areaId = ui.filters.areaId;
    if (this.grids.areaId !== areaId) {
      this.grids = { areaId, set: areaId ? gridsUnder(s.areas.list, areaId) : null };
    }
    this.listAt = Date.now();
    this.view.setState({
      // Matches found for another text (the search is still on its way) must not leak into this one.
      result: computeQueues(
        s.cases.byId.values(),
        ui.filters,
        this.grids.set,
        ui.serverMatches && ui.serverMatches.text === ui.filters.text.trim() ? ui.serverMatches.ids : null,
      ),
      at: this.listAt,
    });
  }

  /** Phone numbers and descriptions are searched by the server (the wall's records do not hold them). */
  private searchServer(text: string): void {
    if (this.searchTimer) clearTimeout(this.searchTimer);
    const q = text.trim();
    const seq = ++this.searchSeq;
    if (!q) {
      this.ui.setState({ serverMatches: null, searching: false });
      return;
    }
    this.ui.setState({ searching: true });
    this.searchTimer = setTimeout(
      async () => {
        const s = this.ui.getState().session;
        if (!s) return;
        const ids = new Set<string>();
        try {
          const res = await fetch(`${this.origin}/api/cases?q=${encodeURIComponent(q)}&limit=500`, {
            headers: { authorization: `Bearer ${s.token}` },
          });
          const body = (await res.json()) as { items?: Array<{ id?: unknown }> };
          for (const item of body.items ?? []) if (typeof item.id === 'string') ids.add(item.id);
        } catch {
          // Offline: the local search (code, address) still works.
        }
        if (seq === this.searchSeq) this.ui.setState({ serverMatches: { text: q, ids }, searching: false });
      },
      looksLikePhone(q) ? 150 : 300,
    );
  }
}
