import TinyQueue from 'tinyqueue';
import type { Deadline } from '../../protocol';

export interface DueMark {
  caseId: string;
  which: 'warning' | 'overdue';
  at: number;
}

interface Entry extends DueMark {
  /** Identifies the deadline the entry was made for; a newer deadline makes it stale. */
  token: string;
}

const tokenOf = (d: Deadline): string => `${d.stage}:${d.level}:${d.startedAt}:${d.dueAt}`;

/**
 * The one deadline scheduler: every pending warning and overdue mark in a queue ordered by due
 * time, not a timer per case. The server's tick asks it for what is due; a deadline replaced by a
 * newer one leaves stale entries behind that are skipped when they come up.
 */
export class DeadlineScheduler {
  private readonly queue = new TinyQueue<Entry>([], (a, b) => a.at - b.at);
  private readonly current = new Map<string, string>();

  /** Track a case's running deadline (or none). Call on every case change. */
  track(caseId: string, deadline: Deadline | null): void {
    if (!deadline || deadline.overdue) {
      this.current.delete(caseId);
      return;
    }
    const token = tokenOf(deadline);
    if (this.current.get(caseId) === token && deadline.warned) return;
    const known = this.current.get(caseId) === token;
    this.current.set(caseId, token);
    if (known) return;
    if (!deadline.warned) this.queue.push({ caseId, which: 'warning', at: deadline.warnAt, token });
    this.queue.push({ caseId, which: 'overdue', at: deadline.dueAt, token });
  }

  /** Marks due at or before `now`, in due order; each is handed out once. */
  takeDue(now: number): DueMark[] {
    const due: DueMark[] = [];
    for (let head = this.queue.peek(); head && head.at <= now; head = this.queue.peek()) {
      this.queue.pop();
      if (this.current.get(head.caseId) !== head.token) continue;
      if (head.which === 'overdue') this.current.delete(head.caseId);
      due.push({ caseId: head.caseId, which: head.which, at: head.at });
    }
    return due;
  }

  /** When the next mark is due, or null. */
  nextAt(): number | null {
    return this.queue.peek()?.at ?? null;
  }

  get size(): number {
    return this.queue.length;
  }
}
