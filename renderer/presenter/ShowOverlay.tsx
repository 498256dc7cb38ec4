import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import logoUrl from '../../resources/brand/logo.svg?url';
import type { ShowState } from '../state/show';
import { useRuntime } from '../ui/context';
import { clockTime } from '../ui/format';
import './show.css';

/** Reads the presentation this page follows. */
export function useShow<T>(selector: (s: ShowState) => T): T {
  return useStore(useRuntime().show, selector);
}

/**
 * The small marks of a presentation: "presentation" (visitors and operators see that the screen is
 * presented, and masked), "paused" with the time the picture froze, the live case in the spotlight.
 * Inline in the status bar; `floating` in a corner on a display without one.
 */
export function ShowMarks(props: { floating?: boolean }) {
  const { t } = useTranslation();
  const p = useShow((s) => s.presentation);
  const [pausedAt, setPausedAt] = useState<number | null>(null);
  const paused = p?.paused ?? false;
  useEffect(() => setPausedAt(paused ? Date.now() : null), [paused]);
  if (!p) return null;
  return (
    <div className={props.floating ? 'gw-show-marks gw-show-marks-floating' : 'gw-show-marks'}>
      <div className="gw-show-row">
        {p.driver === 'unattended' ? null : (
          <span className="gw-show-mark" data-testid="show-mark">
            {t('presenter.mark')} {p.stepIndex + 1}/{p.stepCount}
          </span>
        )}
        {p.paused ? (
          <span className="gw-show-paused" data-testid="show-paused">
            {t('presenter.paused')}
            {pausedAt ? ` ${clockTime(pausedAt)}` : ''}
          </span>
        ) : null}
      </div>
      {p.spotlight ? (
        <span className="gw-show-spotlight" data-testid="show-spotlight">
          {t('presenter.spotlight', { code: p.spotlight.code })}
        </span>
      ) : null}
    </div>
  );
}

/** Blank: the district's logo and name, nothing live behind it. */
export function ShowBlank(props: { force?: boolean }) {
  const { i18n } = useTranslation();
  const p = useShow((s) => s.presentation);
  if (!props.force && !p?.blank) return null;
  const lang = i18n.language === 'en' ? 'en' : 'zh-CN';
  return (
    <div className="gw-show-blank" data-testid="show-blank">
      <img src={logoUrl} alt="" />
      {p ? <div className="gw-show-district">{p.district[lang]}</div> : null}
    </div>
  );
}
