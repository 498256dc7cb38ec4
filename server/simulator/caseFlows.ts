import type { Case, Command } from '../../protocol';
import { isTerminal } from '../../protocol';
import { deriveSeed, Rng } from '../presets/random';
import { MINUTE, type ReportExtra, type Schedule, type SimStats, type SimulatorCore } from './actions';
import { DEPARTMENT_HEAVY } from './content';
import { type CommandBody, drawFate, type PlanContext, plan, type SimCase } from './flow';
import type { SimProfile } from './profile';
import { SIM_CENTER, type SimWorld } from './world';

/**
 * The cases the simulator carries through the lifecycle: each case's fate drawn from its own seed,
 * its next step planned (`flow.ts`) and queued, done as a command when due, planned again from
 * where the case stands when someone else moved it, dropped when nobody can take it.
 */
export class CaseFlows {
  /** Cases the simulator is carrying, by id. */
  readonly cases = new Map<string, SimCase>();
  private readonly ignored = new Set<string>();
  private readonly ctx: PlanContext;

  constructor(
    private readonly core: SimulatorCore,
    private readonly seed: number,
    private readonly profile: SimProfile,
    world: SimWorld,
    private readonly counters: SimStats,
    private readonly enqueue: Schedule,
    /** Odds that the center rejects a report from this source. */
    private readonly rejectOddsOf: (source: string) => number,
  ) {
    this.ctx = {
      levels: core.config.levels,
      flow: profile.flow,
      center: SIM_CENTER,
      addWorkingMinutes: (start, minutes) => core.deadlines.calendar.addWorkingMinutes(start, minutes),
      gridWorker: (gridId, rng) => world.gridWorker(gridId, rng),
      department: (category) => {
        const id = core.categories.get(category)?.departmentId;
        return id ? world.departmentActor(id) : null;
      },
      departmentById: (id) => world.departmentActor(id),
      communityChief: (gridId) => {
        const community = world.areaById.get(gridId)?.parentId;
        return community ? world.workerActor(`c-${community}`) : null;
      },
      workerActor: (id) => world.workerActor(id),
    };
  }

  track(c: Case, extra: ReportExtra): SimCase {
    const rng = new Rng(deriveSeed(this.seed, `case:${c.id}`));
    const fate = drawFate(rng, this.profile.flow, this.rejectOddsOf(c.source), DEPARTMENT_HEAVY.has(c.category));
    const first = c.timeline[0]?.actor;
    const sc: SimCase = {
      id: c.id,
      rng,
      fate,
      selfHandled: c.selfHandled,
      reporterWorker: extra.reporterWorker ?? (first?.role === 'worker' ? first.id : null),
      duplicateOf: extra.duplicateOf,
      sensorId: extra.sensorId,
      reporter: c.reporter,
      escalated: Math.max(0, this.core.config.levels.indexOf(c.level)),
      returned: c.timeline.some((e) => e.action === 'return'),
      extensionAsked: c.extension !== null || c.extensionCount > 0,
      reworked: c.reworkCount > 0,
      suspended: c.timeline.some((e) => e.action === 'suspend'),
      token: 0,
      step: null,
      tries: 0,
    };
    this.cases.set(c.id, sc);
    return sc;
  }

  adopt(c: Case, now: number): void {
    if (this.cases.has(c.id) || this.ignored.has(c.id) || isTerminal(c.status)) return;
    const sc = this.track(c, { reporterWorker: null, duplicateOf: null, sensorId: null });
    this.counters.adopted += 1;
    this.schedule(sc, c, now);
  }

  /** Cases reported by others (Open311, the console) join the simulated loop. */
  scanForeign(now: number): void {
    for (const c of this.core.cases.values()) {
      if (!isTerminal(c.status) && !this.cases.has(c.id) && !this.ignored.has(c.id)) this.adopt(c, now);
    }
  }

  schedule(sc: SimCase, c: Case, now: number): void {
    if (isTerminal(c.status)) {
      this.finish(sc, now);
      return;
    }
    const step = plan(this.ctx, sc, c, now);
    sc.token += 1;
    sc.step = step;
    if (step) this.enqueue(step.at, { kind: 'step', caseId: sc.id, token: sc.token });
    else {
      // Nobody can take it (no worker, no department): leave it to the people at the console.
      this.cases.delete(sc.id);
      this.ignored.add(sc.id);
      this.counters.dropped += 1;
    }
  }

  private finish(sc: SimCase, now: number): void {
    this.cases.delete(sc.id);
    if (sc.sensorId) this.resetSensorSoon(sc.sensorId, sc.rng, now);
  }

  private resetSensorSoon(sensorId: string, rng: Rng, now: number): void {
    this.enqueue(now + rng.range(1, 10) * MINUTE, { kind: 'sensorStatus', id: sensorId, status: 'normal' });
  }

  async performStep(caseId: string, token: number, now: number): Promise<void> {
    const sc = this.cases.get(caseId);
    if (!sc || sc.token !== token || !sc.step) return;
    const c = this.core.cases.get(caseId);
    if (!c) {
      this.cases.delete(caseId);
      return;
    }
    const step = sc.step;
    if (isTerminal(c.status) || c.status !== step.from) {
      // Someone else moved it: carry on from where it stands.
      this.counters.replanned += 1;
      this.schedule(sc, c, now);
      return;
    }
    const command = {
      ...step.body,
      commandId: `sim-${c.id}-${c.version}-${step.body.type}`,
      caseId: c.id,
      expectedVersion: c.version,
    } as Command;
    const ack = await this.core.command(command, {
      actor: step.actor,
      username: step.actor.id,
      role: step.actor.role,
      remoteAddress: 'simulator',
    });
    if (ack.ok) {
      sc.tries = 0;
      this.counters.commands[command.type] = (this.counters.commands[command.type] ?? 0) + 1;
      this.applied(sc, step.body, now);
      this.schedule(sc, this.core.cases.get(caseId) ?? ack.case, now);
      return;
    }
    const current = this.core.cases.get(caseId);
    switch (ack.error.code) {
      case 'conflict':
      case 'unavailable':
        // Changed in the same write group (a deadline mark) or storage hiccup: try again shortly.
        this.counters.conflicts += 1;
        sc.tries += 1;
        if (current && sc.tries <= 5) {
          sc.token += 1;
          sc.step = { ...step, at: now + sc.rng.range(5, 30) * 1000 };
          this.enqueue(sc.step.at, { kind: 'step', caseId, token: sc.token });
          return;
        }
        break;
      case 'illegal_transition':
      case 'invalid':
      case 'not_found':
        this.counters.refused += 1;
        sc.tries += 1;
        if (current && sc.tries <= 3 && ack.error.code !== 'not_found') {
          this.schedule(sc, current, now);
          return;
        }
        break;
      default:
        break;
    }
    this.cases.delete(caseId);
    this.ignored.add(caseId);
    this.counters.dropped += 1;
  }

  private applied(sc: SimCase, body: CommandBody, now: number): void {
    switch (body.type) {
      case 'escalate':
        sc.escalated += 1;
        break;
      case 'return':
        sc.returned = true;
        break;
      case 'extend':
        if (body.action === 'request') sc.extensionAsked = true;
        break;
      case 'reopen':
        sc.reworked = true;
        break;
      case 'suspend':
        sc.suspended = true;
        break;
      case 'feedback':
        // The kitchen's fan is cleaned: the monitor reads normal again.
        if (sc.sensorId) {
          this.resetSensorSoon(sc.sensorId, sc.rng, now);
          sc.sensorId = null;
        }
        break;
      default:
        break;
    }
  }
}
