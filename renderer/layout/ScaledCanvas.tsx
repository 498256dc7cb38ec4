import { createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { ScaleContext } from '../ui/context';

export interface CanvasSize {
  width: number;
  height: number;
}

/** The virtual canvas a display is laid out on (the layout's, or a larger one on a large screen). */
const CanvasSizeContext = createContext<CanvasSize | null>(null);

/** The canvas the display is laid out on; `fallback` (the layout's canvas) outside a ScaledCanvas. */
export function useCanvasSize(fallback: CanvasSize): CanvasSize {
  return useContext(CanvasSizeContext) ?? fallback;
}

export interface LargeScreen {
  fromScale: number;
  typeScale: number;
}

/**
 * The canvas and scale a window gets. Up to `large.fromScale` times the layout's canvas, the canvas
 * is the layout's, scaled to fit (1920×1080 stays exactly as designed). A larger window (a 4K
 * screen) gets a canvas `typeScale` times smaller than itself, in the layout's aspect: type grows
 * `typeScale`×, and the regions gain the rest of the pixels instead of magnifying the same picture.
 */
export function canvasFor(
  design: CanvasSize,
  area: CanvasSize,
  large: LargeScreen | null = null,
): { width: number; height: number; scale: number } {
  const fit = Math.min(area.width / design.width, area.height / design.height);
  if (!large || fit < large.fromScale || large.typeScale >= fit) return { ...design, scale: fit };
  const grow = fit / large.typeScale;
  return {
    width: Math.round(design.width * grow),
    height: Math.round(design.height * grow),
    scale: large.typeScale,
  };
}

/**
 * A virtual canvas (e.g. 1920×1080) scaled to fill its box, letterboxed: everything is laid out in
 * virtual pixels. With `large`, a window far larger than the canvas gets a larger canvas (above).
 */
export function ScaledCanvas(props: {
  width: number;
  height: number;
  /** Box to fit in; the window when absent. */
  box?: { width: number; height: number };
  /** The layout's large-screen rule (the wall page; the preview keeps the designed canvas). */
  large?: LargeScreen | null;
  children: ReactNode;
}) {
  const { box } = props;
  const [win, setWin] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    if (box) return;
    const onResize = () => setWin({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [box]);
  const area = box ?? win;
  const { width, height, scale } = canvasFor({ width: props.width, height: props.height }, area, props.large ?? null);
  const left = (area.width - width * scale) / 2;
  const top = (area.height - height * scale) / 2;
  return (
    <ScaleContext.Provider value={scale}>
      <CanvasSizeContext.Provider value={{ width, height }}>
        <div
          className="gw-canvas"
          data-canvas={`${width}x${height}`}
          data-scale={scale}
          style={{
            width,
            height,
            transform: `translate(${left}px, ${top}px) scale(${scale})`,
            transformOrigin: '0 0',
          }}
        >
          {props.children}
        </div>
      </CanvasSizeContext.Provider>
    </ScaleContext.Provider>
  );
}
