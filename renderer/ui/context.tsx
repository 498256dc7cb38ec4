import { createContext, useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Layout } from '../../protocol';
import type { ShowStore } from '../state/show';
import { type FocusOrigin, serverNow, type WallState, type WallStore } from '../state/store';
import { useNow } from './hooks';

/**
 * What a wall scene reads from its page: the wall's store, the presentation it follows, and the
 * focus it may set. The wall page's runtime (renderer/wall) provides it.
 */
export interface SceneRuntime {
  readonly store: WallStore;
  readonly show: ShowStore;
  focus(caseId: string | null, origin: FocusOrigin): void;
  /**
   * The automatic case a case-detail panel shows while nothing is focused (null: none): the page
   * fetches its whole record as it does the focused case's. Called when the turn changes, not per frame.
   */
  showAuto?(caseId: string | null): void;
}

export const RuntimeContext = createContext<SceneRuntime | null>(null);
export const LayoutContext = createContext<Layout | null>(null);

/** The scale of the virtual canvas on screen: map and chart canvases render at it for sharpness. */
export const ScaleContext = createContext(1);

/**
 * How much larger than designed small text is drawn on this canvas (1, or 4/3 on a 4K screen whose
 * canvas is 2560×1440): chart text grows by it, as CSS text grows by `--gw-type`.
 */
export const TypeContext = createContext(1);

export function useRuntime(): SceneRuntime {
  const r = useContext(RuntimeContext);
  if (!r) throw new Error('no wall runtime');
  return r;
}

export function useLayout(): Layout {
  const l = useContext(LayoutContext);
  if (!l) throw new Error('no Layout');
  return l;
}

/** Reads the wall store with a selector; the component re-renders only when the selection changes. */
export function useWall<T>(selector: (s: WallState) => T): T {
  return useStore(useRuntime().store, selector);
}

/**
 * A selector read at most every `ms`: for what changes with every batch (counts, lag, the alert
 * list) but is read from across the room. `selector` must be stable (a module-level function).
 */
export function useWallThrottled<T>(selector: (s: WallState) => T, ms: number): T {
  const store = useRuntime().store;
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    let timer: ReturnType<typeof setTimeout> | null = null;
    let last = 0;
    const read = () => {
      timer = null;
      last = performance.now();
      const v = selector(store.getState());
      setValue((prev) => (Object.is(prev, v) ? prev : v));
    };
    read();
    const unsubscribe = store.subscribe(() => {
      if (timer === null) timer = setTimeout(read, Math.max(0, ms - (performance.now() - last)));
    });
    return () => {
      unsubscribe();
      if (timer !== null) clearTimeout(timer);
    };
  }, [store, selector, ms]);
  return value;
}

/**
 * The server's time, ticking every `ms`. Read from the store on each tick rather than subscribed:
 * the clock moves with every batch, and ages and countdowns need no more than a tick a second.
 */
export function useServerNow(ms = 1000): number {
  const runtime = useRuntime();
  const now = useNow(ms);
  return serverNow(runtime.store.getState(), now);
}

export function useCanvasPixelRatio(): number {
  const scale = useContext(ScaleContext);
  return Math.max(1, (globalThis.devicePixelRatio || 1) * scale);
}
