/**
 * Where the preview puts each display of a wall on one monitor. The wall's own aspect (3×2 displays
 * of 16:9 is 8:3) rarely matches the monitor's, so the displays are fitted as one block, each at
 * its exact aspect (no letterbox inside a cell), with a strip above each for its number and name;
 * what the aspects leave over goes to the header and a caption below, the block centred between.
 */

export const PREVIEW = { header: 84, label: 40, caption: 48, pad: 8, gap: 8 } as const;

export interface PreviewFit {
  /** Scale of each display's canvas. */
  scale: number;
  /** A display's size on screen. */
  cellWidth: number;
  cellHeight: number;
  /** The top left of each display (its label strip sits above it), in `displays` order. */
  cells: { left: number; top: number }[];
  /** Whether the header and the caption fit in what the wall's aspect leaves over. */
  chrome: boolean;
  /** Where the caption goes. */
  captionTop: number;
  /** Share of the window the displays cover. */
  coverage: number;
}

/**
 * The displays are sized first (only their labels and margins around them); the header and the
 * caption take the space the aspects leave over, and are left out when there is none (a single
 * 16:9 display on a 16:9 monitor): the displays never shrink for them.
 */
export function previewFit(
  win: { width: number; height: number },
  canvas: { width: number; height: number },
  grid: { columns: number; rows: number },
  count: number,
): PreviewFit {
  const { header, label, caption, pad, gap } = PREVIEW;
  const { columns, rows } = grid;
  const availW = win.width - 2 * pad - (columns - 1) * gap;
  const fitWith = (chromeH: number) =>
    Math.max(
      0.01,
      Math.min(
        availW / (columns * canvas.width),
        (win.height - chromeH - 2 * pad - (rows - 1) * gap - rows * label) / (rows * canvas.height),
      ),
    );
  const bare = fitWith(0);
  const withChrome = fitWith(header + caption);
  // The chrome costs the displays nothing, or it stays out.
  const chrome = withChrome >= bare - 1e-9;
  const scale = chrome ? withChrome : bare;
  const cellWidth = canvas.width * scale;
  const cellHeight = canvas.height * scale;
  const blockW = columns * cellWidth + (columns - 1) * gap;
  const blockH = rows * (label + cellHeight) + (rows - 1) * gap;
  const left0 = (win.width - blockW) / 2;
  const above = chrome ? header : 0;
  const below = chrome ? caption : 0;
  // The block sits centred between the header and the caption.
  const free = win.height - above - below - 2 * pad - blockH;
  const top0 = above + pad + Math.max(0, free / 2);
  const cells = Array.from({ length: count }, (_, i) => {
    const col = i % columns;
    const row = Math.floor(i / columns);
    return {
      left: left0 + col * (cellWidth + gap),
      top: top0 + row * (label + cellHeight + gap) + label,
    };
  });
  return {
    scale,
    cellWidth,
    cellHeight,
    cells,
    chrome,
    captionTop: top0 + blockH + pad,
    coverage: (count * cellWidth * cellHeight) / (win.width * win.height),
  };
}
