/**
 * The layout audit's in-page half: what a wall display shows, measured as a viewer 5 m away sees it.
 *
 * `auditPage` runs inside the page (passed to `page.evaluate`, so it is self-contained: no imports,
 * no closures over this module). `CANVAS_TEXT_PROBE` is installed before the page's scripts run: it
 * records the text that chart canvases draw (echarts draws on a 2D canvas, which the DOM cannot see).
 */

/** What one finding is about. */
export type AuditKind = 'clipped' | 'small' | 'contrast' | 'empty';

export interface Finding {
  kind: AuditKind;
  /** A CSS path from the display down to the element (or the chart canvas). */
  path: string;
  /** The text concerned (cut to 60 characters). */
  text: string;
  /** What was measured, in words: "scrollWidth 412 > clientWidth 380", "16.0 px", "3.21:1". */
  value: string;
}

export interface AuditOptions {
  /** Smallest text, in pixels of the 1920×1080 canvas (issue 16: 22 px read from 5 m at 1080p). */
  minFontPx: number;
  /** Smallest contrast ratio (WCAG AA for normal text). */
  minContrast: number;
  /** The canvas the layout is drawn for: font sizes are measured against its scale on this screen. */
  canvas: { width: number; height: number };
}

/**
 * A 2D canvas's text draws, kept on the canvas element since its last full clear: enough to know
 * its size, colour and place. Installed with `page.addInitScript` (a string, run before any script).
 */
export const CANVAS_TEXT_PROBE = `(() => {
  const P = CanvasRenderingContext2D.prototype;
  const fill = P.fillText;
  const clear = P.clearRect;
  P.clearRect = function (x, y, w, h) {
    const m = this.getTransform();
    const c = this.canvas;
    if (c && Math.abs(w * m.a) >= c.width * 0.9 && Math.abs(h * m.d) >= c.height * 0.9) c.__gwTexts = [];
    return clear.call(this, x, y, w, h);
  };
  P.fillText = function (text, x, y, maxWidth) {
    const c = this.canvas;
    if (c && c.isConnected !== false && typeof text === 'string' && text.trim() !== '') {
      const m = this.getTransform();
      const w = this.measureText(text).width;
      const list = (c.__gwTexts ??= []);
      if (list.length < 2000) {
        list.push({
          text,
          font: this.font,
          fill: typeof this.fillStyle === 'string' ? this.fillStyle : null,
          alpha: this.globalAlpha,
          align: this.textAlign,
          x, y, w,
          m: [m.a, m.b, m.c, m.d, m.e, m.f],
        });
      }
    }
    return fill.call(this, text, x, y, maxWidth);
  };
})();`;

/**
 * Audits the wall display in the page: (a) text cut or spilling out of its box, (b) text under
 * `minFontPx` on the canvas, (c) text under `minContrast` against what is painted under it,
 * (d) a scene or panel with nothing in it and no word why.
 */
export function auditPage(options: AuditOptions): { findings: Finding[]; scale: number } {
  const findings: Finding[] = [];
  const root = document.querySelector<HTMLElement>('[data-testid=display]');
  if (!root) return { findings: [{ kind: 'empty', path: 'body', text: '', value: 'no display' }], scale: 1 };
  // Hit testing sees what is painted: text on a `pointer-events: none` overlay (a map legend, a
  // video tile's plates) must be in `elementsFromPoint` too. Only hit testing changes, not layout.
  const hitAll = document.createElement('style');
  hitAll.textContent = '* { pointer-events: auto !important; }';
  document.head.append(hitAll);
  // The 1080p canvas's scale on this screen: 1 at 1920×1080, 2 at 3840×2160. A font size is judged
  // by its size on screen over this scale, whatever transforms (the canvas, a fit) lie between.
  const screenScale = Math.min(window.innerWidth / options.canvas.width, window.innerHeight / options.canvas.height);

  // ---- small utilities (inline: this function runs in the page) ----
  const clip = (s: string) => {
    const one = s.replace(/\s+/g, ' ').trim();
    return one.length > 60 ? `${one.slice(0, 59)}…` : one;
  };
  const pathOf = (el: Element): string => {
    const parts: string[] = [];
    let e: Element | null = el;
    while (e && e !== document.body) {
      const tid = e.getAttribute('data-testid');
      const cls = [...e.classList].filter((c) => c.startsWith('gw-') || c.startsWith('gp-')).slice(0, 2);
      let part = e.tagName.toLowerCase() + cls.map((c) => `.${c}`).join('');
      if (tid) part += `[data-testid=${tid}]`;
      const parent: Element | null = e.parentElement;
      if (parent && !tid && cls.length === 0) {
        const same = [...parent.children].filter((c) => c.tagName === e?.tagName);
        if (same.length > 1) part += `:nth-of-type(${same.indexOf(e) + 1})`;
      }
      parts.unshift(part);
      if (e === root) break;
      e = parent;
    }
    return parts.join(' > ');
  };
  type RGBA = [number, number, number, number];
  const parseColor = (s: string): RGBA | null => {
    const m = s.match(/rgba?\(([^)]+)\)/);
    if (m?.[1]) {
      const p = m[1]
        .split(/[\s,/]+/)
        .filter(Boolean)
        .map(Number);
      return [p[0] ?? 0, p[1] ?? 0, p[2] ?? 0, p[3] ?? 1];
    }
    const h = s.trim().match(/^#([0-9a-f]{3,8})$/i);
    if (h?.[1]) {
      let x = h[1];
      if (x.length <= 4) x = [...x].map((c) => c + c).join('');
      const n = (i: number) => Number.parseInt(x.slice(i, i + 2), 16);
      return [n(0), n(2), n(4), x.length >= 8 ? n(6) / 255 : 1];
    }
    return null;
  };
  const lum = (c: RGBA | [number, number, number]) => {
    const f = (v: number) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    };
    return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
  };
  const ratio = (a: RGBA | [number, number, number], b: RGBA | [number, number, number]) => {
    const la = lum(a);
    const lb = lum(b);
    return (Math.max(la, lb) + 0.05) / (Math.min(la, lb) + 0.05);
  };
  const over = (top: RGBA, under: [number, number, number]): [number, number, number] => [
    top[0] * top[3] + under[0] * (1 - top[3]),
    top[1] * top[3] + under[1] * (1 - top[3]),
    top[2] * top[3] + under[2] * (1 - top[3]),
  ];
  const visible = (el: Element): boolean => {
    const h = el as HTMLElement;
    if (
      typeof h.checkVisibility === 'function' &&
      !h.checkVisibility({ opacityProperty: true, visibilityProperty: true })
    )
      return false;
    const r = el.getBoundingClientRect();
    return r.width > 0.5 && r.height > 0.5;
  };
  /** Opacity of an element and its ancestors together (a faded row is faded text). */
  const opacityOf = (el: Element): number => {
    let o = 1;
    for (let e: Element | null = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity || '1');
    return o;
  };
  /** The scale of an element's CSS pixels on screen (every transform above it). */
  const cssScale = (el: Element): number => {
    let s = 1;
    for (let e: Element | null = el; e; e = e.parentElement) {
      const t = getComputedStyle(e).transform;
      if (t && t !== 'none') {
        const m = new DOMMatrix(t);
        s *= Math.hypot(m.a, m.b);
      }
      const z = Number(getComputedStyle(e).zoom || '1');
      if (z && z !== 1) s *= z;
    }
    return s;
  };
  /** Splits a CSS list at its top-level commas. */
  const splitTop = (v: string): string[] => {
    const out: string[] = [];
    let depth = 0;
    let cur = '';
    for (const ch of v) {
      if (ch === '(') depth++;
      if (ch === ')') depth--;
      if (ch === ',' && depth === 0) {
        out.push(cur.trim());
        cur = '';
      } else cur += ch;
    }
    if (cur.trim()) out.push(cur.trim());
    return out;
  };
  /**
   * The colour of a CSS gradient (one layer, linear or radial, as computed style writes it) at a
   * point of its element, in the element's CSS pixels; null for what this does not read.
   */
  const gradientAt = (image: string, w: number, h: number, px: number, py: number): RGBA | null => {
    const m = image.match(/^(linear|radial)-gradient\((.*)\)$/);
    if (!m?.[2] || splitTop(image).length > 1) return null;
    const parts = splitTop(m[2]);
    let t: number;
    const first = parts[0] ?? '';
    const firstIsColour = /^(rgba?\(|#|transparent)/.test(first);
    if (m[1] === 'linear') {
      let deg = 180;
      if (!firstIsColour) {
        const d = first.match(/^(-?[\d.]+)deg$/);
        const to: Record<string, number> = { 'to top': 0, 'to right': 90, 'to bottom': 180, 'to left': 270 };
        if (d?.[1]) deg = Number(d[1]);
        else if (first in to) deg = to[first] ?? 180;
        else return null;
        parts.shift();
      }
      const r = (deg * Math.PI) / 180;
      const len = Math.abs(w * Math.sin(r)) + Math.abs(h * Math.cos(r));
      t = ((px - w / 2) * Math.sin(r) - (py - h / 2) * Math.cos(r)) / len + 0.5;
    } else {
      // [circle|ellipse] [farthest-corner] [at X Y]: the only size read is the default, farthest-corner.
      let cx = w / 2;
      let cy = h / 2;
      let circle = false;
      if (!firstIsColour) {
        if (/closest|farthest-side|\d+px\s+\d/.test(first.replace('farthest-corner', ''))) return null;
        circle = /circle/.test(first);
        const at = first.match(/at\s+(\S+)\s+(\S+)/);
        const pos = (v: string, size: number) =>
          v.endsWith('%')
            ? (Number.parseFloat(v) / 100) * size
            : v === 'center'
              ? size / 2
              : v === 'left' || v === 'top'
                ? 0
                : v === 'right' || v === 'bottom'
                  ? size
                  : Number.parseFloat(v);
        if (at?.[1] && at[2]) {
          cx = pos(at[1], w);
          cy = pos(at[2], h);
        }
        parts.shift();
      }
      const rx = Math.max(cx, w - cx);
      const ry = Math.max(cy, h - cy);
      if (circle) t = Math.hypot(px - cx, py - cy) / Math.hypot(rx, ry);
      else t = Math.hypot((px - cx) / rx, (py - cy) / ry) / Math.SQRT2;
    }
    // Stops: a colour and an optional position (% or px along the line); missing ones spread evenly.
    const stops: { c: RGBA; at: number | null }[] = [];
    for (const part of parts) {
      const c = parseColor(part);
      if (!c) return null;
      const pos = part.replace(/rgba?\([^)]*\)|#[0-9a-f]+/i, '').trim();
      stops.push({ c, at: pos.endsWith('%') ? Number.parseFloat(pos) / 100 : pos === '' ? null : null });
    }
    if (stops.length === 0) return null;
    if (stops[0] && stops[0].at === null) stops[0].at = 0;
    const last = stops.at(-1);
    if (last && last.at === null) last.at = 1;
    for (let i = 1; i < stops.length; i++) {
      if (stops[i]?.at !== null) continue;
      let j = i;
      while (stops[j]?.at === null) j++;
      const from = stops[i - 1]?.at ?? 0;
      const to = stops[j]?.at ?? 1;
      for (let k2 = i; k2 < j; k2++) {
        const s2 = stops[k2];
        if (s2) s2.at = from + ((to - from) * (k2 - i + 1)) / (j - i + 1);
      }
    }
    const tt = Math.min(1, Math.max(0, t));
    let lo = stops[0] as { c: RGBA; at: number };
    let hi = stops.at(-1) as { c: RGBA; at: number };
    for (const st of stops as { c: RGBA; at: number }[]) {
      if (st.at <= tt) lo = st;
      if (st.at >= tt) {
        hi = st;
        break;
      }
    }
    const f = hi.at > lo.at ? (tt - lo.at) / (hi.at - lo.at) : 0;
    const mix = (i: number) => (lo.c[i] ?? 0) + ((hi.c[i] ?? 0) - (lo.c[i] ?? 0)) * f;
    return [mix(0), mix(1), mix(2), mix(3)];
  };
  /**
   * The colours under a point of `el`'s text: from the element itself down through what is painted
   * beneath it (`elementsFromPoint`: ancestors and siblings under it), blending semi-transparent
   * backgrounds (a gradient's colour at that point) until an opaque one; WCAG relative luminance is
   * taken of the blend. A picture under the text (a map canvas, a video, an image) may show anything:
   * the text must read over black and over white alike (its plate carries it), so both are returned.
   */
  const backgroundUnder = (el: Element, x: number, y: number): [number, number, number][] => {
    const stack = document.elementsFromPoint(x, y);
    let start = stack.indexOf(el);
    if (start < 0) {
      // Under another box (an overlay): start from its closest ancestor that is hit.
      for (let e = el.parentElement; e && start < 0; e = e.parentElement) start = stack.indexOf(e);
      if (start < 0) start = 0;
    }
    const layers: RGBA[] = [];
    let bases: [number, number, number][] = [[0, 0, 0]];
    for (let i = start; i < stack.length; i++) {
      const e = stack[i];
      if (!e) continue;
      const tag = e.tagName;
      const cs = getComputedStyle(e);
      const op = Number(cs.opacity || '1');
      if (tag === 'CANVAS' || tag === 'VIDEO' || tag === 'IMG') {
        if (e.closest('.gw-chart')) continue; // a chart's own canvas: its text is what is audited
        bases = [
          [0, 0, 0],
          [255, 255, 255],
        ];
        break;
      }
      if (cs.backgroundImage !== 'none') {
        const sc = cssScale(e);
        const r = e.getBoundingClientRect();
        const g = gradientAt(
          cs.backgroundImage,
          (e as HTMLElement).offsetWidth || r.width / sc,
          (e as HTMLElement).offsetHeight || r.height / sc,
          (x - r.left) / sc,
          (y - r.top) / sc,
        );
        // A background image that is not a gradient read here: a picture.
        if (!g) {
          bases = [
            [0, 0, 0],
            [255, 255, 255],
          ];
          break;
        }
        layers.push([g[0], g[1], g[2], g[3] * op]);
      }
      const bg = parseColor(cs.backgroundColor);
      if (bg && bg[3] > 0) layers.push([bg[0], bg[1], bg[2], bg[3] * op]);
      if ((layers.at(-1)?.[3] ?? 0) >= 0.999) break;
    }
    return bases.map((base) => {
      let result = base;
      for (let i = layers.length - 1; i >= 0; i--) result = over(layers[i] as RGBA, result);
      return result;
    });
  };
  /** The lowest contrast of a colour over any of the backgrounds, and that background. */
  const worstContrast = (fg: RGBA, unders: [number, number, number][]) => {
    let worst = { r: Infinity, under: [0, 0, 0] as [number, number, number] };
    for (const u of unders) {
      const r = ratio(over(fg, u), u);
      if (r < worst.r) worst = { r, under: u };
    }
    return worst;
  };

  // ---- exclusions, each with its reason ----
  /**
   * Not audited as DOM text:
   * - MapLibre's own controls and attribution (the wall hides them; none is shown) and the map's
   *   labels, drawn in WebGL: the DOM cannot see them (the map scene's style sets their size).
   * - The video picture itself (a camera's image); its overlays (names, badges) are audited, over a
   *   picture taken as black and as white (see `backgroundUnder`).
   * - Chart text is not in the DOM either: it is audited from what the chart's 2D canvas drew
   *   (CANVAS_TEXT_PROBE), below.
   * - The presenter's talking points are not on a wall display (they are on the presenter's page).
   */
  const EXCLUDED = '.maplibregl-ctrl, .maplibregl-ctrl-attrib, .maplibregl-canvas-container';
  /**
   * Lists show the rows that fit: a row wholly below the fold (moved out of the list's box) is not
   * on screen and is no finding; a row cut in half is.
   */
  const LIST_ITEM = 'li, tr';

  // ---- text: every element with its own visible text ----
  const texts = new Map<Element, string>();
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    const v = n.nodeValue ?? '';
    if (v.trim() === '') continue;
    const parent = n.parentElement;
    if (!parent || parent.closest(EXCLUDED)) continue;
    texts.set(parent, (texts.get(parent) ?? '') + v);
  }

  /** The boxes text must stay inside: panels, tiles, rows, the header (text spilling over a neighbour). */
  const PANELS =
    '.gw-region, .gw-panel, .gw-figure, .gw-header, .gw-inspection-panel, .gw-tile, .gw-alert, .gw-overdue-row, .gw-map-legend, .gw-kpi-summary';

  /** The box inside an element's borders (what its overflow clips to), on screen. */
  const clipBox = (e: Element, scale: number) => {
    const r = e.getBoundingClientRect();
    const h = e as HTMLElement;
    const left = r.left + (h.clientLeft ?? 0) * scale;
    const top = r.top + (h.clientTop ?? 0) * scale;
    return {
      left,
      top,
      right: left + (h.clientWidth || r.width / scale) * scale,
      bottom: top + (h.clientHeight || r.height / scale) * scale,
    };
  };
  const fmt = (b: { left: number; top: number; right: number; bottom: number }) =>
    `${Math.round(b.left)},${Math.round(b.top)}–${Math.round(b.right)},${Math.round(b.bottom)}`;

  for (const [el, raw] of texts) {
    if (!visible(el)) continue;
    const text = clip(raw);
    const path = pathOf(el);
    const cs = getComputedStyle(el);
    const scale = cssScale(el);
    const fontPx = Number.parseFloat(cs.fontSize);
    // The text's own line boxes (a range over its text nodes), not its element's. Vertically, the
    // em box of each line: a tall font's ascent and descent may pass a tight line box unseen, the
    // glyphs may not.
    const range = document.createRange();
    const lines: { left: number; top: number; right: number; bottom: number }[] = [];
    for (const node of el.childNodes) {
      if (node.nodeType !== Node.TEXT_NODE || (node.nodeValue ?? '').trim() === '') continue;
      range.selectNodeContents(node);
      for (const r of range.getClientRects()) {
        if (r.width <= 0 || r.height <= 0) continue;
        const mid = (r.top + r.bottom) / 2;
        const half = (fontPx * scale) / 2;
        lines.push({ left: r.left, right: r.right, top: mid - half, bottom: mid + half });
      }
    }
    if (lines.length === 0) continue;
    const box = lines.reduce((acc, r) => ({
      left: Math.min(acc.left, r.left),
      top: Math.min(acc.top, r.top),
      right: Math.max(acc.right, r.right),
      bottom: Math.max(acc.bottom, r.bottom),
    }));
    const tol = screenScale;

    // (a) cut: an ellipsis or a hidden overflow that truncates, text outside a box that clips it,
    // text sticking out of its panel.
    let cut: string | null = null;
    const h = el as HTMLElement;
    const clipsSelfX = cs.overflowX !== 'visible';
    if (clipsSelfX && h.scrollWidth > h.clientWidth + 1)
      cut = `scrollWidth ${h.scrollWidth} > clientWidth ${h.clientWidth}${cs.textOverflow === 'ellipsis' ? ' (ellipsis)' : ''}`;
    else if (cs.webkitLineClamp && cs.webkitLineClamp !== 'none' && h.scrollHeight > h.clientHeight + 1)
      cut = `line-clamp ${cs.webkitLineClamp}: scrollHeight ${h.scrollHeight} > clientHeight ${h.clientHeight}`;
    let hiddenWhole = false;
    if (!cut) {
      const clippers: Element[] = [];
      if (clipsSelfX || cs.overflowY !== 'visible') clippers.push(el);
      for (let e = el.parentElement; e && e !== document.body; e = e.parentElement) {
        const ecs = getComputedStyle(e);
        if (ecs.overflowX !== 'visible' || ecs.overflowY !== 'visible') clippers.push(e);
        if (e === root) break;
      }
      for (const c of clippers) {
        const ccs = getComputedStyle(c);
        const r = clipBox(c, cssScale(c));
        const cx = ccs.overflowX !== 'visible';
        const cy = ccs.overflowY !== 'visible';
        const outX = cx && (box.left < r.left - tol || box.right > r.right + tol);
        const outY = cy && (box.top < r.top - tol || box.bottom > r.bottom + tol);
        if (!outX && !outY) continue;
        const whollyOut =
          (cx && (box.right <= r.left + tol || box.left >= r.right - tol)) ||
          (cy && (box.bottom <= r.top + tol || box.top >= r.bottom - tol));
        const item = el.closest(LIST_ITEM);
        if (whollyOut && item && c !== el && c.contains(item)) {
          hiddenWhole = true;
          break;
        }
        cut = `${whollyOut ? 'hidden by' : 'cut by'} ${c === el ? 'its own box' : pathOf(c).split(' > ').at(-1)} (text ${fmt(box)} vs box ${fmt(r)})`;
        break;
      }
    }
    if (hiddenWhole) continue;
    if (!cut) {
      const panel = el.closest(PANELS);
      if (panel) {
        const r = panel.getBoundingClientRect();
        if (
          box.left < r.left - tol ||
          box.right > r.right + tol ||
          box.top < r.top - tol ||
          box.bottom > r.bottom + tol
        )
          cut = `outside ${pathOf(panel).split(' > ').at(-1)} (text ${fmt(box)} vs box ${fmt(r)})`;
      }
    }
    if (cut) findings.push({ kind: 'clipped', path, text, value: cut });

    // (b) size on screen, in pixels of the 1080p canvas.
    const px = (fontPx * scale) / screenScale;
    if (px < options.minFontPx - 0.05) findings.push({ kind: 'small', path, text, value: `${px.toFixed(1)} px` });

    // (c) contrast against what is painted under the text's first line.
    const colour = parseColor(cs.color);
    const first = lines[0];
    if (colour && first) {
      const cx = Math.min(Math.max((first.left + first.right) / 2, 0), window.innerWidth - 1);
      const cy = Math.min(Math.max((first.top + first.bottom) / 2, 0), window.innerHeight - 1);
      const w = worstContrast(
        [colour[0], colour[1], colour[2], colour[3] * opacityOf(el)],
        backgroundUnder(el, cx, cy),
      );
      if (w.r < options.minContrast - 0.005)
        findings.push({
          kind: 'contrast',
          path,
          text,
          value: `${w.r.toFixed(2)}:1 (${cs.color} on rgb(${w.under.map(Math.round).join(',')}))`,
        });
    }
  }

  // ---- chart canvases: what echarts drew (recorded by CANVAS_TEXT_PROBE) ----
  for (const canvas of root.querySelectorAll<HTMLCanvasElement & { __gwTexts?: unknown[] }>('.gw-chart canvas')) {
    if (!visible(canvas) || !canvas.__gwTexts) continue;
    const chart = canvas.closest('.gw-chart') ?? canvas;
    const chartPath = `${pathOf(chart)} canvas`;
    const rect = canvas.getBoundingClientRect();
    // Backing-store pixels to screen pixels.
    const k = rect.width / canvas.width;
    const seenText = new Set<string>();
    for (const rec of canvas.__gwTexts as {
      text: string;
      font: string;
      fill: string | null;
      alpha: number;
      align: string;
      x: number;
      y: number;
      w: number;
      m: number[];
    }[]) {
      const [a = 1, b = 0, c = 0, d = 1, e = 0, f = 0] = rec.m;
      const size = Number.parseFloat(rec.font.match(/([\d.]+)px/)?.[1] ?? '0');
      const ctxScale = Math.sqrt(Math.abs(a * d - b * c));
      const px = (size * ctxScale * k) / screenScale;
      const key = `${rec.text}|${px.toFixed(1)}`;
      if (seenText.has(key)) continue;
      seenText.add(key);
      const text = clip(rec.text);
      if (px < options.minFontPx - 0.05)
        findings.push({ kind: 'small', path: chartPath, text, value: `${px.toFixed(1)} px` });
      // Where the text lies (its anchor moved by its alignment), in backing-store pixels.
      const x0 =
        rec.align === 'right' || rec.align === 'end'
          ? rec.x - rec.w
          : rec.align === 'center'
            ? rec.x - rec.w / 2
            : rec.x;
      const left = Math.min(a * x0 + c * rec.y + e, a * (x0 + rec.w) + c * rec.y + e);
      const right = Math.max(a * x0 + c * rec.y + e, a * (x0 + rec.w) + c * rec.y + e);
      const top = b * x0 + d * rec.y + f;
      if (left < -1 || right > canvas.width + 1)
        findings.push({
          kind: 'clipped',
          path: chartPath,
          text,
          value: `drawn at x ${Math.round(left / ctxScale)}–${Math.round(right / ctxScale)} of ${Math.round(canvas.width / ctxScale)}`,
        });
      else if (rec.text.endsWith('…') || rec.text.endsWith('...'))
        findings.push({ kind: 'clipped', path: chartPath, text, value: 'truncated by the chart (…)' });
      const fill = rec.fill ? parseColor(rec.fill) : null;
      if (fill) {
        const sx = rect.left + ((left + right) / 2) * k;
        const sy = rect.top + top * k;
        const under = backgroundUnder(
          chart,
          Math.min(Math.max(sx, 0), window.innerWidth - 1),
          Math.min(Math.max(sy, 0), window.innerHeight - 1),
        );
        const w = worstContrast([fill[0], fill[1], fill[2], fill[3] * rec.alpha], under);
        if (w.r < options.minContrast - 0.005)
          findings.push({
            kind: 'contrast',
            path: chartPath,
            text,
            value: `${w.r.toFixed(2)}:1 (${rec.fill} on rgb(${w.under.map(Math.round).join(',')}))`,
          });
      }
    }
  }

  // ---- (d) empty: a scene region or a KPI panel with nothing but its title, and no word why ----
  const TITLES = '.gw-scene-title, .gw-panel-title, .gw-region-title';
  const hasContent = (box: Element): boolean => {
    for (const [el] of texts) {
      if (!box.contains(el) || el.closest(TITLES) || !visible(el)) continue;
      return true;
    }
    for (const m of box.querySelectorAll<HTMLElement>('canvas, video, img, svg')) {
      if (!visible(m)) continue;
      // A chart counts when it drew something (its values are written once drawn).
      const chart = m.closest<HTMLElement>('.gw-chart');
      if (chart && (chart.dataset.values ?? '') === '') continue;
      return true;
    }
    return false;
  };
  for (const box of root.querySelectorAll('.gw-region, .gw-panel')) {
    if (!visible(box) || hasContent(box)) continue;
    const reason = box.querySelector('.gw-empty');
    if (reason && (reason.textContent ?? '').trim() !== '') continue;
    const title = box.querySelector(TITLES)?.textContent ?? '';
    findings.push({ kind: 'empty', path: pathOf(box), text: clip(title), value: 'nothing shown, no reason given' });
  }
  hitAll.remove();
  return { findings, scale: screenScale };
}
