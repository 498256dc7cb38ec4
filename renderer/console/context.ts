import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { Department } from '../../protocol';
import type { WallState } from '../state/store';
import type { ListsView } from './lists';
import type { ConsoleRuntime } from './runtime';
import type { ConsoleUiState } from './state';

export const ConsoleContext = createContext<ConsoleRuntime | null>(null);

export function useConsole(): ConsoleRuntime {
  const r = useContext(ConsoleContext);
  if (!r) throw new Error('no ConsoleRuntime');
  return r;
}

/** The console's own state (session, selection, dialogs, outbox), by selector. */
export function useUi<T>(selector: (s: ConsoleUiState) => T): T {
  return useStore(useConsole().ui, selector);
}

/** The stream's state (the wall's store), by selector. */
export function useData<T>(selector: (s: WallState) => T): T {
  return useStore(useConsole().store, selector);
}

export function useLists<T>(selector: (s: ListsView) => T): T {
  return useStore(useConsole().lists.view, selector);
}

/** Departments by id (dispatch suggestions). */
export function useDepartments(): ReadonlyMap<string, Department> {
  return useStore(useConsole().departments);
}
