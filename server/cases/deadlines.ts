import type { Case, CaseLevel, Category, Deadline, Priority, Stage } from '../../protocol';
import type { WorkingCalendar } from '../../protocol/calendar';
import { addClockMinutes, clockFor } from '../../protocol/deadline';
import type { LimitsConfig } from '../config';

/**
 * Limits per stage, level, category and priority, turned into deadlines in the clock the case counts
 * in (protocol/deadline.ts: calendar time for urgent and sensor cases, working time otherwise).
 */
export class DeadlinePolicy {
  constructor(
    readonly calendar: WorkingCalendar,
    readonly limits: LimitsConfig,
    private readonly categories: ReadonlyMap<string, Category>,
  ) {}

  limitMinutes(stage: Stage, level: CaseLevel, category: string, priority: Priority): number {
    switch (stage) {
      case 'file':
        return this.limits.file[priority];
      case 'dispatch':
        return this.limits.dispatch[priority];
      case 'verify':
        return this.limits.verify;
      case 'close':
        return this.limits.close;
      case 'handle': {
        const base =
          level === 'grid' ? (this.categories.get(category)?.handleMinutes ?? 480) : this.limits.handleByLevel[level];
        return priority === 'urgent' ? base * this.limits.urgentHandleFactor : base;
      }
    }
  }

  /** A fresh deadline for `stage`, counted from `now` in the case's clock. */
  start(stage: Stage, c: Pick<Case, 'level' | 'category' | 'priority' | 'source'>, now: number): Deadline {
    const limitMinutes = this.limitMinutes(stage, c.level, c.category, c.priority);
    const clock = clockFor(c, this.categories.get(c.category));
    return {
      stage,
      clock,
      level: c.level,
      startedAt: now,
      limitMinutes,
      warnAt: addClockMinutes(this.calendar, clock, now, limitMinutes * this.limits.warnRatio),
      dueAt: addClockMinutes(this.calendar, clock, now, limitMinutes),
      warned: false,
      overdue: false,
    };
  }

  /** The same deadline with `minutes` more of its clock's time (an approved extension). */
  extend(deadline: Deadline, minutes: number): Deadline {
    const limitMinutes = deadline.limitMinutes + minutes;
    const clock = deadline.clock ?? 'working';
    const warnAt = addClockMinutes(this.calendar, clock, deadline.startedAt, limitMinutes * this.limits.warnRatio);
    const dueAt = addClockMinutes(this.calendar, clock, deadline.startedAt, limitMinutes);
    return {
      ...deadline,
      limitMinutes,
      warnAt,
      dueAt,
      warned: deadline.warned && warnAt <= deadline.warnAt,
      overdue: false,
    };
  }
}
