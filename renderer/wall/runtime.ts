import type { FocusPolicy } from '../../protocol';
import { FocusChannel } from '../focus/channel';
import { focusFromAlerts } from '../focus/policy';
import { PresentationFollower } from '../presenter/follow';
import { setAutoCase, setFocus, storeSink, wholeCaseId } from '../state/apply';
import { loadClockRate } from '../state/autoCase';
import { loadCenterCalendar } from '../state/center';
import { createShowStore, type ShowStore } from '../state/show';
import { createWallStore, type FocusOrigin, type WallStore } from '../state/store';
import { type BridgeMetrics, StreamBridge } from '../stream/bridge';
import { wallToken } from './session';

export interface RuntimeOptions {
  origin: string;
  params: URLSearchParams;
  /** Windows with the same wall name share focus. */
  wallName: string;
  focusPolicy: FocusPolicy;
  /** The stream worker; the benchmark passes one fed by a synthetic source. */
  createWorker?: () => Worker;
  /** A token to use as is (the benchmark's synthetic source needs none). */
  token?: string;
}

/** What tests and the benchmark read from a page (`window.__gridwall`); read-only by convention. */
export interface WallDebugHandle {
  store: WallStore;
  show: ShowStore;
  metrics: BridgeMetrics;
  focus(caseId: string | null): void;
}

/**
 * One page's connection to the wall: the store, the stream worker, and the focus shared with the
 * other windows of the same wall.
 */
export class WallRuntime {
  readonly store: WallStore = createWallStore();
  /** The presentation this page follows (layout, preset, marks, map view, KPI period). */
  readonly show: ShowStore = createShowStore();
  readonly bridge: StreamBridge;
  private readonly follower: PresentationFollower;
  private token: string | null = null;
  /** The case the stream was last told to keep whole. */
  private whole: string | null = null;
  private readonly channel: FocusChannel;
  private readonly unsubscribe: () => void;

  constructor(private readonly options: RuntimeOptions) {
    const worker =
      options.createWorker?.() ??
      new Worker(new URL('../stream/worker.ts', import.meta.url), { type: 'module', name: 'stream' });
    this.bridge = new StreamBridge(
      worker,
      { ...storeSink(this.store), presentation: (p) => this.follower.onServer(p) },
      async () => {
        this.token = await wallToken(options.origin, options.params, true);
        return this.token;
      },
    );
    this.follower = new PresentationFollower({
      wall: this.store,
      show: this.show,
      origin: options.origin,
      token: () => this.token,
      setPaused: (paused) => this.bridge.setPaused(paused),
      focus: (id) => this.focus(id, 'remote'),
      unattendedTour: options.params.get('tour'),
    });
    this.channel = new FocusChannel(
      options.wallName,
      () => this.store.getState().focus,
      (f) => this.focus(f.caseId, 'remote', f.at, f.serverAt),
    );
    this.unsubscribe = this.store.subscribe((s, prev) => {
      if (s.alerts.justRaised === prev.alerts.justRaised || s.alerts.justRaised.length === 0) return;
      // During a presentation the presenter decides what the wall shows (a step's spotlight instead).
      if (this.show.getState().presentation) return;
      const id = focusFromAlerts(s.alerts.justRaised, s.focus, options.focusPolicy, Date.now());
      if (id) this.focus(id, 'alert');
    });
    (globalThis as { __gridwall?: WallDebugHandle }).__gridwall = {
      store: this.store,
      show: this.show,
      metrics: this.bridge.metrics,
      focus: (id) => this.focus(id, 'local'),
    };
  }

  async start(): Promise<void> {
    performance.mark('gw:start');
    // The cold start's stages (test/bench/coldstart.ts reads the `gw:*` marks).
    const stopMark = this.store.subscribe((s) => {
      if (!s.ready) return;
      performance.mark('gw:snapshot');
      stopMark();
    });
    const token = this.options.token ?? (await wallToken(this.options.origin, this.options.params));
    performance.mark('gw:token');
    this.token = token;
    this.bridge.start({ origin: this.options.origin, token, surface: 'wall' });
    // The synthetic benchmark source has no server: the default calendar (UTC+8) stays.
    if (!this.options.token) {
      void loadCenterCalendar(this.options.origin, token);
      // A simulator's speed: the automatic case-detail turns last 15 real seconds on every window.
      void loadClockRate(this.options.origin);
    }
    void this.follower.start();
  }

  /** Sets the focus; a person's choice on this screen is sent to the other screens of the wall. */
  focus(caseId: string | null, origin: FocusOrigin, at = Date.now(), serverAt?: number): void {
    setFocus(this.store, caseId, origin, at, serverAt);
    this.keepWhole();
    if (origin === 'local') {
      const chosen = this.store.getState().focus.serverAt;
      this.channel.publish(chosen === undefined ? { caseId, at } : { caseId, at, serverAt: chosen });
    }
  }

  /** The automatic case a case-detail panel shows: its whole record is fetched while nothing is focused. */
  showAuto(caseId: string | null): void {
    setAutoCase(this.store, caseId);
    this.keepWhole();
  }

  /** Tells the stream which case to keep whole (the focused one, else the automatic one), on a change only. */
  private keepWhole(): void {
    const id = wholeCaseId(this.store.getState());
    if (id === this.whole) return;
    this.whole = id;
    this.bridge.setFocus(id);
  }

  dispose(): void {
    this.follower.dispose();
    this.unsubscribe();
    this.channel.close();
    this.bridge.stop();
  }
}
