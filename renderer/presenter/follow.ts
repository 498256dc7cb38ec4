import { KpiFigures, type Presentation, Tour } from '../../protocol';
import { centerStore } from '../state/center';
import type { ShowStore } from '../state/show';
import type { WallStore } from '../state/store';
import { isNewer, msToNextChange, resolveTarget, unattendedPresentation } from './show';

export interface FollowerDeps {
  wall: WallStore;
  show: ShowStore;
  origin: string;
  /** The page's token once logged in (KPI periods and the unattended tour are fetched with it). */
  token(): string | null;
  setPaused(paused: boolean): void;
  focus(caseId: string): void;
  /** `?tour=NAME`: this screen plays the tour unattended inside its schedule. */
  unattendedTour?: string | null;
  /** The schedule's offset from UTC in minutes (default: the center's zone from its calendar). */
  offsetMinutes?: number;
}

/** Figures of a period other than today are refreshed this often while the step shows them. */
const PERIOD_REFRESH_MS = 60_000;

/**
 * Makes a wall page follow a presentation: the presenter's from the server, or, on a lobby screen,
 * an unattended tour. Changes the show store (layout, preset, marks), the map view, the focus, the
 * KPI period and the pause; the wall store keeps receiving live data underneath.
 */
export class PresentationFollower {
  private server: Presentation | null = null;
  private tour: Tour | null = null;
  private tourTimer: ReturnType<typeof setTimeout> | null = null;
  private kpiTimer: ReturnType<typeof setInterval> | null = null;
  private unresolved: (() => void) | null = null;
  private viewSeq = 0;
  private disposed = false;

  constructor(private readonly deps: FollowerDeps) {}

  /** Once logged in: loads the unattended tour, if any. */
  async start(): Promise<void> {
    const name = this.deps.unattendedTour;
    if (!name) return;
    const token = this.deps.token();
    try {
      const res = await fetch(`${this.deps.origin}/api/tours/${encodeURIComponent(name)}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const parsed = Tour.safeParse(res.ok ? await res.json() : null);
      if (!parsed.success || this.disposed) return;
      this.tour = parsed.data;
      this.tickUnattended();
    } catch {
      // No tour: the screen stays live, which is what a lobby shows anyway.
    }
  }

  /** The server's presentation (it wins over an unattended tour while it runs). */
  onServer(p: Presentation | null): void {
    if (!isNewer(p, this.server)) return;
    this.server = p;
    this.show(p ?? this.unattended());
  }

  dispose(): void {
    this.disposed = true;
    if (this.tourTimer) clearTimeout(this.tourTimer);
    if (this.kpiTimer) clearInterval(this.kpiTimer);
    this.unresolved?.();
    this.deps.setPaused(false);
  }

  private unattended(): Presentation | null {
    if (!this.tour) return null;
    const offset = this.deps.offsetMinutes ?? centerStore.getState().calendar.utcOffsetMinutes;
    return unattendedPresentation(this.tour, Date.now(), offset);
  }

  private tickUnattended(): void {
    if (this.disposed || !this.tour) return;
    if (!this.server) this.show(this.unattended());
    this.tourTimer = setTimeout(() => this.tickUnattended(), msToNextChange(this.unattended(), this.tour, Date.now()));
  }

  private show(p: Presentation | null): void {
    const before = this.deps.show.getState().presentation;
    if (p && before && p.id === before.id && p.version === before.version) return;
    const stepChanged =
      !p ||
      !before ||
      p.id !== before.id ||
      p.stepIndex !== before.stepIndex ||
      p.stepStartedAt !== before.stepStartedAt;
    this.deps.show.setState({ presentation: p });
    this.deps.setPaused(p?.paused ?? false);
    if (stepChanged) this.enterStep(p);
    const spot = p?.spotlight;
    if (spot && spot.caseId !== before?.spotlight?.caseId) {
      this.deps.focus(spot.caseId);
      this.goTo({ caseId: spot.caseId });
    }
  }

  private enterStep(p: Presentation | null): void {
    if (this.kpiTimer) clearInterval(this.kpiTimer);
    this.kpiTimer = null;
    this.deps.show.setState({ kpis: null });
    if (!p) {
      // Back to the live wall: the whole district, as a wall shows it when nobody presents.
      this.goTo({ overview: true });
      return;
    }
    const step = p.step;
    if (step.kpiPeriod !== 'today') {
      const load = () => void this.loadKpis(step.kpiPeriod, p.id, p.stepIndex);
      load();
      this.kpiTimer = setInterval(load, PERIOD_REFRESH_MS);
    }
    if (step.map) this.goTo(step.map);
    if (step.caseId) this.deps.focus(step.caseId);
  }

  /** Resolves a map target now, or as soon as the wall holds what it names. */
  private goTo(target: Parameters<typeof resolveTarget>[0]): void {
    this.unresolved?.();
    this.unresolved = null;
    const seq = ++this.viewSeq;
    const view = resolveTarget(target, this.deps.wall.getState(), seq);
    if (view) {
      this.deps.show.setState({ view });
      return;
    }
    const unsubscribe = this.deps.wall.subscribe((s) => {
      const v = resolveTarget(target, s, seq);
      if (!v || seq !== this.viewSeq) return;
      unsubscribe();
      this.unresolved = null;
      this.deps.show.setState({ view: v });
    });
    this.unresolved = unsubscribe;
  }

  private async loadKpis(period: string, id: string, stepIndex: number): Promise<void> {
    const token = this.deps.token();
    try {
      const res = await fetch(`${this.deps.origin}/api/kpis?period=${period}`, {
        headers: token ? { authorization: `Bearer ${token}` } : {},
      });
      const parsed = KpiFigures.safeParse(res.ok ? await res.json() : null);
      const now = this.deps.show.getState().presentation;
      // The step may have moved on while the figures were on their way.
      if (parsed.success && now?.id === id && now.stepIndex === stepIndex)
        this.deps.show.setState({ kpis: parsed.data });
    } catch {
      // The live figures stay on screen; the next refresh tries again.
    }
  }
}
