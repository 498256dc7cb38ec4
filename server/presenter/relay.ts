import { randomUUID } from 'node:crypto';
import {
  type Case,
  Presentation,
  type PresentationControl,
  type SpotlightFilter,
  type StreamEvent,
  wallStep,
} from '../../protocol';
import type { TourLibrary } from './tours';

export type ControlResult =
  | { ok: true; presentation: Presentation | null }
  | { ok: false; code: 'invalid' | 'not_found' | 'conflict'; message: string };

export interface ControlContext {
  tours: TourLibrary;
  /** Real time (the presenter's timer), not the simulator's clock. */
  now: number;
  driver: string;
  newId?: () => string;
}

/**
 * What a presenter's control does to the presentation: pure, so every rule is tested without a
 * server. Next on the last step and back on the first stay put (a clicker pressed once too often
 * must not end the tour in front of the visitors); only `stop` ends it.
 */
export function applyControl(
  current: Presentation | null,
  control: PresentationControl,
  ctx: ControlContext,
): ControlResult {
  const version = (current?.version ?? 0) + 1;
  if (control.action === 'start') {
    const tour = ctx.tours.get(control.tour);
    if (!tour) return { ok: false, code: 'not_found', message: `no tour named ${control.tour}` };
    const step = tour.steps[control.step];
    if (!step) return { ok: false, code: 'invalid', message: `tour ${tour.name} has ${tour.steps.length} steps` };
    return {
      ok: true,
      presentation: {
        id: ctx.newId?.() ?? randomUUID(),
        tour: tour.name,
        tourTitle: tour.title,
        district: tour.district,
        stepIndex: control.step,
        stepCount: tour.steps.length,
        step: wallStep(step),
        blank: false,
        paused: false,
        spotlight: null,
        startedAt: ctx.now,
        stepStartedAt: ctx.now,
        driver: ctx.driver,
        version,
      },
    };
  }
  if (!current) return { ok: false, code: 'conflict', message: 'no presentation is running: start one first' };
  switch (control.action) {
    case 'stop':
      return { ok: true, presentation: null };
    case 'blank':
      return { ok: true, presentation: { ...current, blank: control.on, driver: ctx.driver, version } };
    case 'pause':
      return { ok: true, presentation: { ...current, paused: control.on, driver: ctx.driver, version } };
    case 'next':
    case 'prev':
    case 'goto': {
      const tour = ctx.tours.get(current.tour);
      if (!tour) return { ok: false, code: 'not_found', message: `tour ${current.tour} is no longer installed` };
      const last = tour.steps.length - 1;
      const target =
        control.action === 'goto'
          ? control.step
          : Math.min(last, Math.max(0, current.stepIndex + (control.action === 'next' ? 1 : -1)));
      const step = tour.steps[target];
      if (!step) return { ok: false, code: 'invalid', message: `tour ${tour.name} has ${tour.steps.length} steps` };
      if (target === current.stepIndex) return { ok: true, presentation: current };
      return {
        ok: true,
        presentation: {
          ...current,
          stepIndex: target,
          stepCount: tour.steps.length,
          step: wallStep(step),
          spotlight: null,
          stepStartedAt: ctx.now,
          driver: ctx.driver,
          version,
        },
      };
    }
  }
}

/** Whether a case is one the step's spotlight waits for: new (its first version) and matching. */
export function matchesSpotlight(c: Case, filter: SpotlightFilter): boolean {
  if (c.version !== 1) return false;
  if (filter.sources.length > 0 && !filter.sources.includes(c.source)) return false;
  if (filter.categories.length > 0 && !filter.categories.includes(c.category)) return false;
  if (filter.priorities.length > 0 && !filter.priorities.includes(c.priority)) return false;
  return true;
}

export interface RelayHooks {
  /** Sends the presentation (without talking points) to every connected page. */
  broadcast(presentation: Presentation | null): void;
  /** Turns the presenter masking of wall pages on or off. */
  maskWalls(on: boolean): void;
  /** Keeps the presentation across a server restart (the walls stay masked if it comes back). */
  persist(presentation: Presentation | null): Promise<void>;
}

/**
 * The one presentation of the command center: the presenter's controls change it, every wall page
 * follows it, and while it runs the wall pages are masked on the server.
 */
export class PresenterRelay {
  private state: Presentation | null = null;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly tours: TourLibrary,
    private readonly hooks: RelayHooks,
    private readonly now: () => number = Date.now,
  ) {}

  get current(): Presentation | null {
    return this.state;
  }

  get active(): boolean {
    return this.state !== null;
  }

  /** Restores a persisted presentation (JSON from storage); one that no longer parses is dropped. */
  restore(json: string | null): void {
    if (!json) return;
    let raw: unknown;
    try {
      raw = JSON.parse(json);
    } catch {
      return;
    }
    const parsed = Presentation.nullable().safeParse(raw);
    if (!parsed.success || !parsed.data || !this.tours.get(parsed.data.tour)) return;
    this.state = parsed.data;
    this.hooks.maskWalls(true);
  }

  /** Controls are applied one at a time, each persisted before it is answered. */
  control(control: PresentationControl, driver: string): Promise<ControlResult> {
    const run = async (): Promise<ControlResult> => {
      const result = applyControl(this.state, control, { tours: this.tours, now: this.now(), driver });
      if (result.ok && result.presentation !== this.state) await this.set(result.presentation);
      return result;
    };
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
  }

  /** Looks for the step's spotlight among published events. */
  onPublished(events: readonly StreamEvent[]): void {
    const s = this.state;
    const filter = s?.step.spotlight;
    if (!s || !filter || s.spotlight) return;
    for (const e of events) {
      if (e.type !== 'case.upserted' || !matchesSpotlight(e.payload, filter)) continue;
      const c = e.payload;
      void this.set({
        ...s,
        spotlight: { caseId: c.id, code: c.code, category: c.category, at: this.now() },
        version: s.version + 1,
      });
      return;
    }
  }

  private async set(next: Presentation | null): Promise<void> {
    const wasActive = this.state !== null;
    this.state = next;
    // Masking first: no wall page may get another unmasked message once the presentation exists.
    if (wasActive !== (next !== null)) this.hooks.maskWalls(next !== null);
    this.hooks.broadcast(next);
    await this.hooks.persist(next);
  }
}
