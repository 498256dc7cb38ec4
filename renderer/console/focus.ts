import { FocusChannel } from '../focus/channel';
import { setFocus } from '../state/apply';
import type { WallStore } from '../state/store';
import type { StreamBridge } from '../stream/bridge';

/**
 * The supervisor's selection, shown on the walls: the walls' focus follows it (through their
 * focus channel) and the stream fetches the full case. Arrowing through a list must not hammer the
 * server or swing the wall's map at every row, so both wait for the selection to rest.
 */
export class SharedSelection {
  private readonly channels: FocusChannel[];
  private state = { caseId: null as string | null, at: 0 };
  private fetchTimer: ReturnType<typeof setTimeout> | null = null;
  private focusTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly store: WallStore,
    private readonly bridge: StreamBridge,
    walls: readonly string[],
  ) {
    this.channels = walls.map(
      (w) =>
        new FocusChannel(
          w,
          () => this.state,
          // A choice made on the wall does not move the supervisor's selection.
          () => undefined,
        ),
    );
  }

  show(caseId: string | null): void {
    setFocus(this.store, caseId, 'local');
    if (this.fetchTimer) clearTimeout(this.fetchTimer);
    this.fetchTimer = setTimeout(() => this.bridge.setFocus(caseId), 80);
    if (this.focusTimer) clearTimeout(this.focusTimer);
    this.focusTimer = setTimeout(() => {
      this.state = { caseId, at: Date.now() };
      for (const c of this.channels) c.publish(this.state);
    }, 200);
  }

  close(): void {
    for (const c of this.channels) c.close();
  }
}
