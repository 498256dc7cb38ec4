import { useContext, useEffect, useRef } from 'react';
import type { WallState } from '../../state/store';
import { TypeContext, useCanvasPixelRatio, useRuntime } from '../../ui/context';
import { CHART_FONT, type ChartOption, echarts, PALETTE } from './echarts';

/** Charts redraw at most this often, however fast the data changes (a wall has no use for 60 fps bars). */
export const CHART_MIN_INTERVAL_MS = 500;

export interface ChartSpec<T> {
  /** The slice of state the chart depends on; it redraws only when this changes (Object.is). */
  select(s: WallState): T;
  /** The option for that slice, and the plain values it shows (written to `data-values` for tests). */
  build(
    selected: T,
    s: WallState,
    size: { width: number; height: number },
  ): { option: ChartOption; values: unknown } | null;
}

/**
 * An echarts canvas fed from the store outside React render: a store subscription marks it dirty,
 * a throttle redraws it at most every {@link CHART_MIN_INTERVAL_MS}. The canvas renders at the
 * wall's real pixel ratio so it stays sharp when the virtual canvas is scaled up. On a canvas whose
 * small text grows (TypeContext, a 4K screen) the chart is laid out that much smaller and drawn that
 * much larger: its text keeps its size on screen, and a chart has no rows to gain.
 */
export function Chart<T>(props: { spec: ChartSpec<T>; testId: string; className?: string }) {
  const runtime = useRuntime();
  const ref = useRef<HTMLDivElement>(null);
  const inner = useRef<HTMLDivElement>(null);
  const type = useContext(TypeContext);
  const pixelRatio = useCanvasPixelRatio() * type;
  const { spec } = props;

  useEffect(() => {
    const el = ref.current;
    const zoomed = inner.current;
    if (!el || !zoomed) return;
    const chart = echarts.init(zoomed, null, { renderer: 'canvas', devicePixelRatio: pixelRatio });
    const store = runtime.store;
    let last = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    let selected: T | undefined;
    const draw = () => {
      timer = null;
      last = performance.now();
      const s = store.getState();
      selected = spec.select(s);
      const built = spec.build(selected, s, { width: chart.getWidth(), height: chart.getHeight() });
      if (!built) {
        chart.clear();
        el.dataset.values = '';
        return;
      }
      chart.setOption(
        {
          animation: false,
          color: PALETTE,
          textStyle: { fontFamily: CHART_FONT, color: '#cfe8ff', fontSize: 18 },
          ...built.option,
        },
        { notMerge: true },
      );
      el.dataset.values = JSON.stringify(built.values);
    };
    const schedule = () => {
      if (timer !== null) return;
      const wait = Math.max(0, CHART_MIN_INTERVAL_MS - (performance.now() - last));
      timer = setTimeout(draw, wait);
    };
    draw();
    const unsubscribe = store.subscribe((s) => {
      if (!Object.is(spec.select(s), selected)) schedule();
    });
    // A presentation step's KPI period changes what a spec selects without a wall store change.
    const unsubscribeShow = runtime.show.subscribe(() => {
      if (!Object.is(spec.select(store.getState()), selected)) schedule();
    });
    const ro = new ResizeObserver(() => {
      chart.resize();
      // Type sizes follow the chart's size: redraw with them.
      schedule();
    });
    ro.observe(el);
    return () => {
      unsubscribe();
      unsubscribeShow();
      ro.disconnect();
      if (timer !== null) clearTimeout(timer);
      chart.dispose();
    };
  }, [runtime, spec, pixelRatio]);

  return (
    <div ref={ref} className={props.className ?? 'gw-chart'} data-testid={props.testId}>
      <div
        ref={inner}
        style={{
          width: `${100 / type}%`,
          height: `${100 / type}%`,
          transform: type === 1 ? undefined : `scale(${type})`,
          transformOrigin: '0 0',
        }}
      />
    </div>
  );
}
