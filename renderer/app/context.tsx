import { createContext, useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { Layout } from '../../protocol';
import type { WallState } from '../state/store';
import type { WallRuntime } from './runtime';

export const RuntimeContext = createContext<WallRuntime | null>(null);
export const LayoutContext = createContext<Layout | null>(null);

/** The scale of the virtual canvas on screen: map and chart canvases render at it for sharpness. */
export const ScaleContext = createContext(1);

export function useRuntime(): WallRuntime {
  const r = useContext(RuntimeContext);
  if (!r) throw new Error('no WallRuntime');
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

/** The local time, ticking every `ms` (clocks, ages, countdowns: no store traffic for them). */
export function useNow(ms = 1000): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const id = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(id);
  }, [ms]);
  return now;
}

export function useCanvasPixelRatio(): number {
  const scale = useContext(ScaleContext);
  return Math.max(1, (globalThis.devicePixelRatio || 1) * scale);
}
