import type { Alert, Case, StreamEvent } from '../../protocol';
import { diffCase } from '../../protocol/casePatch';
import type { AppliedCommand, AuditRecord } from '../storage/store';
import { caseJson } from './caseJson';

/** An event as an operation emits it: the write group numbers and timestamps it. */
export type NewEvent = Omit<StreamEvent, 'seq' | 'at'> & { type: StreamEvent['type'] };

/**
 * One write group: the ops taken from the queue together, applied against an overlay of the caches
 * (nothing reaches the caches before the group is committed) and committed in one transaction.
 */
export class WriteGroup {
  readonly cases = new Map<string, Case>();
  readonly alerts = new Map<string, Alert>();
  readonly events: StreamEvent[] = [];
  /** Each event's payload JSON, beside `events`: what the log stores. */
  readonly payloads: string[] = [];
  /** Each event's whole JSON, beside `events`: made once here, sent as is to every full room. */
  readonly texts: string[] = [];
  readonly applied: AppliedCommand[] = [];
  /**
   * The case each command applied in this group answered with, by command id: the ack is
   * `{ ok: true, case }`. Kept as the object (its versions share their parts), not as JSON text: a
   * few thousand whole-case strings held for resends cost more GC than they save.
   */
  readonly appliedById = new Map<string, Case>();
  /** The JSON text of each case as last put in this group: made once, stored, logged and acked (none in bulk mode). */
  readonly caseJson = new Map<string, string>();
  readonly audit: AuditRecord[] = [];
  readonly meta = new Map<string, string>();
  /** Cache changes other than cases and alerts, run once the group is committed. */
  readonly afterCommit: Array<() => void> = [];

  constructor(
    public seq: number,
    public caseCounter: number,
    public alertCounter: number,
    /** The committed cases (the registry's): read under this group's own. */
    private readonly committedCases: ReadonlyMap<string, Case>,
    /** The cases that commands committed before answered with, by command id. */
    private readonly committedAcks: ReadonlyMap<string, Case>,
    private readonly now: () => number,
    /**
     * Bulk mode (the history fill): no event is logged or sent and a case's row is written once
     * from its last version, so events are only numbered and no JSON is made here at all.
     */
    readonly bulk = false,
  ) {}

  /** Numbers and timestamps an event; its JSON is made here, once (`payloadJson` when the caller has it). */
  emit(event: NewEvent, payloadJson?: string): void {
    this.seq += 1;
    // Bulk mode numbers events as live would and makes nothing else of them: none is logged or sent.
    if (this.bulk) return;
    const at = this.now();
    const e = { ...event, seq: this.seq, at } as StreamEvent;
    this.events.push(e);
    const payload = payloadJson ?? JSON.stringify(e.payload);
    this.payloads.push(payload);
    this.texts.push(`{"type":"${e.type}","payload":${payload},"seq":${e.seq},"at":${at}}`);
  }

  /** The case as this group left it, else as committed. */
  caseOf(id: string): Case | undefined {
    return this.cases.get(id) ?? this.committedCases.get(id);
  }

  /**
   * Puts a case (its JSON made once, for the row and the ack) and emits it: a new case whole
   * (`case.upserted`), a changed one as a patch against the version before (`case.patched`), which
   * is also what the log keeps: a fraction of the bytes to write, send and resume.
   */
  putCase(c: Case): void {
    const prev = this.caseOf(c.id);
    this.cases.set(c.id, c);
    if (this.bulk) {
      this.seq += 1;
      return;
    }
    const json = caseJson(c, prev);
    this.caseJson.set(c.id, json);
    if (prev && prev.version < c.version) this.emit({ type: 'case.patched', payload: diffCase(prev, c) });
    else this.emit({ type: 'case.upserted', payload: c }, json);
  }

  /** The case already answered to this command id, if any. */
  knownAck(commandId: string): Case | undefined {
    return this.committedAcks.get(commandId) ?? this.appliedById.get(commandId);
  }
}
