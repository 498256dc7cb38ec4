import { type ReactNode, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { type Display, type Layout, type Region, trackWeights } from '../../protocol';
import { renderScene } from '../scenes';
import { WorkersNote } from '../scenes/status/EmptyNote';
import { StaleBanner } from '../scenes/status/StaleBanner';
import { StatusBar } from '../scenes/status/StatusBar';
import { useCanvasSize } from './ScaledCanvas';

/** Which preset a display shows now: its presets take turns every `rotateSeconds`. */
function usePreset(display: Display): number {
  const [index, setIndex] = useState(0);
  const n = display.presets.length;
  const every = display.rotateSeconds;
  useEffect(() => {
    if (n < 2 || every === null) return;
    const id = setInterval(() => setIndex((i) => (i + 1) % n), every * 1000);
    return () => clearInterval(id);
  }, [n, every]);
  return index % n;
}

const HEADER_HEIGHT = 84;

/**
 * One display of the wall on its virtual canvas: the status bar, a grid of regions, the stale banner.
 * `presetId` (a presentation's step) overrides the rotation while the display has that preset.
 */
export function DisplayView(props: { layout: Layout; display: Display; presetId?: string; children?: ReactNode }) {
  const { layout, display } = props;
  const { i18n } = useTranslation();
  const presetIndex = usePreset(display);
  const chosen = props.presetId ? display.presets.find((p) => p.id === props.presetId) : undefined;
  const preset = chosen ?? display.presets[presetIndex] ?? display.presets[0];
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  // Which of its presets a display shows: in the status bar, or in a corner without one.
  const presetName = preset?.name && display.presets.length > 1 ? preset.name[lang] : undefined;
  // A large screen may lay the display out on a larger canvas than the layout's (ScaledCanvas).
  const canvas = useCanvasSize(layout.canvas);
  const cols = trackWeights(display.columns);
  const rows = trackWeights(display.rows);
  return (
    <div
      className="gw-display"
      data-testid="display"
      data-display={display.index}
      data-preset={preset?.id}
      style={{ width: canvas.width, height: canvas.height }}
    >
      {display.header ? (
        <div className="gw-header" style={{ height: HEADER_HEIGHT }}>
          <StatusBar
            title={display.name ? display.name[lang] : undefined}
            subtitle={display.name ? layout.title[lang] : undefined}
            preset={presetName}
          />
        </div>
      ) : null}
      <div
        className="gw-regions"
        style={{
          height: canvas.height - (display.header ? HEADER_HEIGHT : 0),
          gridTemplateColumns: cols.map((w) => `minmax(0, ${w}fr)`).join(' '),
          gridTemplateRows: rows.map((w) => `minmax(0, ${w}fr)`).join(' '),
        }}
      >
        {preset?.regions.map((r) => (
          // Keyed by what it shows: a region two presets share stays mounted across a rotation.
          <RegionView
            key={`${r.col}.${r.row}.${r.colSpan}.${r.rowSpan}.${r.scene}.${JSON.stringify(r.options)}`}
            region={r}
            lang={lang}
          />
        ))}
      </div>
      {presetName && !display.header ? <div className="gw-preset">{presetName}</div> : null}
      <StaleBanner />
      {props.children}
    </div>
  );
}

function RegionView(props: { region: Region; lang: 'zh-CN' | 'en' }) {
  const r = props.region;
  return (
    <section
      className={`gw-region gw-region-${r.scene}`}
      data-scene={r.scene}
      style={{ gridColumn: `${r.col + 1} / span ${r.colSpan}`, gridRow: `${r.row + 1} / span ${r.rowSpan}` }}
    >
      {r.title ? <h2 className="gw-region-title">{r.title[props.lang]}</h2> : null}
      <div className="gw-region-body">{renderScene(r)}</div>
      {r.scene === 'map' && r.options.showWorkers ? <WorkersNote /> : null}
    </section>
  );
}
