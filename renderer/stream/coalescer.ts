import type {
  Alert,
  CameraStatus,
  Case,
  InspectionPoint,
  KpiFigures,
  KpiSummary,
  Sensor,
  StreamEvent,
} from '../../protocol';
import { type CaseLite, toCaseLite, toWorkerLite, type WorkerLite } from '../../protocol/lite';
import type { SnapshotLite, StreamBatch } from './types';

/**
 * Folds what arrives between two frames into one batch. Its memory is bounded by the number of
 * entities, never by the number of events: a case updated 50 times before the main thread asks is
 * handed over once, at its latest version. So a wall whose main thread stalls (a hidden tab, a
 * long GC) never builds an unbounded queue.
 */
export class Coalescer {
  private snapshot: SnapshotLite | null = null;
  private readonly cases = new Map<string, CaseLite>();
  private focusedCase: Case | null = null;
  private readonly workers = new Map<string, WorkerLite>();
  private readonly positions = new Map<string, [string, number, number, 0 | 1]>();
  private readonly cameras = new Map<string, { id: string; status: CameraStatus; at: number }>();
  private readonly sensors = new Map<string, { id: string; status: Sensor['status']; at: number }>();
  private readonly alertsRaised = new Map<string, Alert>();
  private readonly alertsCleared = new Map<string, number>();
  private readonly inspectionPoints = new Map<string, InspectionPoint>();
  private kpis: KpiFigures | null = null;
  private kpisRolling: KpiSummary | null = null;
  private areasVersion: number | null = null;
  private serverAt: number | null = null;
  /** Bounded: a stalled main thread keeps only the latest receive times. */
  private receivedAt: number[] = [];
  private messages = 0;
  private events = 0;
  focusedCaseId: string | null = null;

  get isEmpty(): boolean {
    return this.messages === 0 && this.focusedCase === null;
  }

  /** A snapshot supersedes everything pending. */
  addSnapshot(snapshot: SnapshotLite, receivedAt: number, focused: Case | null): void {
    this.clear();
    this.snapshot = snapshot;
    this.focusedCase = focused;
    this.serverAt = snapshot.at;
    this.note(receivedAt);
  }

  addEvents(events: readonly StreamEvent[], receivedAt: number): void {
    for (const e of events) this.addEvent(e);
    this.events += events.length;
    this.note(receivedAt);
  }

  private addEvent(e: StreamEvent): void {
    this.bumpServerAt(e.at);
    switch (e.type) {
      case 'case.upserted': {
        this.addCase(toCaseLite(e.payload));
        if (e.payload.id === this.focusedCaseId) this.focusedCase = e.payload;
        return;
      }
      // Patches come through addCase: the client applies them on top of what it handed over.
      case 'case.patched':
        return;
      case 'alert.raised':
        this.alertsRaised.set(e.payload.id, e.payload);
        return;
      case 'alert.cleared': {
        const raised = this.alertsRaised.get(e.payload.id);
        if (raised) raised.clearedAt = e.payload.clearedAt;
        else this.alertsCleared.set(e.payload.id, e.payload.clearedAt);
        return;
      }
      case 'camera.status':
        this.cameras.set(e.payload.id, e.payload);
        return;
      case 'sensor.status':
        this.sensors.set(e.payload.id, e.payload);
        return;
      case 'worker.updated':
        this.workers.set(e.payload.id, toWorkerLite(e.payload));
        // A full worker record carries its position: an older pending position must not override it.
        this.positions.delete(e.payload.id);
        return;
      case 'areas.changed':
        this.areasVersion = e.payload.version;
        return;
    }
  }

  /** A case's slim record at its latest version. */
  addCase(lite: CaseLite): void {
    const prev = this.cases.get(lite.id);
    // Versions only grow; an older one arriving later in a batch must not win.
    if (!prev || prev.version <= lite.version) this.cases.set(lite.id, lite);
  }

  /** The latest server time seen since the last hand-over. */
  get latestServerAt(): number | null {
    return this.serverAt;
  }

  addPositions(at: number, positions: readonly [string, number, number, 0 | 1][], receivedAt: number): void {
    this.bumpServerAt(at);
    for (const p of positions) this.positions.set(p[0], p);
    this.note(receivedAt);
  }

  addKpis(at: number, kpis: KpiFigures, rolling: KpiSummary | null | undefined, receivedAt: number): void {
    this.bumpServerAt(at);
    this.kpis = kpis;
    if (rolling) this.kpisRolling = rolling;
    this.note(receivedAt);
  }

  addInspectionPoints(points: readonly InspectionPoint[], receivedAt: number): void {
    for (const p of points) this.inspectionPoints.set(p.id, p);
    this.note(receivedAt);
  }

  setFocusedCase(c: Case | null): void {
    this.focusedCase = c;
  }

  /** Hands over everything pending and starts empty; null when nothing is pending. */
  take(lastSeq: number, now: number): StreamBatch | null {
    if (this.isEmpty) return null;
    const batch: StreamBatch = {
      snapshot: this.snapshot,
      cases: [...this.cases.values()],
      focusedCase: this.focusedCase,
      workers: [...this.workers.values()],
      positions: [...this.positions.values()],
      cameras: [...this.cameras.values()],
      sensors: [...this.sensors.values()],
      alertsRaised: [...this.alertsRaised.values()],
      alertsCleared: [...this.alertsCleared].map(([id, clearedAt]) => ({ id, clearedAt })),
      inspectionPoints: [...this.inspectionPoints.values()],
      kpis: this.kpis,
      kpisRolling: this.kpisRolling,
      areasVersion: this.areasVersion,
      lastSeq,
      serverAt: this.serverAt,
      receivedAt: this.receivedAt,
      messages: this.messages,
      events: this.events,
      sentAt: now,
    };
    this.clear();
    return batch;
  }

  clear(): void {
    this.snapshot = null;
    this.cases.clear();
    this.focusedCase = null;
    this.workers.clear();
    this.positions.clear();
    this.cameras.clear();
    this.sensors.clear();
    this.alertsRaised.clear();
    this.alertsCleared.clear();
    this.inspectionPoints.clear();
    this.kpis = null;
    this.kpisRolling = null;
    this.areasVersion = null;
    this.serverAt = null;
    this.receivedAt = [];
    this.messages = 0;
    this.events = 0;
  }

  private bumpServerAt(at: number): void {
    if (this.serverAt === null || at > this.serverAt) this.serverAt = at;
  }

  private note(receivedAt: number): void {
    this.messages++;
    if (this.receivedAt.length < 4096) this.receivedAt.push(receivedAt);
  }
}
