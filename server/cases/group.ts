import type { Alert, Case, StreamEvent } from '../../protocol';
import { diffCase } from '../../protocol/casePatch';
import type { AppliedCommand, AuditRecord } from '../storage/store';

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
  /** Answers of the commands applied in this group, as JSON, by command id. */
  readonly appliedById = new Map<string, string>();
  /** The JSON text of each case as last put in this group: made once, stored, logged and acked. */
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
    /** Answers of commands committed before, as JSON, by command id. */
    private readonly committedAcks: ReadonlyMap<string, string>,
    private readonly now: () => number,
  ) {}

  /** Numbers and timestamps an event; its JSON is made here, once (`payloadJson` when the caller has it). */
  emit(event: NewEvent, payloadJson?: string): void {
    this.seq += 1;
    const at = this.now();
    const e = { ...event, seq: this.seq, at } as StreamEvent;
    const payload = payloadJson ?? JSON.stringify(e.payload);
    this.events.push(e);
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
    const json = JSON.stringify(c);
    this.cases.set(c.id, c);
    this.caseJson.set(c.id, json);
    if (prev && prev.version < c.version) this.emit({ type: 'case.patched', payload: diffCase(prev, c) });
    else this.emit({ type: 'case.upserted', payload: c }, json);
  }

  /** The answer already given to this command id, as JSON, if any. */
  knownAck(commandId: string): string | undefined {
    return this.committedAcks.get(commandId) ?? this.appliedById.get(commandId);
  }
}
