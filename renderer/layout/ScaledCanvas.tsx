import { type CSSProperties, createContext, type ReactNode, useContext, useEffect, useState } from 'react';
import { ScaleContext, TypeContext } from '../ui/context';

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
 * screen) gets a canvas `typeScale` times smaller than itself, in the layout's aspect: lines,
 * paddings and large type grow `typeScale`×, and the regions gain the rest of the pixels (more rows,
 * more map) instead of magnifying the same picture. `type` is what small text must grow by on that
 * canvas to stay as large as on the designed canvas fitted to the window (`fit / scale`): 22 px on
 * the 1080p canvas is 44 px on a 4K screen, whatever the canvas (a viewer 5 m away sees pixels).
 */
export function canvasFor(
  design: CanvasSize,
  area: CanvasSize,
  large: LargeScreen | null = null,
): { width: number; height: number; scale: number; type: number } {
  const fit = Math.min(area.width / design.width, area.height / design.height);
  if (!large || fit < large.fromScale || large.typeScale >= fit) return { ...design, scale: fit, type: 1 };
  const grow = fit / large.typeScale;
  return {
    width: Math.round(design.width * grow),
    height: Math.round(design.height * grow),
    scale: large.typeScale,
    type: fit / large.typeScale,
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
  const { width, height, scale, type } = canvasFor(
    { width: props.width, height: props.height },
    area,
    props.large ?? null,
  );
  const left = (area.width - width * scale) / 2;
  const top = (area.height - height * scale) / 2;
  return (
    <ScaleContext.Provider value={scale}>
      <TypeContext.Provider value={type}>
        <CanvasSizeContext.Provider value={{ width, height }}>
          <div
            className="gw-canvas"
            data-canvas={`${width}x${height}`}
            data-scale={scale}
            style={
              {
                width,
                height,
                transform: `translate(${left}px, ${top}px) scale(${scale})`,
                transformOrigin: '0 0',
                // Small text's floor (wall.css: --gw-min-text) grows with it.
                '--gw-type': type,
              } as CSSProperties
            }
          >
            {props.children}
          </div>
        </CanvasSizeContext.Provider>
      </TypeContext.Provider>
    </ScaleContext.Provider>
  );
}
