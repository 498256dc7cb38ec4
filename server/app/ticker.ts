import type { CaseCore } from '../cases/core';
import type { Clock } from '../clock';
import type { ServerConfig } from '../config';
import type { KpiPusher } from '../kpis/routes';
import type { Storage } from '../storage/store';
import type { StreamHub } from '../transport/stream';

export interface TickDeps {
  core: CaseCore;
  hub: StreamHub;
  kpiPusher: KpiPusher;
  storage: Storage;
  clock: Clock;
  config: ServerConfig;
  /** With a manual clock every tick runs the deadlines (tests step time, then tick). */
  manualClock: boolean;
}

/**
 * The server's tick: due deadline marks (every 250 ms), events published, worker positions (every
 * 200 ms), KPI pushes, and once a minute housekeeping (evict ended cases, save the clock, prune the
 * log). A tick that is still running makes the next one a no-op.
 */
export function makeTick(d: TickDeps): () => Promise<void> {
  let ticking = false;
  let lastDeadlineRun = 0;
  let lastPositions = 0;
  let lastHousekeeping = Date.now();
  return async (): Promise<void> => {
    if (ticking) return;
    ticking = true;
    try {
      const now = Date.now();
      if (now - lastDeadlineRun >= 250 || d.manualClock) {
        lastDeadlineRun = now;
        await d.core.runDeadlines();
      }
      d.hub.flush();
      if (now - lastPositions >= 200) {
        lastPositions = now;
        d.hub.flushPositions();
      }
      d.kpiPusher.tick(now);
      if (now - lastHousekeeping >= 60_000) {
        lastHousekeeping = now;
        d.core.evictEnded();
        await d.storage.setMeta('clock', String(d.clock.now()));
        await d.storage.pruneEvents(d.config.eventRetention);
      }
    } catch (err) {
      console.error('tick failed:', err);
    } finally {
      ticking = false;
    }
  };
}

/** Publishes right after each commit (batched by the event loop), not only on the next tick. */
export function publishOnCommit(core: CaseCore, hub: StreamHub): void {
  // The delay from a command's ack to its event on every wall stays a few milliseconds.
  let flushQueued = false;
  core.onEvents(() => {
    if (flushQueued) return;
    flushQueued = true;
    setImmediate(() => {
      flushQueued = false;
      hub.flush();
    });
  });
}
