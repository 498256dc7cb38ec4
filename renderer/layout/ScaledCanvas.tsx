import { type ReactNode, useEffect, useState } from 'react';
import { ScaleContext } from '../ui/context';

function fitScale(width: number, height: number, boxW: number, boxH: number): number {
  return Math.min(boxW / width, boxH / height);
}

/**
 * A fixed virtual canvas (e.g. 1920×1080) scaled to fill its box, letterboxed: everything is laid
 * out in virtual pixels, so 1920×1080 and 3840×2160 screens show the same picture.
 */
export function ScaledCanvas(props: {
  width: number;
  height: number;
  /** Box to fit in; the window when absent. */
  box?: { width: number; height: number };
  children: ReactNode;
}) {
  const { width, height, box } = props;
  const [win, setWin] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    if (box) return;
    const onResize = () => setWin({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, [box]);
  const area = box ?? win;
  const scale = fitScale(width, height, area.width, area.height);
  const left = (area.width - width * scale) / 2;
  const top = (area.height - height * scale) / 2;
  return (
    <ScaleContext.Provider value={scale}>
      <div
        className="gw-canvas"
        style={{
          width,
          height,
          transform: `translate(${left}px, ${top}px) scale(${scale})`,
          transformOrigin: '0 0',
        }}
      >
        {props.children}
      </div>
    </ScaleContext.Provider>
  );
}
