import type { Case, CasePatch, StreamEvent, Worker, WorkerPositions } from '../../protocol';
import { type IndexedPosition, packPositions } from '../../protocol/positions';
import { maskCase } from '../access/masking';

/**
 * A patch as a masked connection may see it. Masking works on whole cases, so the patch's fields
 * are laid over `context` (the same case at any version: it brings the reporter whose name is
 * removed from free text, which never changes), the whole is masked with `maskCase`, and only the
 * patch's own fields are taken back. Whatever `maskCase` removes from a case, it removes here.
 */
export function maskPatch(p: CasePatch, context: Case): CasePatch {
  // Added entries stay in their short form: masking reads only their notes.
  const merged: Case = { ...context, ...p.set, timeline: (p.add ?? p.set?.timeline ?? []) as Case['timeline'] };
  // Merged parts over the context's (over nothing where the context's is null: only their keys are kept).
  if (p.merge?.deadline) merged.deadline = { ...context.deadline, ...p.merge.deadline } as Case['deadline'];
  if (p.merge?.milestones) merged.milestones = { ...context.milestones, ...p.merge.milestones };
  if (p.merge?.location) merged.location = { ...context.location, ...p.merge.location };
  const m = maskCase(merged);
  const out: CasePatch = { id: p.id, v: p.v };
  if (p.from !== undefined) out.from = p.from;
  if (p.set) {
    const set: Record<string, unknown> = {};
    for (const key of Object.keys(p.set) as (keyof Case)[]) set[key] = m[key];
    out.set = set as CasePatch['set'];
  }
  if (p.merge) {
    const merge: Record<string, Record<string, unknown>> = {};
    for (const [key, part] of Object.entries(p.merge)) {
      const masked = m[key as 'deadline' | 'milestones' | 'location'] as Record<string, unknown> | null;
      const picked: Record<string, unknown> = {};
      for (const k of Object.keys(part ?? {})) picked[k] = masked?.[k];
      merge[key] = picked;
    }
    out.merge = merge as CasePatch['merge'];
  }
  if (p.add) out.add = m.timeline;
  return out;
}

/**
 * An event as a masked connection gets it; null when a patch's case is not at hand to mask it
 * with (the caller sends a snapshot instead of a patch it cannot vouch for).
 */
export function maskEvent(e: StreamEvent, caseOf: (id: string) => Case | undefined): StreamEvent | null {
  if (e.type === 'case.upserted') return { ...e, payload: maskCase(e.payload) };
  if (e.type === 'case.patched') {
    const context = caseOf(e.payload.id);
    return context ? { ...e, payload: maskPatch(e.payload, context) } : null;
  }
  return e;
}

/** Each worker's place in the list the snapshot sends (`core.workers` in order): its id on the wire. */
export class WorkerIndex {
  private ids = new Map<string, number>();
  private size = -1;

  constructor(private readonly workers: ReadonlyMap<string, Worker>) {}

  /** Packs the positions of `ids` (all workers when absent); workers without a position are left out. */
  pack(at: number, ids?: Iterable<string>): WorkerPositions {
    if (this.size !== this.workers.size) {
      this.ids = new Map([...this.workers.keys()].map((id, i) => [id, i]));
      this.size = this.workers.size;
    }
    const items: IndexedPosition[] = [];
    for (const id of ids ?? this.workers.keys()) {
      const w = this.workers.get(id);
      const index = this.ids.get(id);
      if (w?.position && index !== undefined)
        items.push({ index, lng: w.position.lng, lat: w.position.lat, onDuty: w.onDuty });
    }
    return { at, n: this.size, packed: packPositions(items) };
  }
}
