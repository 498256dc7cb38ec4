import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import logoUrl from '../../resources/brand/logo.svg?url';
import { useRuntime } from '../app/context';
import { clockTime } from '../app/format';
import type { ShowState } from './show';
import './show.css';

/** Reads the presentation this page follows. */
export function useShow<T>(selector: (s: ShowState) => T): T {
  return useStore(useRuntime().show, selector);
}

/**
 * What a presentation adds on top of a display: the small "presentation" mark (visitors and
 * operators see that the screen is being presented and masked), the "paused" mark with the time
 * the picture froze, and the blank screen with the district's logo.
 */
export function ShowOverlay(props: { forceBlank?: boolean }) {
  const { t, i18n } = useTranslation();
  const p = useShow((s) => s.presentation);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const paused = p?.paused ?? false;
  useEffect(() => setPausedAt(paused ? Date.now() : null), [paused]);
  if (!p && !props.forceBlank) return null;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  if (props.forceBlank || p?.blank) {
    return (
      <div className="gw-show-blank" data-testid="show-blank">
        <img src={logoUrl} alt="" />
        {p ? <div className="gw-show-district">{p.district[lang]}</div> : null}
      </div>
    );
  }
  if (!p) return null;
  return (
    <div className="gw-show-marks">
      {p.driver === 'unattended' ? null : (
        <span className="gw-show-mark" data-testid="show-mark">
          {t('presenter.mark')} · {t('presenter.markStep', { n: p.stepIndex + 1, total: p.stepCount })}
        </span>
      )}
      {p.paused ? (
        <span className="gw-show-paused" data-testid="show-paused">
          {t('presenter.paused')}
          {pausedAt ? ` · ${t('presenter.pausedAt', { time: clockTime(pausedAt) })}` : ''}
        </span>
      ) : null}
      {p.spotlight ? (
        <span className="gw-show-spotlight" data-testid="show-spotlight">
          {t('presenter.spotlight', { code: p.spotlight.code })}
        </span>
      ) : null}
    </div>
  );
}
