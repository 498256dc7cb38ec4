import { useTranslation } from 'react-i18next';
import { useStore } from 'zustand';
import { centerStore } from '../../state/center';
import type { WallState } from '../../state/store';
import { useServerNow, useWall } from '../../ui/context';
import { centerHour, workersEmptyReason } from './empty';

const selectOnDuty = (s: WallState) => s.workers.onDuty;
const selectWorkers = (s: WallState) => s.workers.byId.size;

/**
 * A map that draws grid workers and has none to draw says why, in one line, over the map:
 * "夜间无在岗网格员" at night, "当前无在岗网格员" by day, or that no positions come in at all.
 * The hour is the center's (its calendar's time zone), on the server's clock.
 */
export function WorkersNote() {
  const { t } = useTranslation();
  const server = useServerNow(1000);
  const calendar = useStore(centerStore, (s) => s.calendar);
  const ready = useWall((s) => s.ready);
  // Plain selectors (numbers: a re-render only when one changes), so the reason never lags the data.
  const onDuty = useWall(selectOnDuty);
  const total = useWall(selectWorkers);
  const why = workersEmptyReason({ ready, total, onDuty }, centerHour(server, calendar.utcOffsetMinutes));
  // While the page loads the map says nothing either: the scenes' own waiting lines cover it.
  if (why === null || why === 'empty.waiting') return null;
  return (
    <div className="gw-empty gw-empty-note" data-testid="workers-note" data-reason={why}>
      {t(why)}
    </div>
  );
}
