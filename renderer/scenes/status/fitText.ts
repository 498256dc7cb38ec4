import { type RefObject, useLayoutEffect } from 'react';

/**
 * Fit-to-box for a one-line text on a wall (a tooltip is no answer 5 m away): the largest font size
 * from `max` down to `min` (CSS pixels of the canvas) at which the element's text is not wider than
 * its box. Re-fits when the box or the text changes (a preset chip appears, the language changes).
 * Below `min` the text keeps `min` and its ellipsis, which the layout audit reports.
 */
export function useFitText(ref: RefObject<HTMLElement | null>, max: number, min: number, text: string | undefined) {
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new text is a reason to fit again
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const shrink = () => {
      let size = max;
      el.style.fontSize = `${size}px`;
      while (size > min && el.scrollWidth > el.clientWidth + 1) {
        size = Math.max(min, size - 1);
        el.style.fontSize = `${size}px`;
      }
    };
    shrink();
    const ro = new ResizeObserver(shrink);
    // The box changes with its neighbours (counts, chips), not with its own font size.
    if (el.parentElement) ro.observe(el.parentElement);
    // A web font arriving after the first fit changes the text's width, not its box's.
    document.fonts.addEventListener('loadingdone', shrink);
    let live = true;
    void document.fonts.ready.then(() => live && shrink());
    return () => {
      live = false;
      ro.disconnect();
      document.fonts.removeEventListener('loadingdone', shrink);
    };
  }, [ref, max, min, text]);
}
