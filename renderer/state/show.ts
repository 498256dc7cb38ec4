import { createStore, type StoreApi } from 'zustand/vanilla';
import type { KpiFigures, Presentation } from '../../protocol';

/**
 * What a wall page shows of a presentation: the presenter's (from the server) or an unattended
 * tour's (computed locally on a lobby screen). Kept apart from the wall store: it changes a few
 * times a minute, and the live data underneath must keep flowing into the wall store.
 */
export interface ShowState {
  presentation: Presentation | null;
  /** Figures of the step's KPI period when it is not today; null: the live figures. */
  kpis: KpiFigures | null;
  /** Where the map should go now, resolved against the wall's data; bumped `seq` to fly again. */
  view: MapView | null;
}

export type MapView =
  | { kind: 'fly'; center: [number, number]; zoom: number; seq: number }
  | { kind: 'fit'; bounds: [number, number, number, number]; seq: number };

export type ShowStore = StoreApi<ShowState>;

export const createShowStore = (): ShowStore =>
  createStore<ShowState>(() => ({ presentation: null, kpis: null, view: null }));
