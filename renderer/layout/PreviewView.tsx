import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import type { Layout } from '../../protocol';
import { StatusBar } from '../scenes/status/StatusBar';
import { clockRateStore, detailChoice } from '../state/autoCase';
import { useRuntime, useServerNow, useWall } from '../ui/context';
import { DisplayView } from './DisplayView';
import { PREVIEW, previewFit } from './previewFit';
import { ScaledCanvas } from './ScaledCanvas';

/**
 * The whole wall scaled onto one monitor: every display, live, in its place, each at its exact
 * aspect with its number and name above it; the wall's status bar and a caption (what the wall is
 * focused on) take the space the wall's aspect leaves over. One store for every display: focus,
 * linkage and the automatic case are those of the wall's own windows (they share the focus).
 */
export function PreviewView(props: { layout: Layout }) {
  const { layout } = props;
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  const [win, setWin] = useState(() => ({ width: window.innerWidth, height: window.innerHeight }));
  useEffect(() => {
    const onResize = () => setWin({ width: window.innerWidth, height: window.innerHeight });
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  const n = layout.displays.length;
  const columns = layout.arrangement?.columns ?? Math.ceil(Math.sqrt(n));
  const rows = layout.arrangement?.rows ?? Math.ceil(n / columns);
  const fit = previewFit(win, layout.canvas, { columns, rows }, n);
  return (
    <div className="gw-preview" data-testid="preview" data-coverage={fit.coverage.toFixed(3)}>
      {fit.chrome ? (
        <div className="gw-header gw-preview-header" style={{ height: PREVIEW.header }}>
          <StatusBar title={t('preview.title', { layout: layout.title[lang] })} />
        </div>
      ) : null}
      {layout.displays.map((d, i) => {
        const at = fit.cells[i];
        if (!at) return null;
        return (
          <div key={d.index}>
            <div
              className="gw-preview-label"
              style={{ left: at.left, top: at.top - PREVIEW.label, width: fit.cellWidth, height: PREVIEW.label }}
            >
              <span className="gw-preview-number">{t('preview.display', { n: d.index + 1 })}</span>
              {d.name ? <span className="gw-preview-name">{d.name[lang]}</span> : null}
            </div>
            <div
              className="gw-preview-cell"
              data-testid="preview-cell"
              data-display={d.index}
              style={{ left: at.left, top: at.top, width: fit.cellWidth, height: fit.cellHeight }}
            >
              <ScaledCanvas
                width={layout.canvas.width}
                height={layout.canvas.height}
                box={{ width: fit.cellWidth, height: fit.cellHeight }}
              >
                <DisplayView layout={layout} display={d} />
              </ScaledCanvas>
            </div>
          </div>
        );
      })}
      {fit.chrome ? (
        <div
          className="gw-preview-caption"
          style={{ top: fit.captionTop, height: PREVIEW.caption }}
          data-testid="preview-caption"
        >
          <PreviewCaption layout={layout} columns={columns} rows={rows} />
        </div>
      ) : null}
    </div>
  );
}

/** What the whole wall is focused on (the same on every display), and how the displays hang. */
function PreviewCaption(props: { layout: Layout; columns: number; rows: number }) {
  const { t } = useTranslation();
  const runtime = useRuntime();
  const server = useServerNow(1000);
  const rate = useStore(clockRateStore, (s) => s.rate);
  const focusId = useWall((s) => s.focus.caseId);
  const choice = detailChoice(runtime.store.getState(), server, rate);
  const id = choice?.kind === 'focus' ? choice.caseId : choice?.kind === 'auto' ? choice.pick.id : null;
  const code = id ? (runtime.store.getState().cases.byId.get(id)?.code ?? '') : '';
  const focus =
    focusId !== null
      ? t('preview.focus', { code })
      : choice?.kind === 'auto'
        ? t('preview.auto', { code })
        : t('empty.noOpenCases');
  return (
    <>
      <span data-testid="preview-focus">{focus}</span>
      <span className="gw-preview-arrangement">
        {t('preview.arrangement', {
          n: props.layout.displays.length,
          columns: props.columns,
          rows: props.rows,
          width: props.layout.canvas.width,
          height: props.layout.canvas.height,
        })}
      </span>
    </>
  );
}
