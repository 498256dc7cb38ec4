import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { Layout } from '../../protocol';
import { DisplayView } from './DisplayView';
import { ScaledCanvas } from './ScaledCanvas';

const TITLE = 48;
const GAP = 8;

/** The whole wall scaled onto one monitor: every display, live, in its place. */
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
  const cellW = (win.width - GAP * (columns + 1)) / columns;
  const cellH = (win.height - TITLE - GAP * (rows + 1)) / rows;
  return (
    <div className="gw-preview" data-testid="preview">
      <div className="gw-preview-title" style={{ height: TITLE }}>
        {t('preview.title', { layout: layout.title[lang] })}
      </div>
      <div
        className="gw-preview-grid"
        style={{
          gridTemplateColumns: `repeat(${columns}, ${cellW}px)`,
          gridTemplateRows: `repeat(${rows}, ${cellH}px)`,
          gap: GAP,
          padding: GAP,
        }}
      >
        {layout.displays.map((d) => (
          <div key={d.index} className="gw-preview-cell" title={t('preview.display', { n: d.index + 1 })}>
            <ScaledCanvas
              width={layout.canvas.width}
              height={layout.canvas.height}
              box={{ width: cellW, height: cellH }}
            >
              <DisplayView layout={layout} display={d} />
            </ScaledCanvas>
          </div>
        ))}
      </div>
    </div>
  );
}
