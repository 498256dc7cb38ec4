import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import type { WallState } from '../../state/store';
import type { QueueResult } from '../queues';
import type { ConsoleRuntime, ConsoleUiState } from '../runtime';

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

export function useLists<T>(selector: (s: { result: QueueResult; at: number }) => T): T {
  return useStore(useConsole().lists, selector);
}
